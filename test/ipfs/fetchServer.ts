// A node:http server on 127.0.0.1 in front of a fetch handler: the tests' stand-ins for remote
// gateways and services (a trustless gateway that lies, a routing or pinning endpoint).
import { type FetchServer, startFetchServer } from "../../ipfs/serveFetch.ts";

export type { FetchServer };

/** Serves `handler` on a free 127.0.0.1 port. */
export function serveFetch(
  handler: (request: Request) => Response | Promise<Response>,
): Promise<FetchServer> {
  return startFetchServer(async (request) => handler(request));
}
