// `_dnslink.<name>` TXT from the name's contenthash, as eth.limo answers it (the DNSLink spec:
// `dnslink=/ipfs/<cid>` or `dnslink=/ipns/<name>`).
import type { Hex } from "viem";
import { formatContenthash } from "../records/values/contenthashValue.ts";

/** The label under which DNSLink lives. */
export const DNSLINK_LABEL = "_dnslink";

/** The DNSLink TXT value of ENSIP-7 contenthash bytes; undefined for an empty or non-IPFS/IPNS hash. */
export function dnslinkFromContenthash(contenthash: Hex): string | undefined {
  let formatted: string;
  try {
    formatted = formatContenthash(contenthash);
  } catch {
    return undefined;
  }
  const match = /^(ipfs|ipns):\/\/(.+)$/.exec(formatted);
  return match ? `dnslink=/${match[1]}/${match[2]}` : undefined;
}

/** The ENS name whose contenthash a `_dnslink.<name>` query asks for, or undefined. */
export function dnslinkTarget(ensName: string): string | undefined {
  const prefix = `${DNSLINK_LABEL}.`;
  if (!ensName.startsWith(prefix)) return undefined;
  const target = ensName.slice(prefix.length);
  return target.includes(".") ? target : undefined;
}
