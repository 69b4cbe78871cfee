// The IPFS node the CA publishes its tree through: an embedded store (its own folder, or another
// process's store given with --ipfs-store, e.g. the local stack's) or a Kubo RPC URL.
import { join } from "node:path";
import { createEmbeddedIpfs, createKuboIpfs } from "../../ipfs/index.ts";
import { CliError, describeError } from "../cli/errors.ts";
import type { IpfsWriter } from "../cli/publisher.ts";

/** Opens the writer; `close` stops an embedded store. */
export async function openCaIpfs(
  target: string,
  { caDir, store }: { caDir: string; store?: string },
): Promise<{ writer: IpfsWriter; close: () => Promise<void> }> {
  if (target === "embedded") {
    const ipfs = await createEmbeddedIpfs({ directory: store ?? join(caDir, "ipfs") });
    return {
      writer: {
        addDirectory: (files) => ipfs.addDirectory(files),
        updateDirectory: (root, changes) => ipfs.updateDirectory(root, changes),
        publishName: (seed, cid) => ipfs.publishName(seed, cid),
      },
      close: () => ipfs.stop(),
    };
  }
  const kubo = createKuboIpfs({ url: target });
  try {
    await kubo.client.version({ signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new CliError(`cannot reach the Kubo RPC API at ${target} (${describeError(error)})`);
  }
  return {
    writer: {
      addDirectory: (files) => kubo.addDirectory(files),
      updateDirectory: (root, changes) => kubo.updateDirectory(root, changes),
      publishName: (seed, cid) => kubo.publishName(seed, cid),
    },
    close: async () => {},
  };
}
