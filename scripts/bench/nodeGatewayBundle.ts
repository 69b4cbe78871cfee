// The Node gateway as operators run it: the bundle of `npm run build:gateway`
// (docs/gateway.md, "Memory on Node"). The benchmark and the soak measure this build.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The bundle's entry, relative to the repository root. */
export const NODE_GATEWAY_BUNDLE = "dist/node-gateway/ensgate-gateway.mjs";

/** Runs `npm run build:gateway` and returns the bundle's entry path. */
export function buildNodeGatewayBundle(): string {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  execFileSync("npm", ["run", "--silent", "build:gateway"], { cwd: root, stdio: "pipe" });
  return `${root}${NODE_GATEWAY_BUNDLE}`;
}

/**
 * The V8 flags docs/gateway.md ("Memory on Node") tells operators to start the gateway with, for
 * an `ENSGATE_CACHE_BYTES` of `cacheBytes`: an old-space limit of the budget plus 64 MiB, and
 * semi-spaces of 8 MiB. Without the second, V8 sizes the young generation from the heap limit and
 * it alone grew RSS by about 100 MiB under load (bench:gateway --quick: 304 MiB, 199 with it).
 */
export function gatewayNodeOptions(cacheBytes: number): string[] {
  return [
    `--max-old-space-size=${Math.ceil(cacheBytes / 1024 / 1024) + 64}`,
    "--max-semi-space-size=8",
  ];
}
