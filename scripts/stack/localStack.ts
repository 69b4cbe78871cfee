// The local stack: a Hardhat chain served on 127.0.0.1 with the ENS fixtures and the ensgate
// resolver, the embedded IPFS store behind an HTTP path gateway, and the ensgate gateway.
// Used by the end-to-end tests and by `ensgate dev`. Every port is chosen free.
import { mkdir } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { network } from "hardhat";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import {
  bridgeApex,
  createBridgeAnswerer,
  createEnsReader,
  DNS_QUERY_PATH,
} from "../../bridge/index.ts";
import { createDidResolve } from "../../did/index.ts";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { readWebAppFolder } from "../../gateway/node/webAppFolder.ts";
import { createEmbeddedSource } from "../../gateway/sources/embeddedSource.ts";
import { createWebAppHandler } from "../../gateway/webApp.ts";
import {
  createEmbeddedIpfs,
  type EmbeddedIpfs,
  startPathGateway,
  startPublishEndpoints,
} from "../../ipfs/index.ts";
import { DEFAULT_DNS_BRIDGE_ZONE, EnsgateError } from "../../lib/index.ts";
import type { AppConfig } from "../../webapp/src/appConfig.ts";
import { type Deployment, deployEnsgate } from "./deployEnsgate.ts";
import { deployCertificateOrders, setCertificateAuthority } from "./deployOrders.ts";
import {
  type EnsFixtureClients,
  type EnsRegistry,
  ensRegistryAbi,
  loadResolverArtifact,
  type UniversalResolver,
  universalResolverAbi,
} from "./ensFixtures.ts";

/** Hardhat's default development mnemonic: its accounts are funded on the local chain only. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Options of `startLocalStack`. */
export type LocalStackOptions = {
  /** Folder for the IPFS store (kept across restarts). */
  dataDir: string;
  /** Put the ensgate gateway in the resolver's URL list (default true); false = plain IPFS gateway only. */
  withGatewayService?: boolean;
  /** Fixed ports (default: free ones). */
  ports?: { chain?: number; ipfsGateway?: number; gateway?: number; publish?: number };
  /** Log progress lines (the CLI shows them; tests stay quiet). */
  log?: (line: string) => void;
  /**
   * Deploy `CertificateOrders` (CA_ROLE: `operator`, default `accounts[9]`) and set the
   * resolver's certificate authority to this signer and IPNS tree (`ensgate ca init` prints both).
   */
  withCertificateAuthority?: {
    signer: Address;
    recordhash: Hex;
    operator?: Address;
    fees?: { intermediate: bigint; endEntity: bigint };
  };
};

/** A running local stack and how to reach each part. */
export type LocalStack = {
  rpcUrl: string;
  chain: Chain;
  /** Funded development accounts; `accounts[0]` deployed everything and owns the root and `eth`. */
  accounts: LocalAccount[];
  publicClient: PublicClient<Transport, Chain>;
  walletClient: (account: Account) => WalletClient<Transport, Chain, Account>;
  /** Handles of the ENS fixtures. */
  ens: { registry: EnsRegistry; universalResolver: UniversalResolver };
  deployment: Deployment;
  resolver: { address: Deployment["resolver"]; abi: Abi };
  /** The order contract, when `withCertificateAuthority` was given. */
  certificateOrders?: Address;
  ipfs: EmbeddedIpfs;
  ipfsGatewayUrl: string;
  /**
   * The publish endpoints over the same store (ipfs/publishEndpoints.ts): Delegated Routing V1,
   * trustless raw blocks and records, and a pinning service with CAR upload, no token, open CORS.
   * `publishEdits` with `{ kind: "remote" }` and this URL for every field publishes here.
   */
  publishUrl: string;
  gatewayUrl: string;
  /** The web app (docs/webapp.md), served by the gateway; undefined when webapp/dist is not built. */
  webAppUrl: string | undefined;
  /** What the gateway serves as `/app-config.json`: this stack's chain and contracts. */
  appConfig: AppConfig;
  /**
   * The DNS bridge's engine for `DEFAULT_DNS_BRIDGE_ZONE`, reading this chain; the gateway serves
   * it on `dnsQueryUrl` (DNS over HTTPS), `ensgate dev` also on UDP and TCP.
   */
  bridge: ReturnType<typeof createBridgeAnswerer>;
  dnsZone: string;
  dnsQueryUrl: string;
  stop: () => Promise<void>;
};

/** A port the local stack was asked to use is taken. */
export class PortInUseError extends EnsgateError {
  override name = "PortInUseError";
}

/** Throws a one-line PortInUseError for the first fixed port something already listens on. */
async function assertPortsFree(ports: Record<string, number | undefined>): Promise<void> {
  for (const [flag, port] of Object.entries(ports)) {
    if (port === undefined || port === 0) continue;
    const server = createServer();
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", (failure) => resolve(failure));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(undefined)));
    });
    if (error?.code === "EADDRINUSE")
      throw new PortInUseError(
        `port ${port} (${flag}) is already in use on 127.0.0.1: stop what listens there or pick another port`,
      );
    if (error)
      throw new PortInUseError(`cannot listen on port ${port} (${flag}): ${error.message}`, {
        cause: error,
      });
  }
}

/** Starts every part of the local stack; `stop()` shuts them down in reverse order. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => {});
  };
  // A busy fixed port is one line, before anything starts (Hardhat's server would otherwise
  // crash the process with an unhandled 'error' event and a stack trace).
  await assertPortsFree({
    "--rpc-port": options.ports?.chain,
    "--ipfs-port": options.ports?.ipfsGateway,
    "--gateway-port": options.ports?.gateway,
    "--publish-port": options.ports?.publish,
  });
  try {
    log("starting the chain (Hardhat, in-process)");
    const server = await network.createServer("default", "127.0.0.1", options.ports?.chain ?? 0);
    const { port: chainPort } = await server.listen();
    stoppers.push(() => server.close());
    const rpcUrl = `http://127.0.0.1:${chainPort}`;
    const chain = defineChain({
      id: 31337,
      name: "ensgate local",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
    const walletClient = (account: Account) =>
      createWalletClient({ chain, account, transport: http(rpcUrl) });
    const accounts: LocalAccount[] = Array.from({ length: 10 }, (_, index) =>
      mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index }),
    );
    const deployer = accounts[0] as LocalAccount;

    log("starting the embedded IPFS store and its path gateway");
    await mkdir(options.dataDir, { recursive: true });
    const ipfs = await createEmbeddedIpfs({ directory: join(options.dataDir, "ipfs") });
    stoppers.push(() => ipfs.stop());
    const pathGateway = await startPathGateway({ ipfs, port: options.ports?.ipfsGateway ?? 0 });
    stoppers.push(() => pathGateway.close());
    const publishEndpoints = await startPublishEndpoints({
      store: ipfs,
      port: options.ports?.publish ?? 0,
    });
    stoppers.push(() => publishEndpoints.close());

    log("starting the ensgate gateway");
    // did:ens:localhost:<name> is served once the ENS fixtures are deployed (below).
    let resolveDid = createDidResolve([]);
    // The DNS bridge reads the chain through the UniversalResolver, deployed below.
    let bridge: ReturnType<typeof createBridgeAnswerer> | undefined;
    // The web app reads this stack's chain and contracts from /app-config.json (set below).
    let appConfig: AppConfig | undefined;
    const webAppFiles = readWebAppFolder();
    const gatewayApp = createGateway({
      resolveDid: (did) => resolveDid(did),
      dnsBridge: {
        answer: (message, context) =>
          bridge ? bridge.answer(message, context) : Promise.resolve(undefined),
        clearCache: () => bridge?.clearCache(),
      },
      sources: [createEmbeddedSource(ipfs, options.dataDir)],
      cache: createMemoryCache(),
      budget: { strategy: "ordered", perSourceTimeoutMs: 5_000, totalBudgetMs: 10_000 },
      // Short TTLs: a developer republishes often and expects to see the change at once.
      cacheTtlSeconds: 5,
      missingTtlSeconds: 2,
      webApp: webAppFiles
        ? createWebAppHandler({ files: webAppFiles, appConfig: () => appConfig })
        : undefined,
    });
    const gateway: RunningServer = await serveFetchHandler(gatewayApp.fetch, {
      port: options.ports?.gateway ?? 0,
    });
    stoppers.push(() => gateway.close());

    log("deploying the ENS fixtures and the ensgate resolver");
    const clients: EnsFixtureClients = { publicClient, walletClient: walletClient(deployer) };
    const deployment = await deployEnsgate(clients, {
      ipfsGateways: [pathGateway.url],
      gatewayServices:
        options.withGatewayService === false ? [] : [`${gateway.url}/{sender}/{data}`],
    });
    const fixtures = deployment.fixtures as NonNullable<Deployment["fixtures"]>;
    resolveDid = createDidResolve([
      {
        name: "localhost",
        chainId: chain.id,
        rpcUrl,
        registry: deployment.registry,
        universalResolver: fixtures.universalResolver,
      },
    ]);
    bridge = createBridgeAnswerer({
      apex: bridgeApex(DEFAULT_DNS_BRIDGE_ZONE),
      read: createEnsReader({ rpcUrl, universalResolver: fixtures.universalResolver }),
    });
    appConfig = {
      rpcUrl,
      chainId: chain.id,
      registry: deployment.registry,
      universalResolver: fixtures.universalResolver,
      resolver: deployment.resolver,
      gatewayUrl: gateway.url,
      publishUrl: publishEndpoints.url,
      didNetwork: "localhost",
    };
    const resolverAbi = loadResolverArtifact().abi;
    let certificateOrders: Address | undefined;
    if (options.withCertificateAuthority) {
      const ca = options.withCertificateAuthority;
      log("deploying CertificateOrders and setting the resolver's certificate authority");
      certificateOrders = await deployCertificateOrders(clients, {
        admin: deployer.address,
        ca: ca.operator ?? (accounts[9] as LocalAccount).address,
        fees: ca.fees,
      });
      await setCertificateAuthority(
        clients,
        { address: deployment.resolver, abi: resolverAbi },
        ca,
      );
    }

    return {
      rpcUrl,
      chain,
      accounts,
      publicClient,
      walletClient,
      ens: {
        registry: { address: deployment.registry, abi: ensRegistryAbi, clients },
        universalResolver: {
          address: fixtures.universalResolver,
          abi: universalResolverAbi,
          clients,
        },
      },
      deployment,
      resolver: { address: deployment.resolver, abi: resolverAbi },
      certificateOrders,
      ipfs,
      ipfsGatewayUrl: pathGateway.url,
      publishUrl: publishEndpoints.url,
      gatewayUrl: gateway.url,
      webAppUrl: webAppFiles ? `${gateway.url}/` : undefined,
      appConfig,
      bridge,
      dnsZone: DEFAULT_DNS_BRIDGE_ZONE,
      dnsQueryUrl: `${gateway.url}${DNS_QUERY_PATH}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
