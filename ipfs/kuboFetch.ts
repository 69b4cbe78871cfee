// The few Kubo RPC calls publishEdits makes, over plain `fetch` (kubo-rpc-client and
// ipfs/kuboRpc.ts pull in Node modules; these run in a browser and on Workers). The IPNS key never
// reaches Kubo: the record is signed by the caller and stored with `routing/put`, the blocks are
// read with `block/get` (each checked against its CID) and the changed ones imported as a CAR
// with `dag/import`, which pins the new root.
import type { CID } from "multiformats/cid";
import { describeError } from "../lib/errors/base.ts";
import { BlockMismatchError, IpfsBlockNotFoundError, KuboRpcError } from "./errors.ts";
import { verifyIpnsRecord } from "./ipnsRecords.ts";
import { CAR_MEDIA_TYPE } from "./remotePublish.ts";
import { checkBlock } from "./verifyBlock.ts";

type Fetch = typeof fetch;

/** Where and how to reach one Kubo RPC endpoint. */
export type KuboFetchTarget = {
  /** The RPC endpoint, e.g. `http://127.0.0.1:5001` (`/api/v0` is added). */
  rpcUrl: string;
  fetch?: Fetch;
  timeoutMs?: number;
};

/** Kubo's answer to `routing/get` of a name it has no record for. */
const KUBO_NOT_FOUND = /not found|no record|routing: not found/i;
/** Kubo's answer to `block/get` of a block it lacks offline. */
const KUBO_BLOCK_MISSING = /not found|block was not found|blockservice: key not found/i;

function callUrl(rpcUrl: string, command: string, args: Record<string, string>): string {
  const url = new URL(rpcUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, "").replace(/\/api\/v0$/, "")}/api/v0/${command}`;
  for (const [key, value] of Object.entries(args)) url.searchParams.append(key, value);
  return url.href;
}

/** POSTs one RPC command; throws `KuboRpcError` with Kubo's `Message` when it fails. */
async function call(
  target: KuboFetchTarget,
  command: string,
  args: Record<string, string>,
  body?: FormData,
): Promise<Response> {
  const url = callUrl(target.rpcUrl, command, args);
  let response: Response;
  try {
    response = await (target.fetch ?? fetch)(url, {
      method: "POST",
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 60_000),
    });
  } catch (error) {
    throw new KuboRpcError(command, `${url} is unreachable (${describeError(error)})`, {
      cause: error,
    });
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => "")).slice(0, 300);
    let reason = text.trim() || `HTTP ${response.status}`;
    try {
      const message = (JSON.parse(text) as { Message?: unknown }).Message;
      if (typeof message === "string") reason = message;
    } catch {}
    throw new KuboRpcError(command, reason, { status: response.status });
  }
  return response;
}

/** A file part of a multipart body (Kubo reads the first file of the request). */
function filePart(bytes: Uint8Array, type: string): FormData {
  const form = new FormData();
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), "file");
  return form;
}

/**
 * The record Kubo's routing holds for `name` (`routing/get /ipns/<name>`), verified for the name;
 * undefined when it has none. Kubo answers the record's bytes; older releases wrapped them in JSON
 * (a base64 string, or `{"Extra": base64}`), which is accepted too.
 */
export async function kuboGetIpnsRecord(
  target: KuboFetchTarget,
  name: string,
): Promise<{ bytes: Uint8Array; sequence: bigint; value: string } | undefined> {
  let response: Response;
  try {
    response = await call(target, "routing/get", { arg: `/ipns/${name}` });
  } catch (error) {
    if (
      error instanceof KuboRpcError &&
      error.status !== undefined &&
      KUBO_NOT_FOUND.test(error.message)
    )
      return undefined;
    throw error;
  }
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (response.headers.get("content-type")?.includes("json")) {
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
      const base64 =
        typeof parsed === "string" ? parsed : (parsed as { Extra?: unknown } | null)?.Extra;
      if (typeof base64 === "string") bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    } catch {}
  }
  const record = await verifyIpnsRecord(name, bytes);
  return { bytes, sequence: record.sequence, value: record.value };
}

/** One block from Kubo (`block/get`, offline), checked against its CID. */
export async function kuboGetBlock(target: KuboFetchTarget, cid: CID): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await call(target, "block/get", { arg: cid.toString(), offline: "true" });
  } catch (error) {
    if (
      error instanceof KuboRpcError &&
      error.status !== undefined &&
      KUBO_BLOCK_MISSING.test(error.message)
    )
      throw new IpfsBlockNotFoundError(`block ${cid} (at ${target.rpcUrl})`, error);
    throw error;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if ((await checkBlock(cid, bytes)) !== "match")
    throw new BlockMismatchError(cid.toString(), `${target.rpcUrl} (block/get)`);
  return bytes;
}

/** Imports a CAR (`dag/import`) and pins its roots. */
export async function kuboImportCar(target: KuboFetchTarget, car: Uint8Array): Promise<void> {
  const response = await call(
    target,
    "dag/import",
    { "pin-roots": "true" },
    filePart(car, CAR_MEDIA_TYPE),
  );
  await response.body?.cancel();
}

/** Stores a signed record in Kubo's routing (`routing/put /ipns/<name>`, offline allowed). */
export async function kuboPutIpnsRecord(
  target: KuboFetchTarget,
  name: string,
  record: Uint8Array,
): Promise<void> {
  const response = await call(
    target,
    "routing/put",
    { arg: `/ipns/${name}`, "allow-offline": "true" },
    filePart(record, "application/octet-stream"),
  );
  await response.body?.cancel();
}
