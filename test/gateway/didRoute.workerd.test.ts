// The did:ens route inside workerd: `wrangler dev` serves the Workers entry with
// ENSGATE_DID_NETWORKS pointing at the local stack's Hardhat chain on 127.0.0.1, so viem's
// JSON-RPC and CCIP-Read requests leave the worker for the host loopback.
import { describeDidRoute } from "./didRoute.ts";
import { startWranglerDev } from "./wranglerDev.ts";

describeDidRoute("workerd", (vars) => startWranglerDev(vars));
