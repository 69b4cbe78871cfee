// The CA's records tree: each issued chain as signed certificate records (text
// `org.ensgate.ca.chain` and the key pin `org.ensgate.ca.tlsa`), signed by the CA's records signer
// and bound to the owner the certificate was issued to (the resolver's CA rule, docs/protocol.md
// §6a), written to <caDir>/trees/ca and published under the CA's IPNS key.
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { type PublishResult, publishTree } from "../client/publishTree.ts";
import { readTree, removeTreeFile, writeTreeFile } from "../client/recordsTree.ts";
import type { IpfsWriter } from "../ipfs/index.ts";
import {
  buildCertificateRecords,
  CERTIFICATE_CHAIN_TEXT_KEY,
  certificateRecordsName,
  parsePemChain,
} from "../lib/certs/index.ts";
import { buildRecordFilePath, type RecordRequest, signRecordTree } from "../lib/index.ts";
import { CA_TREE_KEY, type CaIdentity } from "./caFiles.ts";
import { CERTIFICATE_LOG_TEXT_KEY } from "./certificateLog.ts";
import type { StoredOrder } from "./orderStore.ts";

/** The folder of the CA's records tree. */
export const caTreeDir = (caDir: string) => join(caDir, "trees", CA_TREE_KEY);

/** An order's certificate as its records are built: the chain, and its log entry's record value. */
export type OrderCertificate = Pick<StoredOrder, "kind" | "name" | "chainPem"> & {
  /** `org.ensgate.ca.log`: `<index> <log origin>` of the certificate's `issued` log entry. */
  logRecord?: string | undefined;
};

/** The name and records of an issued order, rebuilt from its stored chain. */
export function orderRecords(order: OrderCertificate): {
  recordsName: string;
  records: [RecordRequest, string][];
  notAfter: Date;
} {
  if (!order.name || !order.chainPem) throw new Error("the order has no certificate");
  const chain = parsePemChain(order.chainPem);
  const notAfter = (chain[0] as (typeof chain)[number]).notAfter;
  const logRecords: [RecordRequest, string][] = order.logRecord
    ? [[{ type: "text", key: CERTIFICATE_LOG_TEXT_KEY }, order.logRecord]]
    : [];
  if (order.kind === 0)
    return {
      recordsName: certificateRecordsName(order.name, "intermediate"),
      records: [[{ type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY }, order.chainPem], ...logRecords],
      notAfter,
    };
  return {
    recordsName: order.name,
    records: [...buildCertificateRecords({ name: order.name, chain }), ...logRecords],
    notAfter,
  };
}

/**
 * Every record file an order's certificate may have in the CA's tree (chain, key pin, log index),
 * relative to the tree: what is removed when the certificate is withdrawn or revoked.
 */
export function orderRecordPaths(order: OrderCertificate): string[] {
  const { recordsName, records } = orderRecords(order);
  const requests = [
    ...records.map(([request]) => request),
    { type: "text", key: CERTIFICATE_LOG_TEXT_KEY } as const,
  ];
  return [...new Set(requests.map((request) => buildRecordFilePath(recordsName, request)))];
}

/** Where an order's chain is published: `ipns://<CA name>/<chain record file path>`. */
export function orderLocation(
  identity: CaIdentity,
  order: Pick<StoredOrder, "kind" | "name">,
): string {
  const recordsName = certificateRecordsName(order.name as string, order.kind);
  return `ipns://${identity.ipnsName}/${buildRecordFilePath(recordsName, { type: "text", key: CERTIFICATE_CHAIN_TEXT_KEY })}`;
}

/**
 * Signs an order's records with the CA signer (v2, valid until the certificate expires, CA epoch),
 * bound to the requester: validation checked that the requester owned the name at the order's
 * block, and the records stop verifying once anyone else owns it.
 */
export async function signOrderRecords(
  identity: CaIdentity,
  order: OrderCertificate & Pick<StoredOrder, "requester">,
  context: { chainId: number; epoch: bigint; resolver: Address },
): Promise<Record<string, string>> {
  const { recordsName, records, notAfter } = orderRecords(order);
  const signer = privateKeyToAccount(identity.signerPrivateKey);
  return signRecordTree({
    name: recordsName,
    records,
    signer,
    owner: signer.address,
    chainId: context.chainId,
    freshness: { validUntil: BigInt(Math.floor(notAfter.getTime() / 1000)), epoch: context.epoch },
    resolver: context.resolver,
    certifiedOwner: order.requester,
  });
}

/**
 * Takes a certificate's record files (chain, pin, log index) out of the CA's tree and publishes
 * the tree: a cancelled order, or a revoked certificate.
 */
export async function withdrawOrderRecords(parameters: {
  caDir: string;
  identity: CaIdentity;
  order: OrderCertificate;
  ipfs: IpfsWriter;
  ipfsTarget: string;
}): Promise<PublishResult> {
  const tree = caTreeDir(parameters.caDir);
  for (const path of orderRecordPaths(parameters.order)) await removeTreeFile(tree, path);
  return publishTree({
    ipfs: parameters.ipfs,
    target: parameters.ipfsTarget,
    dataDir: parameters.caDir,
    keyName: CA_TREE_KEY,
    seed: parameters.identity.ipnsSeed as Hex,
    files: await readTree(tree),
  });
}

/** Writes an order's signed records into the tree and publishes the whole tree (incrementally). */
export async function publishOrder(parameters: {
  caDir: string;
  identity: CaIdentity;
  order: OrderCertificate & Pick<StoredOrder, "requester">;
  chainId: number;
  epoch: bigint;
  /** The resolver whose CA rule accepts the records (their SIGN 4 `Resolver` line). */
  resolver: Address;
  ipfs: IpfsWriter;
  ipfsTarget: string;
}): Promise<PublishResult> {
  const { caDir, identity, order, ipfs, ipfsTarget } = parameters;
  const files = await signOrderRecords(identity, order, parameters);
  const tree = caTreeDir(caDir);
  for (const [path, content] of Object.entries(files)) await writeTreeFile(tree, path, content);
  return publishTree({
    ipfs,
    target: ipfsTarget,
    dataDir: caDir,
    keyName: CA_TREE_KEY,
    seed: identity.ipnsSeed as Hex,
    files: await readTree(tree),
  });
}
