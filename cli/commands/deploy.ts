import { type Address, createWalletClient, getAddress, http, isAddress, zeroAddress } from "viem";
import { deployEnsgate } from "../../scripts/stack/deployEnsgate.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";

/** `ensgate deploy`: deploys the resolver (and, on a local chain without a registry, the ENS fixtures). */
export async function deployCommand(
  context: CommandContext,
  options: {
    nameWrapper?: string;
    registrar?: string;
    admin?: string;
    ipfsGateways?: string;
    gatewayUrls?: string;
  },
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
