// Fuzzing the gateway process over HTTP: 10,000+ malformed requests must all get a JSON answer
// below 500, and the process must still be alive and healthy afterwards.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import {
  concatHex,
  encodeAbiParameters,
  type Hex,
  numberToHex,
  parseAbiParameters,
  toFunctionSelector,
} from "viem";
import { dnsEncodeName, RESOLVE_OFFCHAIN_SELECTOR } from "../../lib/index.ts";
import { isWebAppPage } from "./hostileTrafficHttp.ts";
import { startFileGateway, type TestServer } from "./httpServers.ts";
import { lookupCallData, OWNER, RECORDHASH, SENDER } from "./records.ts";

const REQUESTS = 10_500;
const CONCURRENCY = 32;

/** A small deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const bytes = (length: number): Hex =>
    `0x${Array.from({ length }, () => int(256).toString(16).padStart(2, "0")).join("")}`;
  return { int, bytes, pick: <T>(items: readonly T[]) => items[int(items.length)] as T };
}

const INVALID_NAMES = [
  "a_b.eth",
  "xn--ab.eth",
  "Upper.eth",
  "zero\u200dwidth.eth",
  "a..eth",
  "💩\u200d.eth",
  ".eth",
  "eth.",
];
const RESOLVE_OFFCHAIN_ARGS = parseAbiParameters("bytes, bytes, bytes, address, uint256, uint64");

/** One malformed request: [method, path, body]. */
function malformedRequest(random: ReturnType<typeof prng>): [string, string, string | undefined] {
  const valid = lookupCallData("alice.eth", { type: "text", key: "avatar" });
  switch (random.int(10)) {
    case 0: // random bytes as calldata
      return ["GET", `/${SENDER}/${random.bytes(random.int(300))}`, undefined];
    case 1: // truncated ABI of a real lookup
      return [
        "GET",
        `/${SENDER}/${valid.slice(0, 10 + 2 * random.int((valid.length - 10) / 2))}`,
        undefined,
      ];
    case 2: // wrong selectors with plausible bodies
      return [
        "GET",
        `/${SENDER}/${concatHex([random.bytes(4), valid.slice(10) as Hex])}`,
        undefined,
      ];
    case 3: {
      // names that fail DNS decoding or ENSIP-15, inside an otherwise valid lookup
      const name = random.pick(INVALID_NAMES);
      let dnsName: Hex;
      try {
        dnsName = dnsEncodeName(name);
      } catch {
        dnsName = random.bytes(random.int(40));
      }
      const inner = lookupCallData("alice.eth", { type: "text", key: "x" });
      const body = encodeAbiParameters(RESOLVE_OFFCHAIN_ARGS, [
        dnsName,
        `0x${inner.slice(10)}`,
        RECORDHASH,
        OWNER.address,
        31337n,
        0n,
      ]);
      return ["GET", `/${SENDER}/${RESOLVE_OFFCHAIN_SELECTOR}${body.slice(2)}`, undefined];
    }
    case 4: {
      // valid envelope, garbage inner call / recordhash / huge numbers
      const body = encodeAbiParameters(RESOLVE_OFFCHAIN_ARGS, [
        dnsEncodeName("alice.eth"),
        random.int(2)
          ? random.bytes(random.int(100))
          : concatHex([toFunctionSelector("text(bytes32,string)"), random.bytes(random.int(90))]),
        random.int(2) ? random.bytes(random.int(60)) : RECORDHASH,
        OWNER.address,
        BigInt(numberToHex(random.int(2 ** 31))),
        18446744073709551615n,
      ]);
      return ["GET", `/${SENDER}/${RESOLVE_OFFCHAIN_SELECTOR}${body.slice(2)}`, undefined];
    }
    case 5: // bad senders and non-hex paths
      return [
        "GET",
        `/${random.pick(["0x12", "zz", SENDER.slice(0, 30), "%00", `0x${"g".repeat(40)}`])}/${random.pick([valid, "nothex", "0x", "%ff%fe"])}`,
        undefined,
      ];
    case 6: // POST bodies that are not JSON objects
      return [
        "POST",
        "/",
        random.pick([
          "",
          "{",
          "[]",
          "null",
          "42",
          '"str"',
          Buffer.from(random.bytes(64).slice(2), "hex").toString("latin1"),
        ]),
      ];
    case 7: // POST with wrong field types
      return [
        "POST",
        "/",
        JSON.stringify(
          random.pick([
            { sender: 1, data: valid },
            { sender: SENDER, data: 7 },
            { data: valid },
            { sender: SENDER, data: random.bytes(random.int(500)) },
          ]),
        ),
      ];
    case 8: // oversized bodies and URLs
      return random.int(2)
        ? [
            "POST",
            "/",
            JSON.stringify({
              sender: SENDER,
              data: `0x${"ab".repeat(40_000 + random.int(10_000))}`,
            }),
          ]
        : ["GET", `/${SENDER}/0x${"cd".repeat(33_000)}`, undefined];
    default: // unknown routes and methods
      return [
        random.pick(["GET", "PUT", "DELETE", "PATCH"]),
        random.pick(["/", "/a", "/a/b/c", "/health/x", `/${SENDER}`]),
        undefined,
      ];
  }
}

describe("gateway fuzzing (a real gateway process)", () => {
  let source: TestServer;
  let child: ChildProcess;
  let url: string;

  before(async () => {
    source = await startFileGateway(new Map());
    child = spawn(process.execPath, ["gateway/node/main.ts", "--port", "0"], {
      env: {
        ...process.env,
        ENSGATE_SOURCES: `http:${source.url}`,
        ENSGATE_SOURCE_TIMEOUT_MS: "2000",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise((resolve, reject) => {
      let output = "";
      child.stdout?.on("data", (chunk) => {
        output += chunk;
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
    });
  });
  after(async () => {
    child?.kill("SIGTERM");
    await source?.close();
  });

  it(`answers ${REQUESTS} malformed requests with JSON and no 5xx, and stays alive`, async () => {
    const random = prng(0xe25);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const [method, path, body] = malformedRequest(random);
        const response = await fetch(`${url}${path}`, { method, body });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const text = await response.text();
        let json = true;
        try {
          JSON.parse(text);
        } catch {
          json = false;
        }
        const page = isWebAppPage(
          method,
          path,
          response.status,
          response.headers.get("content-type") ?? "",
        );
        if (response.status >= 500 || (!json && !page))
          failures.push(
            `${method} ${path.slice(0, 80)} -> ${response.status} ${text.slice(0, 80)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    assert.deepEqual(failures.slice(0, 5), [], `${failures.length} bad answers`);
    assert.ok([...statuses.values()].reduce((a, b) => a + b, 0) >= 10_000);
    assert.equal(child.exitCode, null, "the gateway process must still run");
    const health = await fetch(`${url}/health`);
    assert.equal(health.status, 200);
  });
});
