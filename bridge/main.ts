#!/usr/bin/env node
// Standalone entry of the DNS bridge: `node bridge/main.ts [--port 53] [--host 127.0.0.1]`, an
// authoritative server for the bridge zone on UDP and TCP. Settings come from the environment
// (ENSGATE_BRIDGE_*, docs/bridge.md); flags override the zone, RPC and UniversalResolver.
import { parseArgs } from "node:util";
import { describeError } from "../lib/index.ts";
import { BRIDGE_ENVIRONMENT, createBridge, parseBridgeConfig } from "./index.ts";
import { startDnsServer } from "./udpTcpServer.ts";

const HELP = `ensgate-bridge: the ENS -> DNS bridge, an authoritative DNS server (UDP and TCP)

Usage: node bridge/main.ts [--port 53] [--host 127.0.0.1] [--zone Z] [--rpc URL] [--universal-resolver 0x...]

Options:
  --port N                 port for UDP and TCP (default: $PORT or 53; 0 picks a free one)
  --host H                 address to bind (default: 127.0.0.1)
  --zone Z                 the bridge zone (ENSGATE_BRIDGE_ZONE)
  --rpc URL                JSON-RPC URL (ENSGATE_BRIDGE_RPC_URL)
  --universal-resolver A   the UniversalResolver (ENSGATE_BRIDGE_UNIVERSAL_RESOLVER)
  --rate-limit N           UDP answers per second per /24 or /56 (default 100; 0: none)
  --help                   print this help

Environment:
${Object.entries(BRIDGE_ENVIRONMENT)
  .map(
    ([name, [fallback, meaning]]) =>
      `  ${name.padEnd(34)} ${meaning}${fallback ? ` (default: ${fallback})` : ""}`,
  )
  .join("\n")}
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      zone: { type: "string" },
      rpc: { type: "string" },
      "universal-resolver": { type: "string" },
      "rate-limit": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port ?? process.env.PORT ?? 53);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port: "${values.port}" is not a port`);
  const rate = Number(values["rate-limit"] ?? 100);
  if (!Number.isFinite(rate) || rate < 0)
    throw new Error(
      `--rate-limit: "${values["rate-limit"]}" is not a number of answers per second`,
    );
  const config = parseBridgeConfig({
    ...process.env,
    ...(values.zone !== undefined && { ENSGATE_BRIDGE_ZONE: values.zone }),
    ...(values.rpc !== undefined && { ENSGATE_BRIDGE_RPC_URL: values.rpc }),
    ...(values["universal-resolver"] !== undefined && {
      ENSGATE_BRIDGE_UNIVERSAL_RESOLVER: values["universal-resolver"],
    }),
  });
  if (!config) throw new Error("ENSGATE_BRIDGE_RPC_URL (or --rpc) is required");
  const server = await startDnsServer({
    answerer: createBridge(config),
    host: values.host ?? "127.0.0.1",
    port,
    rateLimit: { perSecond: rate, burst: rate * 2 },
  });
  console.log(
    `ensgate bridge: ${config.apex.zone} on ${server.host} port ${server.port} (UDP and TCP)`,
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error) => {
  console.error(`ensgate-bridge: ${describeError(error)}`);
  process.exit(1);
});
