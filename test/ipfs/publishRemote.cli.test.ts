// `ensgate publish --routing <url> --pin <url>` as a user runs it (a separate process, offline
// signing), against the delegated routing and pinning servers of test/ipfs/remoteServers.ts.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { unmarshalIPNSRecord } from "ipns";
import { assertOneLineError, runCli, runCliJson } from "../cli/runCli.ts";
import { startPinningServer, startRoutingServer } from "./remoteServers.ts";

/** Hardhat's account #1: only signs here, offline. */
const KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKEN = "cli-pin-token";

describe("ensgate publish --routing --pin", () => {
  let dataDir: string;
  let routing: Awaited<ReturnType<typeof startRoutingServer>>;
  let pinning: Awaited<ReturnType<typeof startPinningServer>>;
  const offline = () => ["--data-dir", dataDir, "--chain-id", "31337", "--resolver", RESOLVER];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-remote-publish-"));
    routing = await startRoutingServer();
    pinning = await startPinningServer(TOKEN);
    for (const args of [
      ["keygen", "x.eth"],
      ["set", "x.eth", "text/a", "b"],
      ["set", "x.eth", "text/c", "d"],
    ]) {
      const run = await runCli([...offline(), ...args], { ENSGATE_PRIVATE_KEY: KEY });
      assert.equal(run.code, 0, run.stderr);
    }
  });
  after(async () => {
    await routing.close();
    await pinning.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses bad targets before publishing anything: one line, exit 1", async () => {
    assertOneLineError(
      await runCli([...offline(), "publish", "--pin", pinning.url]),
      /--pin needs the pinning service's token in ENSGATE_PIN_TOKEN$/,
    );
    assertOneLineError(
      await runCli([...offline(), "publish", "--routing", "not a url"]),
      /--routing: "not a url" is not an http\(s\) URL$/,
    );
    assertOneLineError(
      await runCli([
        ...offline(),
        "--ipfs",
        "http://127.0.0.1:5001",
        "publish",
        "--routing",
        routing.url,
      ]),
      /--routing sends what the embedded store signed and holds; with --ipfs http:\/\/127\.0\.0\.1:5001 the Kubo node publishes to the network itself$/,
    );
    // A service refusing: progress lines, then the one error line naming the service's answer.
    const refused = await runCli([...offline(), "publish", "--pin", pinning.url], {
      ENSGATE_PIN_TOKEN: "wrong",
    });
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(
      refused.stderr.trim().split("\n").at(-1),
      `ensgate: x.eth is published locally, but CAR upload: ${pinning.url}/car answered HTTP 401 ({"error":{"reason":"UNAUTHORIZED"}})`,
    );
  });

  it("publishes, pins the tree and sends the signed record to the routing server", async () => {
    const result = await runCliJson<{ published: { root: string; ipnsName: string }[] }>(
      [...offline(), "publish", "--routing", routing.url, "--pin", pinning.url],
      { ENSGATE_PIN_TOKEN: TOKEN },
    );
    const [published] = result.published;
    assert.ok(published);
    const record = routing.records.get(published.ipnsName);
    assert.ok(record, "the routing server holds no record");
    assert.equal(unmarshalIPNSRecord(record).value, `/ipfs/${published.root}`);
    assert.deepEqual([...pinning.pins.values()].at(-1)?.cid, published.root);
  });
});
