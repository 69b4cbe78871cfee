// Vite build of the web app (docs/webapp.md): `npm run build:webapp` writes webapp/dist/, which the
// Node gateway serves at `/`, Workers serve as static assets, and any static host can serve as is.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const RESOLVER_ABI = "virtual:ensgate/resolver-abi";

/**
 * `virtual:ensgate/resolver-abi`: the compiled resolver's ABI (its functions and custom errors),
 * read from Hardhat's artifact when the app is built; the bytecode stays out of the bundle.
 */
function resolverAbi(): Plugin {
  const artifact = new URL(
    "../artifacts/contracts/EnsgateResolver.sol/EnsgateResolver.json",
    import.meta.url,
  );
  return {
    name: "ensgate-resolver-abi",
    resolveId: (id) => (id === RESOLVER_ABI ? `\0${RESOLVER_ABI}` : undefined),
    load(id) {
      if (id !== `\0${RESOLVER_ABI}`) return undefined;
      let abi: unknown;
      try {
        abi = JSON.parse(readFileSync(artifact, "utf8")).abi;
      } catch {
        throw new Error("the resolver's artifact is missing: run `npx hardhat build` first");
      }
      return `export default ${JSON.stringify(abi)};`;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  // Relative asset URLs: the app works from any path (an IPFS gateway's /ipfs/<cid>/ included).
  base: "./",
  plugins: [resolverAbi()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // No source maps in what is deployed: the size the bench measures is what a browser loads.
    sourcemap: false,
    reportCompressedSize: false,
  },
});
