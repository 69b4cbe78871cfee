// Baseline for bench-gateway: a fetch handler that does nothing, served by the same adapter as
// the gateway. Prints its URL on stdout.
import { FastResponse } from "srvx/node";
import { serveFetchHandler } from "../../gateway/node/serveGateway.ts";

const server = await serveFetchHandler(
  () => new FastResponse('{"data":"0x"}', { headers: { "content-type": "application/json" } }),
);
console.log(`listening on ${server.url}`);
process.once("SIGTERM", () => server.close().then(() => process.exit(0)));
