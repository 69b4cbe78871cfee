// What `ensgate serve` serves: a folder on disk or a UnixFS tree in IPFS (a CID or an IPNS name,
// e.g. the name's contenthash). Request paths are split into segments here, once, and any `.` or
// `..` segment, raw or percent-encoded, is refused before a file is looked up.
import { readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import mime from "mime-types";
import type { IpfsReader } from "../../ipfs/index.ts";
import { IpfsNotAFileError } from "../../ipfs/index.ts";
import { CliError } from "../errors.ts";

/** A request path the server refuses (400): bad percent-encoding or a traversal segment. */
export class SitePathError extends CliError {
  override name = "SitePathError";
}

/** A request path as segments; `directory` when it ends with `/` (or is the root). */
export type SitePath = { segments: string[]; directory: boolean };

/** The answer to one path. */
export type SiteAnswer =
  | { kind: "file"; body: Uint8Array; contentType: string }
  | { kind: "redirect"; location: string }
  | { kind: "missing" };

/** A source of files. */
export type SiteContent = {
  /** Where the files come from, for the start-up line (`folder ./site`, `ipfs://bafy…`). */
  description: string;
  read(path: SitePath): Promise<SiteAnswer>;
};

/** The index file of a directory. */
const INDEX = "index.html";

/**
 * Splits the path of a request target (`/a/b%20c/?q`) into decoded segments. A segment that is
 * `.` or `..`, or that decodes to one or to something holding `/`, `\` or NUL, is refused.
 */
export function parseSitePath(target: string): SitePath {
  const pathname = target.split(/[?#]/, 1)[0] ?? "";
  if (!pathname.startsWith("/")) throw new SitePathError(`"${target}" is not an absolute path`);
  const raw = pathname.split("/").slice(1);
  const segments: string[] = [];
  for (const part of raw) {
    let segment: string;
    try {
      segment = decodeURIComponent(part);
    } catch {
      throw new SitePathError(`bad percent-encoding in ${pathname}`);
    }
    if (segment === "." || segment === ".." || /[/\\\0]/.test(segment))
      throw new SitePathError(`path traversal refused: ${pathname}`);
    if (segment !== "") segments.push(segment);
  }
  return { segments, directory: pathname.endsWith("/") };
}

/** The Content-Type of a file name (mime-types), with a charset for text. */
export function contentTypeOf(fileName: string): string {
  return mime.contentType(fileName.toLowerCase()) || "application/octet-stream";
}

/** `/a/b` -> `/a/b/`: where a directory asked for without its slash is redirected. */
const directoryLocation = (segments: string[]) =>
  `/${segments.map((segment) => encodeURIComponent(segment)).join("/")}/`;

/** Files of a folder on disk; symbolic links leading out of the folder are not followed. */
export async function folderContent(folder: string): Promise<SiteContent> {
  let root: string;
  try {
    root = await realpath(folder);
    if (!(await stat(root)).isDirectory()) throw new Error("not a directory");
  } catch {
    throw new CliError(`${folder} is not a folder`);
  }
  const inside = (path: string) => path === root || path.startsWith(`${root}${sep}`);
  return {
    description: `folder ${root}`,
    async read({ segments, directory }) {
      let path: string;
      try {
        path = await realpath(join(root, ...segments));
      } catch {
        return { kind: "missing" };
      }
      if (!inside(path)) return { kind: "missing" };
      const info = await stat(path);
      if (info.isDirectory()) {
        if (!directory) return { kind: "redirect", location: directoryLocation(segments) };
        const index = join(path, INDEX);
        const real = await realpath(index).catch(() => undefined);
        if (!real || !inside(real) || !(await stat(real)).isFile()) return { kind: "missing" };
        return { kind: "file", body: await readFile(real), contentType: contentTypeOf(INDEX) };
      }
      if (!info.isFile() || directory) return { kind: "missing" };
      return {
        kind: "file",
        body: await readFile(path),
        contentType: contentTypeOf(segments.at(-1) ?? ""),
      };
    },
  };
}

/** Files of a UnixFS tree under a CID or an IPNS name (`root`), read through the IPFS layer. */
export function ipfsContent(
  reader: Pick<IpfsReader, "readFile">,
  root: string,
  description: string,
): SiteContent {
  const readIndex = async (segments: string[]) =>
    reader.readFile(root, [...segments, INDEX].join("/"));
  return {
    description,
    async read({ segments, directory }) {
      if (directory || segments.length === 0) {
        const body = await readIndex(segments).catch((error: unknown) => {
          if (error instanceof IpfsNotAFileError) return undefined;
          throw error;
        });
        return body
          ? { kind: "file", body, contentType: contentTypeOf(INDEX) }
          : { kind: "missing" };
      }
      let body: Uint8Array | undefined;
      try {
        body = await reader.readFile(root, segments.join("/"));
      } catch (error) {
        // A directory (the embedded store says so; Kubo's `cat` fails): has it an index?
        const index = await readIndex(segments).catch(() => undefined);
        if (index) return { kind: "redirect", location: directoryLocation(segments) };
        throw error;
      }
      if (!body) return { kind: "missing" };
      return { kind: "file", body, contentType: contentTypeOf(segments.at(-1) ?? "") };
    },
  };
}
