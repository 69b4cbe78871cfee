// `ensgate dev`: the local stack on embedded defaults, with a demo name whose records cover every
// record type, published the way an owner would. Stays up until Ctrl-C.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import dnsPacket from "dns-packet";
import type { Address, Hex, LocalAccount } from "viem";
import { startDnsServer } from "../../bridge/udpTcpServer.ts";
import {
  dnsEncodeName,
  encodeRecordCall,
  encodeResolveOffchainCall,
  namehash,
} from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { announceDevnet, embeddedStoreOf } from "../devnet.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";

/**
 * The `ensgate` command the printed lines use: the repository's bin wrapper (bin/ensgate, which
 * runs the CLI with the pinned Node), by absolute path and shell-quoted, so that a line runs as
 * printed in a new shell.
 */
const ENSGATE_BIN = shellQuote(fileURLToPath(new URL("../../bin/ensgate", import.meta.url)));

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * The private key of the demo name's owner: Hardhat's development account 1, public and funded on
 * the local chain only. The printed `cert request` line uses it.
 */
const DEV_OWNER_PRIVATE_KEY: Hex =
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";

/** The options of `ensgate dev`, declared once (their type: OptionsOf). */
export const DEV_OPTIONS = {
  "--rpc-port <port>": "JSON-RPC port (default: a free one)",
  "--gateway-port <port>": "ensgate gateway port (default: a free one)",
  "--ipfs-port <port>": "IPFS path gateway port (default: a free one)",
  "--dns-port <port>": "DNS bridge port, UDP and TCP (default: a free one)",
  "--ca-port <port>":
    "certificate authority HTTP port: CRLs, renewal info, revocations, log (default: a free one)",
} as const satisfies OptionSpecs;

/** Starts the devnet and keeps it up until SIGINT/SIGTERM; `ready` is called once it serves. */
export async function devCommand(
  context: CommandContext,
  options: OptionsOf<typeof DEV_OPTIONS>,
): Promise<void> {
  const { output, config } = context;
  const port = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  // The local stack needs Hardhat's runtime (its config is found from the project root).
  const { startLocalStack } = await import("../../scripts/stack/localStack.ts");
  const { freshCaFolder, runCertificateAuthority } = await import("../../scripts/stack/caStack.ts");
  const { DEMO_NAME, publishDemoName } = await import("../demoName.ts");
  // A certificate authority comes with the devnet: a fresh one, since the chain starts empty.
  const caFolder = await freshCaFolder(resolve(config.dataDir, "dev-ca"));
  const stack = await startLocalStack({
    dataDir: config.dataDir,
    ports: {
      chain: port(options.rpcPort),
      gateway: port(options.gatewayPort),
      ipfsGateway: port(options.ipfsPort),
    },
    log: (line) => output.step(line),
    withCertificateAuthority: {
      signer: caFolder.identity.signer,
      recordhash: caFolder.recordhash,
    },
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${signal}: stopping the local stack\n`);
    await stack.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));

  const owner = stack.accounts[1] as LocalAccount;
  const { privateKeyToAccount: accountOf } = await import("viem/accounts");
  if (accountOf(DEV_OWNER_PRIVATE_KEY).address !== owner.address)
    throw new Error("the devnet's owner account is not Hardhat's development account 1");
  let recordhash: Hex = "0x";
  try {
    ({ recordhash } = await publishDemoName(stack, config.dataDir, (line) => output.step(line)));
  } catch (error) {
    await stack.stop();
    throw error;
  }

  output.step(`starting the DNS bridge for ${stack.dnsZone} (UDP and TCP)`);
  let dns: Awaited<ReturnType<typeof startDnsServer>>;
  try {
    dns = await startDnsServer({ answerer: stack.bridge, port: port(options.dnsPort) ?? 0 });
  } catch (error) {
    await stack.stop();
    throw error;
  }
  output.step("starting the certificate authority (orders, CRLs, renewals, transparency log)");
  let ca: Awaited<ReturnType<typeof runCertificateAuthority>>;
  try {
    ca = await runCertificateAuthority(stack, caFolder, { port: port(options.caPort) ?? 0 });
  } catch (error) {
    await dns.close();
    await stack.stop();
    throw error;
  }
  const stopStack = stack.stop;
  stack.stop = async () => {
    await ca.stop();
    await dns.close();
    await stopStack();
  };

  const dataDir = resolve(config.dataDir);
  const withdraw = announceDevnet({
    rpcUrl: stack.rpcUrl,
    dataDir,
    ipfsStore: embeddedStoreOf(dataDir),
  });
  process.once("exit", withdraw);
  const info = {
    name: DEMO_NAME,
    dataDir,
    ipfsStore: embeddedStoreOf(dataDir),
    rpcUrl: stack.rpcUrl,
    chainId: stack.chain.id,
    registry: stack.deployment.registry,
    universalResolver: stack.ens.universalResolver.address,
    resolver: stack.deployment.resolver,
    gatewayUrl: stack.gatewayUrl,
    webAppUrl: stack.webAppUrl ?? null,
    ipfsGatewayUrl: stack.ipfsGatewayUrl,
    publishUrl: stack.publishUrl,
    owner: owner.address,
    recordhash,
    dnsZone: stack.dnsZone,
    dnsServer: `${dns.host}:${dns.port}`,
    dnsQueryUrl: stack.dnsQueryUrl,
    certificateOrders: stack.certificateOrders as Address,
    caUrl: ca.url,
    caRoot: ca.folder.rootPemPath,
    logVerifierKey: ca.certificateLog.verifierKey,
    logAnchor: ca.logAnchor,
    ownerPrivateKey: DEV_OWNER_PRIVATE_KEY,
  };
  output.result(devInstructions(info), info);
  // Stay up: the signal handlers above end the process.
  await new Promise(() => {});
}

/** What `ensgate dev` prints: where everything runs and how to resolve the demo records. */
function devInstructions(info: {
  name: string;
  dataDir: string;
  ipfsStore: string;
  rpcUrl: string;
  chainId: number;
  registry: string;
  universalResolver: string;
  resolver: string;
  gatewayUrl: string;
  webAppUrl: string | null;
  ipfsGatewayUrl: string;
  publishUrl: string;
  owner: Address;
  recordhash: Hex;
  dnsZone: string;
  dnsServer: string;
  dnsQueryUrl: string;
  certificateOrders: Address;
  caUrl: string;
  caRoot: string;
  logVerifierKey: string;
  logAnchor: Address;
  ownerPrivateKey: Hex;
}): string[] {
  const [dnsHost, dnsPort] = info.dnsServer.split(":") as [string, string];
  const bridged = `${info.name.slice(0, -".eth".length)}.${info.dnsZone}`;
  // RFC 8484 GET: the DNS query for <name> TXT, base64url without padding.
  const dohQuery = Buffer.from(
    dnsPacket.encode({ type: "query", id: 0, questions: [{ type: "TXT", name: bridged }] }),
  ).toString("base64url");
  // The exact lookup the resolver sends for text(demo.eth, "avatar"), answered by the gateway.
  const callData: Hex = encodeResolveOffchainCall({
    dnsName: dnsEncodeName(info.name),
    data: encodeRecordCall(namehash(info.name), { type: "text", key: "avatar" }),
    recordhash: info.recordhash,
    owner: info.owner,
    chainId: BigInt(info.chainId),
    epoch: 0n,
  });
  return [
    "",
    `ensgate dev is up: ${info.name} resolves through CCIP-Read, records verified on-chain.`,
    "",
    `  chain (JSON-RPC)   ${info.rpcUrl}   (chain id ${info.chainId})`,
    `  ENS registry       ${info.registry}`,
    `  UniversalResolver  ${info.universalResolver}`,
    `  ensgate resolver   ${info.resolver}`,
    `  ensgate gateway    ${info.gatewayUrl}`,
    `  web app            ${info.webAppUrl ?? "(not built: run npm run build:webapp, then restart)"}   (explore ${info.name}, manage names with a browser wallet)`,
    `  IPFS path gateway  ${info.ipfsGatewayUrl}`,
    `  publish endpoints  ${info.publishUrl}   (routing V1, trustless blocks, pinning; CORS open)`,
    `  data dir           ${info.dataDir}`,
    `  IPFS store         ${info.ipfsStore}   (what the gateways read: publish with --data-dir ${info.dataDir})`,
    "",
    "viem:",
    `  import { createPublicClient, http } from "viem";`,
    `  const client = createPublicClient({ transport: http("${info.rpcUrl}") });`,
    `  console.log(await client.getEnsText({ name: "${info.name}", key: "avatar", universalResolverAddress: "${info.universalResolver}" }));`,
    "",
    "ensjs 4.x (ENS's library; default options):",
    `  import { createPublicClient, http } from "viem";`,
    `  import { getRecords } from "@ensdomains/ensjs/public";`,
    `  const chain = { id: ${info.chainId}, name: "ensgate-dev", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: ["${info.rpcUrl}"] } }, contracts: { ensRegistry: { address: "${info.registry}" }, ensUniversalResolver: { address: "${info.universalResolver}" } } };`,
    `  const client = createPublicClient({ chain, transport: http() });`,
    `  console.log((await getRecords(client, { name: "${info.name}", texts: ["avatar"], coins: [60], contentHash: true })).texts[0].value);`,
    "",
    "ethers v6:",
    `  import { EnsPlugin, JsonRpcProvider, Network } from "ethers";`,
    `  const network = new Network("ensgate-dev", ${info.chainId});`,
    `  network.attachPlugin(new EnsPlugin("${info.registry}", ${info.chainId}));`,
    `  const provider = new JsonRpcProvider("${info.rpcUrl}", network, { staticNetwork: network });`,
    `  console.log(await (await provider.getResolver("${info.name}")).getText("avatar"));`,
    "",
    "CLI (verifies and names the signer; runs as printed in any shell, with the pinned Node):",
    `  ${ENSGATE_BIN} resolve ${info.name} text/avatar --rpc ${info.rpcUrl} --registry ${info.registry}`,
    "",
    "the gateway (the signed record file's data, as the resolver's callback receives it):",
    `  curl ${info.gatewayUrl}/${info.resolver}/${callData}`,
    "",
    "did:ens (DID document from the owner and the verified DID text records):",
    `  curl ${info.gatewayUrl}/1.0/identifiers/did:ens:localhost:${info.name}`,
    `  ${ENSGATE_BIN} did ${info.name} --rpc ${info.rpcUrl} --registry ${info.registry} --universal-resolver ${info.universalResolver}`,
    "",
    `the DNS bridge (${info.dnsZone}: <labels>.${info.dnsZone} is <labels>.eth, answers verified like a client's):`,
    `  dig @${dnsHost} -p ${dnsPort} www.${bridged} A +norecurse`,
    `  dig @${dnsHost} -p ${dnsPort} ${bridged} TXT +tcp +norecurse`,
    `  curl -s -H 'accept: application/dns-message' '${info.dnsQueryUrl}?dns=${dohQuery}' | tr -c '[:print:]' .`,
    "",
    `certificates (the devnet's CA: orders on ${info.certificateOrders}; CRLs, renewal info, revocations and the transparency log at ${info.caUrl}):`,
    `  ENSGATE_PRIVATE_KEY=${info.ownerPrivateKey} ${ENSGATE_BIN} cert request www.${info.name} --orders ${info.certificateOrders} --out ./tls --rpc ${info.rpcUrl} --resolver ${info.resolver} --registry ${info.registry}`,
    `  ${ENSGATE_BIN} cert show www.${info.name} --root ${shellQuote(info.caRoot)} --rpc ${info.rpcUrl} --resolver ${info.resolver} --registry ${info.registry}`,
    `  ${ENSGATE_BIN} log verify ${info.caUrl}/log --key ${shellQuote(info.logVerifierKey)} --anchor ${info.logAnchor} --rpc ${info.rpcUrl}`,
    "",
    "Ctrl-C stops everything; records stay in the data folder for the next start.",
  ];
}
