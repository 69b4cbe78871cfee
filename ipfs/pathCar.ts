// The blocks that prove a path (trustless gateway `format=car`, `dag-scope=entity`): every block
// from the root to the entity at the path (HAMT shards included), then the entity's own blocks (a
// file's leaves; a directory's node). A client checks each block against its CID and walks the
// path itself, so it needs no trust in the server. When the path does not exist, the blocks read
// while looking for it prove the absence just as well, so they are served too.
import { CarWriter } from "@ipld/car";
import { exporter } from "ipfs-unixfs-exporter";
import type { CID } from "multiformats/cid";
import { concatBytes } from "./bytes.ts";
import { IpfsBlockNotFoundError } from "./errors.ts";

/** The CAR media type of the trustless gateway. */
export const CAR_CONTENT_TYPE = "application/vnd.ipld.car";

/** A CARv1 (root `root`) of the blocks on `path` under `root` and of the entity there. */
export async function buildPathCar(
  getBlock: (cid: CID) => Promise<Uint8Array | undefined>,
  root: CID,
  path: string[],
): Promise<Uint8Array> {
  const blocks = new Map<string, { cid: CID; bytes: Uint8Array }>();
  const recording = {
    async *get(cid: CID) {
      const bytes = await getBlock(cid);
      if (bytes === undefined) throw new IpfsBlockNotFoundError(`block ${cid}`);
      if (!blocks.has(cid.toString())) blocks.set(cid.toString(), { cid, bytes });
      yield bytes;
    },
  };
  try {
    const entry = await exporter([root.toString(), ...path].join("/"), recording);
    if (entry.type === "file" || entry.type === "raw" || entry.type === "identity")
      for await (const _chunk of entry.content()) {
        // reading the content records the file's blocks
      }
  } catch (error) {
    if ((error as Error).name !== "NotFoundError") throw error;
  }
  const { writer, out } = CarWriter.create([root]);
  const chunks: Uint8Array[] = [];
  const collected = (async () => {
    for await (const chunk of out) chunks.push(chunk);
  })();
  for (const block of blocks.values()) await writer.put(block);
  await writer.close();
  await collected;
  return concatBytes(chunks);
}
