// Signed record files for gateway tests, built with the core library only.
import { type Hex, keccak256, stringToHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildRecordFilePath,
  buildRecordhash,
  dnsEncodeName,
  encodeRecordCall,
  encodeRecordValue,
  encodeResolveOffchainCall,
  namehash,
  type RecordRequest,
  serializeRecordFile,
  signRecord,
} from "../../lib/index.ts";

export const OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);
export const STRANGER = privateKeyToAccount(
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
);
export const CHAIN_ID = 31337n;
export const IPNS_NAME = "k51qzi5uqu5dglwhrswc4h7bc91b8plk3st23hauq4h6ry16nm1x2l69idegpd";
export const RECORDHASH = buildRecordhash({ protocol: "ipns", name: IPNS_NAME });
/** The resolver the test lookups come from (EIP-3668 sender); records are signed for it by default. */
export const SENDER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
/** Another resolver deployment on the same chain. */
export const OTHER_SENDER = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const FAR_FUTURE = 4_000_000_000n;

/** Signs one v2 record of `name` (bound to `resolver`) and returns the gateway-path of its file and its JSON. */
export async function buildRecordFile(
  name: string,
  request: RecordRequest,
  value: string,
  { signer = OWNER, epoch = 0n, validUntil = FAR_FUTURE, resolver = SENDER as `0x${string}` } = {},
): Promise<{ urlPath: string; json: string; data: Hex }> {
  const file = await signRecord({
    name,
    request,
    result: encodeRecordValue(request, value),
    signer,
    owner: OWNER.address,
    chainId: Number(CHAIN_ID),
    freshness: { validUntil, epoch },
    resolver,
  });
  return {
    urlPath: `/ipns/${IPNS_NAME}/${buildRecordFilePath(name, request)}`,
    json: serializeRecordFile(file),
    data: file.data,
  };
}

/** The resolver's lookup callData for `request` of `name` (what the gateway receives). */
export function lookupCallData(
  name: string,
  request: RecordRequest,
  { epoch = 0n, owner = OWNER.address } = {},
): Hex {
  return encodeResolveOffchainCall({
    dnsName: dnsEncodeName(name),
    data: encodeRecordCall(namehash(name), request),
    recordhash: RECORDHASH,
    owner,
    chainId: CHAIN_ID,
    epoch,
  });
}

/** A file whose value was changed after signing (its signature no longer matches). */
export function tamper(json: string, fromValue: string, toValue: string): string {
  const file = JSON.parse(json) as { data: Hex };
  const from = stringToHex(fromValue).slice(2);
  const to = stringToHex(toValue).slice(2);
  if (from.length !== to.length || !file.data.includes(from))
    throw new Error("tamper: values must be the same length and present");
  return JSON.stringify({ ...file, data: file.data.replace(from, to) });
}

/** A stable fingerprint of bytes, for comparing answers. */
export const fingerprint = (data: Hex) => keccak256(data);
