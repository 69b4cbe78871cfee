// Gas report of the EnsgateResolver on Hardhat's in-process chain.
// Usage: node scripts/bench-gas.ts [--json]
// Method: contracts/test/GasHarness.sol measures gasleft() around a STATICCALL to the (warm)
// resolver inside an eth_call: callee execution gas + the 100-gas warm CALL, cold storage, no
// 21,000 intrinsic gas, no transaction calldata cost. Deterministic: same figures on every run.
import { readFileSync } from "node:fs";
import { type Address, encodeFunctionData, type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  namehash,
  type RecordRequest,
  signApproval,
  signRecord,
} from "../lib/index.ts";
import {
  deployFixture,
  GATEWAY_SERVICES,
  IPFS_GATEWAYS,
  lookupOf,
  makeIpnsKey,
  walletSigner,
} from "../test/contracts/helpers.ts";

const TARGETS = {
  resolve: 20_000,
  callbackOwner: 25_000,
  callbackOffchainApproved: 40_000,
} as const;

const fixture = await deployFixture();
// ENSGATE_RESOLVER_BYTECODE=<json file with {"bytecode"}> measures another build of the same source
// (e.g. compiled with viaIR) in place of the Hardhat artifact.
const f = process.env.ENSGATE_RESOLVER_BYTECODE
  ? { ...fixture, resolver: await deployBuild(process.env.ENSGATE_RESOLVER_BYTECODE) }
  : fixture;

async function deployBuild(file: string): Promise<typeof fixture.resolver> {
  const { bytecode } = JSON.parse(readFileSync(file, "utf8")) as { bytecode: Hex };
  const hash = await fixture.admin.deployContract({
    abi: fixture.resolver.abi,
    bytecode,
    args: [
      fixture.ens.address,
      fixture.wrapper.address,
      fixture.admin.account.address,
      IPFS_GATEWAYS,
      GATEWAY_SERVICES,
    ],
  });
  const { contractAddress } = await fixture.publicClient.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new Error("deployment failed");
  return fixture.viem.getContractAt("EnsgateResolver", contractAddress);
}
const harness = await f.viem.deployContract("GasHarness");
const name = "alice.eth";
const node = namehash(name);
const alice = walletSigner(f.alice);
const signer = privateKeyToAccount(keccak256(stringToHex("ensgate bench records signer")));
await f.register("alice.eth", f.alice.account.address);
await f.resolver.write.setRecordhash([node, (await makeIpnsKey(1)).key], {
  account: f.alice.account,
});
await f.resolver.write.approve([node, signer.address, true], { account: f.alice.account });
const offchainSigner = privateKeyToAccount(keccak256(stringToHex("ensgate bench offchain signer")));
const now = BigInt((await f.publicClient.getBlock()).timestamp);
const freshness = { validUntil: now + 86_400n, epoch: 0n };

async function measure(payload: Hex): Promise<{ gas: number; reverted: boolean }> {
  const [gas, reverted] = await f.resolver.read
    .supportsInterface(["0x01ffc9a7"])
    .then(() => harness.read.measure([f.resolver.address as Address, payload]));
  return { gas: Number(gas), reverted };
}

const avatar: RecordRequest = { type: "text", key: "avatar" };
const avatarValue = encodeRecordValue(avatar, "https://example.com/avatar.png");

async function callbackGas(
  request: RecordRequest,
  value: string,
  options: Partial<Parameters<typeof signRecord>[0]> = {},
) {
  const lookup = await lookupOf(f, dnsEncodeName(name), encodeRecordCall(node, request));
  const file = await signRecord({
    name,
    request,
    result: encodeRecordValue(request, value),
    signer: alice,
    owner: f.alice.account.address,
    chainId: f.chainId,
    ...options,
  });
  const payload = encodeFunctionData({
    abi: f.resolver.abi,
    functionName: "resolveCallback",
    args: [file.data, lookup.extraData],
  });
  const { gas, reverted } = await measure(payload);
  if (reverted)
    throw new Error(
      `callback reverted for ${JSON.stringify(request, (_, v) => (typeof v === "bigint" ? `${v}` : v))}`,
    );
  return gas;
}

const resolveRun = await measure(
  encodeFunctionData({
    abi: f.resolver.abi,
    functionName: "resolve",
    args: [dnsEncodeName(name), encodeRecordCall(node, avatar)],
  }),
);
if (!resolveRun.reverted) throw new Error("resolve() did not revert");
const resolveWildcard = await measure(
  encodeFunctionData({
    abi: f.resolver.abi,
    functionName: "resolve",
    args: [dnsEncodeName(`sub.${name}`), encodeRecordCall(namehash(`sub.${name}`), avatar)],
  }),
);
const url = "https://example.com/avatar.png";
const v2Approval = await signApproval({
  name,
  signer: offchainSigner.address,
  owner: alice,
  chainId: f.chainId,
  epoch: 0n,
});
const v1Approval = await signApproval({
  name,
  signer: offchainSigner.address,
  owner: alice,
  chainId: f.chainId,
});

const rows: [string, string, number, number | undefined][] = [
  ["resolve", "resolve() -> OffchainLookup (text, alice.eth)", resolveRun.gas, TARGETS.resolve],
  [
    "resolveWildcard",
    "resolve() -> OffchainLookup (text, sub.alice.eth wildcard)",
    resolveWildcard.gas,
    TARGETS.resolve,
  ],
  [
    "callbackOwnerV1",
    "callback: owner-signed text, v1",
    await callbackGas(avatar, url),
    TARGETS.callbackOwner,
  ],
  [
    "callbackOwner",
    "callback: owner-signed text, v2",
    await callbackGas(avatar, url, { freshness }),
    TARGETS.callbackOwner,
  ],
  [
    "callbackOnchainApproved",
    "callback: on-chain approved signer, text v2",
    await callbackGas(avatar, url, { signer, freshness }),
    TARGETS.callbackOwner,
  ],
  [
    "callbackOffchainApprovedV1",
    "callback: off-chain approved signer (SIGN 3), text v1",
    await callbackGas(avatar, url, { signer: offchainSigner, approvalSignature: v1Approval }),
    TARGETS.callbackOffchainApproved,
  ],
  [
    "callbackOffchainApproved",
    "callback: off-chain approved signer (SIGN 3), text v2",
    await callbackGas(avatar, url, {
      signer: offchainSigner,
      approvalSignature: v2Approval,
      freshness,
    }),
    TARGETS.callbackOffchainApproved,
  ],
  [
    "callbackAddr",
    "callback: owner-signed addr, v2",
    await callbackGas({ type: "addr" }, f.alice.account.address, { freshness }),
    TARGETS.callbackOwner,
  ],
  [
    "callbackContenthash",
    "callback: owner-signed contenthash, v2",
    await callbackGas(
      { type: "contenthash" },
      "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
      { freshness },
    ),
    TARGETS.callbackOwner,
  ],
];
void avatarValue;

if (process.argv.includes("--json")) {
  console.log(JSON.stringify(Object.fromEntries(rows.map(([key, , gas]) => [key, gas]))));
} else {
  console.log("EnsgateResolver gas (GasHarness: gasleft() around a warm STATICCALL in eth_call;");
  console.log("excludes the 21,000 intrinsic gas and calldata cost; cold storage)\n");
  const width = Math.max(...rows.map(([, label]) => label.length));
  console.log(`${"case".padEnd(width)}  ${"gas".padStart(7)}  ${"target".padStart(7)}  ok`);
  for (const [, label, gas, target] of rows)
    console.log(
      `${label.padEnd(width)}  ${gas.toLocaleString("en-US").padStart(7)}  ${(target?.toLocaleString("en-US") ?? "").padStart(7)}  ${target === undefined || gas <= target ? "yes" : "OVER"}`,
    );
}
