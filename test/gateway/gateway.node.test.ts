import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { createHttpGatewaySource } from "../../gateway/sources/httpGatewaySource.ts";
import { describeGatewayBehaviour } from "./gatewayBehaviour.ts";

describeGatewayBehaviour("Node", async (sourceUrl) => {
  const gateway = createGateway({
    sources: [createHttpGatewaySource({ url: sourceUrl })],
    cache: createMemoryCache(),
    budget: { strategy: "race", perSourceTimeoutMs: 2000, totalBudgetMs: 4000 },
    cacheTtlSeconds: 300,
    missingTtlSeconds: 60,
  });
  return serveFetchHandler(gateway.fetch);
});
