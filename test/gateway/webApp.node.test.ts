// The web app served by the Node gateway (gateway/node/buildNodeGateway.ts, ENSGATE_WEBAPP_DIR):
// the built webapp/dist at `/`, hashed assets cached for a year, the page revalidated, and the
// CCIP-Read routes untouched. Needs `npm run build:webapp` (scripts/test.sh runs it first).
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseGatewayConfig } from "../../gateway/config.ts";
import { buildNodeGateway } from "../../gateway/node/buildNodeGateway.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { DEFAULT_WEBAPP_DIR } from "../../gateway/node/webAppFolder.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";

describe("the web app on the Node gateway", () => {
  let source: TestServer;
  let server: RunningServer;
  before(async () => {
    source = await startFileGateway(new Map());
    server = await serveFetchHandler(
      buildNodeGateway(parseGatewayConfig({ ENSGATE_SOURCES: `http:${source.url}` })).fetch,
    );
  });
  after(async () => {
    await server?.close();
    await source?.close();
  });

  it("serves index.html at / with a revalidated cache", async () => {
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(response.headers.get("cache-control"), "no-cache");
    assert.match(
      await response.text(),
      /<script type="module" [^>]*src="\.\/assets\/index-[\w-]+\.js"/,
    );
  });

  it("serves every hashed asset with its content type, cached as immutable", async () => {
    const assets = readdirSync(join(DEFAULT_WEBAPP_DIR, "assets"));
    assert.ok(assets.some((file) => file.endsWith(".js")));
    for (const file of assets) {
      const response = await fetch(`${server.url}/assets/${file}`);
      assert.equal(response.status, 200, file);
      const type = file.endsWith(".js")
        ? "text/javascript; charset=utf-8"
        : file.endsWith(".css")
          ? "text/css; charset=utf-8"
          : undefined;
      if (type) assert.equal(response.headers.get("content-type"), type, file);
      assert.equal(response.headers.get("cache-control"), "public, max-age=31536000, immutable");
      await response.arrayBuffer();
    }
  });

  it("keeps the API routes: an unknown asset and a lookup get the gateway's JSON answers", async () => {
    const missing = await fetch(`${server.url}/assets/nope.js`);
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).message, /sender/i);
    const health = await fetch(`${server.url}/health`);
    assert.ok((await health.json()).sources);
    const lookup = await fetch(`${server.url}/0x0000000000000000000000000000000000000001/0x1234`);
    assert.equal(lookup.status, 400);
    const post = await fetch(`${server.url}/`, { method: "POST", body: "{}" });
    assert.equal(post.status, 400);
    assert.deepEqual(await post.json(), { message: "sender and data are required" });
  });

  it("ENSGATE_WEBAPP_DIR=off serves no app; a folder without index.html is a configuration error", async () => {
    const off = await serveFetchHandler(
      buildNodeGateway(
        parseGatewayConfig({ ENSGATE_SOURCES: `http:${source.url}`, ENSGATE_WEBAPP_DIR: "off" }),
      ).fetch,
    );
    try {
      const response = await fetch(`${off.url}/`);
      assert.equal(response.status, 404);
      assert.match((await response.json()).message, /EIP-3668/);
    } finally {
      await off.close();
    }
    const empty = mkdtempSync(join(tmpdir(), "ensgate-webapp-"));
    try {
      writeFileSync(join(empty, "app.js"), "");
      assert.throws(
        () =>
          buildNodeGateway(
            parseGatewayConfig({
              ENSGATE_SOURCES: `http:${source.url}`,
              ENSGATE_WEBAPP_DIR: empty,
            }),
          ),
        { message: `ENSGATE_WEBAPP_DIR: ${empty} has no index.html (npm run build:webapp)` },
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
