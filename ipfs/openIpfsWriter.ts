// The IPFS node records are published through: an embedded store in a folder, or a Kubo RPC URL.
// Used by `ensgate publish` and by the certificate authority.

import { describeError } from "../lib/index.ts";
import { IpfsError } from "./errors.ts";
import { createEmbeddedIpfs, createKuboIpfs } from "./index.ts";
import type { IpfsWriter } from "./writer.ts";

/** Opens a writer for `target` ("embedded" uses `embeddedDirectory`); `close` stops an embedded store. */
export async function openIpfsWriter(
  target: string,
  embeddedDirectory: string,
): Promise<{ writer: IpfsWriter; close: () => Promise<void> }> {
  if (target === "embedded") {
    const ipfs = await createEmbeddedIpfs({ directory: embeddedDirectory });
    return {
      writer: {
        addDirectory: (files) => ipfs.addDirectory(files),
        updateDirectory: (root, changes) => ipfs.updateDirectory(root, changes),
        publishName: (seed, cid) => ipfs.publishName(seed, cid),
        resolvePath: (root, path) => ipfs.resolvePath(root, path),
        getBlock: (cid) => ipfs.getBlock(cid),
        getIpnsRecord: (name) => ipfs.getIpnsRecord(name),
      },
      close: () => ipfs.stop(),
    };
  }
  const kubo = createKuboIpfs({ url: target });
  try {
    await kubo.client.version({ signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    throw new IpfsError(`cannot reach the Kubo RPC API at ${target} (${describeError(error)})`, {
      cause: error,
    });
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
