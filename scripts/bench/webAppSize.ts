// The web app's transfer size: `npm run build:webapp`, then the gzip -9 sizes of every file the
// page loads (index.html, and the scripts and styles it and its modules load: all of
// webapp/dist/assets, lazily loaded chunks included), summed.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Builds the app into webapp/dist and returns its gzip size in bytes, with each file's. */
export function buildAndMeasureWebApp(root: string): {
  gzipBytes: number;
  files: Record<string, number>;
} {
  execFileSync("npm", ["run", "--silent", "build:webapp"], { cwd: root, stdio: "pipe" });
  const dist = join(root, "webapp", "dist");
  const files: Record<string, number> = {};
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path, `${prefix}${entry}/`);
      // app-config.json is the deployment's settings (a few hundred bytes), not part of the build.
      else if (/\.(html|js|css|wasm)$/.test(entry))
        files[`${prefix}${entry}`] = gzipSync(readFileSync(path), { level: 9 }).length;
    }
  };
  walk(dist, "");
  return { gzipBytes: Object.values(files).reduce((sum, bytes) => sum + bytes, 0), files };
}
