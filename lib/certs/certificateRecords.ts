import type { RecordRequest } from "../records/recordRequest.ts";
import { assertCertificateName } from "./bridgeName.ts";
import { certificateRecordRequests } from "./certificateRecordTypes.ts";
import {
  buildPemChain,
  buildTlsaZoneLine,
  certificateCoversName,
  DEFAULT_TLSA_TTL,
} from "./chain.ts";
import type { x509 } from "./cryptoProvider.ts";
import { InvalidCertificateChainError } from "./errors.ts";

/** Inputs of `buildCertificateRecords`: the name and its issued chain, end-entity first. */
export type CertificateRecordsParameters = {
  name: string;
  chain: readonly x509.X509Certificate[];
  ttl?: number;
  port?: number;
};

/**
 * The records the CA publishes for an issued certificate, as `[request, human value]` pairs for
 * `signRecordTree`: the PEM chain as text `org.ensgate.tls.chain`, and `_443._tcp.<name>` TLSA 3 1 1.
 */
export function buildCertificateRecords(
  parameters: CertificateRecordsParameters,
): [RecordRequest, string][] {
  const { name, chain, ttl = DEFAULT_TLSA_TTL, port = 443 } = parameters;
  assertCertificateName(name);
  const [endEntity] = chain;
  if (!endEntity) throw new InvalidCertificateChainError("the chain is empty");
  if (!certificateCoversName(endEntity, name))
    throw new InvalidCertificateChainError(`the end-entity's SANs do not cover ${name}`);
  const requests = certificateRecordRequests(name, { port });
  return [
    [requests.chain, buildPemChain(chain)],
    [requests.tlsa, buildTlsaZoneLine(name, endEntity, { ttl, port })],
  ];
}
