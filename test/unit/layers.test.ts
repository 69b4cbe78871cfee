// The import rules of docs/architecture.md ("Layers"), checked on every import of the source
// folders: products never import each other, lib/ imports nothing of ours outside lib/, the
// shared layers only import the layers below them, no import cycle between folders, and no
// benchmark imports a test file.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FOLDERS = [
  "bridge",
  "cli",
  "ca",
  "client",
  "did",
  "gateway",
  "ipfs",
  "lib",
  "scripts",
  "webapp",
] as const;

/** The products: each is started on its own and never imports another. */
const PRODUCTS = new Set(["cli", "ca", "gateway", "webapp"]);

/** What each folder may import besides itself (npm packages are always allowed). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  lib: [],
  ipfs: ["lib"],
  client: ["ipfs", "lib"],
  did: ["lib"],
  bridge: ["lib"],
  cli: ["bridge", "client", "did", "ipfs", "lib", "scripts/stack"],
  ca: ["client", "ipfs", "lib"],
  gateway: ["bridge", "did", "ipfs", "lib"],
  scripts: ["bridge", "cli", "ca", "client", "did", "gateway", "ipfs", "lib", "webapp"],
  // The web app runs in a browser: only the layers with browser-safe modules (checked below).
  webapp: ["client", "ipfs", "lib"],
};

type Import = { from: string; to: string; specifier: string };

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (relative(ROOT, path) === join("webapp", "dist")) continue; // the built app
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry) && !entry.endsWith(".d.ts")) files.push(path);
  }
  return files;
}

/** Every relative import, dynamic import and re-export of a file, resolved to a repository path. */
function importsOf(file: string): Import[] {
  const source = readFileSync(file, "utf8");
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;
  const from = relative(ROOT, file);
  return [...source.matchAll(pattern)].map((match) => ({
    from,
    specifier: match[1] as string,
    to: relative(ROOT, resolve(dirname(file), match[1] as string)),
  }));
}

/** The folder a path belongs to (`scripts/stack` is told apart, the CLI may use it). */
function folderOf(path: string): string {
  const [top, second] = path.split("/");
  if (top === "scripts" && second === "stack") return "scripts/stack";
  return top as string;
}

const topOf = (folder: string) => folder.split("/")[0] as string;

const allImports = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)).flatMap(importsOf));

describe("import rules between folders (docs/architecture.md)", () => {
  it("finds the imports it checks", () => {
    assert.ok(allImports.length > 200, `only ${allImports.length} imports found`);
    assert.ok(allImports.some((entry) => entry.from.startsWith("cli/")));
  });

  it("each folder imports only the folders it may (no product imports another product)", () => {
    const violations = allImports.filter((entry) => {
      const from = topOf(folderOf(entry.from));
      const to = folderOf(entry.to);
      if (topOf(to) === from) return false;
      const allowed = MAY_IMPORT[from] ?? [];
      return !allowed.some((folder) => to === folder || topOf(to) === folder);
    });
    assert.deepEqual(
      violations.map((entry) => `${entry.from} -> ${entry.specifier}`),
      [],
      "imports that break the layer rules",
    );
  });

  it("no product imports another product", () => {
    const violations = allImports.filter((entry) => {
      const from = topOf(folderOf(entry.from));
      const to = topOf(folderOf(entry.to));
      return PRODUCTS.has(from) && PRODUCTS.has(to) && from !== to;
    });
    assert.deepEqual(
      violations.map((entry) => `${entry.from} -> ${entry.specifier}`),
      [],
    );
  });

  it("lib/ imports nothing of ours outside lib/", () => {
    const outside = allImports.filter(
      (entry) => entry.from.startsWith("lib/") && !entry.to.startsWith("lib/"),
    );
    assert.deepEqual(
      outside.map((entry) => `${entry.from} -> ${entry.specifier}`),
      [],
    );
  });

  it("no import cycle between folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const entry of allImports) {
      const from = folderOf(entry.from);
      const to = folderOf(entry.to);
      if (from === to || !FOLDERS.includes(topOf(to) as (typeof FOLDERS)[number])) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)?.add(to);
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(" -> "));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    assert.deepEqual(cycles, [], "folder import cycles");
  });

  it("no benchmark imports a test file", () => {
    const benchmarks = allImports.filter(
      (entry) => /^scripts\/bench(-[^/]+\.ts$|\/)/.test(entry.from) && entry.to.startsWith("test/"),
    );
    assert.deepEqual(
      benchmarks.map((entry) => `${entry.from} -> ${entry.specifier}`),
      [],
    );
  });

  it("the web app reaches no Node-only module (no node: import in anything it loads)", () => {
    // Type-only imports vanish from the bundle; vite.config.ts runs in Node, not in the page.
    const runtimeImports = (file: string) =>
      [
        ...readFileSync(file, "utf8").matchAll(
          /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm,
        ),
      ].map((match) => match[1] as string);
    const seen = new Set<string>();
    const nodeOnly: string[] = [];
    const visit = (file: string, via: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const specifier of runtimeImports(file)) {
        if (specifier.startsWith("node:")) nodeOnly.push(`${relative(ROOT, file)} (via ${via})`);
        else if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier), via);
      }
    };
    const entries = sourceFiles(join(ROOT, "webapp")).filter(
      (file) => !file.endsWith("vite.config.ts"),
    );
    assert.ok(entries.length > 3, "the web app's sources are found");
    for (const file of entries) visit(file, relative(ROOT, file));
    assert.ok(seen.size > 20, `only ${seen.size} modules reached`);
    assert.deepEqual(nodeOnly, [], "modules of the web app that import node:");
  });
});
