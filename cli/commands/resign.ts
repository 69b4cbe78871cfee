// `ensgate resign <name>`: signs every record of a name in the local tree again, under the name's
// current epoch and a new validity, with the signer that signed it before (the owner's wallet or
// the derived signer, whose SIGN 3 approval is re-created for the new epoch when it needs one).
// After `ensgate revoke --epoch`, `resign` + `publish` make the name resolve again.
import { type Hex, isAddressEqual, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { readTree, treeDir, writeTreeFile } from "../../client/recordsTree.ts";
import {
  buildRecordFilePath,
  buildRecordType,
  buildWellKnownPath,
  decodeSignedRecordData,
  describeError,
  type EnsgateError,
  parseRecordFile,
  parseRecordFilePath,
  parseRecordType,
  type RecordRequest,
  serializeRecordFile,
  signRecord,
} from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import {
  approvalFor,
  currentEpoch,
  ownerAndKeys,
  signingResolver,
  validUntilFor,
} from "../signing.ts";

/** One record of the name found in the tree. */
type TreeRecord = {
  path: string;
  request: RecordRequest;
  result: Hex;
  signedBy: "owner" | "derived";
};

/** The options of `ensgate resign`, declared once (their type: OptionsOf). */
export const RESIGN_OPTIONS = {
  "--valid-for <duration>": "v2 validity: 30d, 12h, 90m or seconds (default 30d)",
  "--epoch <n>": "epoch to sign under (default: the chain's, or 0 offline)",
} as const satisfies OptionSpecs;

/** `ensgate resign <name>`: re-signs the name's records under the current epoch and validity. */
export async function resignCommand(
  context: CommandContext,
  nameArgument: string,
  options: OptionsOf<typeof RESIGN_OPTIONS>,
): Promise<void> {
  const name = parseNameArgument(nameArgument);
  const { config, output } = context;
  const chainId = await context.chainId();
  const { owner, keys } = await ownerAndKeys(context, name);
  const epoch = await currentEpoch(context, name, options.epoch);
  const resolver = signingResolver(context);
  const freshness = { validUntil: validUntilFor(options.validFor), epoch };
  const tree = treeDir(config.dataDir, keys.keyName);

  // Read and classify every record first: one record that cannot be re-signed re-signs nothing.
  const folder = buildWellKnownPath(name);
  const records: TreeRecord[] = [];
  for (const [path, content] of Object.entries(await readTree(tree))) {
    if (!path.startsWith(folder)) continue;
    let request: RecordRequest;
    let signed: ReturnType<typeof decodeSignedRecordData>;
    try {
      const file = parseRecordFile(content);
      // A subname's files sit below the name's folder too (`text.alice.eth` vs `text/…`).
      if (file.domain !== undefined && file.domain !== name) continue;
      request =
        "recordType" in file && typeof file.recordType === "string" && file.recordType !== ""
          ? parseRecordType(file.recordType)
          : parseRecordFilePath(path, name);
      if (buildRecordFilePath(name, request) !== path) continue;
      signed = decodeSignedRecordData(file.data);
    } catch (error) {
      throw new CliError(
        `cannot re-sign ${path} in the tree of ${keys.keyName}: ${(error as EnsgateError).shortMessage ?? describeError(error)}`,
      );
    }
    const signedBy = isAddressEqual(signed.signer, owner)
      ? "owner"
      : isAddressEqual(signed.signer, keys.signer)
        ? "derived"
        : undefined;
    if (!signedBy)
      throw new CliError(
        `cannot re-sign ${buildRecordType(request)} of ${name}: it is signed by ${signed.signer}, neither the owner ${owner} nor the signer ${keys.signer} of the keys of ${keys.keyName}`,
      );
    records.push({ path, request, result: signed.result, signedBy });
  }
  if (records.length === 0)
    throw new CliError(
      `no records of ${name} in the tree of ${keys.keyName}: sign some with \`ensgate set\``,
    );
  records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  let wallet: LocalAccount | undefined;
  if (records.some((record) => record.signedBy === "owner")) {
    wallet = await context.wallet();
    if (!isAddressEqual(wallet.address, owner))
      throw new CliError(
        `the wallet ${wallet.address} is not the owner ${owner} of ${name}, whose own signature some records carry`,
      );
  }
  const derived = privateKeyToAccount(keys.signerPrivateKey);
  let approval: Awaited<ReturnType<typeof approvalFor>> | undefined;
  if (records.some((record) => record.signedBy === "derived"))
    approval = await approvalFor(context, {
      name,
      signer: derived.address,
      owner,
      chainId,
      epoch,
      resolver,
    });

  output.step(`re-signing ${records.length} records of ${name} under epoch ${epoch}`);
  const files: [string, string][] = [];
  for (const record of records) {
    const file = await signRecord({
      name,
      request: record.request,
      result: record.result,
      signer: record.signedBy === "owner" ? (wallet as LocalAccount) : derived,
      owner,
      chainId,
      approvalSignature: record.signedBy === "derived" ? approval?.signature : undefined,
      freshness,
      resolver,
    });
    files.push([record.path, serializeRecordFile(file)]);
  }
  for (const [path, content] of files) await writeTreeFile(tree, path, content);

  const validUntil = new Date(Number(freshness.validUntil) * 1000).toISOString();
  output.result(
    [
      `re-signed ${records.length} records of ${name} (v2, valid until ${validUntil}, epoch ${epoch})`,
      ...(approval
        ? [
            `  signer ${derived.address}: ${approval.kind === "onchain" ? "approved on-chain" : approval.kind === "created" ? "new off-chain approval (SIGN 3)" : "off-chain approval (SIGN 3)"}`,
          ]
        : []),
      `  in the tree of ${keys.keyName}; run \`ensgate publish\` to put them on IPNS`,
    ],
    {
      name,
      tree: keys.keyName,
      owner,
      epoch: epoch.toString(),
      validUntil: freshness.validUntil.toString(),
      resolver,
      approval: approval?.kind ?? "none",
      records: records.map((record) => ({
        recordType: buildRecordType(record.request),
        path: record.path,
        signer: record.signedBy === "owner" ? owner : derived.address,
      })),
    },
  );
}
