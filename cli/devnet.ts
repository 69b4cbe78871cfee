// What `ensgate dev` tells other ensgate processes about itself: while it runs, a small JSON file
// in the system temp folder names its RPC URL and the data dir whose IPFS store its gateway reads.
// `ensgate publish` reads them to warn when it publishes somewhere the devnet cannot read.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A running devnet, as announced by `ensgate dev`. */
export type DevnetInfo = { pid: number; rpcUrl: string; dataDir: string; ipfsStore: string };

const DEVNETS_DIR = join(tmpdir(), "ensgate-devnets");

/** The IPFS store the embedded target of a data dir uses (the devnet's gateway reads its own). */
export const embeddedStoreOf = (dataDir: string) => resolve(dataDir, "ipfs");

/** Announces a devnet; the returned function withdraws the announcement. */
export function announceDevnet(info: Omit<DevnetInfo, "pid">): () => void {
  mkdirSync(DEVNETS_DIR, { recursive: true });
  const file = join(DEVNETS_DIR, `${process.pid}.json`);
  writeFileSync(file, JSON.stringify({ pid: process.pid, ...info }));
  return () => rmSync(file, { force: true });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The running devnet whose chain is `rpcUrl`, if any. */
export function findDevnet(rpcUrl: string): DevnetInfo | undefined {
  let files: string[];
  try {
    files = readdirSync(DEVNETS_DIR);
  } catch {
    return undefined;
  }
  const wanted = rpcUrl.replace(/\/+$/, "");
  for (const file of files) {
    try {
      const info = JSON.parse(readFileSync(join(DEVNETS_DIR, file), "utf8")) as DevnetInfo;
      if (info.rpcUrl.replace(/\/+$/, "") === wanted && alive(info.pid)) return info;
    } catch {
      // A file being written or removed: not a devnet to compare with.
    }
  }
  return undefined;
}

/**
 * A warning when `ensgate publish` to `ipfs` (embedded in `dataDir`, or a Kubo URL) would put the
 * records where the devnet on `rpcUrl` cannot read them; undefined otherwise.
 */
export function devnetReadWarning(
  rpcUrl: string | undefined,
  ipfs: string,
  dataDir: string,
): string | undefined {
  if (!rpcUrl) return undefined;
  const devnet = findDevnet(rpcUrl);
  if (!devnet) return undefined;
  const target = ipfs === "embedded" ? embeddedStoreOf(dataDir) : ipfs;
  if (target === devnet.ipfsStore) return undefined;
  return `the devnet at ${devnet.rpcUrl} reads records from the IPFS store in ${devnet.ipfsStore}, not from ${target} where this publish goes: pass --data-dir ${devnet.dataDir} (and the embedded --ipfs) to publish where it reads`;
}
