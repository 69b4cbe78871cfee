import assert from "node:assert/strict";
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { CarBlockIterator } from "@ipld/car";
import { multihashToIPNSRoutingKey, unmarshalIPNSRecord } from "ipns";
import { ipnsValidator } from "ipns/validator";
import type { CID } from "multiformats/cid";
import type { MultihashDigest } from "multiformats/hashes/interface";
import { sha256 } from "multiformats/hashes/sha2";
import { parseIpnsName } from "../../ipfs/contentRoot.ts";
import { createEmbeddedIpfs, type EmbeddedIpfs } from "../../ipfs/embeddedIpfs.ts";
import {
  createPathGatewayHandler,
  IPNS_RECORD_CONTENT_TYPE,
  type PathGateway,
  RAW_BLOCK_CONTENT_TYPE,
  startPathGateway,
} from "../../ipfs/pathGateway.ts";
import { deriveTestIpnsSeed, makeTempDirectory, recordTree } from "./helpers.ts";

const AVATAR = ".well-known/eth/alice/text/avatar.json";

type RawResponse = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** A GET/HEAD over node:http, which (unlike fetch) lets the test set the Host header. */
function rawRequest(
  url: string,
  options: { host?: string; method?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers = options.host ? { host: options.host } : {};
    const req = httpRequest(url, { method: options.method ?? "GET", headers, agent: false });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

async function assertRawBlockVerifies(response: Response, cid: CID): Promise<Uint8Array> {
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), RAW_BLOCK_CONTENT_TYPE);
  const body = new Uint8Array(await response.arrayBuffer());
  const digest = await sha256.digest(body);
  assert.deepEqual(digest.bytes, cid.multihash.bytes);
  return body;
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

describe("path gateway over HTTP", () => {
  let temp: Awaited<ReturnType<typeof makeTempDirectory>>;
  let ipfs: EmbeddedIpfs;
  let gateway: PathGateway;
  let root: CID;
  let name: string;
  const files = recordTree();

  before(async () => {
    temp = await makeTempDirectory();
    ipfs = await createEmbeddedIpfs({ directory: temp.path });
    root = await ipfs.addDirectory(files);
    name = await ipfs.publishName(await deriveTestIpnsSeed(), root);
    gateway = await startPathGateway({ ipfs });
  });

  after(async () => {
    await gateway.close();
    await ipfs.stop();
    await temp.remove();
  });

  it("listens on a free port of 127.0.0.1", () => {
    assert.match(gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(gateway.port > 0);
  });

  it("serves /ipns/<name>/<path> and /ipfs/<cid>/<path> as JSON with CORS", async () => {
    for (const prefix of [`/ipns/${name}`, `/ipfs/${root}`]) {
      const response = await fetch(`${gateway.url}${prefix}/${AVATAR}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      assert.equal(response.headers.get("x-ipfs-path"), `${prefix}/${AVATAR}`);
      assert.equal(await response.text(), files[AVATAR]);
    }
  });

  it("ignores the query string (CCIP-Read substituted values)", async () => {
    const response = await fetch(
      `${gateway.url}/ipns/${name}/${AVATAR}?t=0x9061b923&sender=0x01&data=0xdeadbeef`,
    );
    assert.equal(response.status, 200);
    assert.equal(await response.text(), files[AVATAR]);
  });

  it("decodes percent-encoded paths", async () => {
    const response = await fetch(
      `${gateway.url}/ipns/${name}/.well-known/eth/alice/text/avatar%2Ejson`,
    );
    assert.equal(response.status, 200);
  });

  it("answers HEAD with the headers and no body", async () => {
    const response = await rawRequest(`${gateway.url}/ipns/${name}/${AVATAR}`, { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(
      response.headers["content-length"],
      String(Buffer.byteLength(files[AVATAR] as string)),
    );
    assert.equal(response.headers["content-type"], "application/json");
    assert.equal(response.body.length, 0);
  });

  it("serves subdomain style from the Host header", async () => {
    const url = `${gateway.url}/${AVATAR}?t=1`;
    for (const host of [
      `${name}.ipns.localhost:${gateway.port}`,
      `${root}.ipfs.localhost:${gateway.port}`,
    ]) {
      const response = await rawRequest(url, { host });
      assert.equal(response.status, 200, host);
      assert.equal(response.headers["content-type"], "application/json");
      assert.equal(response.headers["access-control-allow-origin"], "*");
      assert.equal(response.body.toString(), files[AVATAR]);
    }
    const missing = await rawRequest(`${gateway.url}/nope.json`, {
      host: `${name}.ipns.localhost`,
    });
    assert.equal(missing.status, 404);
    const bad = await rawRequest(url, { host: `garbage.ipns.localhost:${gateway.port}` });
    assert.equal(bad.status, 400);
  });

  it("answers 404 for missing files, directories and unpublished names", async () => {
    const cases = [
      `/ipns/${name}/.well-known/eth/alice/text/missing.json`,
      `/ipfs/${root}/nope/nope.json`,
      `/ipns/${name}/.well-known/eth`,
      `/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8/${AVATAR}`,
      `/ipfs/bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy`,
      "/",
      "/favicon.ico",
    ];
    for (const path of cases) {
      const response = await fetch(`${gateway.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(response.headers.get("access-control-allow-origin"), "*");
      await response.arrayBuffer();
    }
  });

  it("format=car: the blocks from the root to the file, each matching its CID", async () => {
    const response = await fetch(`${gateway.url}/ipfs/${root}/${AVATAR}?format=car`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/vnd.ipld.car; version=1");
    const blocks = await CarBlockIterator.fromBytes(new Uint8Array(await response.arrayBuffer()));
    assert.deepEqual((await blocks.getRoots()).map(String), [root.toString()]);
    const cids: string[] = [];
    for await (const block of blocks) {
      const digest = await sha256.digest(block.bytes);
      assert.deepEqual(digest.bytes, block.cid.multihash.bytes, `${block.cid}`);
      cids.push(block.cid.toString());
    }
    // root, .well-known, eth, alice, text, then the file itself.
    const expected = [
      root,
      ...(await Promise.all(
        [
          ".well-known",
          ".well-known/eth",
          ".well-known/eth/alice",
          ".well-known/eth/alice/text",
          AVATAR,
        ].map((path) => ipfs.resolvePath(root, path)),
      )),
    ].map(String);
    assert.deepEqual(cids, expected);
  });

  it("answers 400 for a bad name, CID, path or format", async () => {
    const cases = [
      `/ipns/not-a-name/${AVATAR}`,
      `/ipns/${root}/${AVATAR}`,
      `/ipfs/zzzz/${AVATAR}`,
      `/ipfs/${root}/a/%E0%A4%A/b`,
      `/ipfs/${root}/a/..%2Fb`,
      `/ipfs/${root}?format=tar`,
      `/ipns/${name}/${AVATAR}?format=car`,
      `/ipfs/${root}/${AVATAR}?format=raw`,
      `/routing/v1/ipns/not-a-name`,
    ];
    for (const path of cases) {
      const response = await fetch(`${gateway.url}${path}`);
      assert.equal(response.status, 400, path);
      await response.arrayBuffer();
    }
  });

  it("handles CORS preflight and rejects other methods", async () => {
    const preflight = await fetch(`${gateway.url}/ipns/${name}/${AVATAR}`, { method: "OPTIONS" });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    const post = await fetch(`${gateway.url}/ipns/${name}/${AVATAR}`, {
      method: "POST",
      body: "x",
    });
    assert.equal(post.status, 405);
    await post.arrayBuffer();
  });

  it("serves the IPNS record on /routing/v1/ipns/<name>, and it validates", async () => {
    const response = await fetch(`${gateway.url}/routing/v1/ipns/${name}`, {
      headers: { accept: IPNS_RECORD_CONTENT_TYPE },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), IPNS_RECORD_CONTENT_TYPE);
    const bytes = new Uint8Array(await response.arrayBuffer());
    const digest = parseIpnsName(name).multihash as MultihashDigest<0x00>;
    await ipnsValidator(multihashToIPNSRoutingKey(digest), bytes);
    assert.equal(unmarshalIPNSRecord(bytes).value, `/ipfs/${root}`);

    const viaFormat = await fetch(`${gateway.url}/ipns/${name}?format=ipns-record`);
    assert.deepEqual(new Uint8Array(await viaFormat.arrayBuffer()), bytes);
    const viaAccept = await fetch(`${gateway.url}/ipns/${name}`, {
      headers: { accept: IPNS_RECORD_CONTENT_TYPE },
    });
    assert.deepEqual(new Uint8Array(await viaAccept.arrayBuffer()), bytes);

    const unknown = await fetch(
      `${gateway.url}/routing/v1/ipns/k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8`,
    );
    assert.equal(unknown.status, 404);
    await unknown.arrayBuffer();
  });

  it("serves raw blocks that hash to their CID, down to the file leaf", async () => {
    await assertRawBlockVerifies(await fetch(`${gateway.url}/ipfs/${root}?format=raw`), root);
    const leaf = await ipfs.resolvePath(root, AVATAR);
    assert.ok(leaf);
    const viaAccept = await fetch(`${gateway.url}/ipfs/${leaf}`, {
      headers: { accept: RAW_BLOCK_CONTENT_TYPE },
    });
    const body = await assertRawBlockVerifies(viaAccept, leaf);
    assert.equal(new TextDecoder().decode(body), files[AVATAR]);
  });

  it("the fetch handler works without a server", async () => {
    const handler = createPathGatewayHandler(ipfs);
    const response = await handler(new Request(`http://${name}.ipns.localhost/${AVATAR}`));
    assert.equal(response.status, 200);
    assert.equal(await response.text(), files[AVATAR]);
  });
});

describe("path gateway lifecycle", () => {
  it("picks distinct free ports and close() frees the port", async () => {
    const temp = await makeTempDirectory();
    const ipfs = await createEmbeddedIpfs({ directory: temp.path });
    try {
      const root = await ipfs.addDirectory({ "a.json": "{}" });
      const one = await startPathGateway({ ipfs });
      const two = await startPathGateway({ ipfs });
      assert.notEqual(one.port, two.port);
      // A keep-alive connection must not hold close() up.
      const response = await fetch(`${one.url}/ipfs/${root}/a.json`);
      assert.equal(await response.text(), "{}");
      await one.close();
      await two.close();
      await assert.rejects(fetch(`${one.url}/ipfs/${root}/a.json`));
      assert.equal(await canListen(one.port), true);
      assert.equal(await canListen(two.port), true);
    } finally {
      await ipfs.stop();
      await temp.remove();
    }
  });
});
