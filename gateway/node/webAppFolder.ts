// Reads the built web app (webapp/dist, `npm run build:webapp`) into memory for the Node gateway:
// it is a few files of a few hundred KiB, read once at start.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import mime from "mime-types";
import type { WebAppFile, WebAppFiles } from "../webApp.ts";

/** Where `npm run build:webapp` writes the app. */
export const DEFAULT_WEBAPP_DIR = fileURLToPath(new URL("../../webapp/dist/", import.meta.url));

/** The files under `directory` by URL path; undefined when the folder does not exist (not built). */
export function readWebAppFolder(directory = DEFAULT_WEBAPP_DIR): WebAppFiles | undefined {
  if (!existsSync(join(directory, "index.html"))) return undefined;
  const files = new Map<string, WebAppFile>();
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else
        files.set(`/${relative(directory, path).split(sep).join("/")}`, {
          body: readFileSync(path),
          contentType: contentTypeOf(entry),
        });
    }
  };
  walk(directory);
  return files;
}

function contentTypeOf(file: string): string {
  // RFC 9239: JavaScript is text/javascript (mime-types 2 still says application/javascript).
  if (/\.m?js$/.test(file)) return "text/javascript; charset=utf-8";
  const type = mime.lookup(file) || "application/octet-stream";
  return /^(text\/|application\/(javascript|json))/.test(type) ? `${type}; charset=utf-8` : type;
}
