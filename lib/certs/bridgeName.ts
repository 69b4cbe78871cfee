import { normalizeName } from "../names/normalizeName.ts";
import { InvalidCertificateNameError } from "./errors.ts";

/** The ENS top-level label a bridge name replaces. */
export const ENS_TLD = "eth";
/** Longest DNS name in text form (RFC 1035: 255 octets on the wire). */
const MAX_DNS_TEXT_LENGTH = 253;
/** One DNS hostname label: letters, digits, inner hyphens, 1-63 characters (RFC 1123). */
const LDH_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks that `name` is a normalized `.eth` name (at least one label under `eth`) whose labels are
 * all ASCII LDH, as an X.509 dNSName needs; returns it unchanged.
 */
export function assertCertificateName(name: string): string {
  const fail = (reason: string): never => {
    throw new InvalidCertificateNameError({ value: name, reason });
  };
  let normalized: string;
  try {
    normalized = normalizeName(name);
  } catch (error) {
    return fail((error as Error).message.replace(/\.$/, ""));
  }
  if (normalized !== name) fail(`it is not normalized (normalized: "${normalized}")`);
  const labels = name.split(".");
  if (labels.length < 2 || labels.at(-1) !== ENS_TLD) fail("it is not a name under .eth");
  for (const label of labels)
    if (!LDH_LABEL.test(label))
      fail(`label "${label}" is not ASCII letters, digits and inner hyphens (1-63)`);
  if (name.length > MAX_DNS_TEXT_LENGTH)
    fail(`it is longer than ${MAX_DNS_TEXT_LENGTH} characters`);
  return name;
}

/** Checks a bridge domain (e.g. `deploy-ens-to-dns.com`): two or more lowercase LDH labels, not `.eth`. */
export function assertBridgeDomain(bridgeDomain: string): string {
  const fail = (reason: string): never => {
    throw new InvalidCertificateNameError({
      value: bridgeDomain,
      reason: `bridge domain ${reason}`,
    });
  };
  const labels = bridgeDomain.split(".");
  if (labels.length < 2) fail("needs at least two labels");
  for (const label of labels)
    if (!LDH_LABEL.test(label))
      fail(`label "${label}" is not lowercase ASCII letters, digits and inner hyphens (1-63)`);
  if (labels.at(-1) === ENS_TLD) fail("must be a DNS domain, not a .eth name");
  return bridgeDomain;
}

/** The DNS bridge name of an ENS name: `www.ee-global.eth` -> `www.ee-global.<bridgeDomain>`. */
export function bridgeName(name: string, bridgeDomain: string): string {
  assertCertificateName(name);
  assertBridgeDomain(bridgeDomain);
  const bridged = `${name.slice(0, -ENS_TLD.length)}${bridgeDomain}`;
  if (bridged.length > MAX_DNS_TEXT_LENGTH)
    throw new InvalidCertificateNameError({
      value: bridged,
      reason: `the bridge name is longer than ${MAX_DNS_TEXT_LENGTH} characters`,
    });
  return bridged;
}

/** The ENS name of a bridge name (inverse of `bridgeName`), or `undefined` if it is not one. */
export function ensNameFromBridgeName(dnsName: string, bridgeDomain: string): string | undefined {
  assertBridgeDomain(bridgeDomain);
  const lower = dnsName.toLowerCase().replace(/\.$/, "");
  if (!lower.endsWith(`.${bridgeDomain}`)) return undefined;
  const name = `${lower.slice(0, -bridgeDomain.length)}${ENS_TLD}`;
  try {
    return assertCertificateName(name);
  } catch {
    return undefined;
  }
}
