import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  buildIpnsKeygenMessage,
  deriveIpnsKeySeed,
  formatCaip10,
  WELL_KNOWN_ROOT,
} from "../../lib/index.ts";

/** Hardhat account #0: a throwaway test wallet. */
export const TEST_OWNER = privateKeyToAccount(
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
);

/** An IPNS key seed derived the lib way: KEYGEN over the wallet's signature of the IPNS message. */
export async function deriveTestIpnsSeed(username = "alice.eth"): Promise<Hex> {
  const caip10 = formatCaip10(1, TEST_OWNER.address);
  const message = buildIpnsKeygenMessage({
    origin: username,
    chainId: 1,
    wallet: TEST_OWNER.address,
  });
  const signature = await TEST_OWNER.signMessage({ message });
  return deriveIpnsKeySeed({ username, caip10, signature });
}

/** A fresh temporary directory and its cleanup. */
export async function makeTempDirectory(
  prefix = "ensgate-ipfs-",
): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A small tree of record-like files under the well-known root. */
export function recordTree(): Record<string, string> {
  const root = WELL_KNOWN_ROOT;
  return {
    [`${root}/eth/alice/text/avatar.json`]: JSON.stringify({ value: "https://example.com/a.png" }),
    [`${root}/eth/alice/text/url.json`]: JSON.stringify({ value: "https://alice.example" }),
    [`${root}/eth/alice/addr/60.json`]: JSON.stringify({ value: "0x01" }),
    [`${root}/eth/alice/bob/addr/60.json`]: JSON.stringify({ value: "0x02" }),
  };
}
