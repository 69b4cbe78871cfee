// `ensgate set <name> <type> <value>`: the type is a record type string of docs/protocol.md
// (`text/avatar`, `address/60`, `address/0`, `contenthash`, `pubkey`, `name`,
// `interface/0x01ffc9a7`, `abi/1`, `dns/zonehash`), or `dns` for a DNS RRset whose owner name and
// type come from the zone fragment. A value starting with `@` is read from that file.
import { readFileSync } from "node:fs";
import {
  hashDnsOwnerName,
  parseDnsZone,
  parseRecordType,
  type RecordRequest,
} from "../lib/index.ts";
import { CliError } from "./errors.ts";

/** Reads a `@file` value, or returns the value itself. */
export function readValueArgument(value: string): string {
  if (!value.startsWith("@")) return value;
  try {
    return readFileSync(value.slice(1), "utf8").trim();
  } catch {
    throw new CliError(`cannot read ${value.slice(1)}`);
  }
}

/** The record request of a `<type>` argument (and, for `dns`, of the zone fragment value). */
export function parseTypeArgument(type: string, value?: string): RecordRequest {
  if (type === "dns") {
    if (value === undefined)
      throw new CliError("dns needs a zone fragment value to name the RRset");
    const { name, resource } = parseDnsZone(value);
    return { type: "dnsRecord", nameHash: hashDnsOwnerName(name), resource };
  }
  try {
    return parseRecordType(type);
  } catch {
    throw new CliError(
      `unknown record type "${type}": use text/<key>, address/<coinType>, contenthash, pubkey, name, interface/0x<id>, abi/<contentType>, dns/zonehash or dns`,
    );
  }
}
