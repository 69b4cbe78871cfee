// Where a transparency log's static files are read from: an HTTP(S) prefix or a directory. A
// missing file is `undefined` (the reader then falls back, or names the missing tile); any other
// failure is a one-line TlogFetchError naming the URL or path.
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EnsgateError } from "../lib/index.ts";
import type { LogFileSource } from "../lib/tlog/index.ts";

/** A log file that could not be read (network error, HTTP error status, too large, I/O error). */
export class TlogFetchError extends EnsgateError {
  override name = "TlogFetchError";
}

/** The largest file a log serves: a full entry bundle of 256 maximal entries. */
const MAX_FILE_BYTES = 256 * (2 + 0xffff);
/** How long one HTTP fetch may take. */
const FETCH_TIMEOUT_MS = 15_000;

/** A source for a log at `location`: an `http(s)://` prefix, else a directory path. */
export function openLogSource(location: string): LogFileSource & { describe: string } {
  if (/^https?:\/\//i.test(location))
    return Object.assign(httpSource(location), { describe: location });
  const dir = resolve(location);
  return Object.assign(directorySource(dir), { describe: dir });
}

function httpSource(prefix: string): LogFileSource {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return async (path) => {
    const url = new URL(path, base).href;
    let response: Response;
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        redirect: "follow",
      });
    } catch (cause) {
      throw new TlogFetchError(`Cannot fetch ${url}: ${(cause as Error).message}.`, { cause });
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new TlogFetchError(`Cannot fetch ${url}: HTTP ${response.status}.`);
    }
    const length = Number(response.headers.get("content-length") ?? "0");
    if (length > MAX_FILE_BYTES)
      throw new TlogFetchError(`${url} is ${length} bytes, more than a log file can be.`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_FILE_BYTES)
      throw new TlogFetchError(`${url} is larger than a log file can be.`);
    return bytes;
  };
}

function directorySource(dir: string): LogFileSource {
  return async (path) => {
    const file = join(dir, path);
    try {
      return new Uint8Array(await readFile(file));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return undefined;
      throw new TlogFetchError(`Cannot read ${file}: ${(error as Error).message}.`, {
        cause: error,
      });
    }
  };
}
