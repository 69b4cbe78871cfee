import type { Address } from "viem";
import { formatCaip10 } from "../messages/caip10.ts";

/** Inputs of `buildRevocationMessage`. */
export type RevocationMessageParameters = {
  /** The ENS name the certificate was issued for. */
  name: string;
  /** The certificate's serial number, lowercase hex (as `X509Certificate.serialNumber`). */
  serialNumber: string;
  chainId: number | bigint;
  /** The certificate authority's records signer (the resolver's `certificateAuthority().signer`). */
  certificateAuthority: Address;
  /** The name's owner, who asks and signs. */
  owner: Address;
};

/**
 * The EIP-191 message a name's owner signs to revoke one of its certificates at the ensgate CA
 * (`POST /revoke`, `ensgate cert revoke`). It names the certificate, the CA and the chain, so a
 * signature revokes that certificate at that CA only; sending it twice revokes nothing more.
 *
 * @example
 * buildRevocationMessage({ name: "www.alice.eth", serialNumber: "3f…", chainId: 1, certificateAuthority, owner })
 * // Requesting Certificate Revocation
 * //
 * // Origin: www.alice.eth
 * // Serial Number: 3f…
 * // Certificate Authority: eip155:1:0x…
 * // Requested By: eip155:1:0x…
 */
export function buildRevocationMessage(parameters: RevocationMessageParameters): string {
  return [
    "Requesting Certificate Revocation\n",
    `Origin: ${parameters.name}`,
    `Serial Number: ${parameters.serialNumber.toLowerCase()}`,
    `Certificate Authority: ${formatCaip10(parameters.chainId, parameters.certificateAuthority)}`,
    `Requested By: ${formatCaip10(parameters.chainId, parameters.owner)}`,
  ].join("\n");
}
