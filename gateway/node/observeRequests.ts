import { AsyncLocalStorage } from "node:async_hooks";
import type { LookupEvent } from "../app.ts";
import { pathOf } from "../ccipReadRouter.ts";
import { createGatewayMetrics, type Gauge, METRICS_CONTENT_TYPE, routeOf } from "../metrics.ts";
import { createJsonLineLog } from "./jsonLineLog.ts";

/** One structured log line: written for every request, as JSON. */
export type RequestLogLine = {
  time: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  source: string;
  cache: string;
  /** Present when a lookup got no answer: the message its client got. */
  error?: string;
};

/** Options of `createRequestObserver`. */
export type RequestObserverOptions = {
  /** Where each request's log line goes (default: one JSON line on stdout). */
  log?: ((line: RequestLogLine) => void) | undefined;
  /** Gauges `/metrics` adds to the request metrics (the Node gateway's cache sizes). */
  gauges?: readonly Gauge[];
};

/** The default log: JSON lines on stdout, batched (gateway/node/jsonLineLog.ts). */
let stdoutLog: ((line: RequestLogLine) => void) | undefined;
const writeJsonLine = (line: RequestLogLine) => {
  stdoutLog ??= createJsonLineLog();
  stdoutLog(line);
};

/**
 * Logs and metrics of the Node gateway. `onLookup` goes to `createGateway` (it tells how a
 * lookup was answered, tied to its request through AsyncLocalStorage); `wrap` turns the
 * gateway's fetch handler into one that serves `GET /metrics`, times every request, and writes
 * one JSON log line and one metrics observation per request.
 */
export function createRequestObserver({
  log = writeJsonLine,
  gauges = [],
}: RequestObserverOptions = {}) {
  const metrics = createGatewayMetrics(gauges);
  const current = new AsyncLocalStorage<{ lookup?: LookupEvent }>();

  const onLookup = (event: LookupEvent) => {
    const store = current.getStore();
    if (store) store.lookup = event;
  };

  const wrap =
    (fetchHandler: (request: Request) => Response | Promise<Response>) =>
    (request: Request): Response | Promise<Response> => {
      const started = performance.now();
      const path = pathOf(request.url);
      const route = routeOf(request.method, path);
      const store: { lookup?: LookupEvent } = {};
      const finish = (response: Response) => {
        const durationMs = performance.now() - started;
        const source = store.lookup?.source ?? "-";
        const cache = store.lookup?.cache ?? "-";
        metrics.observe({ route, status: response.status, source, cache }, durationMs / 1000);
        const line: RequestLogLine = {
          time: new Date().toISOString(),
          method: request.method,
          route,
          status: response.status,
          durationMs: Math.round(durationMs * 1000) / 1000,
          source,
          cache,
        };
        if (store.lookup?.error !== undefined) line.error = store.lookup.error;
        log(line);
        return response;
      };
      if (route === "metrics" && request.method === "GET")
        return finish(
          new Response(metrics.render(), { headers: { "content-type": METRICS_CONTENT_TYPE } }),
        );
      // A handler that throws (the app catches its own errors: a bug) is logged and counted as a
      // 500, then rethrown to the server.
      const failed = (error: unknown): never => {
        finish(new Response(null, { status: 500 }));
        throw error;
      };
      let response: Response | Promise<Response>;
      try {
        response = current.run(store, () => fetchHandler(request));
      } catch (error) {
        return failed(error);
      }
      return response instanceof Promise ? response.then(finish, failed) : finish(response);
    };

  return { onLookup, wrap, metrics };
}
