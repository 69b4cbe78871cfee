// The failures of a DANE fetch (client/daneFetch.ts), one class each, so that a caller (and a
// test) can tell "the name has no address" from "the server's key is not the one the name pins".
import { ClientError } from "./errors.ts";

/** The URL's host is neither a `.eth` name nor a name under the bridge domain. */
export class NotAnEnsHostError extends ClientError {
  override name = "NotAnEnsHostError";
  constructor(host: string, bridgeDomain: string) {
    super(`${host} is neither a .eth name nor a name under the bridge domain ${bridgeDomain}`);
  }
}

/** The name has no A or AAAA record: there is no address to connect to. */
export class NoAddressRecordError extends ClientError {
  override name = "NoAddressRecordError";
  readonly ensName: string;
  constructor(ensName: string) {
    super(`${ensName} has no A or AAAA record: no address to connect to`);
    this.ensName = ensName;
  }
}

/** The name publishes no TLSA record for the port: the server cannot be authenticated. */
export class NoTlsaRecordError extends ClientError {
  override name = "NoTlsaRecordError";
  readonly owner: string;
  constructor(owner: string) {
    super(`${owner} has no TLSA record: the server's key cannot be checked, refusing to connect`);
    this.owner = owner;
  }
}

/** TLSA records exist, but none is of a kind this client checks (DANE-EE, selector 0/1, hash 0/1/2). */
export class UnusableTlsaRecordError extends ClientError {
  override name = "UnusableTlsaRecordError";
  readonly owner: string;
  readonly records: readonly string[];
  constructor(owner: string, records: readonly string[]) {
    super(
      `${owner} has no usable TLSA record (${records.join(", ")}): only DANE-EE (usage 3) with selector 0 or 1 and matching type 0, 1 or 2 is supported`,
    );
    this.owner = owner;
    this.records = records;
  }
}

/** The server's certificate or key is not the one the name's TLSA records pin. */
export class TlsaMismatchError extends ClientError {
  override name = "TlsaMismatchError";
  readonly owner: string;
  readonly address: string;
  /** The usable TLSA records, as `3 1 1 <hex>`. */
  readonly expected: readonly string[];
  /** What the server's certificate gives: `3 1 1 <hex>` and `3 0 1 <hex>`. */
  readonly actual: readonly string[];
  constructor(
    owner: string,
    address: string,
    expected: readonly string[],
    actual: readonly string[],
  ) {
    super(
      `the server at ${address} does not hold the key ${owner} pins: TLSA expects ${expected.join(" or ")}, the server presented ${actual.join(" / ")}`,
    );
    this.owner = owner;
    this.address = address;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * The resolver reverted instead of answering: its callback refused the record file the gateway or
 * IPFS served (e.g. `InvalidRecordSignature()` for a tampered file), or the name's on-chain state
 * refuses every record (e.g. an expired name).
 */
export class RecordRejectedError extends ClientError {
  override name = "RecordRejectedError";
  constructor(what: string, reason: string, options: { cause?: unknown } = {}) {
    super(
      `the ${what} was rejected by the resolver's on-chain verification (${reason}), refusing to connect`,
      options,
    );
  }
}

/** A record could not be read at all (chain, gateway or network failure). */
export class RecordReadError extends ClientError {
  override name = "RecordReadError";
}

/** No address of the name accepted a connection. */
export class ConnectionFailedError extends ClientError {
  override name = "ConnectionFailedError";
}
