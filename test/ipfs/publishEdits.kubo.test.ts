// publishEdits with `{ kind: "kubo" }`: request shapes and outcomes against a 127.0.0.1 stand-in
// for the four Kubo RPC calls it makes, over a real embedded store. NOT a real Kubo: no Kubo
// binary can be installed here (docs/ipfs.md). The stand-in answers as Kubo's RPC reference
// describes: POST only, `routing/get` → the record's bytes or 500 `routing: not found`,
// `routing/put` and `dag/import` → one multipart file, `block/get` → the raw block.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CarBlockIterator } from "@ipld/car";
import * as dagPb from "@ipld/dag-pb";
import { unmarshalIPNSRecord } from "ipns";
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import { parseCid } from "../../ipfs/contentRoot.ts";
import { createEmbeddedIpfs, type EmbeddedIpfs } from "../../ipfs/index.ts";
import { publishEdits } from "../../ipfs/publishEdits.ts";
import { checkBlock } from "../../ipfs/verifyBlock.ts";
import { WELL_KNOWN_ROOT } from "../../lib/index.ts";
import { type FetchServer, serveFetch } from "./fetchServer.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";

const AVATAR = `${WELL_KNOWN_ROOT}/eth/alice/text/avatar.json`;

const kuboError = (message: string) =>
  Response.json({ Message: message, Code: 0, Type: "error" }, { status: 500 });

/** The first file of a multipart body, as Kubo's command parser takes it. */
async function firstFile(request: Request): Promise<Uint8Array | undefined> {
  const form = await request.formData();
  let file: Uint8Array | undefined;
  const parts: (string | Blob)[] = [];
  form.forEach((value) => {
    parts.push(value);
  });
  for (const value of parts)
    if (typeof value !== "string") {
      file = new Uint8Array(await value.arrayBuffer());
      break;
    }
  return file;
}

/** The four calls over `ipfs`; `calls` records `command?args` in order. */
async function startKuboStandIn(
  ipfs: EmbeddedIpfs,
  options: { tamper?: (cid: CID, bytes: Uint8Array) => Uint8Array } = {},
): Promise<FetchServer & { calls: string[] }> {
  const calls: string[] = [];
  const server = await serveFetch(async (request) => {
    const url = new URL(request.url);
    const command = url.pathname.replace(/^\/api\/v0\//, "");
    calls.push(`${command}?${url.searchParams}`);
    if (request.method !== "POST") return new Response("405 - Method Not Allowed", { status: 405 });
    const arg = url.searchParams.get("arg") ?? "";
    if (command === "routing/get") {
      const record = await ipfs.getIpnsRecord(arg.replace(/^\/ipns\//, ""));
      return record === undefined
        ? kuboError("routing: not found")
        : new Response(record as Uint8Array<ArrayBuffer>, {
            headers: { "content-type": "text/plain" },
          });
    }
    if (command === "routing/put") {
      const record = await firstFile(request);
      if (record === undefined) return kuboError("file argument 'value-file' is required");
      try {
        await ipfs.putIpnsRecord(arg.replace(/^\/ipns\//, ""), record);
      } catch (error) {
        return kuboError(`invalid record: ${(error as Error).message}`);
      }
      return new Response(null, { status: 200 });
    }
    if (command === "block/get") {
      const cid = parseCid(arg);
      const bytes = await ipfs.getBlock(cid);
      if (bytes === undefined) return kuboError("block was not found locally (offline)");
      const served = options.tamper?.(cid, bytes) ?? bytes;
      return new Response(served as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "text/plain" },
      });
    }
    if (command === "dag/import") {
      const car = await firstFile(request);
      if (car === undefined) return kuboError("file argument 'path' is required");
      const iterator = await CarBlockIterator.fromBytes(car);
      for await (const block of iterator) {
        if ((await checkBlock(block.cid as unknown as CID, block.bytes)) !== "match")
          return kuboError(`block ${block.cid} does not match`);
        await ipfs.putBlock(block.cid as unknown as CID, block.bytes);
      }
      // pin-roots: every block under each root must now be held.
      const roots = (await iterator.getRoots()) as unknown as CID[];
      const pending = [...roots];
      while (pending.length > 0) {
        const cid = pending.pop() as CID;
        const bytes = await ipfs.getBlock(cid);
        if (bytes === undefined) return kuboError(`pinning root: block ${cid} not found`);
        if (cid.code === dagPb.code)
          for (const link of dagPb.decode(bytes).Links) pending.push(link.Hash);
      }
      return new Response(
        roots.map((root) => `${JSON.stringify({ Root: { Cid: { "/": `${root}` } } })}\n`).join(""),
        { headers: { "content-type": "application/json" } },
      );
    }
    return new Response(`404 page not found`, { status: 404 });
  });
  return { ...server, calls };
}

describe("publishEdits through Kubo's RPC (a stand-in over the embedded store)", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let seed: Hex;
  let name: string;
  const servers: FetchServer[] = [];

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    seed = await deriveTestIpnsSeed("alice.eth");
    name = await ipfs.publishName(seed, await ipfs.addDirectory(recordTree()));
  });
  after(async () => {
    for (const server of servers) await server.close();
    await ipfs.stop();
    await temp.remove();
  });

  it("reads the record and blocks, imports the new blocks and puts the next record", async () => {
    const kubo = await startKuboStandIn(ipfs);
    servers.push(kubo);
    const result = await publishEdits({
      ipnsKeySeed: seed,
      edits: [{ path: AVATAR, content: '{"value":"via kubo"}' }],
      target: { kind: "kubo", rpcUrl: kubo.url },
    });
    assert.equal(result.ipnsName, name);
    assert.equal(result.sequence, 2n);
    const record = unmarshalIPNSRecord((await ipfs.getIpnsRecord(name)) as Uint8Array);
    assert.equal(record.sequence, 2n);
    assert.equal(record.value, `/ipfs/${result.root}`);
    assert.equal(
      new TextDecoder().decode((await ipfs.readFile(name, AVATAR)) as Uint8Array),
      '{"value":"via kubo"}',
    );
    const routingGet = `routing/get?arg=${encodeURIComponent(`/ipns/${name}`)}`;
    assert.equal(kubo.calls[0], routingGet);
    assert.ok(
      kubo.calls.slice(1, -2).every((call) => /^block\/get\?arg=\w+&offline=true$/.test(call)),
    );
    assert.deepEqual(kubo.calls.slice(-2), [
      "dag/import?pin-roots=true",
      `routing/put?arg=${encodeURIComponent(`/ipns/${name}`)}&allow-offline=true`,
    ]);
  });

  it("a block Kubo answers that does not match its CID is refused; nothing is imported or put", async () => {
    const kubo = await startKuboStandIn(ipfs, {
      tamper: (_cid, bytes) => {
        const copy = bytes.slice();
        copy[0] = (copy[0] as number) ^ 0xff;
        return copy;
      },
    });
    servers.push(kubo);
    const root = await ipfs.resolveName(name);
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: AVATAR, content: '{"value":"never"}' }],
        target: { kind: "kubo", rpcUrl: kubo.url },
      }),
      {
        name: "BlockMismatchError",
        message: `Block ${root} from ${kubo.url} (block/get) does not match its CID (tampered or corrupt); refused.`,
      },
    );
    assert.ok(kubo.calls.every((call) => !/^(dag\/import|routing\/put)/.test(call)));
  });

  it("a name Kubo has no record for starts from an empty tree at sequence 1", async () => {
    const kubo = await startKuboStandIn(ipfs);
    servers.push(kubo);
    const fresh = await deriveTestIpnsSeed("kubo-fresh.eth");
    const result = await publishEdits({
      ipnsKeySeed: fresh,
      edits: [{ path: AVATAR, content: "{}" }],
      target: { kind: "kubo", rpcUrl: kubo.url },
    });
    assert.equal(result.sequence, 1n);
    assert.equal(
      new TextDecoder().decode((await ipfs.readFile(result.ipnsName, AVATAR)) as Uint8Array),
      "{}",
    );
  });

  it("an unreachable Kubo is a KuboRpcError naming the call", async () => {
    const kubo = await startKuboStandIn(ipfs);
    await kubo.close();
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: AVATAR, content: "{}" }],
        target: { kind: "kubo", rpcUrl: kubo.url },
      }),
      {
        name: "KuboRpcError",
        message: new RegExp(
          `^Kubo RPC routing/get failed: ${kubo.url.replace(/[.]/g, "\\.")}/api/v0/routing/get\\?arg=\\S+ is unreachable`,
        ),
      },
    );
  });
});
