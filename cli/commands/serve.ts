// `ensgate serve <name> [folder | ipfs://… | ipns://… | contenthash]`: serves a site over HTTPS
// (HTTP/2 and HTTP/1.1) for the ENS name and its bridge name, with the name's certificate from
// `ensgate cert request`; a renewed certificate written over the files is picked up without a
// restart. Runs until SIGINT/SIGTERM.
import { join, resolve } from "node:path";
import type { Hex } from "viem";
import { requireSettings } from "../../client/config.ts";
import { createVerifiedRecordReader } from "../../client/verifiedRecords.ts";
import {
  createEmbeddedIpfs,
  createKuboIpfs,
  type IpfsReader,
  parseContentRoot,
} from "../../ipfs/index.ts";
import { assertCertificateName, bridgeName, DEFAULT_BRIDGE_DOMAIN } from "../../lib/certs/index.ts";
import { formatContenthash } from "../../lib/index.ts";
import type { CommandContext } from "../context.ts";
import { CliError } from "../errors.ts";
import { parseNameArgument } from "../names.ts";
import type { OptionSpecs, OptionsOf } from "../options.ts";
import { loadCertificate, watchCertificate } from "../serve/certificateFiles.ts";
import { folderContent, ipfsContent, type SiteContent } from "../serve/siteContent.ts";
import { startSiteServer } from "../serve/siteServer.ts";

/** The options of `ensgate serve`, declared once (their type: OptionsOf). */
export const SERVE_OPTIONS = {
  "--cert <pem>":
    "certificate chain to serve (default ./<name>.crt.pem, as `cert request` writes it)",
  "--key <pem>": "its private key (default ./<name>.key.pem)",
  "--port <port>": "port to listen on (default 443; 0 picks a free one)",
  "--host <address>": "address to listen on (default 0.0.0.0)",
  "--bridge-domain <domain>": "DNS bridge domain also served (default deploy-ens-to-dns.com)",
  "--watch-interval <ms>":
    "how often the certificate files are checked besides fs.watch (default 2000)",
} as const satisfies OptionSpecs;

/** `ensgate serve <name> [source]`. */
export async function serveCommand(
  context: CommandContext,
  nameArgument: string,
  source: string | undefined,
  options: OptionsOf<typeof SERVE_OPTIONS>,
): Promise<void> {
  const name = assertCertificateName(parseNameArgument(nameArgument));
  const bridge = bridgeName(name, options.bridgeDomain ?? DEFAULT_BRIDGE_DOMAIN);
  const port = parsePort(options.port ?? "443");
  const watchInterval = Number(options.watchInterval ?? 2000);
  if (!Number.isInteger(watchInterval) || watchInterval < 10)
    throw new CliError(
      `watch interval "${options.watchInterval}" is not a whole number of ms ≥ 10`,
    );
  const certPath = resolve(options.cert ?? `${name}.crt.pem`);
  const keyPath = resolve(options.key ?? `${name}.key.pem`);
  const certificate = loadCertificate(certPath, keyPath);
  for (const host of [name, bridge])
    if (!certificate.leaf.checkHost(host))
      throw new CliError(`the certificate in ${certPath} does not cover ${host}`);

  const closers: (() => Promise<void>)[] = [];
  const content = await openContent(context, name, source, closers);
  const log = (line: string) => process.stderr.write(`ensgate serve: ${line}\n`);
  const server = await startSiteServer({
    names: [name, bridge],
    certificate,
    content,
    host: options.host ?? "0.0.0.0",
    port,
    log,
  }).catch(async (error: unknown) => {
    for (const close of closers) await close();
    throw new CliError(`cannot listen on port ${port}: ${(error as Error).message}`);
  });
  const stopWatching = watchCertificate({
    certPath,
    keyPath,
    intervalMs: watchInterval,
    onLoad(loaded) {
      server.setCertificate(loaded);
      log(
        `certificate reloaded: serial ${loaded.leaf.serialNumber}, valid until ${loaded.leaf.validTo}`,
      );
    },
    onError: log,
  });
  context.output.result(
    [
      `serving https://${name}:${server.port}/ and https://${bridge}:${server.port}/ from ${content.description}`,
      `  certificate serial ${certificate.leaf.serialNumber}, valid until ${certificate.leaf.validTo} (${certPath})`,
    ],
    {
      name,
      bridgeName: bridge,
      port: server.port,
      source: content.description,
      serial: certificate.leaf.serialNumber,
      certFile: certPath,
      keyFile: keyPath,
    },
  );
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  log(`${signal}: stopping`);
  stopWatching();
  await server.close();
  for (const close of closers) await close();
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new CliError(`port "${value}" is not 0-65535`);
  return port;
}

/** The site's files: a folder, an ipfs:// or ipns:// tree, or the name's contenthash. */
async function openContent(
  context: CommandContext,
  name: string,
  source: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<SiteContent> {
  let location = source;
  if (source === undefined || source === "contenthash") {
    location = await readContenthash(context, name);
    if (!location)
      throw new CliError(`${name} has no contenthash: pass a folder or an ipfs:// URL`);
  }
  const match = /^(ipfs|ipns):\/\/([^/?#]+)\/?$/.exec(location as string);
  if (!match) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location as string))
      throw new CliError(
        `${location} is neither a folder nor an ipfs:// or ipns:// URL of a tree's root`,
      );
    return folderContent(location as string);
  }
  const [, protocol, id] = match as unknown as [string, "ipfs" | "ipns", string];
  const root = parseContentRoot(`/${protocol}/${id}`);
  const reader = await openIpfsReader(context, closers);
  return ipfsContent(
    reader,
    root.kind === "ipfs" ? root.cid.toString() : id,
    `${location}${source === undefined || source === "contenthash" ? ` (contenthash of ${name})` : ""}`,
  );
}

/** The name's contenthash (ipfs://…), read through the verifying resolver. */
async function readContenthash(context: CommandContext, name: string): Promise<string> {
  const { registry, rpcUrl } = requireSettings(context.config, "registry", "rpcUrl");
  const connection = await context.chain();
  const reader = createVerifiedRecordReader({
    chain: connection.chain,
    rpcUrl,
    publicClient: connection.publicClient,
    registry,
  });
  return formatContenthash((await reader(name, { type: "contenthash" })) as Hex);
}

/** The IPFS node the trees are read from: the embedded store of the data dir, or Kubo (--ipfs). */
async function openIpfsReader(
  context: CommandContext,
  closers: (() => Promise<void>)[],
): Promise<Pick<IpfsReader, "readFile">> {
  const { ipfs, dataDir } = context.config;
  if (ipfs !== "embedded") return createKuboIpfs({ url: ipfs });
  const store = await createEmbeddedIpfs({ directory: join(dataDir, "ipfs") });
  closers.push(() => store.stop());
  return store;
}
