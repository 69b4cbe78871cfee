// The web app served by the gateway on Cloudflare Workers (docs/webapp.md): `wrangler dev` runs
// the deployment's gateway/worker/wrangler.toml offline, whose `[assets]` serve webapp/dist while
// the worker keeps every other path. Workers have no code writing `/app-config.json`: it is a file
// the operator puts into the folder, served like the others; without it the path reaches the
// worker, which answers a JSON 4xx, and the app opens on Settings. Needs `npm run build:webapp`.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import { DEFAULT_WEBAPP_DIR } from "../../gateway/node/webAppFolder.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";
import { startWranglerDev } from "./wranglerDev.ts";

const WRANGLER_TOML = "gateway/worker/wrangler.toml";
const ROOT_SCRIPT = /<script type="module" [^>]*src="\.\/assets\/(index-[\w-]+\.js)"/;

/** The deployment's wrangler.toml with its entry and assets folder as absolute paths. */
function wranglerTomlServing(assetsDirectory: string): string {
  const toml = readFileSync(WRANGLER_TOML, "utf8");
  const main = /^main = "(.+)"$/m.exec(toml)?.[1];
  const directory = /^\[assets\]\ndirectory = "(.+)"$/m.exec(toml)?.[1];
  assert.ok(main && directory, `${WRANGLER_TOML} has no main or [assets] directory`);
  // The deployment's folder is the app's build output: the copy below stands in for it only.
  assert.equal(resolve("gateway/worker", directory), resolve(DEFAULT_WEBAPP_DIR));
  return toml
    .replace(`main = "${main}"`, `main = "${resolve("gateway/worker", main)}"`)
    .replace(`directory = "${directory}"`, `directory = "${assetsDirectory}"`);
}

describe("the web app on the Workers gateway (wrangler dev)", () => {
  let source: TestServer;
  let worker: { url: string; close: () => Promise<void> };
  let page: string;

  before(async () => {
    source = await startFileGateway(new Map());
    worker = await startWranglerDev({ ENSGATE_SOURCES: `http:${source.url}` });
  });
  after(async () => {
    await worker?.close();
    await source?.close();
  });

  it("serves the page at / and /index.html from the assets", async () => {
    const response = await fetch(`${worker.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    page = await response.text();
    assert.match(page, /<main id="app"/);
    assert.match(page, ROOT_SCRIPT);
    const index = await fetch(`${worker.url}/index.html`, { redirect: "manual" });
    // Workers assets drop `.html` with a redirect to `/` or serve it; either way the same page.
    if (index.status === 200) assert.equal(await index.text(), page);
    else {
      assert.equal(index.status, 307);
      assert.equal(index.headers.get("location"), "/");
    }
  });

  it("serves the page's script and every built asset with its content type", async () => {
    const script = ROOT_SCRIPT.exec(page)?.[1];
    assert.ok(script);
    const response = await fetch(`${worker.url}/assets/${script}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^(text|application)\/javascript/);
    assert.equal(
      await response.text(),
      readFileSync(join(DEFAULT_WEBAPP_DIR, "assets", script), "utf8"),
    );
    for (const file of readdirSync(join(DEFAULT_WEBAPP_DIR, "assets"))) {
      const asset = await fetch(`${worker.url}/assets/${file}`);
      assert.equal(asset.status, 200, file);
      if (file.endsWith(".css"))
        assert.match(asset.headers.get("content-type") ?? "", /^text\/css/);
      await asset.arrayBuffer();
    }
  });

  it("without an app-config.json in the folder, /app-config.json is the worker's JSON 404", async () => {
    const response = await fetch(`${worker.url}/app-config.json`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    // Not ok: the app's loadAppConfig keeps no served settings and opens on Settings.
    assert.deepEqual(await response.json(), {
      message: "not found: use GET /:sender/:data or POST / (EIP-3668)",
    });
  });

  it("keeps the CCIP-Read routes: /health, a bad lookup and an unknown asset get JSON answers", async () => {
    const health = await fetch(`${worker.url}/health`);
    assert.equal(health.status, 200);
    assert.ok((await health.json()).sources);
    const lookup = await fetch(`${worker.url}/0x0000000000000000000000000000000000000001/0x1234`);
    assert.equal(lookup.status, 400);
    assert.equal(typeof (await lookup.json()).message, "string");
    const missing = await fetch(`${worker.url}/assets/nope.js`);
    assert.equal(missing.status, 400);
    assert.match((await missing.json()).message, /sender/i);
    // `/` is the page for GET and EIP-3668's POST / (with its CORS preflight) for the worker.
    const post = await fetch(`${worker.url}/`, { method: "POST", body: "{}" });
    assert.equal(post.status, 400);
    assert.deepEqual(await post.json(), { message: "sender and data are required" });
    const preflight = await fetch(`${worker.url}/`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.ok(preflight.status < 300, `preflight: ${preflight.status}`);
    assert.match(preflight.headers.get("access-control-allow-methods") ?? "", /POST/);
    const head = await fetch(`${worker.url}/`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.match(head.headers.get("content-type") ?? "", /^text\/html/);
  });

  it("serves an app-config.json the operator wrote into the folder", async () => {
    const folder = mkdtempSync(join(tmpdir(), "ensgate-worker-app-"));
    const config = {
      rpcUrl: "https://rpc.example",
      chainId: 1,
      registry: "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e",
    };
    let configured: { url: string; close: () => Promise<void> } | undefined;
    try {
      cpSync(DEFAULT_WEBAPP_DIR, join(folder, "dist"), { recursive: true });
      writeFileSync(join(folder, "dist", "app-config.json"), JSON.stringify(config));
      writeFileSync(join(folder, "wrangler.toml"), wranglerTomlServing(join(folder, "dist")));
      configured = await startWranglerDev(
        { ENSGATE_SOURCES: `http:${source.url}` },
        { config: join(folder, "wrangler.toml") },
      );
      const response = await fetch(`${configured.url}/app-config.json`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
      assert.deepEqual(await response.json(), config);
      assert.equal((await fetch(`${configured.url}/health`)).status, 200);
    } finally {
      await configured?.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
