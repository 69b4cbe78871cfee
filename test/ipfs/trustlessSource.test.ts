// The trustless gateway source against real gateways on 127.0.0.1: the embedded store's path
// gateway (honest), and servers in front of it that serve an older IPNS record (a rollback), a
// tampered block or a record with a broken signature.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CarBlockIterator, CarWriter } from "@ipld/car";
import { unmarshalIPNSRecord } from "ipns";
import type { CID } from "multiformats/cid";
import { createIpnsSequenceMemory } from "../../gateway/sources/ipnsSequences.ts";
import { readFromSources } from "../../gateway/sources/readFromSources.ts";
import type { RecordLocation, RecordSource } from "../../gateway/sources/recordSource.ts";
import {
  createTrustlessGatewaySource,
  createTrustlessSourceCaches,
} from "../../gateway/sources/trustlessGatewaySource.ts";
import {
  createEmbeddedIpfs,
  createPathGatewayHandler,
  type EmbeddedIpfs,
  type PathGateway,
  startPathGateway,
} from "../../ipfs/index.ts";
import { type FetchServer, serveFetch } from "./fetchServer.ts";
import { deriveTestIpnsSeed, makeTempDirectory } from "./helpers.ts";

const AVATAR = ".well-known/eth/alice/text/avatar.json";
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const budget = { strategy: "ordered", perSourceTimeoutMs: 5000, totalBudgetMs: 10_000 } as const;
const accept = async (body: Uint8Array) => ({ ok: true as const, value: text(body) });
const signal = () => AbortSignal.timeout(10_000);

/** Replaces the bytes of block `cid` in a CAR (keeping its CID): a gateway that lies about one block. */
async function tamperCar(car: Uint8Array, cid: string): Promise<Uint8Array> {
  const blocks = await CarBlockIterator.fromBytes(car);
  const { writer, out } = CarWriter.create(await blocks.getRoots());
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for await (const block of blocks) {
    const bytes =
      block.cid.toString() === cid ? new TextEncoder().encode('{"value":"evil"}') : block.bytes;
    await writer.put({ cid: block.cid, bytes });
  }
  await writer.close();
  await collected;
  return new Uint8Array(Buffer.concat(chunks));
}

describe("trustless gateway source", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let honest: PathGateway;
  let name: string;
  let oldRecord: Uint8Array;
  let oldRoot: CID;
  let newRoot: CID;
  const servers: FetchServer[] = [];

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    const seed = await deriveTestIpnsSeed("alice.eth");
    // A HAMT-sharded text/ directory (2,000 links of about 160 bytes: past 256 KiB).
    const files: Record<string, string> = {};
    for (let index = 0; index < 2000; index++)
      files[`.well-known/eth/alice/text/k${index}-${"x".repeat(120)}.json`] = `{"i":${index}}`;
    files[AVATAR] = '{"value":"old"}';
    oldRoot = await ipfs.addDirectory(files);
    name = await ipfs.publishName(seed, oldRoot);
    oldRecord = (await ipfs.getIpnsRecord(name)) as Uint8Array;
    newRoot = await ipfs.updateDirectory(oldRoot, { [AVATAR]: '{"value":"new"}' });
    await ipfs.publishName(seed, newRoot);
    honest = await startPathGateway({ ipfs });
  });
  after(async () => {
    for (const server of servers) await server.close();
    await honest.close();
    await ipfs.stop();
    await temp.remove();
  });

  /** A gateway serving the store's content, with `override` answering first when it returns. */
  const lyingGateway = async (
    override: (request: Request, url: URL) => Promise<Response | undefined>,
  ): Promise<string> => {
    const handler = createPathGatewayHandler(ipfs);
    const server = await serveFetch(
      async (request) => (await override(request, new URL(request.url))) ?? handler(request),
    );
    servers.push(server);
    return server.url;
  };
  const location = (path: string): RecordLocation => ({
    target: { protocol: "ipns", name },
    path,
  });

  it("reads a file through a HAMT under the IPNS name, checking every block", async () => {
    const requests: string[] = [];
    const source = createTrustlessGatewaySource({
      url: honest.url,
      fetch: (input, init) => {
        requests.push(new URL(String(input)).search);
        return fetch(input, init);
      },
    });
    const answer = await source.read(location(AVATAR), signal());
    assert.equal(answer.status, "found");
    assert.equal(text((answer as { body: Uint8Array }).body), '{"value":"new"}');
    // One IPNS record and one CAR: no block had to be fetched on its own.
    assert.deepEqual(requests, ["?format=ipns-record", "?format=car&dag-scope=entity"]);
    const deep = await source.read(
      location(`.well-known/eth/alice/text/k1999-${"x".repeat(120)}.json`),
      signal(),
    );
    assert.equal(text((deep as { body: Uint8Array }).body), '{"i":1999}');
    // The IPNS resolution is cached for the record's TTL (5 minutes), and the root and shard
    // blocks already held are not fetched again: only the blocks this path lacks, one by one.
    assert.ok(requests.length > 2);
    assert.deepEqual(new Set(requests.slice(2)), new Set(["?format=raw"]));
    // A file that is not there is proven missing by the directory blocks.
    assert.deepEqual(
      await source.read(location(".well-known/eth/alice/text/none.json"), signal()),
      {
        status: "missing",
      },
    );
    const byCid = await source.read(
      { target: { protocol: "ipfs", cid: oldRoot.toString() }, path: AVATAR },
      signal(),
    );
    assert.equal(text((byCid as { body: Uint8Array }).body), '{"value":"old"}');
  });

  it("shares verified blocks between sources: the second asks only for the IPNS record", async () => {
    const caches = createTrustlessSourceCaches();
    const counting = (requests: string[]) => (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new URL(String(input)).search);
      return fetch(input, init);
    };
    const first: string[] = [];
    const second: string[] = [];
    const one = createTrustlessGatewaySource({ url: honest.url, caches, fetch: counting(first) });
    const two = createTrustlessGatewaySource({ url: honest.url, caches, fetch: counting(second) });
    assert.equal(
      text(((await one.read(location(AVATAR), signal())) as { body: Uint8Array }).body),
      '{"value":"new"}',
    );
    assert.deepEqual(first, ["?format=ipns-record", "?format=car&dag-scope=entity"]);
    // Each source verifies the name itself (its own IPNS record); every block is already held.
    assert.equal(
      text(((await two.read(location(AVATAR), signal())) as { body: Uint8Array }).body),
      '{"value":"new"}',
    );
    assert.deepEqual(second, ["?format=ipns-record"]);
    // A source with caches of its own fetches the blocks again.
    const own: string[] = [];
    const three = createTrustlessGatewaySource({ url: honest.url, fetch: counting(own) });
    await three.read(location(AVATAR), signal());
    assert.deepEqual(own, ["?format=ipns-record", "?format=car&dag-scope=entity"]);
  });

  it("refuses a rollback from one source while another answers", async () => {
    const stale = await lyingGateway(async (_request, url) =>
      url.pathname === `/ipns/${name}`
        ? new Response(oldRecord as Uint8Array<ArrayBuffer>, {
            headers: { "content-type": "application/vnd.ipfs.ipns-record" },
          })
        : undefined,
    );
    const sequences = createIpnsSequenceMemory();
    const staleSource = createTrustlessGatewaySource({ url: stale, sequences });
    const honestSource = createTrustlessGatewaySource({ url: honest.url, sequences });
    const newSequence = unmarshalIPNSRecord(
      (await ipfs.getIpnsRecord(name)) as Uint8Array,
    ).sequence;
    const oldSequence = unmarshalIPNSRecord(oldRecord).sequence;
    assert.ok(oldSequence < newSequence);

    // Before anything newer was seen, the old record is valid (signed, not expired): served.
    const fresh = createTrustlessGatewaySource({
      url: stale,
      sequences: createIpnsSequenceMemory(),
    });
    assert.equal(
      text(((await fresh.read(location(AVATAR), signal())) as { body: Uint8Array }).body),
      '{"value":"old"}',
    );

    // Once the newer sequence was seen, the stale source is refused, and the honest one answers.
    await honestSource.read(location(AVATAR), signal());
    const outcome = await readFromSources(
      [staleSource, honestSource] as RecordSource[],
      location(AVATAR),
      accept,
      budget,
    );
    assert.equal(outcome.status, "valid");
    assert.equal((outcome as { value: string }).value, '{"value":"new"}');
    assert.equal((outcome as { source: string }).source, `trustless:${honest.url}`);

    const alone = await readFromSources([staleSource], location(AVATAR), accept, budget);
    assert.deepEqual(alone, {
      status: "unavailable",
      errors: [
        {
          source: `trustless:${stale}`,
          reason: `trustless:${stale}: IPNS rollback refused: ${name} at sequence ${oldSequence}, lower than sequence ${newSequence} already seen`,
        },
      ],
    });
  });

  it("refuses a tampered block (CAR or raw) and an IPNS record with a broken signature", async () => {
    const leaf = (await ipfs.resolvePath(newRoot, AVATAR)) as CID;
    const tampered = await lyingGateway(async (_request, url) => {
      if (url.searchParams.get("format") !== "car") return undefined;
      const honestCar = await fetch(`${honest.url}${url.pathname}${url.search}`);
      return new Response(
        (await tamperCar(
          new Uint8Array(await honestCar.arrayBuffer()),
          leaf.toString(),
        )) as Uint8Array<ArrayBuffer>,
        { headers: { "content-type": "application/vnd.ipld.car" } },
      );
    });
    const source = createTrustlessGatewaySource({ url: tampered });
    await assert.rejects(source.read(location(AVATAR), signal()), {
      name: "SourceError",
      message: `trustless:${tampered}: block ${leaf} does not match its CID (tampered or corrupt)`,
    });

    const rawTampered = await lyingGateway(async (_request, url) => {
      if (url.searchParams.get("format") === "car") return new Response("no", { status: 501 });
      if (url.pathname === `/ipfs/${leaf}`)
        return new Response('{"value":"evil"}', {
          headers: { "content-type": "application/vnd.ipld.raw" },
        });
      return undefined;
    });
    await assert.rejects(
      createTrustlessGatewaySource({ url: rawTampered }).read(location(AVATAR), signal()),
      {
        message: `trustless:${rawTampered}: block ${leaf} does not match its CID (tampered or corrupt)`,
      },
    );

    const forged = await lyingGateway(async (_request, url) => {
      if (url.pathname !== `/ipns/${name}`) return undefined;
      const record = new Uint8Array((await ipfs.getIpnsRecord(name)) as Uint8Array);
      // Flip one byte of the value (/ipfs/<cid>): the signatures no longer cover it.
      const at = Buffer.from(record).indexOf(Buffer.from("/ipfs/")) + 8;
      record[at] = (record[at] as number) ^ 1;
      return new Response(record as Uint8Array<ArrayBuffer>, {
        headers: { "content-type": "application/vnd.ipfs.ipns-record" },
      });
    });
    await assert.rejects(
      createTrustlessGatewaySource({ url: forged }).read(location(AVATAR), signal()),
      (error: Error) => {
        assert.equal(error.name, "SourceError");
        assert.match(
          error.message,
          new RegExp(`^trustless:${forged}: IPNS record of ${name} refused: `),
        );
        return true;
      },
    );
  });
});
