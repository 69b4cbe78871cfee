import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { base36 } from "multiformats/bases/base36";
import { type Hex, hexToBytes } from "viem";

/** The libp2p ed25519 private key of a 32-byte IPNS key seed. */
export async function ipnsPrivateKeyFromSeed(seed: Hex): Promise<Ed25519PrivateKey> {
  return generateKeyPairFromSeed("Ed25519", hexToBytes(seed));
}

/** The IPNS name (`k51…`: CIDv1, libp2p-key codec, base36) of a 32-byte ed25519 key seed. */
export async function deriveIpnsName(seed: Hex): Promise<string> {
  const peerId = peerIdFromPrivateKey(await ipnsPrivateKeyFromSeed(seed));
  return peerId.toCID().toString(base36);
}
