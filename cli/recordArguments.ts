// `ensgate set <name> <type> <value>`: the type is a record type string of docs/protocol.md
// (`text/avatar`, `address/60`, `address/0`, `contenthash`, `pubkey`, `name`,
// `interface/0x01ffc9a7`, `abi/1`, `dns/zonehash`), or `dns` for a DNS RRset whose owner name and
// type come from the zone fragment. A value starting with `@` is read from that file.
import { readFileSync } from "node:fs";
import {
  describeError,
  getDnsResourceType,
  hashDnsOwnerName,
  parseDnsZone,
  parseRecordType,
  type RecordRequest,
} from "../lib/index.ts";
import { CliError, UsageError } from "./errors.ts";

/** Reads a `@file` value, or returns the value itself. */
export function readValueArgument(value: string): string {
  if (!value.startsWith("@")) return value;
  try {
    return readFileSync(value.slice(1), "utf8").trim();
  } catch {
    throw new CliError(`cannot read ${value.slice(1)}`);
  }
}

/**
 * The record request `ensgate resolve` and `unset` look up: a record type string, or
 * `dns <owner name> <type>` (e.g. `dns www.alice.eth A`), whose hash and type number are computed
 * here. Unknown types are usage errors (exit 2).
 */
export function parseLookupArguments(type: string, rest: string[] = []): RecordRequest {
  if (type === "dns" && rest.length > 0) {
    if (rest.length !== 2)
      throw new UsageError("dns needs an owner name and a type, e.g. `dns www.alice.eth A`");
    const [ownerName, typeName] = rest as [string, string];
    let resource: number;
    try {
      resource = /^\d+$/.test(typeName) ? Number(typeName) : getDnsResourceType(typeName);
    } catch (error) {
      throw new UsageError(describeError(error));
    }
    return { type: "dnsRecord", nameHash: hashDnsOwnerName(ownerName), resource };
  }
  if (rest.length > 0)
    throw new UsageError(`unexpected arguments after ${type}: ${rest.join(" ")}`);
  return parseTypeArgument(type);
}

/** The record request of a `<type>` argument (and, for `dns`, of the zone fragment value). */
export function parseTypeArgument(type: string, value?: string): RecordRequest {
  if (type === "dns") {
    if (value === undefined)
      throw new UsageError(
        "dns needs a zone fragment value (set) or an owner name and a type (resolve: `dns www.alice.eth A`)",
      );
    const { name, resource } = parseDnsZone(value);
    return { type: "dnsRecord", nameHash: hashDnsOwnerName(name), resource };
  }
  try {
    return parseRecordType(type);
  } catch {
    throw new UsageError(
      `unknown record type "${type}": use text/<key>, address/<coinType>, contenthash, pubkey, name, interface/0x<id>, abi/<contentType>, dns/zonehash or dns`,
    );
  }
}
