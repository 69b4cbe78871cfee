import type { RecordRequest } from "../records/recordRequest.ts";
import { assertCertificateName } from "./bridgeName.ts";
import { certificateRecordRequests } from "./certificateRecordTypes.ts";
import { buildPemChain, buildTlsaPin, certificateCoversName } from "./chain.ts";
import type { x509 } from "./cryptoProvider.ts";
import { InvalidCertificateChainError } from "./errors.ts";

/** Inputs of `buildCertificateRecords`: the name and its issued chain, end-entity first. */
export type CertificateRecordsParameters = {
  name: string;
  chain: readonly x509.X509Certificate[];
};

/**
 * The records the CA publishes for an issued certificate, as `[request, human value]` pairs for
 * `signRecordTree` (with `certifiedOwner`): the PEM chain as text `org.ensgate.ca.chain`, and the
 * end-entity's key pin `3 1 1 <hex>` as text `org.ensgate.ca.tlsa`.
 */
export function buildCertificateRecords(
  parameters: CertificateRecordsParameters,
): [RecordRequest, string][] {
  const { name, chain } = parameters;
  assertCertificateName(name);
  const [endEntity] = chain;
  if (!endEntity) throw new InvalidCertificateChainError("the chain is empty");
  if (!certificateCoversName(endEntity, name))
    throw new InvalidCertificateChainError(`the end-entity's SANs do not cover ${name}`);
  const requests = certificateRecordRequests();
  return [
    [requests.chain, buildPemChain(chain)],
    [requests.tlsa, buildTlsaPin(endEntity)],
  ];
}
