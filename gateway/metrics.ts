/**
 * The gateway's request metrics in the Prometheus text exposition format (version 0.0.4),
 * written by hand: one counter and one latency histogram, labelled by route, status, source and
 * cache result. Kept in memory, per process (Node) or per isolate.
 */

/** What one answered request is labelled with. */
export type RequestLabels = {
  /** `lookup`, `health`, `metrics`, `did` or `other` (see `routeOf`). */
  route: string;
  status: number;
  /** The source that answered a lookup (`cache` for a cache hit, `none` when none had the file), else `-`. */
  source: string;
  /** `hit` or `miss` for lookups, `-` for other routes. */
  cache: string;
};

/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

type Series = { labels: string; count: number; sum: number; buckets: number[] };

/** A gauge read when `/metrics` is scraped (e.g. the bytes a cache holds). */
export type Gauge = { name: string; help: string; read: () => number };

/**
 * A metrics registry: `observe` each answered request, `render` the exposition text (the request
 * counter and histogram, then each of `gauges`, read at render time).
 */
export function createGatewayMetrics(gauges: readonly Gauge[] = []) {
  const series = new Map<string, Series>();

  const observe = (labels: RequestLabels, durationSeconds: number) => {
    // Keyed by the raw values (a handful of series): labels are escaped once, when a series starts.
    const key = `${labels.route}\n${labels.status}\n${labels.source}\n${labels.cache}`;
    let entry = series.get(key);
    if (!entry) {
      entry = {
        labels: formatLabels(labels),
        count: 0,
        sum: 0,
        buckets: LATENCY_BUCKETS.map(() => 0),
      };
      series.set(key, entry);
    }
    entry.count++;
    entry.sum += durationSeconds;
    // Per-bucket counts here; `render` makes them cumulative.
    const index = LATENCY_BUCKETS.findIndex((bound) => durationSeconds <= bound);
    if (index >= 0) entry.buckets[index] = (entry.buckets[index] ?? 0) + 1;
  };

  const render = (): string => {
    const lines = [
      "# HELP ensgate_gateway_requests_total Requests answered, by route, status, source and cache result.",
      "# TYPE ensgate_gateway_requests_total counter",
    ];
    for (const { labels, count } of series.values())
      lines.push(`ensgate_gateway_requests_total{${labels}} ${count}`);
    lines.push(
      "# HELP ensgate_gateway_request_duration_seconds Time to answer a request, by route, status, source and cache result.",
      "# TYPE ensgate_gateway_request_duration_seconds histogram",
    );
    for (const { labels, count, sum, buckets } of series.values()) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, index) => {
        cumulative += buckets[index] ?? 0;
        lines.push(
          `ensgate_gateway_request_duration_seconds_bucket{${labels},le="${bound}"} ${cumulative}`,
        );
      });
      lines.push(`ensgate_gateway_request_duration_seconds_bucket{${labels},le="+Inf"} ${count}`);
      lines.push(`ensgate_gateway_request_duration_seconds_sum{${labels}} ${sum}`);
      lines.push(`ensgate_gateway_request_duration_seconds_count{${labels}} ${count}`);
    }
    for (const { name, help, read } of gauges)
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${read()}`);
    return `${lines.join("\n")}\n`;
  };

  return { observe, render };
}

/** The content type of the text exposition format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** `route="…",status="…",source="…",cache="…"` with label values escaped. */
function formatLabels({ route, status, source, cache }: RequestLabels): string {
  return `route="${escapeLabel(route)}",status="${status}",source="${escapeLabel(source)}",cache="${escapeLabel(cache)}"`;
}

/** Escapes a label value: backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The route label of a request: a fixed, small set (never the raw path, which is unbounded). */
export function routeOf(method: string, path: string): string {
  if (path === "/health") return "health";
  if (path === "/metrics") return "metrics";
  if (path.startsWith("/1.0/identifiers/")) return "did";
  if (method === "POST" && path === "/") return "lookup";
  // The web app's files (gateway/webApp.ts): its page, its settings and its hashed assets.
  if (path === "/" || path === "/index.html" || path === "/app-config.json") return "app";
  if (path.startsWith("/assets/")) return "app";
  if (method === "GET" && /^\/[^/]+\/[^/]+\/?$/.test(path)) return "lookup";
  return "other";
}
