import type { IpfsReader } from "../../ipfs/index.ts";
import { describeError } from "../../lib/index.ts";
import type { RecordSource } from "./recordSource.ts";
import { SourceError } from "./sourceError.ts";

/** A record source reading the embedded IPFS store directly (the local stack and self-hosted gateways). */
export function createEmbeddedSource(reader: IpfsReader, label = "embedded"): RecordSource {
  const name = `embedded:${label}`;
  return {
    name,
    async read({ target, path }, signal) {
      try {
        const body = await reader.readFile(
          target.protocol === "ipns" ? target.name : target.cid,
          path,
        );
        if (signal.aborted) throw new SourceError(name, "timed out");
        return body === undefined ? { status: "missing" } : { status: "found", body };
      } catch (error) {
        if (error instanceof SourceError) throw error;
        // An IPNS name this store never saw is "not published here", which is a missing record.
        if ((error as Error).name === "IpnsNotFoundError") return { status: "missing" };
        throw new SourceError(name, describeError(error), { cause: error });
      }
    },
    async health() {
      return true;
    },
  };
}
