import { createCipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { privateKeyToProtobuf } from "@libp2p/crypto/keys";
import { create, type KuboRPCClient } from "kubo-rpc-client";
import { base58btc } from "multiformats/bases/base58";
import type { CID } from "multiformats/cid";
import type { Hex } from "viem";
import { deriveIpnsName, ipnsPrivateKeyFromSeed } from "../lib/index.ts";
import { concatBytes } from "./bytes.ts";
import {
  formatIpnsName,
  parseCid,
  parseContentRoot,
  parseIpnsName,
  splitIpfsPath,
} from "./contentRoot.ts";
import type { DirectoryChanges, DirectoryFiles, PublishNameOptions } from "./embeddedIpfs.ts";
import { isKuboFileMissing, KuboRpcError } from "./errors.ts";

/** Options of `createKuboIpfs`. */
export type KuboIpfsOptions = {
  /** The RPC endpoint, e.g. `http://127.0.0.1:5001` (the `/api/v0` prefix is added). */
  url: string | URL;
  /** Per-request timeout; default 60 s. */
  timeoutMs?: number;
};

/** Options of a Kubo IPNS publish. */
export type KuboPublishOptions = PublishNameOptions & {
  /** Name of the key in Kubo's keystore; default `ensgate-<k51 name>`. */
  keyName?: string;
};

/** Publishing and reading through a Kubo daemon's RPC API (`/api/v0`). */
export type KuboIpfs = {
  /** The underlying kubo-rpc-client. */
  readonly client: KuboRPCClient;
  /** Adds the files wrapped in one directory (CIDv1, raw leaves, pinned); returns the root CID. */
  addDirectory(files: DirectoryFiles): Promise<CID>;
  /** Writes or deletes files in an existing tree through MFS, sending only the changed bytes. */
  updateDirectory(root: string | CID, changes: DirectoryChanges): Promise<CID>;
  /** Imports the ed25519 IPNS key of `seedHex` into Kubo's keystore (no-op if already there). */
  importKey(seedHex: Hex, keyName?: string): Promise<{ keyName: string; name: string }>;
  /** Publishes `/ipfs/<cid>` under the key of `seedHex` (imported first); returns the `k51…` name. */
  publishName(seedHex: Hex, cid: string | CID, options?: KuboPublishOptions): Promise<string>;
  /** The CID an IPNS name points to (recursive). */
  resolveName(name: string): Promise<CID>;
  /** The bytes at `path` under a CID or IPNS name; `undefined` when Kubo reports no such link. */
  readFile(cidOrName: string | CID, path: string): Promise<Uint8Array | undefined>;
};

const DEFAULT_TIMEOUT_MS = 60_000;
const textEncoder = new TextEncoder();

/** The `/api/v0` base URL of a Kubo endpoint. */
function apiBase(url: string | URL): URL {
  const base = new URL(url);
  if (!base.pathname.endsWith("/api/v0"))
    base.pathname = `${base.pathname.replace(/\/+$/, "")}/api/v0`;
  return base;
}

function kuboError(call: string, error: unknown): KuboRpcError {
  if (error instanceof KuboRpcError) return error;
  const status = (error as { response?: { status?: number } })?.response?.status;
  const reason = error instanceof Error ? error.message : String(error);
  return new KuboRpcError(call, reason, { status, cause: error });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : "";
}

// Errors by which js-ipfs (tested as an independent Kubo-RPC server) departs from Kubo; each one
// triggers a second, js-ipfs-compatible request, so nothing changes for Kubo. See docs/ipfs.md.
/** `files/write` over a file that is one raw block. */
const JS_IPFS_NOT_A_FILE = /^not a file$/i;
/** `name/resolve` of a k51 name, which js-ipfs looks up as a DNSLink domain. */
const JS_IPFS_DNSLINK = /_dnslink\./i;
/** `cat` of an `/ipns/` path, which js-ipfs's argument validation rejects. */
const JS_IPFS_BAD_QUERY = /^Invalid request query input$/i;

/** The base58btc peer ID (`12D3KooW…`) spelling of an IPNS name. */
function toPeerIdString(name: CID): string {
  return base58btc.encode(name.multihash.bytes).slice(1);
}

/** Formats milliseconds as a Go duration (`time.ParseDuration`), which Kubo expects. */
export function toGoDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0)
    throw new KuboRpcError("name/publish", `invalid duration ${ms} ms`);
  return `${ms}ms`;
}

/**
 * The entries of a Kubo `add` request: sorted so each directory's files are contiguous, with an
 * explicit entry before each directory's content (Kubo's multipart reader walks them in order).
 */
export function toAddEntries(files: DirectoryFiles): { path: string; content?: Uint8Array }[] {
  const sorted = Object.entries(files)
    .map(([path, content]) => ({
      segments: splitIpfsPath(path),
      content: typeof content === "string" ? textEncoder.encode(content) : content,
    }))
    .sort((a, b) => compareSegments(a.segments, b.segments));
  const entries: { path: string; content?: Uint8Array }[] = [];
  const directories = new Set<string>();
  for (const { segments, content } of sorted) {
    for (let depth = 1; depth < segments.length; depth++) {
      const directory = segments.slice(0, depth).join("/");
      if (!directories.has(directory)) {
        directories.add(directory);
        entries.push({ path: directory });
      }
    }
    entries.push({ path: segments.join("/"), content });
  }
  return entries;
}

function compareSegments(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** Sends one key/import request and parses its `{ Id, Name }` answer. */
async function sendKeyImport(
  url: URL,
  init: RequestInit,
  timeoutMs: number,
): Promise<
  { ok: true; key: { Id: string; Name: string } } | { ok: false; status: number; message: string }
> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      ...init,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new KuboRpcError("key/import", error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const text = await response.text();
  if (response.ok) return { ok: true, key: JSON.parse(text) as { Id: string; Name: string } };
  let message = text.trim();
  try {
    message = (JSON.parse(text) as { Message?: string }).Message ?? message;
  } catch {}
  return { ok: false, status: response.status, message: message || response.statusText };
}

/**
 * The key in js-ipfs's key/import format: libp2p's "exported" private key, i.e. multibase base64
 * (`m…`) of salt(16) ‖ nonce(12) ‖ AES-128-GCM(protobuf) ‖ tag(16), the AES key being
 * PBKDF2-SHA256(password, salt, 32767 iterations, 16 bytes) (`@libp2p/crypto` 1.x exporter).
 */
export function toJsIpfsKeyExport(protobuf: Uint8Array, password: string): string {
  const salt = randomBytes(16);
  const nonce = randomBytes(12);
  const key = pbkdf2Sync(password, salt, 32767, 16, "sha256");
  const cipher = createCipheriv("aes-128-gcm", key, nonce);
  const sealed = Buffer.concat([
    salt,
    nonce,
    cipher.update(protobuf),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return `m${sealed.toString("base64").replace(/=+$/, "")}`;
}

/**
 * Imports a libp2p protobuf private key. Kubo takes it as the multipart file field `key`
 * (`format=libp2p-protobuf-cleartext`). js-ipfs (an independent Kubo-RPC server, used by the
 * integration test) answers that form with 415 and instead takes the key password-encrypted in the
 * query (`pem`, `password`); that form is sent only after a 415, so Kubo never sees it.
 */
async function postKeyImport(
  base: URL,
  keyName: string,
  protobuf: Uint8Array,
  timeoutMs: number,
): Promise<{ Id: string; Name: string }> {
  const endpoint = `${base.href.replace(/\/+$/, "")}/key/import`;
  const url = new URL(endpoint);
  url.searchParams.set("arg", keyName);
  url.searchParams.set("format", "libp2p-protobuf-cleartext");
  url.searchParams.set("ipns-base", "base36");
  const form = new FormData();
  form.append(
    "key",
    new Blob([protobuf as Uint8Array<ArrayBuffer>], { type: "application/octet-stream" }),
    "key",
  );
  let result = await sendKeyImport(url, { body: form }, timeoutMs);
  if (!result.ok && result.status === 415) {
    const password = randomBytes(16).toString("hex");
    const jsIpfsUrl = new URL(endpoint);
    jsIpfsUrl.searchParams.set("arg", keyName);
    jsIpfsUrl.searchParams.set("pem", toJsIpfsKeyExport(protobuf, password));
    jsIpfsUrl.searchParams.set("password", password);
    result = await sendKeyImport(jsIpfsUrl, {}, timeoutMs);
  }
  if (!result.ok) throw new KuboRpcError("key/import", result.message, { status: result.status });
  return result.key;
}

class KuboIpfsClient implements KuboIpfs {
  readonly client: KuboRPCClient;
  readonly #base: URL;
  readonly #timeoutMs: number;

  constructor(options: KuboIpfsOptions) {
    this.#base = apiBase(options.url);
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = create({ url: this.#base, timeout: this.#timeoutMs });
  }

  async addDirectory(files: DirectoryFiles): Promise<CID> {
    try {
      let root: CID | undefined;
      const entries = toAddEntries(files);
      const options = {
        wrapWithDirectory: true,
        cidVersion: 1 as const,
        rawLeaves: true,
        pin: true,
      };
      for await (const entry of this.client.addAll(entries, options)) {
        if (entry.path === "") root = entry.cid;
      }
      if (root === undefined) throw new KuboRpcError("add", "no wrapping directory in the answer");
      return root;
    } catch (error) {
      throw kuboError("add", error);
    }
  }

  async updateDirectory(root: string | CID, changes: DirectoryChanges): Promise<CID> {
    const rootCid = this.#toCid(root);
    const scratch = `/ensgate-update-${crypto.randomUUID()}`;
    try {
      await this.client.files.cp(`/ipfs/${rootCid}`, scratch);
      for (const [path, content] of Object.entries(changes)) {
        const target = `${scratch}/${splitIpfsPath(path).join("/")}`;
        if (content === null) {
          await this.client.files.rm(target).catch((error: unknown) => {
            if (!isKuboFileMissing(error)) throw error;
          });
        } else {
          const bytes = typeof content === "string" ? textEncoder.encode(content) : content;
          const write = () =>
            this.client.files.write(target, bytes, {
              create: true,
              parents: true,
              truncate: true,
              cidVersion: 1,
              rawLeaves: true,
            });
          await write().catch(async (error: unknown) => {
            // js-ipfs cannot overwrite a file that is a single raw block ("not a file"), which
            // every small file added with raw leaves is; Kubo can. Remove it, then write anew.
            if (!JS_IPFS_NOT_A_FILE.test(errorMessage(error))) throw error;
            await this.client.files.rm(target);
            await write();
          });
        }
      }
      return (await this.client.files.stat(scratch)).cid;
    } catch (error) {
      throw kuboError("files (update)", error);
    } finally {
      await this.client.files.rm(scratch, { recursive: true }).catch(() => {});
    }
  }

  async importKey(seedHex: Hex, keyName?: string): Promise<{ keyName: string; name: string }> {
    const name = await deriveIpnsName(seedHex);
    const wanted = keyName ?? `ensgate-${name}`;
    let existing: { id: string; name: string }[];
    try {
      existing = await this.client.key.list();
    } catch (error) {
      throw kuboError("key/list", error);
    }
    const same = existing.find((key) => key.name === wanted);
    if (same) {
      if (formatIpnsName(parseIpnsName(same.id)) !== name) {
        throw new KuboRpcError(
          "key/import",
          `Kubo already holds a different key named "${wanted}"`,
        );
      }
      return { keyName: wanted, name };
    }
    const protobuf = privateKeyToProtobuf(await ipnsPrivateKeyFromSeed(seedHex));
    const imported = await postKeyImport(this.#base, wanted, protobuf, this.#timeoutMs);
    if (formatIpnsName(parseIpnsName(imported.Id)) !== name) {
      throw new KuboRpcError("key/import", `Kubo derived ${imported.Id}, expected ${name}`);
    }
    return { keyName: wanted, name };
  }

  async publishName(
    seedHex: Hex,
    cid: string | CID,
    options: KuboPublishOptions = {},
  ): Promise<string> {
    const value = this.#toCid(cid);
    const { keyName, name } = await this.importKey(seedHex, options.keyName);
    try {
      const result = await this.client.name.publish(`/ipfs/${value}`, {
        key: keyName,
        resolve: false,
        allowOffline: true,
        ...(options.lifetimeMs !== undefined && { lifetime: toGoDuration(options.lifetimeMs) }),
        ...(options.ttlMs !== undefined && { ttl: toGoDuration(options.ttlMs) }),
        ...({ "ipns-base": "base36" } as Record<string, string>),
      });
      const published = formatIpnsName(parseIpnsName(result.name.replace(/^\/ipns\//, "")));
      if (published !== name)
        throw new KuboRpcError("name/publish", `published ${published}, expected ${name}`);
      return name;
    } catch (error) {
      throw kuboError("name/publish", error);
    }
  }

  async resolveName(name: string): Promise<CID> {
    const cid = parseIpnsName(name);
    const key = formatIpnsName(cid);
    const resolve = async (arg: string) => {
      let last: string | undefined;
      for await (const path of this.client.name.resolve(arg, { recursive: true })) last = path;
      return last;
    };
    let last: string | undefined;
    try {
      last = await resolve(key).catch((error: unknown) => {
        // js-ipfs takes a k51 name for a DNSLink domain; it resolves the base58 peer ID form.
        if (!JS_IPFS_DNSLINK.test(errorMessage(error))) throw error;
        return resolve(toPeerIdString(cid));
      });
    } catch (error) {
      throw kuboError("name/resolve", error);
    }
    const match = /^\/ipfs\/([^/]+)\/?$/.exec(last ?? "");
    if (!match) throw new KuboRpcError("name/resolve", `unexpected value "${last}" for ${key}`);
    return parseCid(match[1] as string);
  }

  async readFile(cidOrName: string | CID, path: string): Promise<Uint8Array | undefined> {
    const root = parseContentRoot(cidOrName);
    const prefix =
      root.kind === "ipfs" ? `/ipfs/${root.cid}` : `/ipns/${formatIpnsName(root.name)}`;
    const segments = splitIpfsPath(path);
    try {
      return await this.#cat([prefix, ...segments].join("/"));
    } catch (error) {
      if (isKuboFileMissing(error)) return undefined;
      // js-ipfs's `cat` takes no /ipns/ path (400 "Invalid request query input"): resolve first.
      if (root.kind === "ipns" && JS_IPFS_BAD_QUERY.test(errorMessage(error))) {
        const cid = await this.resolveName(formatIpnsName(root.name));
        return this.readFile(cid, path);
      }
      throw kuboError("cat", error);
    }
  }

  async #cat(target: string): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of this.client.cat(target)) chunks.push(chunk);
    return concatBytes(chunks);
  }

  #toCid(input: string | CID): CID {
    const root = parseContentRoot(input);
    if (root.kind !== "ipfs")
      throw new KuboRpcError("add", `${input} is an IPNS name, expected a CID`);
    return root.cid;
  }
}

/** A client for a Kubo daemon's RPC API; nothing is sent until a method is called. */
export function createKuboIpfs(options: KuboIpfsOptions): KuboIpfs {
  return new KuboIpfsClient(options);
}
