import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { getAddress, type Hex } from "viem";
import { describeRecordhash, readOwnerRecordhash } from "../../client/chain.ts";
import { requireSettings } from "../../client/config.ts";
import { loadKeys, type StoredKeys } from "../../client/keyStore.ts";
import { type PublishResult, publishTree } from "../../client/publishTree.ts";
import { treeDir } from "../../client/recordsTree.ts";
import {
  exportDagCar,
  type IpfsWriter,
  IpnsSequenceConflictError,
  openIpfsWriter,
  parseCid,
  pinCar,
  putIpnsRecordChecked,
  RemotePublishError,
  verifyIpnsRecord,
} from "../../ipfs/index.ts";
import { parseRecordhash } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { devnetReadWarning } from "../devnet.ts";
import { CliError } from "../errors.ts";
import { assertKeysOfOwner } from "../signing.ts";

/**
 * `ensgate publish [key names...]`: adds each records tree to IPFS and publishes its IPNS name.
 * With the chain configured, it first refuses key sets whose name changed hands (the IPNS update
 * would be signed with a former owner's key), and afterwards warns, one line per tree, when the
 * IPNS name just published is not the recordhash lookups of the name read.
 */
export async function publishCommand(
  context: CommandContext,
  keyNames: string[],
  options: PublishOptions = {},
): Promise<void> {
  const { config, output } = context;
  const pinToken = checkRemoteTargets(config.ipfs, options);
  const devnetWarning = devnetReadWarning(config.rpcUrl, config.ipfs, config.dataDir);
  if (devnetWarning) context.warn(devnetWarning);
  const names = keyNames.length > 0 ? keyNames : await listTrees(config.dataDir);
  if (names.length === 0)
    throw new CliError("nothing to publish: sign records with `ensgate set` first");
  const keySets: StoredKeys[] = [];
  for (const keyName of names) {
    const keys = await loadKeys(config.dataDir, keyName);
    if (!keys)
      throw new CliError(`no keys for ${keyName}: run \`ensgate keygen ${keyName}\` first`);
    keySets.push(keys);
  }
  // Every check before anything is uploaded: a refused tree publishes nothing.
  const warnings: string[] = [];
  for (const keys of keySets) {
    const warning = await checkOnChain(context, keys);
    if (warning) warnings.push(warning);
  }
  const { writer, close } = await openIpfsWriter(config.ipfs, join(config.dataDir, "ipfs"));
  const results: (PublishResult & { keyName: string })[] = [];
  let current: string | undefined;
  // Ctrl-C mid-publish: say what was kept (trees already published, the publish state of the one
  // in progress unchanged) and exit 130, instead of dying silently.
  const onSignal = (signal: NodeJS.Signals) => {
    const kept =
      results.length > 0
        ? `kept ${results.length} published tree${results.length === 1 ? "" : "s"} (${results.map((r) => r.keyName).join(", ")})`
        : "no tree was published";
    const partial = current
      ? `; ${current} was interrupted: some of its files may already be in ${config.ipfs}, its IPNS name may still point at its previous root, and its publish state is unchanged, so \`ensgate publish\` redoes it`
      : "";
    process.stderr.write(`\nensgate: ${signal}: publish interrupted, ${kept}${partial}\n`);
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    for (const keys of keySets) {
      current = keys.keyName;
      output.step(`publishing the record files of ${keys.keyName} to ${config.ipfs}`);
      const result = await publishTree({
        ipfs: writer,
        target: config.ipfs,
        dataDir: config.dataDir,
        keyName: keys.keyName,
        seed: keys.ipnsSeed,
        tree: treeDir(config.dataDir, keys.keyName),
      });
      await publishRemotely(context, writer, keys.keyName, result, options, pinToken);
      results.push({ keyName: keys.keyName, ...result });
      current = undefined;
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await close();
  }
  for (const warning of warnings) context.warn(warning);
  output.result(
    results.map(
      (r) =>
        `${r.keyName}: ipns://${r.ipnsName} -> /ipfs/${r.root} (${r.uploaded} uploaded, ${r.removed} removed, ${r.unchanged} unchanged)`,
    ),
    { published: results, warnings },
  );
}

/**
 * With the chain configured: throws when the name's on-chain owner is not the wallet the keys
 * came from; returns a warning when the recordhash lookups read is not this key set's IPNS name.
 */
async function checkOnChain(
  context: CommandContext,
  keys: StoredKeys,
): Promise<string | undefined> {
  if (!context.online) return undefined;
  const published = `ipns://${keys.ipnsName}`;
  if (keys.keyName.startsWith("eth:")) {
    const owner = getAddress(keys.keyName.slice("eth:".length));
    const current = await readOwnerRecordhash(
      (await context.chain()).publicClient,
      requireSettings(context.config, "resolver").resolver,
      owner,
    );
    if (pointsAt(current, keys.ipnsName)) return undefined;
    return `the wallet-wide recordhash of ${owner} is ${describeRecordhash(current)}, not ${published} published now: run \`ensgate recordhash --owner\` to point it there`;
  }
  const onchain = await context.nameContext(keys.keyName);
  if (!onchain) return undefined;
  assertKeysOfOwner(keys.keyName, onchain.owner, keys);
  if (pointsAt(onchain.recordhash, keys.ipnsName)) return undefined;
  return `the on-chain recordhash of ${keys.keyName} is ${describeRecordhash(onchain.recordhash)}, not ${published} published now: run \`ensgate recordhash ${keys.keyName}\` to point it there`;
}

/** Whether a recordhash (full contenthash or short key) is the IPNS name `ipnsName`. */
function pointsAt(recordhash: Hex, ipnsName: string): boolean {
  if (recordhash === "0x") return false;
  try {
    const target = parseRecordhash(recordhash);
    return target.protocol === "ipns" && target.name === ipnsName;
  } catch {
    return false;
  }
}

/** `publish` options: remote targets besides the IPFS node (`--routing`, `--pin`). */
export type PublishOptions = { routing?: string; pin?: string };

/** Checks the remote targets before anything is published; returns the pinning token. */
function checkRemoteTargets(target: string, options: PublishOptions): string | undefined {
  for (const [flag, url] of [
    ["--routing", options.routing],
    ["--pin", options.pin],
  ] as const) {
    if (url === undefined) continue;
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
      throw new CliError(`${flag}: "${url}" is not an http(s) URL`);
    if (target !== "embedded")
      throw new CliError(
        `${flag} sends what the embedded store signed and holds; with --ipfs ${target} the Kubo node publishes to the network itself`,
      );
  }
  if (options.pin === undefined) return undefined;
  const token = process.env.ENSGATE_PIN_TOKEN;
  if (!token) throw new CliError("--pin needs the pinning service's token in ENSGATE_PIN_TOKEN");
  return token;
}

/** Sends one published tree to the remote targets: its CAR to the pinning service, then its record. */
async function publishRemotely(
  context: CommandContext,
  writer: IpfsWriter,
  keyName: string,
  result: PublishResult,
  options: PublishOptions,
  pinToken: string | undefined,
): Promise<void> {
  const root = parseCid(result.root);
  try {
    if (options.pin !== undefined && pinToken !== undefined && writer.getBlock) {
      const getBlock = writer.getBlock;
      const { car, blocks } = await exportDagCar((cid) => getBlock(cid), root);
      context.output.step(`pinning ${blocks} blocks of ${keyName} at ${options.pin}`);
      await pinCar({ serviceUrl: options.pin, token: pinToken, root, car, name: keyName });
    }
    if (options.routing !== undefined && writer.getIpnsRecord) {
      const record = await writer.getIpnsRecord(result.ipnsName);
      if (record === undefined) throw new CliError(`no IPNS record for ${result.ipnsName}`);
      context.output.step(`sending the IPNS record of ${keyName} to ${options.routing}`);
      const { sequence } = await verifyIpnsRecord(result.ipnsName, record);
      await putIpnsRecordChecked({
        routingUrl: options.routing,
        name: result.ipnsName,
        record,
        sequence,
      });
    }
  } catch (error) {
    if (error instanceof RemotePublishError || error instanceof IpnsSequenceConflictError)
      throw new CliError(`${keyName} is published locally, but ${error.shortMessage}`);
    throw error;
  }
}

/** The key sets that have a records tree. */
async function listTrees(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(join(dataDir, "trees"))).sort();
  } catch {
    return [];
  }
}
