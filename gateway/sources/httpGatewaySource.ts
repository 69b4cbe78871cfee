import {
  formatIpfsRoot,
  MAX_RECORD_FILE_BYTES,
  type RecordLocation,
  type RecordSource,
} from "./recordSource.ts";
import { SourceError } from "./sourceError.ts";
import { fetchFromSource, probeSource } from "./sourceFetch.ts";

/** Options of an IPFS HTTP gateway source. */
export type HttpGatewaySourceOptions = {
  /** Gateway origin, e.g. `https://ipfs.io` or `http://127.0.0.1:8080`. */
  url: string;
  /** `path`: `<url>/ipns/<name>/<path>`; `subdomain`: `<name>.ipns.<host>/<path>` (ed25519 names fit a label in base36). */
  style?: "path" | "subdomain";
  /** The fetch to use (tests and Workers pass their own; default: global fetch). */
  fetch?: typeof fetch;
};

/** A record source that reads files from an IPFS HTTP gateway, path or subdomain style. */
export function createHttpGatewaySource(options: HttpGatewaySourceOptions): RecordSource {
  const base = new URL(options.url);
  const style = options.style ?? "path";
  const doFetch = options.fetch ?? fetch;
  const name = `http:${base.origin}${style === "subdomain" ? " (subdomain)" : ""}`;

  const urlOf = ({ target, path }: RecordLocation): string => {
    if (style === "path")
      return new URL(`${formatIpfsRoot(target)}/${encodePath(path)}`, base).href;
    const label = target.protocol === "ipns" ? `${target.name}.ipns` : `${target.cid}.ipfs`;
    return `${base.protocol}//${label}.${base.host}/${encodePath(path)}`;
  };

  return {
    name,
    async read(location, signal) {
      const response = await fetchFromSource(name, doFetch, urlOf(location), {
        signal,
        redirect: "follow",
      });
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel();
        return { status: "missing" };
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new SourceError(name, `answered HTTP ${response.status}`);
      }
      return { status: "found", body: await readLimited(response, name) };
    },
    health: (signal) => probeSource(doFetch, base, signal),
  };
}

/** Percent-encodes each path segment (record paths may hold any text key). */
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** Streams a response body, giving up as soon as it passes MAX_RECORD_FILE_BYTES. */
async function readLimited(response: Response, source: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_RECORD_FILE_BYTES) {
    await response.body?.cancel();
    throw new SourceError(source, `file of ${declared} bytes is over the limit`);
  }
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_RECORD_FILE_BYTES) {
      await reader.cancel();
      throw new SourceError(source, "file is over the size limit");
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return body;
}
