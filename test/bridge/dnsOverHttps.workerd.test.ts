// DNS over HTTPS from the gateway inside workerd: `wrangler dev` serves the Workers entry with
// ENSGATE_BRIDGE_* pointing at the local stack's chain on 127.0.0.1, and curl's RFC 8484 GET and
// POST requests get the answers the bridge's engine gives on Node.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startWranglerDev } from "../gateway/wranglerDev.ts";
import {
  answerLines,
  type BridgeStack,
  buildQuery,
  curlDoh,
  startBridgeStack,
  ZONE,
} from "./bridgeStack.ts";

const DEMO_DNS = `demo.${ZONE}`;

describe("DNS bridge over DoH in workerd (curl)", () => {
  let bridge: BridgeStack;
  let worker: { url: string; close: () => Promise<void> };

  before(async () => {
    bridge = await startBridgeStack();
    worker = await startWranglerDev({
      ENSGATE_BRIDGE_RPC_URL: bridge.stack.rpcUrl,
      ENSGATE_BRIDGE_UNIVERSAL_RESOLVER: bridge.stack.ens.universalResolver.address,
      ENSGATE_BRIDGE_ZONE: ZONE,
    });
  });
  after(async () => {
    await worker?.close();
    await bridge?.stop();
  });

  for (const method of ["GET", "POST"] as const)
    it(`${method} /dns-query answers as the engine on Node does`, async () => {
      for (const [name, type] of [
        [DEMO_DNS, "A"],
        [DEMO_DNS, "AAAA"],
        [DEMO_DNS, "TXT"],
        [`www.${DEMO_DNS}`, "A"],
        [`_dnslink.${DEMO_DNS}`, "TXT"],
        [`nosuchname.${ZONE}`, "A"],
        [`www.${DEMO_DNS}`, "MX"],
        ["example.com", "A"],
      ] as const) {
        const fromWorker = answerLines(await curlDoh(worker.url, name, type, method));
        const onNode = await bridge.answerer.answer(buildQuery(name, type, 0), {
          transport: "https",
        });
        assert.ok(onNode);
        assert.deepEqual(fromWorker, answerLines(onNode), `${type} ${name}`);
      }
    });

  it("says 4xx with a JSON reason to a request that is not a DNS message", async () => {
    const response = await fetch(`${worker.url}/dns-query?dns=AAAA`);
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: "not a DNS query message (shorter than a header, or a response)",
    });
  });
});
