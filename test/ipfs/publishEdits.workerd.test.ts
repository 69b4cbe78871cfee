// publishEdits outside Node: `wrangler dev` bundles test/ipfs/publishEditsWorker/ (no
// nodejs_compat, so any Node module in publishEdits' import graph fails the build or the run) and
// runs it in workerd, where it publishes through the devnet's endpoints on 127.0.0.1 over a real
// embedded store, and refuses a tampered block there too.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { unmarshalIPNSRecord } from "ipns";
import type { Hex } from "viem";
import { createEmbeddedIpfs, type EmbeddedIpfs, startPublishEndpoints } from "../../ipfs/index.ts";
import { WELL_KNOWN_ROOT } from "../../lib/index.ts";
import { startWranglerDev } from "../gateway/wranglerDev.ts";
import { type FetchServer, serveFetch } from "./fetchServer.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";

const AVATAR = `${WELL_KNOWN_ROOT}/eth/alice/text/avatar.json`;
const URL_FILE = `${WELL_KNOWN_ROOT}/eth/alice/text/url.json`;

describe("publishEdits in workerd (a Worker without nodejs_compat)", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let endpoints: Awaited<ReturnType<typeof startPublishEndpoints>>;
  let worker: Awaited<ReturnType<typeof startWranglerDev>>;
  let lying: FetchServer;
  let seed: Hex;
  let name: string;

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    endpoints = await startPublishEndpoints({ store: ipfs });
    seed = await deriveTestIpnsSeed("alice.eth");
    name = await ipfs.publishName(seed, await ipfs.addDirectory(recordTree()));
    // A trustless gateway that flips the last byte of every block it serves.
    lying = await serveFetch(async (request) => {
      const url = new URL(request.url);
      const answer = await fetch(`${endpoints.url}${url.pathname}${url.search}`);
      const bytes = new Uint8Array(await answer.arrayBuffer());
      if (url.pathname.startsWith("/ipfs/") && bytes.length > 0)
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
      return new Response(bytes, { status: answer.status, headers: answer.headers });
    });
    worker = await startWranglerDev(
      {},
      { config: "test/ipfs/publishEditsWorker/wrangler.toml", readyPath: "/" },
    );
  });
  after(async () => {
    await worker?.close();
    await lying?.close();
    await endpoints?.close();
    await ipfs?.stop();
    await temp?.remove();
  });

  const publishInWorker = (body: unknown) =>
    fetch(`${worker.url}/publish`, { method: "POST", body: JSON.stringify(body) });
  const target = (trustlessGatewayUrl: string) => ({
    kind: "remote",
    routingUrl: endpoints.url,
    pinUrl: endpoints.url,
    trustlessGatewayUrl,
  });

  it("publishes edits from workerd; the store serves them under the same name", async () => {
    const answer = await publishInWorker({
      ipnsKeySeed: seed,
      edits: [
        { path: AVATAR, content: '{"value":"from a worker"}' },
        { path: URL_FILE, content: null },
      ],
      target: target(endpoints.url),
    });
    const result = (await answer.json()) as { root: string; ipnsName: string; sequence: string };
    assert.equal(answer.status, 200, JSON.stringify(result));
    assert.equal(result.ipnsName, name);
    assert.equal(result.sequence, "2");
    const record = unmarshalIPNSRecord((await ipfs.getIpnsRecord(name)) as Uint8Array);
    assert.equal(record.sequence, 2n);
    assert.equal(record.value, `/ipfs/${result.root}`);
    assert.equal(
      new TextDecoder().decode((await ipfs.readFile(name, AVATAR)) as Uint8Array),
      '{"value":"from a worker"}',
    );
    assert.equal(await ipfs.readFile(name, URL_FILE), undefined);
  });

  it("refuses a tampered block in workerd with BlockMismatchError, publishing nothing", async () => {
    const root = await ipfs.resolveName(name);
    const answer = await publishInWorker({
      ipnsKeySeed: seed,
      edits: [{ path: AVATAR, content: '{"value":"never"}' }],
      target: target(lying.url),
    });
    assert.equal(answer.status, 422);
    assert.deepEqual(await answer.json(), {
      error: {
        name: "BlockMismatchError",
        message: `Block ${root} from ${lying.url}/ipfs/${root}?format=raw does not match its CID (tampered or corrupt); refused.`,
      },
    });
    assert.equal(unmarshalIPNSRecord((await ipfs.getIpnsRecord(name)) as Uint8Array).sequence, 2n);
  });
});
