// `npm run build:gateway`: bundles the Node gateway (gateway/node/main.ts and everything it
// imports) into dist/node-gateway/, to run as `node dist/node-gateway/ensgate-gateway.mjs`.
//
// Why a bundle: started from its TypeScript sources, Node strips types and loads each module file
// of the dependencies on its own, and the idle gateway's RSS is about 185 MiB; the bundle starts
// at about 87 MiB (docs/gateway.md, "Running"). The parts loaded only when configured (the
// embedded IPFS store) stay in their own chunks, loaded on first use.
//
// The output sits two folders below the repository root, like gateway/node/, so the default web
// app folder (webapp/dist, found relative to the module) is the same for both.
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/node-gateway`;

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { "ensgate-gateway": "gateway/node/main.ts" },
  outdir,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node22",
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunks/[name]-[hash]",
  // Bundled CommonJS dependencies call require() for Node built-ins; ES modules have none.
  banner: {
    js: "import { createRequire as __ensgateCreateRequire } from 'node:module'; const require = __ensgateCreateRequire(import.meta.url);",
  },
  logLevel: "warning",
});
console.error(`built ${outdir}/ensgate-gateway.mjs`);
