// publishEdits (the browser's publish path) against the devnet's publish endpoints
// (ipfs/publishEndpoints.ts) over a real embedded store, all on 127.0.0.1: the edit reaches the
// store the path gateway reads, only the changed blocks travel, and every refusal is specific —
// a tampered block from the trustless endpoint, a publish that lost a race, a rolled-back record,
// a bad edit list. The local-stack test (gateway and ensgate resolve) is in
// test/e2e/publishEdits.test.ts.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { CarBlockIterator } from "@ipld/car";
import { unmarshalIPNSRecord } from "ipns";
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import {
  createEmbeddedIpfs,
  createPathGatewayHandler,
  type EmbeddedIpfs,
  startPublishEndpoints,
} from "../../ipfs/index.ts";
import { publishEdits, type RemotePublishTarget } from "../../ipfs/publishEdits.ts";
import { deriveIpnsName, WELL_KNOWN_ROOT } from "../../lib/index.ts";
import { type FetchServer, serveFetch } from "./fetchServer.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";

const AVATAR = `${WELL_KNOWN_ROOT}/eth/alice/text/avatar.json`;
const URL_FILE = `${WELL_KNOWN_ROOT}/eth/alice/text/url.json`;
const NEW_AVATAR = JSON.stringify({ value: "https://example.com/new.png" });
const decoder = new TextDecoder();

describe("publishEdits through the devnet publish endpoints", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let endpoints: Awaited<ReturnType<typeof startPublishEndpoints>>;
  let seed: Hex;
  let name: string;
  let target: RemotePublishTarget;
  const servers: FetchServer[] = [];

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    endpoints = await startPublishEndpoints({ store: ipfs });
    target = {
      kind: "remote",
      routingUrl: endpoints.url,
      pinUrl: endpoints.url,
      trustlessGatewayUrl: endpoints.url,
    };
  });
  beforeEach(async () => {
    // A fresh name per test: each starts from one record (sequence 1) over recordTree().
    seed = await deriveTestIpnsSeed(`alice${Math.random().toString(36).slice(2)}.eth`);
    name = await ipfs.publishName(seed, await ipfs.addDirectory(recordTree()));
  });
  after(async () => {
    for (const server of servers) await server.close();
    await endpoints.close();
    await ipfs.stop();
    await temp.remove();
  });

  const sequenceHeld = async () =>
    unmarshalIPNSRecord((await ipfs.getIpnsRecord(name)) as Uint8Array).sequence;
  const readText = async (path: string) => {
    const bytes = await ipfs.readFile(name, path);
    return bytes === undefined ? undefined : decoder.decode(bytes);
  };

  it("edits the tree the CLI published, under the CLI's IPNS name, with the next sequence", async () => {
    const result = await publishEdits({
      ipnsKeySeed: seed,
      edits: [
        { path: AVATAR, content: NEW_AVATAR },
        { path: URL_FILE, content: undefined },
        { path: `${WELL_KNOWN_ROOT}/eth/alice/text/com.github.json`, content: '{"value":"a"}' },
      ],
      target,
    });
    assert.equal(result.ipnsName, name);
    assert.equal(result.ipnsName, await deriveIpnsName(seed));
    assert.equal(result.sequence, 2n);
    assert.equal(await sequenceHeld(), 2n);
    assert.equal((await ipfs.resolveName(name)).toString(), result.root);
    assert.equal(await readText(AVATAR), NEW_AVATAR);
    assert.equal(await readText(URL_FILE), undefined);
    assert.equal(
      await readText(`${WELL_KNOWN_ROOT}/eth/alice/text/com.github.json`),
      '{"value":"a"}',
    );
    // Untouched files keep their bytes (they were never re-sent).
    assert.equal(await readText(`${WELL_KNOWN_ROOT}/eth/alice/addr/60.json`), '{"value":"0x01"}');

    // The path gateway over the same store serves the new file by IPNS name.
    const gateway = createPathGatewayHandler(ipfs);
    const served = await gateway(new Request(`http://127.0.0.1/ipns/${name}/${AVATAR}`));
    assert.equal(served.status, 200);
    assert.equal(await served.text(), NEW_AVATAR);

    // The next publish starts from this one: sequence 3, the earlier edits kept.
    const next = await publishEdits({
      ipnsKeySeed: seed,
      edits: [{ path: AVATAR, content: '{"value":"third"}' }],
      target,
      seenSequence: result.sequence,
    });
    assert.equal(next.sequence, 3n);
    assert.equal(await readText(AVATAR), '{"value":"third"}');
    assert.equal(await readText(URL_FILE), undefined);
  });

  it("sends only the changed blocks: the new file and the directories above it", async () => {
    const cars: Uint8Array[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === "POST" && new URL(request.url).pathname === "/car")
        cars.push(new Uint8Array(await request.clone().arrayBuffer()));
      return fetch(request);
    };
    const result = await publishEdits({
      ipnsKeySeed: seed,
      edits: [{ path: AVATAR, content: NEW_AVATAR }],
      target,
      fetch: recording,
    });
    assert.equal(cars.length, 1);
    const blocks: CID[] = [];
    const car = await CarBlockIterator.fromBytes(cars[0] as Uint8Array);
    assert.deepEqual((await car.getRoots()).map(String), [result.root]);
    for await (const block of car) blocks.push(block.cid);
    // avatar.json, text/, alice/, eth/, .well-known/, the root.
    assert.equal(blocks.length, 6);
    assert.equal(blocks[0]?.toString(), result.root);
  });

  it("a first publish of a name without a record starts from an empty tree at sequence 1", async () => {
    const fresh = await deriveTestIpnsSeed("nobody-yet.eth");
    const result = await publishEdits({
      ipnsKeySeed: fresh,
      edits: [{ path: AVATAR, content: NEW_AVATAR }],
      target,
    });
    assert.equal(result.sequence, 1n);
    assert.equal(
      decoder.decode((await ipfs.readFile(result.ipnsName, AVATAR)) as Uint8Array),
      NEW_AVATAR,
    );
    assert.equal(await ipfs.readFile(result.ipnsName, URL_FILE), undefined);
  });

  it("refuses a block from the trustless gateway that does not match its CID, and publishes nothing", async () => {
    const root = await ipfs.resolveName(name);
    // A trustless gateway that flips one byte of the root block it serves.
    const lying = await serveFetch(async (request) => {
      const url = new URL(request.url);
      const answer = await fetch(`${endpoints.url}${url.pathname}${url.search}`, {
        headers: { accept: request.headers.get("accept") ?? "*/*" },
      });
      if (!url.pathname.startsWith(`/ipfs/${root}`)) return answer;
      const bytes = new Uint8Array(await answer.arrayBuffer());
      bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      return new Response(bytes, { headers: answer.headers });
    });
    servers.push(lying);
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: AVATAR, content: NEW_AVATAR }],
        target: { ...target, trustlessGatewayUrl: lying.url },
      }),
      {
        name: "BlockMismatchError",
        cid: root.toString(),
        message: `Block ${root} from ${lying.url}/ipfs/${root}?format=raw does not match its CID (tampered or corrupt); refused.`,
      },
    );
    assert.equal(await sequenceHeld(), 1n);
    assert.notEqual(await readText(AVATAR), NEW_AVATAR);
  });

  it("never publishes a stale sequence: a publish that lost a race is refused with the sequence held", async () => {
    // The first publisher's record PUT waits until a second publisher has published in between.
    let raced = false;
    const racing: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method === "PUT" && !raced) {
        raced = true;
        const other = await publishEdits({
          ipnsKeySeed: seed,
          edits: [{ path: AVATAR, content: '{"value":"the other tab"}' }],
          target,
        });
        assert.equal(other.sequence, 2n);
      }
      return fetch(request);
    };
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: URL_FILE, content: '{"value":"this tab"}' }],
        target,
        fetch: racing,
      }),
      {
        name: "IpnsSequenceConflictError",
        ipnsName: name,
        sequence: 2n,
        heldSequence: 2n,
        message: `IPNS sequence conflict for ${name}: the routing service holds sequence 2, not below the 2 this publish signed. Another publish happened in between; read the name again and retry.`,
      },
    );
    assert.equal(raced, true);
    // The winner's tree is what the name points to; the loser's edit is not in it.
    assert.equal(await sequenceHeld(), 2n);
    assert.equal(await readText(AVATAR), '{"value":"the other tab"}');
    assert.notEqual(await readText(URL_FILE), '{"value":"this tab"}');
  });

  it("refuses a routing answer below the sequence already seen (a rollback) before sending anything", async () => {
    const sent: string[] = [];
    const recording: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (request.method !== "GET") sent.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request);
    };
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: AVATAR, content: NEW_AVATAR }],
        target,
        fetch: recording,
        seenSequence: 5n,
      }),
      {
        name: "IpnsRecordRollbackError",
        sequence: 1n,
        seenSequence: 5n,
        message: `The routing service answered sequence 1 for ${name}, below the 5 already seen (a rollback or a stale replica); nothing was published.`,
      },
    );
    assert.deepEqual(sent, []);
    assert.equal(await sequenceHeld(), 1n);
  });

  it("refuses a bad edit list before any request", async () => {
    let requests = 0;
    const counting: typeof fetch = (input, init) => {
      requests++;
      return fetch(input, init);
    };
    const attempt = (edits: { path: string; content: string | undefined }[]) =>
      publishEdits({ ipnsKeySeed: seed, edits, target, fetch: counting });
    await assert.rejects(
      attempt([
        { path: AVATAR, content: "1" },
        { path: `/${AVATAR}`, content: "2" },
      ]),
      {
        name: "InvalidEditError",
        message: `Invalid edit of "/${AVATAR}": the path is edited twice.`,
      },
    );
    await assert.rejects(attempt([{ path: "a/../b.json", content: "1" }]), {
      name: "InvalidEditError",
      message: /^Invalid edit of "a\/\.\.\/b\.json": Invalid IPFS path/,
    });
    assert.equal(requests, 0);
  });

  it("a file where the tree has a directory is refused with the editor's error", async () => {
    await assert.rejects(
      publishEdits({
        ipnsKeySeed: seed,
        edits: [{ path: `${WELL_KNOWN_ROOT}/eth/alice/text`, content: "x" }],
        target,
      }),
      { name: "IpfsWriteError", message: 'Cannot write "text" (it is a directory) to IPFS.' },
    );
    assert.equal(await sequenceHeld(), 1n);
  });

  it("answers CORS preflight and sends CORS headers on every answer", async () => {
    const preflight = await fetch(`${endpoints.url}/routing/v1/ipns/${name}`, {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:9999",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bPUT\b/);
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /\bPOST\b/);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /\bcontent-type\b/);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /\bauthorization\b/);
    const pinPreflight = await fetch(`${endpoints.url}/pins`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:9999", "access-control-request-method": "POST" },
    });
    assert.equal(pinPreflight.status, 204);
    assert.equal(pinPreflight.headers.get("access-control-allow-origin"), "*");
    for (const url of [
      `${endpoints.url}/routing/v1/ipns/${name}`,
      `${endpoints.url}/ipfs/${await ipfs.resolveName(name)}?format=raw`,
      `${endpoints.url}/ipns/${name}?format=ipns-record`,
      `${endpoints.url}/nothing-here`,
    ]) {
      const answer = await fetch(url, { headers: { origin: "http://127.0.0.1:9999" } });
      await answer.body?.cancel();
      assert.equal(answer.headers.get("access-control-allow-origin"), "*", url);
    }
  });
});
