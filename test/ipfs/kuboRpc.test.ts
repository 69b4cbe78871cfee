// Request-shape checks only, against a tiny 127.0.0.1 stand-in: NOT a real Kubo. No Kubo binary can
// be installed here; test/cli/kubo.test.ts runs the CLI against a real Kubo-RPC server (the js-ipfs
// daemon). The "js-ipfs fallbacks" below pin down the retries that make that work without changing
// what Kubo is sent.
import assert from "node:assert/strict";
import { createDecipheriv, pbkdf2Sync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { KuboRpcError } from "../../ipfs/errors.ts";
import {
  createKuboIpfs,
  toAddEntries,
  toGoDuration,
  toJsIpfsKeyExport,
} from "../../ipfs/kuboRpc.ts";
import { deriveIpnsName, ipnsPrivateKeyFromSeed } from "../../lib/index.ts";
import { deriveTestIpnsSeed } from "./helpers.ts";

const ROOT = "bafybeicbdw4iik7ow5m4f6skvlbi3id37ofq5m4xpu7cnvdgbrol2k2aea";
const LEAF = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";

type Recorded = {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
};

type Reply = { status?: number; json?: unknown; ndjson?: unknown[]; bytes?: Uint8Array };

/** A stand-in that records every request and answers from a per-endpoint table. */
class KuboStandIn {
  readonly requests: Recorded[] = [];
  replies: Record<string, (request: Recorded) => Reply> = {};
  #server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const recorded: Recorded = {
          method: req.method ?? "",
          path: url.pathname,
          query: url.searchParams,
          contentType: req.headers["content-type"] ?? "",
          body: Buffer.concat(chunks),
        };
        this.requests.push(recorded);
        const endpoint = url.pathname.replace(/^\/api\/v0\//, "");
        const reply = this.replies[endpoint]?.(recorded) ?? {
          status: 404,
          json: { Message: `unknown command ${endpoint}`, Code: 0, Type: "error" },
        };
        res.statusCode = reply.status ?? 200;
        if (reply.bytes) {
          res.setHeader("Content-Type", "text/plain");
          res.end(reply.bytes);
        } else if (reply.ndjson) {
          res.setHeader("Content-Type", "application/json");
          res.end(reply.ndjson.map((line) => `${JSON.stringify(line)}\n`).join(""));
        } else {
          res.setHeader("Content-Type", "application/json");
          res.end(JSON.stringify(reply.json ?? {}));
        }
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server?.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server?.close(() => resolve());
      this.#server?.closeAllConnections();
    });
  }

  only(endpoint: string): Recorded[] {
    return this.requests.filter((request) => request.path === `/api/v0/${endpoint}`);
  }
}

/** Parses a recorded multipart body with the platform's FormData parser. */
async function formDataOf(request: Recorded): Promise<FormData> {
  return new Response(new Uint8Array(request.body), {
    headers: { "content-type": request.contentType },
  }).formData();
}

describe("Kubo RPC (request shapes against a stand-in)", () => {
  const kubo = new KuboStandIn();
  let seed: `0x${string}`;
  let name: string;

  before(async () => {
    await kubo.start();
    seed = await deriveTestIpnsSeed();
    name = await deriveIpnsName(seed);
  });
  after(() => kubo.stop());
  beforeEach(() => {
    kubo.requests.length = 0;
    kubo.replies = {
      "key/list": () => ({
        json: {
          Keys: [
            { Name: "self", Id: "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8" },
          ],
        },
      }),
      "key/import": (request) => ({ json: { Id: name, Name: request.query.get("arg") } }),
      "name/publish": (request) => ({ json: { Name: name, Value: request.query.get("arg") } }),
    };
  });

  it("imports the key as a multipart field named `key` holding the libp2p protobuf bytes", async () => {
    const ipfs = createKuboIpfs({ url: kubo.url });
    const result = await ipfs.importKey(seed);
    assert.deepEqual(result, { keyName: `ensgate-${name}`, name });
    const [request] = kubo.only("key/import");
    assert.ok(request);
    assert.equal(request.method, "POST");
    assert.equal(request.query.get("arg"), `ensgate-${name}`);
    assert.equal(request.query.get("format"), "libp2p-protobuf-cleartext");
    assert.equal(request.query.get("ipns-base"), "base36");
    assert.match(request.contentType, /^multipart\/form-data; boundary=/);
    const form = await formDataOf(request);
    const fields: string[] = [];
    form.forEach((_value, field) => {
      fields.push(field);
    });
    assert.deepEqual(fields, ["key"]);
    const file = form.get("key");
    assert.ok(file instanceof Blob);
    const expected = privateKeyToProtobuf(await ipnsPrivateKeyFromSeed(seed));
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), expected);
    // Not the query-string `pem`/`password` form that kubo-rpc-client's key.import sends.
    assert.equal(request.query.get("pem"), null);
  });

  it("skips the import when Kubo already holds that key, and rejects a clashing one", async () => {
    kubo.replies["key/list"] = () => ({ json: { Keys: [{ Name: `ensgate-${name}`, Id: name }] } });
    const ipfs = createKuboIpfs({ url: kubo.url });
    await ipfs.importKey(seed);
    assert.equal(kubo.only("key/import").length, 0);
    kubo.replies["key/list"] = () => ({
      json: {
        Keys: [
          { Name: "mine", Id: "k51qzi5uqu5dlvj2baxnqndepeb86cbk3ng7n3i46uzyxzyqj2xjonzllnv0v8" },
        ],
      },
    });
    await assert.rejects(ipfs.importKey(seed, "mine"), KuboRpcError);
  });

  it("reports Kubo's error message on a failed import", async () => {
    kubo.replies["key/import"] = () => ({
      status: 500,
      json: { Message: "key with name 'x' already exists", Code: 0, Type: "error" },
    });
    const ipfs = createKuboIpfs({ url: kubo.url });
    await assert.rejects(ipfs.importKey(seed), (error: unknown) => {
      assert.ok(error instanceof KuboRpcError);
      assert.equal(error.status, 500);
      assert.match(error.message, /already exists/);
      return true;
    });
  });

  it("publishes /ipfs/<cid> with the imported key, lifetime and ttl as Go durations", async () => {
    const ipfs = createKuboIpfs({ url: `${kubo.url}/` });
    const published = await ipfs.publishName(seed, ROOT, {
      lifetimeMs: 172_800_000,
      ttlMs: 60_000,
    });
    assert.equal(published, name);
    const [request] = kubo.only("name/publish");
    assert.ok(request);
    assert.equal(request.query.get("arg"), `/ipfs/${ROOT}`);
    assert.equal(request.query.get("key"), `ensgate-${name}`);
    assert.equal(request.query.get("lifetime"), "172800000ms");
    assert.equal(request.query.get("ttl"), "60000ms");
    assert.equal(request.query.get("allow-offline"), "true");
    assert.equal(request.query.get("resolve"), "false");
    // key/list, key/import, then name/publish.
    assert.deepEqual(
      kubo.requests.map((r) => r.path),
      ["/api/v0/key/list", "/api/v0/key/import", "/api/v0/name/publish"],
    );
  });

  it("adds files wrapped in a directory as CIDv1 raw leaves, directories declared first", async () => {
    kubo.replies.add = () => ({
      ndjson: [
        { Name: "a/b/c.json", Hash: LEAF, Size: "2" },
        { Name: "a/b", Hash: ROOT, Size: "60" },
        { Name: "", Hash: ROOT, Size: "120" },
      ],
    });
    const ipfs = createKuboIpfs({ url: kubo.url });
    const root = await ipfs.addDirectory({
      "a/b/c.json": "{}",
      "a/z.json": new Uint8Array([1]),
      "top.json": "1",
    });
    assert.equal(root.toString(), ROOT);
    const [request] = kubo.only("add");
    assert.ok(request);
    assert.equal(request.query.get("wrap-with-directory"), "true");
    assert.equal(request.query.get("cid-version"), "1");
    assert.equal(request.query.get("raw-leaves"), "true");
    const body = request.body.toString("latin1");
    const filenames = [...body.matchAll(/filename="([^"]*)"/g)].map((m) =>
      decodeURIComponent(m[1] as string),
    );
    assert.deepEqual(filenames, ["a", "a/b", "a/b/c.json", "a/z.json", "top.json"]);
    assert.match(body, /name="dir"; filename="a"\r\nContent-Type: application\/x-directory/);
  });

  it("orders add entries so every directory's files are contiguous", () => {
    const entries = toAddEntries({
      "b/x.json": "1",
      "a.json": "2",
      "b/a/y.json": "3",
      "b.json": "4",
    });
    assert.deepEqual(
      entries.map((entry) => `${entry.path}${entry.content ? "" : "/"}`),
      ["a.json", "b/", "b/a/", "b/a/y.json", "b/x.json", "b.json"],
    );
  });

  it("cats /ipns/<name>/<path>, and maps Kubo's `no link named` to undefined", async () => {
    kubo.replies.cat = (request) =>
      request.query.get("arg")?.endsWith("/missing.json")
        ? {
            status: 500,
            json: { Message: `no link named "missing.json" under ${ROOT}`, Code: 0, Type: "error" },
          }
        : { bytes: new TextEncoder().encode('{"value":1}') };
    const ipfs = createKuboIpfs({ url: kubo.url });
    const bytes = await ipfs.readFile(name, ".well-known/eth/alice/text/avatar.json");
    assert.equal(new TextDecoder().decode(bytes), '{"value":1}');
    assert.equal(
      kubo.only("cat")[0]?.query.get("arg"),
      `/ipns/${name}/.well-known/eth/alice/text/avatar.json`,
    );
    assert.equal(await ipfs.readFile(ROOT, "missing.json"), undefined);
    kubo.replies.cat = () => ({ status: 500, json: { Message: "context deadline exceeded" } });
    await assert.rejects(ipfs.readFile(ROOT, "x.json"), KuboRpcError);
  });

  it("resolves a name recursively", async () => {
    kubo.replies["name/resolve"] = () => ({ ndjson: [{ Path: `/ipfs/${ROOT}` }] });
    const ipfs = createKuboIpfs({ url: kubo.url });
    assert.equal((await ipfs.resolveName(name)).toString(), ROOT);
    const [request] = kubo.only("name/resolve");
    assert.equal(request?.query.get("arg"), name);
    assert.equal(request?.query.get("recursive"), "true");
  });

  it("updates through MFS: cp the root, write/rm only the changes, stat, clean up", async () => {
    // Kubo answers these with an empty body (kubo-rpc-client treats any body as an error).
    kubo.replies["files/cp"] = () => ({ bytes: new Uint8Array() });
    kubo.replies["files/write"] = () => ({ bytes: new Uint8Array() });
    kubo.replies["files/rm"] = () => ({ bytes: new Uint8Array() });
    kubo.replies["files/stat"] = () => ({
      json: { Hash: LEAF, Size: 0, CumulativeSize: 10, Type: "directory", Blocks: 1 },
    });
    const ipfs = createKuboIpfs({ url: kubo.url });
    const updated = await ipfs.updateDirectory(ROOT, { "a/b.json": "new", "gone.json": null });
    assert.equal(updated.toString(), LEAF);
    const [cp] = kubo.only("files/cp");
    const scratch = cp?.query.getAll("arg")[1] as string;
    assert.deepEqual(cp?.query.getAll("arg"), [`/ipfs/${ROOT}`, scratch]);
    const [write] = kubo.only("files/write");
    assert.equal(write?.query.get("arg"), `${scratch}/a/b.json`);
    assert.equal(write?.query.get("parents"), "true");
    assert.equal(write?.query.get("create"), "true");
    assert.equal(write?.query.get("truncate"), "true");
    assert.equal(write?.query.get("raw-leaves"), "true");
    assert.match(write?.body.toString() ?? "", /new/);
    const removed = kubo.only("files/rm").map((r) => r.query.get("arg"));
    assert.deepEqual(removed, [`${scratch}/gone.json`, scratch]);
  });

  it("formats Go durations and wraps connection failures", async () => {
    assert.equal(toGoDuration(1500), "1500ms");
    assert.throws(() => toGoDuration(0), KuboRpcError);
    const closed = createKuboIpfs({ url: "http://127.0.0.1:9", timeoutMs: 2_000 });
    await assert.rejects(closed.importKey(seed), KuboRpcError);
  });
});

/** Decrypts js-ipfs's key/import `pem` (the inverse of `toJsIpfsKeyExport`). */
function decryptJsIpfsKey(pem: string, password: string): Uint8Array {
  assert.ok(pem.startsWith("m"), "multibase base64");
  const sealed = Buffer.from(pem.slice(1), "base64");
  const key = pbkdf2Sync(password, sealed.subarray(0, 16), 32767, 16, "sha256");
  const decipher = createDecipheriv("aes-128-gcm", key, sealed.subarray(16, 28));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return new Uint8Array(
    Buffer.concat([decipher.update(sealed.subarray(28, sealed.length - 16)), decipher.final()]),
  );
}

describe("Kubo RPC: js-ipfs fallbacks (stand-in answering as js-ipfs does)", () => {
  const kubo = new KuboStandIn();
  let seed: `0x${string}`;
  let name: string;
  const empty = () => ({ bytes: new Uint8Array() });

  before(async () => {
    await kubo.start();
    seed = await deriveTestIpnsSeed();
    name = await deriveIpnsName(seed);
  });
  after(() => kubo.stop());
  beforeEach(() => {
    kubo.requests.length = 0;
    kubo.replies = {};
  });

  it("key/import: after a 415 to the multipart form, sends the encrypted key as `pem`", async () => {
    kubo.replies["key/list"] = () => ({ json: { Keys: [] } });
    // js-ipfs answers with the base58 peer ID of the key.
    const peerId = peerIdFromPrivateKey(await ipnsPrivateKeyFromSeed(seed)).toString();
    kubo.replies["key/import"] = (request) =>
      request.contentType.startsWith("multipart/")
        ? { status: 415, json: { Message: "Unsupported Media Type", Code: 0, Type: "error" } }
        : { json: { Id: peerId, Name: request.query.get("arg") } };
    const ipfs = createKuboIpfs({ url: kubo.url });
    assert.deepEqual(await ipfs.importKey(seed), { keyName: `ensgate-${name}`, name });
    const [kuboForm, jsIpfsForm] = kubo.only("key/import");
    assert.match(kuboForm?.contentType ?? "", /^multipart\/form-data/);
    assert.ok(jsIpfsForm);
    assert.equal(jsIpfsForm.query.get("arg"), `ensgate-${name}`);
    const password = jsIpfsForm.query.get("password") as string;
    assert.match(password, /^[0-9a-f]{32}$/);
    assert.deepEqual(
      decryptJsIpfsKey(jsIpfsForm.query.get("pem") as string, password),
      privateKeyToProtobuf(await ipnsPrivateKeyFromSeed(seed)),
    );
    // Two exports of one key differ (fresh salt and nonce).
    const protobuf = privateKeyToProtobuf(await ipnsPrivateKeyFromSeed(seed));
    assert.notEqual(toJsIpfsKeyExport(protobuf, "pw"), toJsIpfsKeyExport(protobuf, "pw"));
  });

  it("key/import: any other failure is reported without a second request", async () => {
    kubo.replies["key/list"] = () => ({ json: { Keys: [] } });
    kubo.replies["key/import"] = () => ({ status: 500, json: { Message: "boom" } });
    const ipfs = createKuboIpfs({ url: kubo.url });
    await assert.rejects(ipfs.importKey(seed), /boom/);
    assert.equal(kubo.only("key/import").length, 1);
  });

  it("files/write: `not a file` (a raw-block file) is removed, then written again", async () => {
    let writes = 0;
    kubo.replies["files/cp"] = empty;
    kubo.replies["files/rm"] = empty;
    kubo.replies["files/write"] = () =>
      writes++ === 0 ? { status: 500, json: { Message: "not a file", Code: 0 } } : empty();
    kubo.replies["files/stat"] = () => ({
      json: { Hash: LEAF, Size: 0, CumulativeSize: 10, Type: "directory", Blocks: 1 },
    });
    const ipfs = createKuboIpfs({ url: kubo.url });
    assert.equal((await ipfs.updateDirectory(ROOT, { "a/b.json": "new" })).toString(), LEAF);
    const scratch = kubo.only("files/cp")[0]?.query.getAll("arg")[1] as string;
    assert.deepEqual(
      kubo.requests.map((r) => `${r.path.replace("/api/v0/", "")} ${r.query.get("arg")}`),
      [
        `files/cp /ipfs/${ROOT}`,
        `files/write ${scratch}/a/b.json`,
        `files/rm ${scratch}/a/b.json`,
        `files/write ${scratch}/a/b.json`,
        `files/stat ${scratch}`,
        `files/rm ${scratch}`,
      ],
    );
  });

  it("name/resolve: a DNSLink failure on the k51 name is retried with the peer ID", async () => {
    kubo.replies["name/resolve"] = (request) =>
      request.query.get("arg")?.startsWith("k51")
        ? { status: 500, json: { Message: `queryTxt ENOTFOUND _dnslink.${name}`, Code: 0 } }
        : { ndjson: [{ Path: `/ipfs/${ROOT}` }] };
    const ipfs = createKuboIpfs({ url: kubo.url });
    assert.equal((await ipfs.resolveName(name)).toString(), ROOT);
    const args = kubo.only("name/resolve").map((r) => r.query.get("arg"));
    assert.equal(args[0], name);
    assert.match(args[1] as string, /^12D3KooW/);
    assert.equal(args[1], peerIdFromPrivateKey(await ipnsPrivateKeyFromSeed(seed)).toString());
  });

  it("cat: an /ipns/ path rejected as invalid input is resolved first, then read by CID", async () => {
    kubo.replies.cat = (request) =>
      request.query.get("arg")?.startsWith("/ipns/")
        ? { status: 400, json: { Message: "Invalid request query input", Code: 1 } }
        : request.query.get("arg")?.endsWith("/missing.json")
          ? { status: 500, json: { Message: "file does not exist", Code: 0 } }
          : { bytes: new TextEncoder().encode("ok") };
    kubo.replies["name/resolve"] = () => ({ ndjson: [{ Path: `/ipfs/${ROOT}` }] });
    const ipfs = createKuboIpfs({ url: kubo.url });
    assert.equal(new TextDecoder().decode(await ipfs.readFile(name, "a/b.json")), "ok");
    assert.equal(await ipfs.readFile(name, "missing.json"), undefined);
    assert.deepEqual(
      kubo.only("cat").map((r) => r.query.get("arg")),
      [
        `/ipns/${name}/a/b.json`,
        `/ipfs/${ROOT}/a/b.json`,
        `/ipns/${name}/missing.json`,
        `/ipfs/${ROOT}/missing.json`,
      ],
    );
  });
});
