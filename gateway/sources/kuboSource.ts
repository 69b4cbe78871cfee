import { create } from "kubo-rpc-client";
import { isKuboFileMissing } from "../../ipfs/errors.ts";
import { describeError } from "../../lib/index.ts";
import { formatIpfsRoot, MAX_RECORD_FILE_BYTES, type RecordSource } from "./recordSource.ts";
import { SourceError } from "./sourceError.ts";

/** A record source that reads files through a Kubo node's RPC API (for self-hosted Node gateways). */
export function createKuboSource({ url }: { url: string }): RecordSource {
  const client = create({ url });
  const name = `kubo:${new URL(url).origin}`;
  return {
    name,
    async read({ target, path }, signal) {
      const chunks: Uint8Array[] = [];
      let total = 0;
      try {
        for await (const chunk of client.cat(`${formatIpfsRoot(target)}/${path}`, { signal })) {
          total += chunk.length;
          if (total > MAX_RECORD_FILE_BYTES)
            throw new SourceError(name, "file is over the size limit");
          chunks.push(chunk);
        }
      } catch (error) {
        if (error instanceof SourceError) throw error;
        // Kubo answers a path that does not exist with an error, not a 404.
        if (isKuboFileMissing(error)) return { status: "missing" };
        throw new SourceError(name, signal.aborted ? "timed out" : describeError(error), {
          cause: error,
        });
      }
      const body = new Uint8Array(total);
      let offset = 0;
      for (const chunk of chunks) {
        body.set(chunk, offset);
        offset += chunk.length;
      }
      return { status: "found", body };
    },
    async health(signal) {
      try {
        await client.version({ signal });
        return true;
      } catch {
        return false;
      }
    },
  };
}
