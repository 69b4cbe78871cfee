// Order validation: the DNS name, the CSR (lib/certs checks: size, DER, key type, signature,
// SANs and CN inside the name's subtree and its bridge name), and the requester's ownership of
// the name at the order's block, read as the resolver reads it (`nameContext`: registry or
// NameWrapper owner, .eth expiry). A failure is a reason for `reject(orderId, reason)`.
import { type Address, type Hex, isAddressEqual, type PublicClient } from "viem";
import { describeNameContextError, readNameContext } from "../client/chain.ts";
import type { OrderEvent } from "../client/orderContract.ts";
import {
  assertCertificateName,
  type CertificateOrderKind,
  type CertificateRequestInfo,
  CsrRejectedError,
  checkCertificateRequest,
  orderKindFromByte,
} from "../lib/certs/index.ts";
import { describeError, dnsDecodeName, normalizeName, parentName } from "../lib/index.ts";

/** A valid order: the ENS name, its kind, the owner node's name (the domain) and the parsed CSR. */
export type ValidOrder = {
  ok: true;
  name: string;
  kind: CertificateOrderKind;
  /** The name's owner node (the closest ancestor with an owner): its owner is the requester. */
  domain: string;
  info: CertificateRequestInfo;
};

/** A rejected order: `reason` goes on-chain (`<code>: <message>`). */
export type RejectedOrder = { ok: false; reason: string };

/** What validation needs from the chain. */
export type ValidationContext = {
  publicClient: PublicClient;
  /** The ensgate resolver: its `nameContext` says who owns a name. */
  resolver: Address;
  bridgeDomain: string;
};

/** Longest reason sent on-chain (the rest is cut: calldata costs gas). */
const MAX_REASON_LENGTH = 200;

const reject = (code: string, message: string): RejectedOrder => ({
  ok: false,
  reason: `${code}: ${message}`.slice(0, MAX_REASON_LENGTH),
});

/** Validates one order; never throws for a bad order (only for RPC failures). */
export async function validateOrder(
  order: OrderEvent,
  context: ValidationContext,
): Promise<ValidOrder | RejectedOrder> {
  const kind = orderKindFromByte(order.kind);
  if (!kind) return reject("unknownKind", `kind ${order.kind}`);
  let name: string;
  try {
    const decoded = dnsDecodeName(order.dnsName as Hex);
    name = normalizeName(decoded);
    if (name !== decoded) return reject("invalidName", `${decoded} is not normalized`);
    assertCertificateName(name);
  } catch (error) {
    return reject("invalidName", describeError(error));
  }
  let info: CertificateRequestInfo;
  try {
    info = await checkCertificateRequest(order.csr, {
      name,
      bridgeDomain: context.bridgeDomain,
      kind,
    });
  } catch (error) {
    if (error instanceof CsrRejectedError) return reject(error.reason, describeError(error));
    return reject("malformedCsr", describeError(error));
  }
  // An end-entity is published under the ordered name: its SANs must cover it.
  if (
    kind === "endEntity" &&
    !info.dnsNames.some((san) => san === name || san === `*.${parentName(name)}`)
  )
    return reject("nameNotInSans", `the CSR's SANs do not include ${name}`);
  const owner = await findOwner(context, name, order.blockNumber);
  if ("missing" in owner) return reject("notOwner", owner.missing);
  if (!isAddressEqual(owner.owner, order.requester))
    return reject(
      "notOwner",
      `${order.requester} does not own ${owner.domain} at block ${order.blockNumber}`,
    );
  return { ok: true, name, kind, domain: owner.domain, info };
}

/**
 * The owner of `name` and its owner node's name at `blockNumber`, from the resolver's
 * `nameContext`; `missing` says why it has none (not registered, or expired). Throws for RPC failures.
 */
async function findOwner(
  context: ValidationContext,
  name: string,
  blockNumber: bigint,
): Promise<{ domain: string; owner: Address } | { missing: string }> {
  try {
    const { ownerName, owner } = await readNameContext(
      context.publicClient,
      context.resolver,
      name,
      blockNumber,
    );
    return { domain: ownerName, owner };
  } catch (error) {
    const known = describeNameContextError(name, (error as Error).cause);
    if (known) return { missing: `${known} (block ${blockNumber})` };
    throw error;
  }
}
