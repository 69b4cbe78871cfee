// The Node gateway as operators run it in production: the bundle of `npm run build:gateway`
// (dist/node-gateway/), spawned with its environment configuration, through the shared
// behaviour suite that also runs in-process on Node and in workerd.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describeGatewayBehaviour } from "./gatewayBehaviour.ts";
import { spawnGateway } from "./hostileTrafficServers.ts";

const ROOT = join(import.meta.dirname, "../..");
execFileSync("npm", ["run", "--silent", "build:gateway"], { cwd: ROOT, stdio: "pipe" });

describeGatewayBehaviour("Node bundle", async (sourceUrl) => {
  const gateway = await spawnGateway(
    {
      ENSGATE_SOURCES: `http:${sourceUrl}`,
      ENSGATE_STRATEGY: "race",
      ENSGATE_SOURCE_TIMEOUT_MS: "2000",
      ENSGATE_BUDGET_MS: "4000",
      ENSGATE_CACHE_TTL: "300",
      ENSGATE_MISSING_TTL: "60",
    },
    join(ROOT, "dist/node-gateway/ensgate-gateway.mjs"),
  );
  return {
    url: gateway.url,
    close: async () => {
      await gateway.stop();
    },
  };
});
