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
import { InvalidIpnsRecordError } from "./errors.ts";

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
export function ipnsRecordRoot(name: string, record: IPNSRecord): CID {
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
