#!/usr/bin/env node
// Node entry of the ensgate gateway: `node gateway/node/main.ts [--port N] [--host H]`.
// Configuration comes from environment variables (see --help and docs/gateway.md).
import { parseArgs } from "node:util";
import { BRIDGE_ENVIRONMENT } from "../../bridge/index.ts";
import { describeError } from "../../lib/index.ts";
import { GATEWAY_ENVIRONMENT, type GatewayConfig, parseGatewayConfig } from "../config.ts";
import { buildNodeGateway, type NodeSourceFactories } from "./buildNodeGateway.ts";
import { serveFetchHandler } from "./serveGateway.ts";

const HELP = `ensgate-gateway: the ensgate CCIP-Read gateway on Node

Usage: node gateway/node/main.ts [--port 8080] [--host 127.0.0.1]

Options:
  --port N     port to listen on (default: $PORT or 8080; 0 picks a free port)
  --host H     address to bind (default: $HOST or 127.0.0.1)
  --help       print this help

Environment:
${Object.entries({ ...GATEWAY_ENVIRONMENT, ...BRIDGE_ENVIRONMENT })
  .map(
    ([name, [fallback, meaning]]) =>
      `  ${name.padEnd(26)} ${meaning}${fallback ? ` (default: ${fallback})` : ""}`,
  )
  .join("\n")}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" }, help: { type: "boolean" } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port`);
  const config = parseGatewayConfig(process.env);
  const gateway = buildNodeGateway(config, await loadEmbeddedFactory(config));
  const server = await serveFetchHandler(gateway.fetch, {
    port,
    hostname: values.host ?? process.env.HOST ?? "127.0.0.1",
    headersTimeoutMs: config.headersTimeoutMs,
    requestTimeoutMs: config.requestTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
  });
  console.log(
    `ensgate gateway listening on ${server.url} (sources: ${config.sources.map((s) => s.kind).join(", ")})`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** The embedded IPFS store is loaded only when configured (it pulls in Helia). */
async function loadEmbeddedFactory(config: GatewayConfig): Promise<NodeSourceFactories> {
  const spec = config.sources.find((source) => source.kind === "embedded");
  if (spec?.kind !== "embedded") return {};
  const { createEmbeddedIpfs } = await import("../../ipfs/index.ts");
  const { createEmbeddedSource } = await import("../sources/embeddedSource.ts");
  const ipfs = await createEmbeddedIpfs({ directory: spec.directory });
  return { embedded: (directory) => createEmbeddedSource(ipfs, directory) };
}

main().catch((error: unknown) => {
  console.error(`ensgate-gateway: ${describeError(error)}`);
  process.exit(1);
});
