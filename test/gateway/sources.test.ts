import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createHttpGatewaySource } from "../../gateway/sources/httpGatewaySource.ts";
import { readFromSources, type ValidateFile } from "../../gateway/sources/readFromSources.ts";
import type { RecordLocation, RecordSource } from "../../gateway/sources/recordSource.ts";
import { SourceError } from "../../gateway/sources/sourceError.ts";
import { isConnectionReset } from "../../gateway/sources/sourceFetch.ts";
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

describe("a connection reset under a source request", () => {
  /** A server that resets the connection of its first `resets` requests, then serves FILE. */
  const startResettingServer = async (resets: number) => {
    let requests = 0;
    const server = createServer((request, response) => {
      requests++;
      if (requests <= resets) {
        request.socket.resetAndDestroy();
        return;
      }
      response.writeHead(200, { "content-type": "application/json" }).end(FILE);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      requests: () => requests,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  };

  it("is sent again once: a single reset is not a failure", async () => {
    const server = await startResettingServer(1);
    try {
      const source = createHttpGatewaySource({ url: server.url });
      const answer = await source.read(LOCATION, AbortSignal.timeout(5000));
      assert.equal(answer.status, "found");
      assert.equal(server.requests(), 2);
    } finally {
      await server.close();
    }
  });

  it("fails as unreachable when the second attempt is reset too (two requests, no more)", async () => {
    const server = await startResettingServer(2);
    try {
      const source = createHttpGatewaySource({ url: server.url });
      await assert.rejects(source.read(LOCATION, AbortSignal.timeout(5000)), (error: Error) => {
        assert.ok(error instanceof SourceError);
        assert.equal(error.message, `http:${server.url}: unreachable`);
        assert.ok(isConnectionReset(error.cause));
        return true;
      });
      assert.equal(server.requests(), 2);
    } finally {
      await server.close();
    }
  });

  it("is not retried when the server is down (connection refused)", async () => {
    assert.equal(isConnectionReset(Object.assign(new Error("x"), { code: "ECONNREFUSED" })), false);
    assert.equal(
      isConnectionReset(new TypeError("fetch failed", { cause: { code: "ECONNRESET" } })),
      true,
    );
  });
});
