// The Worker of test/ipfs/publishEdits.workerd.test.ts: `POST /publish` with
// `{ ipnsKeySeed, edits: [{ path, content | null }], target }` runs publishEdits in workerd and
// answers its result (the sequence as a decimal string), or the error's name and message (422).
import type { Hex } from "viem";
import { type PublishEditsTarget, publishEdits } from "../../../ipfs/publishEdits.ts";

type PublishRequest = {
  ipnsKeySeed: Hex;
  edits: { path: string; content: string | null }[];
  target: PublishEditsTarget;
};

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST" || new URL(request.url).pathname !== "/publish")
      return new Response("POST /publish\n", { status: 404 });
    const body = (await request.json()) as PublishRequest;
    try {
      const result = await publishEdits({
        ipnsKeySeed: body.ipnsKeySeed,
        edits: body.edits.map(({ path, content }) => ({ path, content: content ?? undefined })),
        target: body.target,
      });
      return Response.json({ ...result, sequence: result.sequence.toString() });
    } catch (error) {
      const { name, message } = error as Error;
      return Response.json({ error: { name, message } }, { status: 422 });
    }
  },
};
