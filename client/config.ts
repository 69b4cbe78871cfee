// CLI configuration: flags, then environment variables, then an optional config file, then
// defaults, in that order of precedence (documented in the README).
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Address, getAddress, isAddress } from "viem";
import { ClientError } from "./errors.ts";

/** Every setting the commands read. */
export type CliConfig = {
  /** Folder for keys, the records trees, publish state and the embedded IPFS store. */
  dataDir: string;
  /** JSON-RPC URL of the chain. */
  rpcUrl: string | undefined;
  /** The ensgate resolver contract. */
  resolver: Address | undefined;
  /** The ENS registry. */
  registry: Address | undefined;
  /** A UniversalResolver (for `resolve`). */
  universalResolver: Address | undefined;
  /** `embedded` (the store in dataDir) or a Kubo RPC URL. */
  ipfs: string;
  /** Where the owner's key comes from: a keystore file (password from ENSGATE_KEYSTORE_PASSWORD). */
  keystore: string | undefined;
  /** The chain id signed into messages when no RPC is configured (with an RPC, the node's). */
  chainId: number | undefined;
};

/** Each setting: its flag, its environment variable, its config-file key and its default. */
export const CONFIG_SETTINGS = {
  dataDir: { flag: "dataDir", env: "ENSGATE_DATA_DIR", fallback: ".ensgate" },
  rpcUrl: { flag: "rpc", env: "ENSGATE_RPC_URL", fallback: undefined },
  resolver: { flag: "resolver", env: "ENSGATE_RESOLVER", fallback: undefined },
  registry: { flag: "registry", env: "ENSGATE_REGISTRY", fallback: undefined },
  universalResolver: {
    flag: "universalResolver",
    env: "ENSGATE_UNIVERSAL_RESOLVER",
    fallback: undefined,
  },
  ipfs: { flag: "ipfs", env: "ENSGATE_IPFS", fallback: "embedded" },
  keystore: { flag: "keystore", env: "ENSGATE_KEYSTORE", fallback: undefined },
  chainId: { flag: "chainId", env: "ENSGATE_CHAIN_ID", fallback: undefined },
} as const;

/** The config file's name, looked up in the working directory (or given with --config). */
export const CONFIG_FILE = "ensgate.config.json";

/** Resolves the configuration from parsed global flags, the environment and the config file. */
export function loadCliConfig(
  flags: Record<string, string | undefined>,
  env: Record<string, string | undefined> = process.env,
): CliConfig {
  const file = readConfigFile(flags.config ?? env.ENSGATE_CONFIG);
  const pick = (setting: keyof typeof CONFIG_SETTINGS): string | undefined => {
    const { flag, env: variable, fallback } = CONFIG_SETTINGS[setting];
    const value = flags[flag] ?? env[variable] ?? file[setting] ?? fallback;
    return value === "" ? undefined : value;
  };
  const address = (setting: "resolver" | "registry" | "universalResolver") => {
    const value = pick(setting);
    if (value === undefined) return undefined;
    if (!isAddress(value)) throw new ClientError(`${setting} "${value}" is not an address`);
    return getAddress(value);
  };
  const rpcUrl = pick("rpcUrl");
  if (rpcUrl !== undefined && !URL.canParse(rpcUrl))
    throw new ClientError(`rpc "${rpcUrl}" is not a URL`);
  const ipfs = pick("ipfs") ?? "embedded";
  if (ipfs !== "embedded" && !URL.canParse(ipfs))
    throw new ClientError(`ipfs "${ipfs}" is neither "embedded" nor a Kubo RPC URL`);
  const chainId = pick("chainId");
  if (chainId !== undefined && !/^[1-9][0-9]{0,15}$/.test(chainId))
    throw new ClientError(`chain id "${chainId}" is not a positive integer`);
  return {
    chainId: chainId === undefined ? undefined : Number(chainId),
    dataDir: resolve(pick("dataDir") ?? ".ensgate"),
    rpcUrl,
    resolver: address("resolver"),
    registry: address("registry"),
    universalResolver: address("universalResolver"),
    ipfs,
    keystore: pick("keystore"),
  };
}

/** Reads the optional JSON config file; a file that exists but does not parse is an error. */
function readConfigFile(path: string | undefined): Record<string, string | undefined> {
  const file = resolve(path ?? CONFIG_FILE);
  if (!existsSync(file)) {
    if (path !== undefined) throw new ClientError(`config file ${file} does not exist`);
    return {};
  }
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as unknown;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error();
    return Object.fromEntries(
      Object.entries(parsed).map(([key, value]) => [
        key,
        value === undefined ? undefined : String(value),
      ]),
    );
  } catch {
    throw new ClientError(`config file ${file} is not a JSON object`);
  }
}

/** The settings a command needs, or a one-line error naming how to provide the missing one. */
export function requireSettings<K extends keyof CliConfig>(
  config: CliConfig,
  ...keys: K[]
): { [P in K]: NonNullable<CliConfig[P]> } {
  for (const key of keys)
    if (config[key] === undefined) {
      const { flag, env } = CONFIG_SETTINGS[key as keyof typeof CONFIG_SETTINGS];
      throw new ClientError(
        `missing ${key}: pass --${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}, set ${env}, or add "${key}" to ${CONFIG_FILE}`,
      );
    }
  return config as never;
}
