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
