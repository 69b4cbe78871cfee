import type { Address, Hex } from "viem";
import type { RecordFreshness } from "../messages/recordMessage.ts";
import { buildRecordFilePath } from "../records/recordPath.ts";
import type { RecordRequest } from "../records/recordRequest.ts";
import { encodeRecordValue } from "../records/recordValue.ts";
import { serializeRecordFile } from "./recordFile.ts";
import { type MessageSigner, signRecord } from "./signRecord.ts";

/** Inputs of `signRecordTree`: one name's records as human values, and who signs them. */
export type SignRecordTreeParameters = {
  name: string;
  records: readonly (readonly [RecordRequest, string])[];
  signer: MessageSigner;
  owner: Address;
  chainId: number;
  approvalSignature?: Hex | undefined;
  freshness?: RecordFreshness | undefined;
};

/**
 * Signs every record of a name and returns the files to publish: `.well-known/...` path -> JSON.
 * Values are parsed first, so one bad value signs nothing.
 */
export async function signRecordTree(
  parameters: SignRecordTreeParameters,
): Promise<Record<string, string>> {
  const { name, records, ...signing } = parameters;
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
