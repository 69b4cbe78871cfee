// Smoke check of the core library, run by scripts/start.sh until the local stack lands:
// derives the NameSys keys of a demo wallet, signs one v2 record of every type with the derived
// signer (approved off-chain by SIGN 3), and verifies each exactly as the resolver will.
import { privateKeyToAccount } from "viem/accounts";
import {
  buildIpnsKeygenMessage,
  buildRecordFilePath,
  buildSignerKeygenMessage,
  deriveIpnsKeySeed,
  deriveIpnsName,
  deriveSignerPrivateKey,
  encodeRecordValue,
  formatCaip10,
  hashDnsOwnerName,
  type RecordRequest,
  signApproval,
  signRecord,
  verifyRecord,
} from "../lib/index.ts";

// Hardhat's first well-known development account: never holds real funds.
const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
const NAME = "demo.eth";
const CHAIN_ID = 31337;
const EPOCH = 0n;
/** The resolver the v2 records are bound to: the first contract Hardhat's first account deploys. */
const RESOLVER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const DEMO_RECORDS: [RecordRequest, string][] = [
  [{ type: "text", key: "avatar" }, "https://example.com/avatar.png"],
  [{ type: "addr" }, OWNER.address],
  [{ type: "multicoinAddr", coinType: 0n }, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"],
  [{ type: "contenthash" }, "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"],
  [{ type: "pubkey" }, "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"],
  [{ type: "name" }, NAME],
  [{ type: "interfaceImplementer", interfaceId: "0x01ffc9a7" }, OWNER.address],
  [
    { type: "abi", contentTypes: 1n },
    '[{"type":"function","name":"ping","inputs":[],"outputs":[]}]',
  ],
  [{ type: "zonehash" }, "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"],
  [
    { type: "dnsRecord", nameHash: hashDnsOwnerName(`www.${NAME}`), resource: 1 },
    `www.${NAME}. 300 IN A 192.0.2.1`,
  ],
];

const keygenParameters = { origin: NAME, chainId: CHAIN_ID, wallet: OWNER.address };
const caip10 = formatCaip10(CHAIN_ID, OWNER.address);
const ipnsSignature = await OWNER.signMessage({
  message: buildIpnsKeygenMessage(keygenParameters),
});
const signerSignature = await OWNER.signMessage({
  message: buildSignerKeygenMessage(keygenParameters),
});
const ipnsName = await deriveIpnsName(
  deriveIpnsKeySeed({ username: NAME, caip10, signature: ipnsSignature }),
);
const signer = privateKeyToAccount(
  deriveSignerPrivateKey({ username: NAME, caip10, signature: signerSignature }),
);
const approvalSignature = await signApproval({
  name: NAME,
  signer: signer.address,
  owner: OWNER,
  chainId: CHAIN_ID,
  epoch: EPOCH,
  resolver: RESOLVER,
});

console.log(
  `owner   ${OWNER.address}\nsigner  ${signer.address} (KEYGEN, approved by SIGN 3)\nipns    ipns://${ipnsName}\n`,
);
const now = BigInt(Math.floor(Date.now() / 1000));
let failures = 0;
for (const [request, value] of DEMO_RECORDS) {
  const result = encodeRecordValue(request, value);
  const file = await signRecord({
    name: NAME,
    request,
    result,
    signer,
    owner: OWNER.address,
    chainId: CHAIN_ID,
    approvalSignature,
    freshness: { validUntil: now + 86_400n, epoch: EPOCH },
    resolver: RESOLVER,
  });
  const verification = await verifyRecord(file.data, {
    name: NAME,
    request,
    chainId: CHAIN_ID,
    resolver: RESOLVER,
    owner: OWNER.address,
    epoch: EPOCH,
    now,
  });
  if (!verification.valid) failures++;
  const outcome = verification.valid
    ? `ok (${verification.rule})`
    : `REJECTED (${verification.reason})`;
  console.log(`${outcome.padEnd(24)} ${buildRecordFilePath(NAME, request)}`);
}
console.log(
  failures === 0 ? "\nsmoke check passed" : `\nsmoke check FAILED: ${failures} record(s) rejected`,
);
process.exitCode = failures === 0 ? 0 : 1;
