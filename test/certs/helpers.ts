// Shared helpers of the certificate tests: CSRs built with @peculiar/x509 and with the real
// OpenSSL binary, a temp-dir OpenSSL runner, and a root -> intermediate -> end-entity fixture.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CertificateAuthority,
  type CertificateKeyType,
  certCrypto,
  createRootCa,
  ECDSA_SHA256,
  generateCertificateKeyPair,
  issueEndEntity,
  issueIntermediateCa,
  x509,
} from "../../lib/certs/index.ts";

export const OPENSSL = "/usr/bin/openssl";
export const BRIDGE = "deploy-ens-to-dns.com";

/** Result of one OpenSSL run. */
export type OpensslResult = {
  status: number | null;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
};

/** A temp directory for OpenSSL files; `path(file)` joins, `write(file, data)` writes, `cleanup()` removes. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), "ensgate-certs-"));
  return {
    dir,
    path: (file: string) => join(dir, file),
    write: (file: string, data: string | Uint8Array) => {
      writeFileSync(join(dir, file), data);
      return join(dir, file);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs the real OpenSSL binary (never a shell). */
export function openssl(
  args: readonly string[],
  options: { cwd?: string; input?: string | Uint8Array } = {},
): OpensslResult {
  const result = spawnSync(OPENSSL, args, {
    cwd: options.cwd,
    input: options.input ?? "",
    timeout: 20_000,
  });
  return {
    status: result.status,
    stdout: result.stdout?.toString() ?? "",
    stdoutBytes: result.stdout ?? Buffer.alloc(0),
    stderr: result.stderr?.toString() ?? "",
  };
}

/** A CSR built with @peculiar/x509 (ECDSA/SHA-256), DER, and its key pair. */
export async function makeCsr({
  keyType = "P-256",
  commonName,
  dnsNames = [],
  keys,
}: {
  keyType?: CertificateKeyType;
  commonName?: string;
  dnsNames?: readonly string[];
  keys?: CryptoKeyPair;
}): Promise<{ der: Uint8Array; keys: CryptoKeyPair }> {
  const pair = keys ?? (await generateCertificateKeyPair(keyType));
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: commonName ? [{ CN: [commonName] }] : [],
      keys: pair,
      signingAlgorithm: ECDSA_SHA256,
      extensions:
        dnsNames.length > 0
          ? [
              new x509.SubjectAlternativeNameExtension(
                dnsNames.map((value) => ({ type: "dns" as const, value })),
              ),
            ]
          : [],
    },
    certCrypto,
  );
  return { der: new Uint8Array(request.rawData), keys: pair };
}

/** A CSR made by `openssl req -new` with a fresh key of `keyArgs` (e.g. `["ec", "-pkeyopt", ...]`). */
export function opensslCsr(
  dir: ReturnType<typeof tempDir>,
  { key, subject, sans }: { key: string[]; subject: string; sans?: string },
): { der: Uint8Array; keyPath: string } {
  const keyPath = dir.path(`key-${Math.random().toString(36).slice(2)}.pem`);
  const genkey = openssl(["genpkey", "-algorithm", ...key, "-out", keyPath]);
  if (genkey.status !== 0) throw new Error(`openssl genpkey: ${genkey.stderr}`);
  const csrPath = `${keyPath}.csr.der`;
  const args = [
    "req",
    "-new",
    "-key",
    keyPath,
    "-subj",
    subject,
    "-outform",
    "DER",
    "-out",
    csrPath,
  ];
  if (sans) args.push("-addext", `subjectAltName=${sans}`);
  const req = openssl(args);
  if (req.status !== 0) throw new Error(`openssl req: ${req.stderr}`);
  return { der: new Uint8Array(readFileSync(csrPath)), keyPath };
}

/** OpenSSL `genpkey` arguments of an EC key on a curve (`prime256v1`, `secp256k1`, `secp384r1`). */
export const ecKey = (curve: string) => ["EC", "-pkeyopt", `ec_paramgen_curve:${curve}`];

/** A root CA and the intermediate CA of `domain` (its key generated here, P-256 by default). */
export async function makeDomainCa(
  domain: string,
  {
    rootKeyType = "P-256",
    intermediateKeyType = "P-256",
  }: {
    rootKeyType?: CertificateKeyType;
    intermediateKeyType?: CertificateKeyType;
  } = {},
): Promise<{ root: CertificateAuthority; intermediate: CertificateAuthority }> {
  const root = await createRootCa({ keyType: rootKeyType });
  const keys = await generateCertificateKeyPair(intermediateKeyType);
  const certificate = await issueIntermediateCa({
    issuer: root,
    name: domain,
    bridgeDomain: BRIDGE,
    publicKey: keys.publicKey,
  });
  return { root, intermediate: { certificate, privateKey: keys.privateKey } };
}

/** An end-entity certificate and its key pair for `dnsNames`, issued by `issuer`. */
export async function makeEndEntity(
  issuer: CertificateAuthority,
  dnsNames: readonly string[],
  keyType: CertificateKeyType = "P-256",
): Promise<{ certificate: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await generateCertificateKeyPair(keyType);
  const certificate = await issueEndEntity({ issuer, publicKey: keys.publicKey, dnsNames });
  return { certificate, keys };
}
