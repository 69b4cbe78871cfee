// The CA's data folder: the root CA (key + certificate), the CA's identity (records signer and
// IPNS key), the CA-held per-domain intermediates, the order database and the published tree.
//
//   <caDir>/root.key.pem          root private key (PKCS#8, 0600)
//   <caDir>/root.pem              root certificate (the trust anchor clients install, 0644)
//   <caDir>/identity.json         records signer key and IPNS seed (0600)
//   <caDir>/intermediates/<domain>.key.pem, <domain>.pem   CA-held domain CAs (key 0600)
//   <caDir>/orders.sqlite         cursor and order states
//   <caDir>/trees/ca/...          the signed certificate records (published as the CA's IPNS tree)
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Address, bytesToHex, getAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { writeFileAtomic } from "../client/files.ts";
import {
  type CertificateAuthority,
  type CertificateKeyType,
  createRootCa,
  DEFAULT_BRIDGE_DOMAIN,
  exportPrivateKeyPem,
  importPrivateKeyPem,
  keyTypeOf,
  x509,
} from "../lib/certs/index.ts";
import { buildRecordhash, deriveIpnsName } from "../lib/index.ts";
import { CaError } from "./errors.ts";

/** The CA's Ethereum and IPNS identity (identity.json). */
export type CaIdentity = {
  version: 1;
  /** Records signer: signs the certificate records; the resolver's `caSigner`. */
  signer: Address;
  signerPrivateKey: Hex;
  /** ed25519 seed of the CA's IPNS key, and its `k51…` name. */
  ipnsSeed: Hex;
  ipnsName: string;
  /** The DNS bridge domain certificates also cover (e.g. `deploy-ens-to-dns.com`). */
  bridgeDomain: string;
  rootKeyType: CertificateKeyType;
};

/** A loaded CA folder. */
export type CaFolder = {
  dir: string;
  identity: CaIdentity;
  root: CertificateAuthority;
  rootPemPath: string;
  /** The CA tree's recordhash (full IPNS contenthash) for `setCertificateAuthority`. */
  recordhash: Hex;
};

/** The key name of the CA's records tree and publish state. */
export const CA_TREE_KEY = "ca";

export const caPaths = (dir: string) => ({
  rootKey: join(dir, "root.key.pem"),
  rootCert: join(dir, "root.pem"),
  identity: join(dir, "identity.json"),
  database: join(dir, "orders.sqlite"),
  intermediateKey: (domain: string) => join(dir, "intermediates", `${domain}.key.pem`),
  intermediateCert: (domain: string) => join(dir, "intermediates", `${domain}.pem`),
});

/** Creates a CA folder: the root (P-256 by default), a random records signer and IPNS key. */
export async function initCaFolder(
  dir: string,
  options: { bridgeDomain?: string; rootKeyType?: CertificateKeyType; commonName?: string } = {},
): Promise<CaFolder> {
  const paths = caPaths(dir);
  if (existsSync(paths.identity) || existsSync(paths.rootKey))
    throw new CaError(`${dir} already holds a CA: refusing to overwrite it`);
  const rootKeyType = options.rootKeyType ?? "P-256";
  const root = await createRootCa({ keyType: rootKeyType, commonName: options.commonName });
  const signerPrivateKey = bytesToHex(randomBytes(32));
  const ipnsSeed = bytesToHex(randomBytes(32));
  const identity: CaIdentity = {
    version: 1,
    signer: privateKeyToAccount(signerPrivateKey).address,
    signerPrivateKey,
    ipnsSeed,
    ipnsName: await deriveIpnsName(ipnsSeed),
    bridgeDomain: options.bridgeDomain ?? DEFAULT_BRIDGE_DOMAIN,
    rootKeyType,
  };
  await writeFileAtomic(paths.rootKey, await exportPrivateKeyPem(root.privateKey), 0o600);
  await writeFileAtomic(paths.rootCert, `${root.certificate.toString("pem")}\n`, 0o644);
  await writeFileAtomic(paths.identity, `${JSON.stringify(identity, null, 2)}\n`, 0o600);
  return loadCaFolder(dir);
}

/** Loads a CA folder made by `initCaFolder`; a one-line error when it is missing. */
export async function loadCaFolder(dir: string): Promise<CaFolder> {
  const paths = caPaths(dir);
  if (!existsSync(paths.identity))
    throw new CaError(`no CA in ${dir}: run \`ensgate ca init\` first`);
  const identity = JSON.parse(await readFile(paths.identity, "utf8")) as CaIdentity;
  if (getAddress(privateKeyToAccount(identity.signerPrivateKey).address) !== identity.signer)
    throw new CaError(`${paths.identity} is corrupt: its signer key does not match its address`);
  const certificate = new x509.X509Certificate(await readFile(paths.rootCert, "utf8"));
  const keys = await importPrivateKeyPem(
    await readFile(paths.rootKey, "utf8"),
    identity.rootKeyType,
  );
  return {
    dir,
    identity,
    root: { certificate, privateKey: keys.privateKey },
    rootPemPath: paths.rootCert,
    recordhash: buildRecordhash({ protocol: "ipns", name: identity.ipnsName }),
  };
}

/** The CA-held intermediate of `domain`, or undefined when none was issued yet. */
export async function loadIntermediate(
  dir: string,
  domain: string,
): Promise<CertificateAuthority | undefined> {
  const paths = caPaths(dir);
  if (!existsSync(paths.intermediateCert(domain))) return undefined;
  const certificate = new x509.X509Certificate(
    await readFile(paths.intermediateCert(domain), "utf8"),
  );
  const keyType = keyTypeOf(certificate.publicKey);
  if (!keyType) throw new CaError(`intermediate of ${domain} has an unsupported key`);
  const keys = await importPrivateKeyPem(
    await readFile(paths.intermediateKey(domain), "utf8"),
    keyType,
  );
  return { certificate, privateKey: keys.privateKey };
}

/** Saves a CA-held intermediate: the key first (0600), then the certificate (its presence marks it). */
export async function saveIntermediate(
  dir: string,
  domain: string,
  authority: CertificateAuthority,
): Promise<void> {
  const paths = caPaths(dir);
  await writeFileAtomic(
    paths.intermediateKey(domain),
    await exportPrivateKeyPem(authority.privateKey),
    0o600,
  );
  await writeFileAtomic(
    paths.intermediateCert(domain),
    `${authority.certificate.toString("pem")}\n`,
    0o644,
  );
}
