// Baseline for bench-gateway: an ENS offchain-resolver style gateway. Like ENS's
// offchain-resolver gateway, it answers EIP-3668 `GET /:sender/:callData` for
// `resolve(bytes name, bytes data)`, looks the record up in an in-memory database, ABI-encodes
// the result and signs every answer: `keccak256(0x1900 ‖ sender ‖ expires ‖ keccak(request) ‖
// keccak(result))` with the gateway's key, answering `abi.encode(result, expires, signature)`.
// itty-router on the same node:http adapter as the ensgate gateway. Prints its URL on stdout.
// The database: text records `key<i>` = `value number <i>` of every name, i < RECORDS.
import { AutoRouter } from "itty-router";
import { FastResponse } from "srvx/node";
import {
  decodeFunctionData,
  encodeAbiParameters,
  encodePacked,
  type Hex,
  keccak256,
  parseAbi,
  serializeSignature,
} from "viem";
import { sign } from "viem/accounts";
import { serveFetchHandler } from "../../gateway/node/serveGateway.ts";

const SIGNER_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const TTL_SECONDS = 300n;
const RESOLVE_ABI = parseAbi(["function resolve(bytes name, bytes data) view returns (bytes)"]);
const TEXT_ABI = parseAbi(["function text(bytes32 node, string key) view returns (string)"]);

const router = AutoRouter();
router.get("/:sender/:callData", async ({ params }) => {
  const sender = params.sender as Hex;
  const callData = (params.callData as string).replace(/\.json$/, "") as Hex;
  const { args } = decodeFunctionData({ abi: RESOLVE_ABI, data: callData });
  const [, data] = args;
  const text = decodeFunctionData({ abi: TEXT_ABI, data });
  const key = text.args[1];
  const index = /^key(\d+)$/.exec(key)?.[1];
  const value = index === undefined ? "" : `value number ${index}`;
  const result = encodeAbiParameters([{ type: "string" }], [value]);
  const expires = BigInt(Math.floor(Date.now() / 1000)) + TTL_SECONDS;
  const hash = keccak256(
    encodePacked(
      ["bytes", "address", "uint64", "bytes32", "bytes32"],
      ["0x1900", sender, expires, keccak256(callData), keccak256(result)],
    ),
  );
  const signature = serializeSignature(await sign({ hash, privateKey: SIGNER_KEY }));
  const answer = encodeAbiParameters(
    [{ type: "bytes" }, { type: "uint64" }, { type: "bytes" }],
    [result, expires, signature],
  );
  return new FastResponse(JSON.stringify({ data: answer }), {
    headers: { "content-type": "application/json" },
  });
});

const server = await serveFetchHandler((request) => router.fetch(request));
console.log(`listening on ${server.url}`);
process.once("SIGTERM", () => server.close().then(() => process.exit(0)));
