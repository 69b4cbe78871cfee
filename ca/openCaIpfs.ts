// The IPFS node the CA publishes its tree through: an embedded store (its own folder, or another
// process's store given with --ipfs-store, e.g. the local stack's) or a Kubo RPC URL.
import { join } from "node:path";
import type { IpfsWriter } from "../ipfs/index.ts";
import { openIpfsWriter } from "../ipfs/index.ts";

/** Opens the writer; `close` stops an embedded store. */
export function openCaIpfs(
  target: string,
  { caDir, store }: { caDir: string; store?: string },
): Promise<{ writer: IpfsWriter; close: () => Promise<void> }> {
  return openIpfsWriter(target, store ?? join(caDir, "ipfs"));
}
