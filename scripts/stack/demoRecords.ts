import type { Address } from "viem";
import { hashDnsOwnerName, type RecordRequest } from "../../lib/index.ts";

/**
 * One record of every type for a demo name, with values derived from the name so each name
 * answers differently. `ensgate dev` publishes it for `demo.eth`; the end-to-end and CLI tests
 * publish it for their names.
 */
export function demoRecordSet(name: string, owner: Address): [RecordRequest, string][] {
  return [
    [{ type: "text", key: "avatar" }, `https://ens.example/${name}.png`],
    [{ type: "text", key: "url" }, `https://${name}.example`],
    [{ type: "addr" }, owner],
    [{ type: "multicoinAddr", coinType: 0n }, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"],
    [{ type: "multicoinAddr", coinType: 2147483658n }, owner],
    [{ type: "contenthash" }, "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"],
    [{ type: "pubkey" }, "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"],
    [{ type: "name" }, name],
    [{ type: "interfaceImplementer", interfaceId: "0x01ffc9a7" }, owner],
    [
      { type: "abi", contentTypes: 1n },
      '[{"type":"function","name":"ping","inputs":[],"outputs":[]}]',
    ],
    [{ type: "zonehash" }, "ipfs://bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"],
    [
      { type: "dnsRecord", nameHash: hashDnsOwnerName(`www.${name}`), resource: 1 },
      `www.${name}. 300 IN A 192.0.2.1`,
    ],
  ];
}

/**
 * The DNS records of a demo name for the DNS bridge (docs/bridge.md), kept in the name's own tree
 * and keyed by owner name: A, AAAA, TXT, MX and CAA at the name, A/AAAA/TXT at `www`, a CNAME,
 * an SRV and a TLSA RRset. `www.<name>` A is in `demoRecordSet`. The TLSA RRset is the owner's own
 * (an owner keeps every record type; the CA's pin of an issued certificate is a separate record
 * the bridge adds, docs/protocol.md §6a).
 */
export function dnsDemoRecordSet(name: string): [RecordRequest, string][] {
  const rrset = (owner: string, resource: number, zone: string): [RecordRequest, string] => [
    { type: "dnsRecord", nameHash: hashDnsOwnerName(owner), resource },
    zone,
  ];
  return [
    rrset(name, 1, `${name}. 300 IN A 192.0.2.10`),
    rrset(name, 28, `${name}. 300 IN AAAA 2001:db8::10`),
    rrset(
      name,
      16,
      `${name}. 300 IN TXT "v=ensgate1 demo"\n${name}. 300 IN TXT "hello from ${name}"`,
    ),
    rrset(name, 15, `${name}. 300 IN MX 10 mail.${name}.`),
    rrset(name, 257, `${name}. 300 IN CAA 0 issue "letsencrypt.org"`),
    rrset(`www.${name}`, 28, `www.${name}. 300 IN AAAA 2001:db8::1`),
    rrset(`www.${name}`, 16, `www.${name}. 300 IN TXT "www of ${name}"`),
    rrset(`mail.${name}`, 1, `mail.${name}. 300 IN A 192.0.2.25`),
    rrset(`alias.${name}`, 5, `alias.${name}. 300 IN CNAME www.${name}.`),
    rrset(`_sip._tcp.${name}`, 33, `_sip._tcp.${name}. 300 IN SRV 10 5 5060 sip.${name}.`),
    rrset(`_443._tcp.${name}`, 52, `_443._tcp.${name}. 300 IN TLSA 3 1 1 ${"ab".repeat(32)}`),
  ];
}
