// Real certificates for the log tests: issued by lib/certs under a fresh root, as the CA does.
import { createRootCa, generateCertificateKeyPair, issueEndEntity } from "../../lib/certs/index.ts";
import { encodeLogEntry, issuedEntry } from "../../lib/tlog/index.ts";

export const OWNER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

/** `count` end-entity certificates (DER) for host<i>.alice.eth. */
export async function issueCertificates(count: number): Promise<Uint8Array[]> {
  const root = await createRootCa();
  const certificates: Uint8Array[] = [];
  for (let index = 0; index < count; index++) {
    const keys = await generateCertificateKeyPair("P-256");
    const certificate = await issueEndEntity({
      issuer: root,
      publicKey: keys.publicKey,
      dnsNames: [`host${index}.alice.eth`],
    });
    certificates.push(new Uint8Array(certificate.rawData));
  }
  return certificates;
}

/** The issued entry bytes of certificate `index` of `issueCertificates`. */
export const issuedEntryBytes = (certificate: Uint8Array, index: number) =>
  encodeLogEntry(issuedEntry({ name: `host${index}.alice.eth`, owner: OWNER, certificate }));
