import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { encodeFunctionData, parseAbi } from "viem";
import { createCcipReadRouter } from "../../gateway/ccipReadRouter.ts";
import { BadRequestError } from "../../gateway/errors.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";

const abi = parseAbi([
  "function add(uint256 a, uint256 b) view returns (uint256)",
  "function boom() view returns (uint256)",
  "function reject() view returns (uint256)",
]);
const SENDER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("CCIP-Read router over HTTP", () => {
  let server: RunningServer;
  before(async () => {
    const router = createCcipReadRouter({ maxBodyBytes: 1024 });
    router.add({
      type: "function add(uint256 a, uint256 b) view returns (uint256)",
      handle: ([a, b]) => [(a as bigint) + (b as bigint)],
    });
    router.add({
      type: "function boom() view returns (uint256)",
      handle: () => {
        throw new Error("database on fire");
      },
    });
    router.add({
      type: "function reject() view returns (uint256)",
      handle: () => {
        throw new BadRequestError("not today", 409);
      },
    });
    server = await serveFetchHandler(router.fetch);
  });
  after(() => server.close());

  const addData = encodeFunctionData({ abi, functionName: "add", args: [2n, 3n] });
  const five = `0x${"0".repeat(63)}5`;

  it("answers GET /:sender/:data with {data}", async () => {
    const response = await fetch(`${server.url}/${SENDER}/${addData}`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: five });
  });

  it("accepts a .json suffix on GET", async () => {
    const response = await fetch(`${server.url}/${SENDER}/${addData}.json`);
    assert.deepEqual(await response.json(), { data: five });
  });

  it("answers POST / with {sender, data}", async () => {
    const response = await fetch(`${server.url}/`, {
      method: "POST",
      body: JSON.stringify({ sender: SENDER, data: addData }),
    });
    assert.deepEqual(await response.json(), { data: five });
  });

  const badRequests: [string, () => Promise<Response>, number, RegExp][] = [
    ["bad hex", () => fetch(`${server.url}/${SENDER}/0xzz12345678`), 400, /0x-hex/],
    ["bad address", () => fetch(`${server.url}/0x1234/${addData}`), 400, /not an address/],
    [
      "unknown selector",
      () => fetch(`${server.url}/${SENDER}/0xdeadbeef`),
      404,
      /no handler for function selector 0xdeadbeef/,
    ],
    [
      "undecodable arguments",
      () => fetch(`${server.url}/${SENDER}/${addData.slice(0, 20)}`),
      400,
      /^a: missing \(calldata too short\)$/,
    ],
    [
      "non-JSON body",
      () => fetch(`${server.url}/`, { method: "POST", body: "{nope" }),
      400,
      /JSON/,
    ],
    [
      "missing fields",
      () => fetch(`${server.url}/`, { method: "POST", body: "{}" }),
      400,
      /sender and data are required/,
    ],
    [
      "oversized body",
      () =>
        fetch(`${server.url}/`, {
          method: "POST",
          body: JSON.stringify({ sender: SENDER, data: `0x${"00".repeat(2000)}` }),
        }),
      413,
      /too large/,
    ],
    [
      "oversized GET",
      () => fetch(`${server.url}/${SENDER}/0x${"00".repeat(2000)}`),
      413,
      /too large/,
    ],
    [
      "handler's own 4xx",
      () => fetch(`${server.url}/${SENDER}/${encodeFunctionData({ abi, functionName: "reject" })}`),
      409,
      /not today/,
    ],
    ["unknown route", () => fetch(`${server.url}/a/b/c`), 404, /./],
  ];
  for (const [label, send, status, message] of badRequests)
    it(`answers ${label} with ${status} and a JSON reason`, async () => {
      const response = await send();
      assert.equal(response.status, status);
      assert.match(response.headers.get("content-type") ?? "", /application\/json/);
      const body = (await response.json()) as { message?: string; error?: string };
      assert.match(body.message ?? body.error ?? "", message);
    });

  it("answers an unexpected handler failure with 500 and hides its details", async () => {
    const response = await fetch(
      `${server.url}/${SENDER}/${encodeFunctionData({ abi, functionName: "boom" })}`,
    );
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { message: "internal error" });
  });
});
