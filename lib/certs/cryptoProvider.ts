// @peculiar/x509 signs and verifies through a WebCrypto provider. Node's own WebCrypto has no
// secp256k1, so every lib/certs function uses @peculiar/webcrypto (P-256 and K-256 alike);
// reflect-metadata must load before @peculiar/x509's ASN.1 schemas.
import "reflect-metadata";
import { Crypto } from "@peculiar/webcrypto";
import * as x509 from "@peculiar/x509";

/** The WebCrypto provider of lib/certs (handles P-256 and secp256k1 as `K-256`). */
export const certCrypto: Crypto = new Crypto();

// @peculiar/x509 falls back to its global provider where an API takes no `crypto` argument.
x509.cryptoProvider.set(certCrypto);

export { x509 };
