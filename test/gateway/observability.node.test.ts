// Structured logs and /metrics of the Node gateway: a few lookups, then a scrape parsed as the
// Prometheus text format by a strict parser; a client abort is not logged as an internal error.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";
import { parseGatewayConfig } from "../../gateway/config.ts";
import { buildNodeGateway } from "../../gateway/node/buildNodeGateway.ts";
import { createRequestObserver, type RequestLogLine } from "../../gateway/node/observeRequests.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";
import { buildRecordFile, lookupCallData, SENDER, tamper } from "./records.ts";

const AVATAR = { type: "text", key: "avatar" } as const;
const URL_KEY = { type: "text", key: "url" } as const;

type Sample = { name: string; labels: Record<string, string>; value: number };
type Family = { help: string; type: string; samples: Sample[] };

/**
 * A strict parser of the Prometheus text format (0.0.4), enough for counters and histograms:
 * every sample belongs to a family declared by `# HELP` then `# TYPE` before it; names and label
 * names match the grammar; label values are quoted with only \\\\, \\" and \\n escapes; values are numbers.
 */
function parsePrometheusText(text: string): Map<string, Family> {
  assert.ok(text.endsWith("\n"), "the exposition ends with a newline");
  const families = new Map<string, Family>();
  let current: { name: string; family: Family } | undefined;
  const lines = text.slice(0, -1).split("\n");
  for (const [index, line] of lines.entries()) {
    const where = `line ${index + 1}: ${line}`;
    let match = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (match) {
      const [, name = "", help = ""] = match;
      assert.ok(!families.has(name), `${where}: family declared twice`);
      current = { name, family: { help, type: "", samples: [] } };
      families.set(name, current.family);
      continue;
    }
    match = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(
      line,
    );
    if (match) {
      assert.equal(match[1], current?.name, `${where}: TYPE without its HELP`);
      assert.equal(current?.family.samples.length, 0, `${where}: TYPE after samples`);
      if (current) current.family.type = match[2] ?? "";
      continue;
    }
    assert.ok(!line.startsWith("#"), `${where}: unknown comment`);
    match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `${where}: not a sample line`);
    const [, name = "", labelText = "", valueText = ""] = match;
    assert.ok(current?.family.type, `${where}: sample before HELP and TYPE`);
    const suffixes = current.family.type === "histogram" ? ["_bucket", "_sum", "_count"] : [""];
    assert.ok(
      suffixes.some((suffix) => name === `${current?.name}${suffix}`),
      `${where}: sample outside its family`,
    );
    const labels: Record<string, string> = {};
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y;
    let offset = 0;
    while (offset < labelText.length) {
      labelPattern.lastIndex = offset;
      const label = labelPattern.exec(labelText);
      assert.ok(label, `${where}: bad label syntax at ${offset}`);
      const [, labelName = "", value = "", comma] = label;
      assert.ok(!(labelName in labels), `${where}: label ${labelName} twice`);
      labels[labelName] = value.replace(/\\(.)/g, (_, c) => (c === "n" ? "\n" : c));
      offset = labelPattern.lastIndex;
      assert.ok(comma === "," || offset === labelText.length, `${where}: label list`);
    }
    const value = valueText === "+Inf" ? Number.POSITIVE_INFINITY : Number(valueText);
    assert.ok(!Number.isNaN(value) && valueText !== "", `${where}: value is not a number`);
    current.family.samples.push({ name, labels, value });
  }
  return families;
}

/** Checks each histogram series: buckets ascending in `le`, cumulative, `+Inf` equal to `_count`. */
function checkHistogram(family: Family, name: string): number {
  const seriesOf = (labels: Record<string, string>) =>
    JSON.stringify(Object.entries(labels).filter(([key]) => key !== "le"));
  const series = new Map<string, Sample[]>();
  for (const sample of family.samples) {
    const key = seriesOf(sample.labels);
    series.set(key, [...(series.get(key) ?? []), sample]);
  }
  for (const [key, samples] of series) {
    const buckets = samples.filter((s) => s.name === `${name}_bucket`);
    const count = samples.find((s) => s.name === `${name}_count`);
    const sum = samples.find((s) => s.name === `${name}_sum`);
    assert.ok(count && sum && buckets.length > 0, `${key}: bucket, sum and count`);
    let previousLe = Number.NEGATIVE_INFINITY;
    let previous = 0;
    for (const bucket of buckets) {
      const le = bucket.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(bucket.labels.le);
      assert.ok(le > previousLe, `${key}: le ascending`);
      assert.ok(bucket.value >= previous, `${key}: buckets cumulative`);
      previousLe = le;
      previous = bucket.value;
    }
    assert.equal(buckets.at(-1)?.labels.le, "+Inf", `${key}: last bucket +Inf`);
    assert.equal(buckets.at(-1)?.value, count.value, `${key}: +Inf = count`);
    assert.ok(sum.value >= 0);
  }
  return series.size;
}

describe("Node gateway logs and /metrics", () => {
  let source: TestServer;
  let server: RunningServer;
  let record: Awaited<ReturnType<typeof buildRecordFile>>;
  const logs: RequestLogLine[] = [];
  const errors: string[] = [];
  const consoleError = console.error;

  before(async () => {
    console.error = (...args: unknown[]) => {
      errors.push(args.map(String).join(" "));
    };
    record = await buildRecordFile("alice.eth", AVATAR, "https://example.com/a.png");
    const url = await buildRecordFile("alice.eth", URL_KEY, "https://good.example");
    source = await startFileGateway(
      new Map([
        [record.urlPath, record.json],
        [url.urlPath, tamper(url.json, "good", "evil")],
      ]),
    );
    const config = parseGatewayConfig({ ENSGATE_SOURCES: `http:${source.url}` });
    const gateway = buildNodeGateway(config, {}, { log: (line) => logs.push(line) });
    server = await serveFetchHandler(gateway.fetch);
  });
  after(async () => {
    console.error = consoleError;
    await server?.close();
    await source?.close();
  });

  it("logs one JSON line per request and serves Prometheus counters and histograms", async () => {
    const lookup = `${server.url}/${SENDER}/${lookupCallData("alice.eth", AVATAR)}`;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(lookup);
      assert.deepEqual(await response.json(), { data: record.data });
    }
    const missing = await fetch(
      `${server.url}/${SENDER}/${lookupCallData("alice.eth", { type: "text", key: "none" })}`,
    );
    assert.deepEqual(await missing.json(), { data: "0x" });
    const tampered = await fetch(`${server.url}/${SENDER}/${lookupCallData("alice.eth", URL_KEY)}`);
    assert.equal(tampered.status, 422);
    const tamperedMessage = tampered.json().then((body) => (body as { message: string }).message);
    assert.equal((await fetch(`${server.url}/${SENDER}/0x12`)).status, 400);
    assert.equal((await fetch(`${server.url}/nowhere/at/all`)).status, 404);

    assert.deepEqual(
      logs.map(({ route, status, source, cache }) => [route, status, source, cache]),
      [
        ["lookup", 200, `http:${source.url}`, "miss"],
        ["lookup", 200, "cache", "hit"],
        ["lookup", 200, "cache", "hit"],
        ["lookup", 200, "none", "miss"],
        ["lookup", 422, "none", "miss"],
        ["lookup", 400, "-", "-"],
        ["other", 404, "-", "-"],
      ],
    );
    // A lookup that got no answer logs the message its client got; the others log none.
    const tamperedLine = logs.find((line) => line.status === 422);
    assert.equal(tamperedLine?.error, await tamperedMessage);
    assert.match(tamperedLine?.error ?? "", /invalidRecordSignature/);
    assert.deepEqual(
      logs.filter((line) => line.error !== undefined).map((line) => line.status),
      [422],
    );
    for (const line of logs) {
      assert.equal(typeof line.durationMs, "number");
      assert.ok(line.durationMs >= 0);
      assert.ok(!Number.isNaN(Date.parse(line.time)));
      JSON.parse(JSON.stringify(line));
    }

    const scrape = await fetch(`${server.url}/metrics`);
    assert.equal(scrape.status, 200);
    assert.match(scrape.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusText(await scrape.text());
    const requests = families.get("ensgate_gateway_requests_total");
    assert.equal(requests?.type, "counter");
    const count = (labels: Record<string, string>) =>
      requests?.samples.find((s) => JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    assert.equal(count({ route: "lookup", status: "200", source: "cache", cache: "hit" }), 2);
    assert.equal(
      count({ route: "lookup", status: "200", source: `http:${source.url}`, cache: "miss" }),
      1,
    );
    assert.equal(count({ route: "lookup", status: "400", source: "-", cache: "-" }), 1);
    assert.equal(count({ route: "lookup", status: "422", source: "none", cache: "miss" }), 1);
    assert.equal(count({ route: "other", status: "404", source: "-", cache: "-" }), 1);
    const durations = families.get("ensgate_gateway_request_duration_seconds");
    assert.equal(durations?.type, "histogram");
    assert.equal(checkHistogram(durations, "ensgate_gateway_request_duration_seconds"), 6);
    // The caches' gauges: a verified file and a missing one, each under its record key and its
    // lookup key (the 422 and the 400 are not cached).
    const gauge = (name: string) => {
      const family = families.get(name);
      assert.equal(family?.type, "gauge", name);
      return family?.samples[0]?.value;
    };
    assert.equal(gauge("ensgate_gateway_cache_entries"), 4);
    assert.ok((gauge("ensgate_gateway_cache_bytes") ?? 0) > 4 * 160);
    // http: sources keep no blocks.
    assert.equal(gauge("ensgate_gateway_source_cache_bytes"), 0);
    // The scrape itself is logged and counted (seen by the next scrape).
    assert.deepEqual(logs.at(-1)?.route, "metrics");
  });

  it("does not log a client that aborts its body as an internal error", async () => {
    const { port } = new URL(server.url);
    const before = logs.length;
    for (let i = 0; i < 5; i++) {
      const socket = connect({ host: "127.0.0.1", port: Number(port) });
      socket.on("error", () => {});
      await new Promise<void>((resolve) => socket.once("connect", resolve));
      socket.write(
        'POST / HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"sender":',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      errors.filter((line) => /internal error/.test(line)),
      [],
    );
    const aborted = logs.slice(before);
    assert.equal(aborted.length, 5);
    for (const line of aborted) assert.equal(line.status, 400);
    // The gateway still answers.
    assert.equal((await fetch(`${server.url}/nowhere`)).status, 404);
  });

  it("logs and counts a handler that throws as a 500, and rethrows", async () => {
    const lines: RequestLogLine[] = [];
    const observer = createRequestObserver({ log: (line) => lines.push(line) });
    const fetchHandler = observer.wrap(() => Promise.reject(new Error("boom")));
    await assert.rejects(async () => fetchHandler(new Request("http://gateway/health")), /boom/);
    const throwing = observer.wrap(() => {
      throw new Error("sync boom");
    });
    assert.throws(() => throwing(new Request("http://gateway/x/y")), /sync boom/);
    assert.deepEqual(
      lines.map(({ route, status }) => [route, status]),
      [
        ["health", 500],
        ["lookup", 500],
      ],
    );
    assert.match(
      observer.metrics.render(),
      /requests_total\{route="health",status="500",source="-",cache="-"\} 1/,
    );
  });
});
