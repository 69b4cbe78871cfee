import { type Address, createWalletClient, getAddress, http, isAddress, zeroAddress } from "viem";
import { deployEnsgate } from "../../scripts/stack/deployEnsgate.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/** The options of `ensgate deploy`, declared once (their type: OptionsOf). */
export const DEPLOY_OPTIONS = {
  "--name-wrapper <address>": "the NameWrapper (default: none, or the stand-in locally)",
  "--registrar <address>":
    "the .eth base registrar, for the expiry rule (default: none, or the stand-in locally)",
  "--admin <address>": "admin of the default gateway lists (default: the deploying wallet)",
  "--ipfs-gateways <urls>": "comma-separated IPFS path gateways, e.g. https://ipfs.io",
  "--gateway-urls <urls>":
    "comma-separated ensgate gateway URL templates, e.g. https://gw.example/{sender}/{data}",
} as const satisfies OptionSpecs;

/** `ensgate deploy`: deploys the resolver (and, on a local chain without a registry, the ENS fixtures). */
export async function deployCommand(
  context: CommandContext,
  options: OptionsOf<typeof DEPLOY_OPTIONS>,
): Promise<void> {
  const wallet = await context.wallet();
  const connection = await context.chain();
  const address = (value: string | undefined, flag: string): Address | undefined => {
    if (value === undefined) return undefined;
    if (!isAddress(value)) throw new CliError(`--${flag} "${value}" is not an address`);
    return getAddress(value);
  };
  const list = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
  const ipfsGateways = list(options.ipfsGateways);
  const gatewayServices = list(options.gatewayUrls);
  for (const url of [...ipfsGateways, ...gatewayServices])
    if (!URL.canParse(url.replace("{sender}", "s").replace("{data}", "d")))
      throw new CliError(`"${url}" is not a URL`);
  if (ipfsGateways.length + gatewayServices.length === 0)
    throw new CliError("give --ipfs-gateways and/or --gateway-urls: lookups need at least one URL");
  context.output.step(`deploying from ${wallet.address} on chain ${connection.chain.id}`);
  const walletClient = createWalletClient({
    chain: connection.chain,
    account: wallet,
    transport: http(context.config.rpcUrl),
  });
  let deployment: Awaited<ReturnType<typeof deployEnsgate>>;
  try {
    deployment = await deployEnsgate(
      { publicClient: connection.publicClient, walletClient },
      {
        registry: context.config.registry,
        nameWrapper: address(options.nameWrapper, "name-wrapper"),
        registrar: address(options.registrar, "registrar"),
        admin: address(options.admin, "admin"),
        ipfsGateways,
        gatewayServices,
      },
    );
  } catch (error) {
    throw new CliError(`deployment failed: ${(error as Error).message.split("\n")[0]}`);
  }
  context.output.result(
    [
      `EnsgateResolver   ${deployment.resolver}`,
      `ENS registry      ${deployment.registry}${deployment.fixtures ? " (fixture)" : ""}`,
      `NameWrapper       ${deployment.nameWrapper}`,
      `base registrar    ${deployment.registrar}${deployment.registrar === zeroAddress ? " (none: no .eth expiry rule)" : ""}`,
      `admin             ${deployment.admin}`,
      ...(deployment.fixtures
        ? [`UniversalResolver ${deployment.fixtures.universalResolver} (fixture)`]
        : []),
    ],
    deployment,
  );
}
