import type { Address, Hex } from "viem";
import { MissingResolverError } from "../errors/message.ts";
import type { RecordFreshness } from "../messages/recordMessage.ts";
import { buildRecordFilePath } from "../records/recordPath.ts";
import type { RecordRequest } from "../records/recordRequest.ts";
import { encodeRecordValue } from "../records/recordValue.ts";
import { serializeRecordFile } from "./recordFile.ts";
import { type MessageSigner, signRecord } from "./signRecord.ts";

/** Inputs of `signRecordTree`: one name's records as human values, and who signs them. */
export type SignRecordTreeParameters = {
  /** The name the records are for; normalized (ENSIP-15) before signing. */
  name: string;
  /** Each record as its request and human value (`encodeRecordValue` parses it). */
  records: readonly (readonly [RecordRequest, string])[];
  /** Who signs SIGN 4: the owner, or an approved signer. */
  signer: MessageSigner;
  /** The name's owner. */
  owner: Address;
  chainId: number;
  /** The owner's SIGN 3 approval of `signer`, when it is approved off-chain. */
  approvalSignature?: Hex | undefined;
  /** v2 freshness, the same for every record; omit for NameSys v1 records. */
  freshness?: RecordFreshness | undefined;
  /** The resolver deployment the records are bound to. Required with `freshness` (v2). */
  resolver?: Address | undefined;
  /** Certificate records: the owner the certificate authority issued them to (`signRecord`). */
  certifiedOwner?: Address | undefined;
};

/**
 * Signs every record of a name and returns the files to publish: `.well-known/...` path -> JSON.
 * Values are parsed first, so one bad value signs nothing.
 *
 * @throws {MissingResolverError} when `freshness` is given without `resolver` (before signing anything).
 *
 * @example
 * const files = await signRecordTree({
 *   name: "alice.eth",
 *   records: [[{ type: "text", key: "avatar" }, "https://example.com/a.png"]],
 *   signer: account,
 *   owner: account.address,
 *   chainId: 1,
 *   freshness: { validUntil: 1_800_000_000n, epoch: 0n },
 *   resolver,
 * });
 * // { ".well-known/eth/alice/text/avatar.json": "{\n  \"domain\": \"alice.eth\", …" }
 */
export async function signRecordTree(
  parameters: SignRecordTreeParameters,
): Promise<Record<string, string>> {
  const { name, records, ...signing } = parameters;
  if (signing.freshness !== undefined && signing.resolver === undefined)
    throw new MissingResolverError("SIGN 4 (record)");
  const parsed = records.map(([request, value]) => ({
    request,
    result: encodeRecordValue(request, value),
  }));
  const files: Record<string, string> = {};
  for (const { request, result } of parsed) {
    const file = await signRecord({ name, request, result, ...signing });
    files[buildRecordFilePath(name, request)] = serializeRecordFile(file);
  }
  return files;
}
