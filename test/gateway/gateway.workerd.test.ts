// The same gateway behaviour, run inside workerd: `wrangler dev` serves the Workers entry with
// the deployment's wrangler.toml, offline, on a free loopback port.
import { describeGatewayBehaviour } from "./gatewayBehaviour.ts";
import { startWranglerDev } from "./wranglerDev.ts";

describeGatewayBehaviour("workerd", (sourceUrl) =>
  startWranglerDev({
    ENSGATE_SOURCES: `http:${sourceUrl}`,
    ENSGATE_SOURCE_TIMEOUT_MS: "2000",
    ENSGATE_BUDGET_MS: "4000",
  }),
);
