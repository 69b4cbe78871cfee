import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createHttpGatewaySource } from "../../gateway/sources/httpGatewaySource.ts";
import { readFromSources, type ValidateFile } from "../../gateway/sources/readFromSources.ts";
import type { RecordLocation, RecordSource } from "../../gateway/sources/recordSource.ts";
import {
  downUrl,
  startFileGateway,
  startGarbageServer,
  startHangingServer,
  type TestServer,
} from "./httpServers.ts";

const NAME = "k51qzi5uqu5dglwhrswc4h7bc91b8plk3st23hauq4h6ry16nm1x2l69idegpd";
const LOCATION: RecordLocation = {
  target: { protocol: "ipns", name: NAME },
  path: ".well-known/eth/alice/text/avatar.json",
};
const FILE = JSON.stringify({ data: "0x1234" });

/** Accepts only the expected file (the real gateway verifies signatures here). */
const validate: ValidateFile<string> = async (body) => {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(body)) as { data?: string };
    return parsed.data === "0x1234"
      ? { ok: true, value: parsed.data }
      : { ok: false, reason: "wrong data" };
  } catch {
    return { ok: false, reason: "not JSON" };
  }
};

describe("reading from several sources", () => {
  let good: TestServer;
  let empty: TestServer;
  let hanging: TestServer;
  let garbage: TestServer;
  let down: string;
  const source = (url: string) => createHttpGatewaySource({ url });

  before(async () => {
    good = await startFileGateway(new Map([[`/ipns/${NAME}/${LOCATION.path}`, FILE]]));
    empty = await startFileGateway(new Map());
    hanging = await startHangingServer();
    garbage = await startGarbageServer();
    down = await downUrl();
  });
  after(async () => {
    await Promise.all([good.close(), empty.close(), hanging.close(), garbage.close()]);
  });

  for (const strategy of ["race", "ordered"] as const) {
    it(`${strategy}: skips a down, a hanging and a garbage source and returns the valid copy`, async () => {
      const started = performance.now();
      const outcome = await readFromSources(
        [source(down), source(hanging.url), source(garbage.url), source(good.url)],
        LOCATION,
        validate,
        { strategy, perSourceTimeoutMs: 300, totalBudgetMs: 2000 },
      );
      assert.deepEqual(outcome, { status: "valid", value: "0x1234", source: `http:${good.url}` });
      // The hanging source costs at most its own timeout, never the whole budget.
      assert.ok(
        performance.now() - started < 1500,
        "a hanging source must not hold the read past its timeout",
      );
    });
  }

  it("reads the path-style URL of the file", async () => {
    await readFromSources([source(good.url)], LOCATION, validate, {
      strategy: "race",
      perSourceTimeoutMs: 1000,
      totalBudgetMs: 1000,
    });
    assert.ok(good.requests.includes(`/ipns/${NAME}/.well-known/eth/alice/text/avatar.json`));
  });

  it("reports missing when the sources that answer say 404", async () => {
    const outcome = await readFromSources([source(empty.url), source(down)], LOCATION, validate, {
      strategy: "race",
      perSourceTimeoutMs: 500,
      totalBudgetMs: 1000,
    });
    assert.deepEqual(outcome, { status: "missing", sources: [`http:${empty.url}`] });
  });

  it("reports rejected when every copy fails validation (and never returns it)", async () => {
    const outcome = await readFromSources(
      [source(garbage.url), source(empty.url)],
      LOCATION,
      validate,
      {
        strategy: "race",
        perSourceTimeoutMs: 500,
        totalBudgetMs: 1000,
      },
    );
    assert.deepEqual(outcome, {
      status: "rejected",
      rejections: [{ source: `http:${garbage.url}`, reason: "not JSON" }],
    });
  });

  it("reports unavailable when no source answers, naming each failure", async () => {
    const outcome = await readFromSources([source(down), source(hanging.url)], LOCATION, validate, {
      strategy: "race",
      perSourceTimeoutMs: 200,
      totalBudgetMs: 1000,
    });
    assert.equal(outcome.status, "unavailable");
    assert.deepEqual(
      outcome.status === "unavailable" && outcome.errors.map((e) => e.reason).sort(),
      [`http:${down}: unreachable`, "timed out"].sort(),
    );
  });

  it("ordered: stops asking once the total budget is spent", async () => {
    const outcome = await readFromSources(
      [source(hanging.url), source(hanging.url), source(good.url)],
      LOCATION,
      validate,
      { strategy: "ordered", perSourceTimeoutMs: 300, totalBudgetMs: 450 },
    );
    assert.equal(outcome.status, "unavailable");
    assert.ok(
      outcome.status === "unavailable" &&
        outcome.errors.some((e) => e.reason === "skipped: total budget spent"),
    );
  });

  it("gives up on a source that ignores its abort signal", async () => {
    const stuck: RecordSource = {
      name: "stuck",
      read: () => new Promise(() => {}),
      health: async () => false,
    };
    const outcome = await readFromSources([stuck, source(good.url)], LOCATION, validate, {
      strategy: "ordered",
      perSourceTimeoutMs: 100,
      totalBudgetMs: 1000,
    });
    assert.equal(outcome.status, "valid");
  });
});
