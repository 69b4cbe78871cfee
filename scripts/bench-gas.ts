// Gas report of the EnsgateResolver on Hardhat's in-process chain.
// Usage: node scripts/bench-gas.ts [--json]   (npm run bench:gas -- --json)
// Method: contracts/test/GasHarness.sol measures gasleft() around a STATICCALL to the (warm)
// resolver inside an eth_call: callee execution gas + the 100-gas warm CALL, cold storage, no
// 21,000 intrinsic gas, no transaction calldata cost. Deterministic: same figures on every run.
// ENSGATE_RESOLVER_BYTECODE=<json file with {"bytecode"}> measures another build of the same source
// (e.g. compiled with viaIR) in place of the Hardhat artifact.
// --json prints one object: {"<case>": {"gas", "target", "pass"[, "informational"]}, ..., "pass"},
// where the top-level "pass" is true when every non-informational case is within its target.
import { encodeFunctionData, type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  namehash,
  type RecordRequest,
  type SignRecordParameters,
  signApproval,
  signRecord,
} from "../lib/index.ts";
import { deployGasFixture, ipnsKey, walletSigner } from "./bench/gasFixture.ts";
import { type Target, withTargets } from "./bench/targets.ts";

/**
 * Gas targets, one per case. `resolve` (a 2-label name) and the callbacks are binding. The wildcard
 * lookups are informational: they grow with the number of labels (one registry read per ancestor
 * until the owner node, one settings read per node), so they get their own, looser targets and do
 * not decide the overall pass.
 */
const TARGETS = {
  resolve: { max: 30_000 },
  resolveWildcard: { max: 40_000, informational: true },
  resolveWildcard4: { max: 60_000, informational: true },
  callbackOwnerV1: { max: 25_000 },
  callbackOwner: { max: 25_000 },
  callbackOnchainApproved: { max: 25_000 },
  callbackOffchainApprovedV1: { max: 40_000 },
  callbackOffchainApproved: { max: 40_000 },
  callbackAddr: { max: 25_000 },
  callbackContenthash: { max: 25_000 },
} as const satisfies Record<string, Target & { max: number }>;
type Case = keyof typeof TARGETS;

const f = await deployGasFixture(process.env.ENSGATE_RESOLVER_BYTECODE);
const name = "alice.eth";
const node = namehash(name);
const alice = walletSigner(f.alice);
const onchainSigner = privateKeyToAccount(keccak256(stringToHex("ensgate bench records signer")));
const offchainSigner = privateKeyToAccount(keccak256(stringToHex("ensgate bench offchain signer")));
await f.register(name, f.alice.account.address);
await f.resolver.write.setRecordhash([node, await ipnsKey(1)], { account: f.alice.account });
await f.resolver.write.approve([node, onchainSigner.address, true], { account: f.alice.account });
const { timestamp } = await f.publicClient.getBlock();
const freshness = { validUntil: timestamp + 86_400n, epoch: 0n };

const avatar: RecordRequest = { type: "text", key: "avatar" };
const url = "https://example.com/avatar.png";

/** Gas of `resolve(name, text(avatar))`, which must revert with OffchainLookup. */
async function resolveGas(forName: string): Promise<number> {
  const { gas, reverted } = await f.measure(
    encodeFunctionData({
      abi: f.resolver.abi,
      functionName: "resolve",
      args: [dnsEncodeName(forName), encodeRecordCall(namehash(forName), avatar)],
    }),
  );
  if (!reverted) throw new Error(`resolve(${forName}) did not revert with OffchainLookup`);
  return gas;
}

/** Gas of the callback verifying a record of `name` signed as `options` say; it must succeed. */
async function callbackGas(
  request: RecordRequest,
  value: string,
  options: Partial<SignRecordParameters> = {},
): Promise<number> {
  const extraData = await f.lookupExtraData(dnsEncodeName(name), encodeRecordCall(node, request));
  const file = await signRecord({
    name,
    request,
    result: encodeRecordValue(request, value),
    signer: alice,
    owner: f.alice.account.address,
    chainId: f.chainId,
    resolver: f.resolver.address,
    ...options,
  });
  const { gas, reverted } = await f.measure(
    encodeFunctionData({
      abi: f.resolver.abi,
      functionName: "resolveCallback",
      args: [file.data as Hex, extraData],
    }),
  );
  if (reverted) throw new Error(`the callback reverted for ${JSON.stringify(request)}`);
  return gas;
}

const approval = (epoch?: bigint) =>
  signApproval({
    name,
    signer: offchainSigner.address,
    owner: alice,
    chainId: f.chainId,
    epoch,
    resolver: f.resolver.address,
  });

const rows: [Case, string, number][] = [
  ["resolve", "resolve() -> OffchainLookup (text, alice.eth)", await resolveGas(name)],
  [
    "resolveWildcard",
    "resolve() -> OffchainLookup (text, sub.alice.eth wildcard)",
    await resolveGas(`sub.${name}`),
  ],
  [
    "resolveWildcard4",
    "resolve() -> OffchainLookup (text, a.b.sub.alice.eth wildcard)",
    await resolveGas(`a.b.sub.${name}`),
  ],
  ["callbackOwnerV1", "callback: owner-signed text, v1", await callbackGas(avatar, url)],
  [
    "callbackOwner",
    "callback: owner-signed text, v2",
    await callbackGas(avatar, url, { freshness }),
  ],
  [
    "callbackOnchainApproved",
    "callback: on-chain approved signer, text v2",
    await callbackGas(avatar, url, { signer: onchainSigner, freshness }),
  ],
  [
    "callbackOffchainApprovedV1",
    "callback: off-chain approved signer (SIGN 3), text v1",
    await callbackGas(avatar, url, {
      signer: offchainSigner,
      approvalSignature: await approval(),
    }),
  ],
  [
    "callbackOffchainApproved",
    "callback: off-chain approved signer (SIGN 3), text v2",
    await callbackGas(avatar, url, {
      signer: offchainSigner,
      approvalSignature: await approval(0n),
      freshness,
    }),
  ],
  [
    "callbackAddr",
    "callback: owner-signed addr, v2",
    await callbackGas({ type: "addr" }, f.alice.account.address, { freshness }),
  ],
  [
    "callbackContenthash",
    "callback: owner-signed contenthash, v2",
    await callbackGas(
      { type: "contenthash" },
      "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      { freshness },
    ),
  ],
];
await f.connection.close();

const { pass: passes, ok: pass } = withTargets(
  Object.fromEntries(rows.map(([key, , gas]) => [key, gas])) as Record<Case, number>,
  TARGETS,
);
const results = rows.map(([key, label, gas]) => {
  const { max: target, informational = false } = TARGETS[key] as Target & { max: number };
  return { key, label, gas, target, informational, pass: passes[key] };
});

if (process.argv.includes("--json")) {
  const report: Record<string, unknown> = {};
  for (const { key, gas, target, pass, informational } of results)
    report[key] = informational ? { gas, target, pass, informational } : { gas, target, pass };
  report.pass = pass;
  console.log(JSON.stringify(report));
} else {
  console.log("EnsgateResolver gas (GasHarness: gasleft() around a warm STATICCALL in eth_call;");
  console.log("excludes the 21,000 intrinsic gas and calldata cost; cold storage)\n");
  const width = Math.max(...results.map((r) => r.label.length));
  console.log(`${"case".padEnd(width)}  ${"gas".padStart(7)}  ${"target".padStart(7)}  pass`);
  for (const r of results)
    console.log(
      `${r.label.padEnd(width)}  ${r.gas.toLocaleString("en-US").padStart(7)}  ${r.target.toLocaleString("en-US").padStart(7)}  ${r.pass ? "yes" : "OVER"}${r.informational ? " (informational)" : ""}`,
    );
  console.log(`\n${pass ? "all binding targets met" : "some binding target is OVER"}`);
}
