// IPNS record conventions shared by every publisher (the embedded store behind `ensgate publish`,
// publishEdits in a browser, the devnet's routing endpoint): lifetime and TTL, signing, and
// verification of a record against its name. Browser-safe: no Node imports.
import type { PrivateKey } from "@libp2p/interface";
import {
  createIPNSRecord,
  type IPNSRecord,
  marshalIPNSRecord,
  multihashToIPNSRoutingKey,
  unmarshalIPNSRecord,
} from "ipns";
import { ipnsValidator } from "ipns/validator";
import type { MultihashDigest } from "multiformats";
import type { CID } from "multiformats/cid";
import { describeError } from "../lib/errors/base.ts";
import { parseCid, parseIpnsName } from "./contentRoot.ts";
import {
  InvalidIpnsRecordError,
  IpnsRecordRollbackError,
  IpnsSequenceConflictError,
} from "./errors.ts";

/** How long a published record stays valid (its EOL): 48 hours, as Kubo and Helia. */
export const DEFAULT_IPNS_LIFETIME_MS = 48 * 60 * 60 * 1000;
/** How long resolvers may cache a record: 5 minutes, the IPNS spec's suggestion. */
export const DEFAULT_IPNS_TTL_MS = 5 * 60 * 1000;

/** The routing key (`/ipns/` + multihash) of an IPNS name. */
export function ipnsRoutingKey(name: string | CID): Uint8Array {
  const key = typeof name === "string" ? parseIpnsName(name) : name;
  return multihashToIPNSRoutingKey(key.multihash as MultihashDigest<0x00 | 0x12>);
}

/**
 * Verifies a protobuf IPNS record for `name` (signature V2 and V1 if present, EOL, size) and
 * returns it decoded; throws `InvalidIpnsRecordError`.
 */
export async function verifyIpnsRecord(name: string, bytes: Uint8Array): Promise<IPNSRecord> {
  let routingKey: Uint8Array;
  try {
    routingKey = ipnsRoutingKey(name);
  } catch (error) {
    throw new InvalidIpnsRecordError(name, "not an IPNS name", error);
  }
  try {
    await ipnsValidator(routingKey, bytes);
    return unmarshalIPNSRecord(bytes);
  } catch (error) {
    throw new InvalidIpnsRecordError(name, describeError(error), error);
  }
}

/** The root CID an IPNS record points to (`/ipfs/<cid>`); throws for any other value. */
export function ipnsRecordRoot(name: string, record: Pick<IPNSRecord, "value">): CID {
  const match = /^\/ipfs\/([^/]+)\/?$/.exec(record.value);
  if (!match)
    throw new InvalidIpnsRecordError(name, `its value "${record.value}" is not /ipfs/<cid>`);
  try {
    return parseCid(match[1] as string);
  } catch (error) {
    throw new InvalidIpnsRecordError(name, `its value "${record.value}" holds no CID`, error);
  }
}

/** Options of `signIpnsRecord`. */
export type SignIpnsRecordOptions = { lifetimeMs?: number; ttlMs?: number };

/**
 * Signs `/ipfs/<root>` at `sequence` with V1+V2 signatures (what Kubo and Helia publish) and the
 * default lifetime and TTL above; returns the protobuf record.
 */
export async function signIpnsRecord(
  privateKey: PrivateKey,
  root: CID,
  sequence: bigint,
  options: SignIpnsRecordOptions = {},
): Promise<Uint8Array> {
  const record = await createIPNSRecord(
    privateKey,
    `/ipfs/${root.toV1()}`,
    sequence,
    options.lifetimeMs ?? DEFAULT_IPNS_LIFETIME_MS,
    { v1Compatible: true, ttlNs: BigInt(options.ttlMs ?? DEFAULT_IPNS_TTL_MS) * 1_000_000n },
  );
  return marshalIPNSRecord(record);
}

/**
 * The sequence of the next record of a name: one above the record the routing service holds
 * (`held`, undefined when it holds none: the first record is sequence 1, as Helia and Kubo start),
 * never at or below a sequence this publisher has already seen (`seen`, e.g. its last publish).
 * A held sequence below `seen` is a rollback: throws `IpnsRecordRollbackError`.
 */
export function nextIpnsSequence(name: string, held: bigint | undefined, seen?: bigint): bigint {
  if (seen !== undefined && (held ?? 0n) < seen)
    throw new IpnsRecordRollbackError(name, held ?? 0n, seen);
  return (held ?? 0n) + 1n;
}

/**
 * Sends a record of `sequence` with `put`; when the service refuses it and `readHeld` shows it
 * holds a record at or above that sequence (another publish came in between), throws
 * `IpnsSequenceConflictError` instead of the bare refusal. `readHeld` is only asked on refusal.
 */
export async function sendIpnsRecord(parameters: {
  name: string;
  sequence: bigint;
  put: () => Promise<void>;
  readHeld: () => Promise<{ sequence: bigint } | undefined>;
}): Promise<void> {
  try {
    await parameters.put();
  } catch (error) {
    const held = await parameters.readHeld().catch(() => undefined);
    if (held !== undefined && held.sequence >= parameters.sequence)
      throw new IpnsSequenceConflictError(parameters.name, parameters.sequence, held.sequence);
    throw error;
  }
}
