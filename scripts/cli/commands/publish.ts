import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { loadKeys, type StoredKeys } from "../keyStore.ts";
import { openIpfsWriter } from "../openIpfsWriter.ts";
import { type PublishResult, publishTree } from "../publisher.ts";
import { readTree, treeDir } from "../recordsTree.ts";

/** `ensgate publish [key names...]`: adds each records tree to IPFS and publishes its IPNS name. */
export async function publishCommand(context: CommandContext, keyNames: string[]): Promise<void> {
  const { config, output } = context;
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
  const { writer, close } = await openIpfsWriter(config.ipfs, join(config.dataDir, "ipfs"));
  const results: (PublishResult & { keyName: string })[] = [];
  try {
    for (const keys of keySets) {
      const files = await readTree(treeDir(config.dataDir, keys.keyName));
      output.step(
        `publishing ${Object.keys(files).length} record files of ${keys.keyName} to ${config.ipfs}`,
      );
      const result = await publishTree({
        ipfs: writer,
        target: config.ipfs,
        dataDir: config.dataDir,
        keyName: keys.keyName,
        seed: keys.ipnsSeed,
        files,
      });
      results.push({ keyName: keys.keyName, ...result });
    }
  } finally {
    await close();
  }
  output.result(
    results.map(
      (r) =>
        `${r.keyName}: ipns://${r.ipnsName} -> /ipfs/${r.root} (${r.uploaded} uploaded, ${r.removed} removed, ${r.unchanged} unchanged)`,
    ),
    results,
  );
}

/** The key sets that have a records tree. */
async function listTrees(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(join(dataDir, "trees"))).sort();
  } catch {
    return [];
  }
}
