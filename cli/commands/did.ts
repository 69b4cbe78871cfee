import { getAddress, isAddress } from "viem";
import { requireSettings } from "../../client/config.ts";
import { createDidResolve, KNOWN_ENS_CHAINS } from "../../did/index.ts";
import { ENS_DID_NETWORKS, encodeDidName, normalizeName } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The did:ens network name of the local development chain (Hardhat, anvil). */
const LOCAL_NETWORK = { name: "localhost", chainId: 31337 };

/** The options of `ensgate did`, declared once (their type: OptionsOf). */
export const DID_OPTIONS = {
  "--network <name>":
    "did:ens network of the chain (default: mainnet, sepolia, holesky, goerli by chain id; localhost for 31337)",
  "--name-wrapper <address>": "the NameWrapper (default: the known one on chains 1 and 11155111)",
} as const satisfies OptionSpecs;

/**
 * `ensgate did <did or name>`: resolves a did:ens DID on the configured chain, the way the
 * gateway's `/1.0/identifiers/{did}` does (owner from the registry, text records through the
 * UniversalResolver with CCIP-Read, verified by the resolver's callback). A bare name means
 * `did:ens:<network>:<name>`, the network being the chain's (`--network` overrides). Prints the
 * DID document; `--json` prints the whole resolution result. Errors: one line, exit 1.
 */
export async function didCommand(
  context: CommandContext,
  argument: string,
  options: OptionsOf<typeof DID_OPTIONS>,
): Promise<void> {
  const { config } = context;
  const { rpcUrl } = requireSettings(config, "rpcUrl");
  const chainId = (await context.chain()).chain.id;
  const network = options.network ?? networkOf(chainId);
  if (!KNOWN_ENS_CHAINS[chainId]) requireSettings(config, "registry", "universalResolver");
  let nameWrapper: `0x${string}` | undefined;
  if (options.nameWrapper !== undefined) {
    if (!isAddress(options.nameWrapper, { strict: false }))
      throw new CliError(`name wrapper "${options.nameWrapper}" is not an address`);
    nameWrapper = getAddress(options.nameWrapper);
  }

  const did = argument.startsWith("did:") ? argument : `did:ens:${network}:${didName(argument)}`;
  const resolve = createDidResolve([
    {
      name: network,
      chainId,
      rpcUrl,
      registry: config.registry,
      universalResolver: config.universalResolver,
      nameWrapper,
    },
  ]);
  const result = await resolve(did);
  const { error, message } = result.didResolutionMetadata;
  if (error !== undefined) {
    if (context.json) context.output.result([], result);
    const hint =
      error === "methodNotSupported" ? ` (the RPC is chain ${chainId}, network ${network})` : "";
    throw new CliError(`${error}: ${oneLine(message ?? "")}${hint}`);
  }
  context.output.result([JSON.stringify(result.didDocument, null, 2)], result);
}

/** The did:ens network name of a chain: a built-in one, `localhost` for 31337, else `--network`. */
function networkOf(chainId: number): string {
  const builtIn = Object.entries(ENS_DID_NETWORKS).find(([, id]) => id === chainId)?.[0];
  if (builtIn !== undefined) return builtIn;
  if (chainId === LOCAL_NETWORK.chainId) return LOCAL_NETWORK.name;
  throw new CliError(`chain ${chainId} has no did:ens network name: pass --network <name>`);
}

/** A bare name as a DID's name segment: normalized when it can be (else left for the parser to reject). */
function didName(name: string): string {
  try {
    return encodeDidName(normalizeName(name));
  } catch {
    return encodeURIComponent(name);
  }
}

function oneLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
