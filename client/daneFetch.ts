// An HTTPS client that trusts the ENS name, not a CA (`ensgate fetch`): the address comes from the
// name's A/AAAA records and the server is accepted only if its certificate matches the name's TLSA
// record (DANE-EE), both read through the verifying resolver. No root is installed and no DNS is
// asked; a record file that fails the resolver's on-chain check stops the fetch.
import http, { type IncomingHttpHeaders } from "node:http";
import tls from "node:tls";
import { DEFAULT_BRIDGE_DOMAIN, ensNameFromBridgeName, tlsaOwnerName } from "../lib/certs/index.ts";
import { DNS_RESOURCE_TYPES, describeError, normalizeName } from "../lib/index.ts";
import {
  ConnectionFailedError,
  NoAddressRecordError,
  NoTlsaRecordError,
  NotAnEnsHostError,
  TlsaMismatchError,
} from "./daneErrors.ts";
import { ClientError } from "./errors.ts";
import {
  formatTlsaRecord,
  matchesTlsa,
  readTlsaRecords,
  type TlsaRecord,
  tlsaAssociationOf,
  usableTlsaRecords,
} from "./tlsaRecords.ts";
import { readDnsRecordSet, type VerifiedRecordReader } from "./verifiedRecords.ts";

/** Options of `daneFetch`. */
export type DaneFetchOptions = {
  /** Reads records through the verifying resolver (client/verifiedRecords.ts). */
  reader: VerifiedRecordReader;
  /** The DNS bridge domain whose names map to `.eth` names (default deploy-ens-to-dns.com). */
  bridgeDomain?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Per connection attempt and for the response (default 30 s). */
  timeoutMs?: number;
  /** Largest body accepted (default 64 MiB). */
  maxBodyBytes?: number;
};

/** A response, with what it was authenticated by. */
export type DaneResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The ENS name the host maps to, and the address and port connected to. */
  ensName: string;
  address: string;
  port: number;
  /** The TLSA record the server's certificate matched. */
  tlsa: TlsaRecord;
};

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
const HTTPS_PORT = 443;

/** The ENS name of a URL host: a `.eth` name as it is, a bridge name mapped back to `.eth`. */
export function ensNameOfHost(host: string, bridgeDomain = DEFAULT_BRIDGE_DOMAIN): string {
  const lower = host.toLowerCase().replace(/\.$/, "");
  if (lower.endsWith(".eth")) {
    try {
      return normalizeName(lower);
    } catch (error) {
      throw new ClientError(`${host} is not a valid ENS name: ${describeError(error)}`);
    }
  }
  const name = ensNameFromBridgeName(lower, bridgeDomain);
  if (!name) throw new NotAnEnsHostError(host, bridgeDomain);
  return name;
}

/** The addresses of a name: its A records, then its AAAA records. */
export async function readAddressRecords(
  reader: VerifiedRecordReader,
  name: string,
): Promise<string[]> {
  const addresses: string[] = [];
  for (const resource of [DNS_RESOURCE_TYPES.A, DNS_RESOURCE_TYPES.AAAA])
    for (const answer of await readDnsRecordSet(reader, name, name, resource))
      addresses.push(answer.data as string);
  return addresses;
}

/** Fetches an https:// URL of an ENS name (or its bridge name), authenticated by DANE-EE. */
export async function daneFetch(
  input: string | URL,
  options: DaneFetchOptions,
): Promise<DaneResponse> {
  const url = parseHttpsUrl(input);
  const ensName = ensNameOfHost(url.hostname, options.bridgeDomain);
  const port = url.port ? Number(url.port) : HTTPS_PORT;
  const addresses = await readAddressRecords(options.reader, ensName);
  if (addresses.length === 0) throw new NoAddressRecordError(ensName);
  const owner = tlsaOwnerName(ensName, port);
  const records = await readTlsaRecords(options.reader, ensName, port);
  if (records.length === 0) throw new NoTlsaRecordError(owner);
  const usable = usableTlsaRecords(owner, records);

  const failures: Error[] = [];
  for (const address of addresses) {
    let socket: tls.TLSSocket;
    try {
      socket = await connectTls(address, port, url.hostname, options.timeoutMs);
    } catch (error) {
      failures.push(error as Error);
      continue;
    }
    const certificate = socket.getPeerX509Certificate();
    const der = certificate ? new Uint8Array(certificate.raw) : undefined;
    const matched = der ? usable.find((record) => matchesTlsa(der, [record])) : undefined;
    if (!der || !matched) {
      socket.destroy();
      const presented = der
        ? [
            `3 1 1 ${tlsaAssociationOf(der, { selector: 1, matchingType: 1 })}`,
            `3 0 1 ${tlsaAssociationOf(der, { selector: 0, matchingType: 1 })}`,
          ]
        : ["no certificate"];
      failures.push(
        new TlsaMismatchError(owner, `${address}:${port}`, usable.map(formatTlsaRecord), presented),
      );
      continue;
    }
    const response = await requestOverSocket(socket, url, options);
    return { ...response, ensName, address, port, tlsa: matched };
  }
  // A key mismatch says more than a refused connection: report it first.
  const mismatch = failures.find((failure) => failure instanceof TlsaMismatchError);
  if (mismatch) throw mismatch;
  throw new ConnectionFailedError(
    `cannot connect to ${ensName} on port ${port} at ${addresses.join(", ")}: ${failures.map((failure) => failure.message).join("; ")}`,
  );
}

/** Parses an `https://` URL; anything else is a one-line ClientError. */
export function parseHttpsUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new ClientError(`"${input}" is not a URL`);
  }
  if (url.protocol !== "https:") throw new ClientError(`${url.href} is not an https:// URL`);
  return url;
}

/** A TLS connection that accepts any certificate: the caller checks it against TLSA. */
function connectTls(
  address: string,
  port: number,
  servername: string,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: address,
      port,
      servername: servername.replace(/\.$/, ""),
      // DANE-EE: the certificate's issuer, names and dates do not matter (RFC 7671 §5.1); the
      // key is checked against the TLSA record before a byte of HTTP is sent.
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
    });
    const fail = (error: Error) => {
      socket.destroy();
      reject(
        new ConnectionFailedError(`TLS to ${address}:${port} failed: ${error.message}`, {
          cause: error,
        }),
      );
    };
    socket.setTimeout(timeoutMs, () => fail(new Error(`no handshake within ${timeoutMs} ms`)));
    socket.once("error", fail);
    socket.once("secureConnect", () => {
      socket.setTimeout(0);
      socket.off("error", fail);
      resolve(socket);
    });
  });
}

/** One HTTP/1.1 request over an authenticated socket; the body is read up to the limit. */
function requestOverSocket(
  socket: tls.TLSSocket,
  url: URL,
  options: DaneFetchOptions,
): Promise<Pick<DaneResponse, "status" | "headers" | "body">> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return new Promise((resolve, reject) => {
    const request = http.request({
      // No agent: the request runs over this socket, already authenticated.
      createConnection: () => socket,
      method: options.method ?? "GET",
      path: `${url.pathname}${url.search}`,
      headers: { host: url.host, connection: "close", ...options.headers },
    });
    const fail = (error: Error) => {
      request.destroy();
      socket.destroy();
      reject(
        error instanceof ClientError
          ? error
          : new ClientError(`the request to ${url.href} failed: ${error.message}`, {
              cause: error,
            }),
      );
    };
    request.setTimeout(timeoutMs, () =>
      fail(new ClientError(`${url.href} did not answer within ${timeoutMs} ms`)),
    );
    request.once("error", fail);
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes)
          return fail(new ClientError(`the body of ${url.href} exceeds ${maxBodyBytes} bytes`));
        chunks.push(chunk);
      });
      response.once("error", fail);
      response.once("end", () => {
        socket.destroy();
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        });
      });
    });
    request.end();
  });
}
