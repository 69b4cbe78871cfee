// The did:ens route on Node: the gateway built from its environment (parseGatewayConfig +
// buildNodeGateway), served over HTTP, against the local stack. Run with
// `npx hardhat test nodejs test/gateway/didRoute.node.test.ts` (or `node --test`).
import { parseGatewayConfig } from "../../gateway/config.ts";
import { buildNodeGateway } from "../../gateway/node/buildNodeGateway.ts";
import { serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { describeDidRoute } from "./didRoute.ts";

describeDidRoute("Node", async (vars) => {
  const gateway = buildNodeGateway(parseGatewayConfig(vars));
  return serveFetchHandler(gateway.fetch);
});
