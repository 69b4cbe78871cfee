// The local stack with demo.eth published for the DNS bridge tests: its records of every type
// (scripts/stack/demoRecords.ts) in one IPNS tree set as its recordhash, and the bridge's engine
// reading them through the UniversalResolver fixture and the resolver's CCIP-Read.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import dnsPacket from "dns-packet";
import type { LocalAccount } from "viem";
import { bridgeApex, createBridgeAnswerer, createEnsReader } from "../../bridge/index.ts";
import { hashDnsOwnerName, type RecordRequest } from "../../lib/index.ts";
import { demoRecordSet, dnsDemoRecordSet } from "../../scripts/stack/demoRecords.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";

export const ZONE = "deploy-ens-to-dns.com";
export const DEMO = "demo.eth";

/** `big.demo.eth` TXT: 8 strings of 60 bytes, about 900 bytes on the wire (dns-packet does not compress names): more than 512, less than 1232. */
export const BIG_TXT_STRINGS = Array.from(
  { length: 8 },
  (_, index) => `${String(index).padStart(2, "0")}${"x".repeat(58)}`,
);
const BIG_TXT: [RecordRequest, string] = [
  { type: "dnsRecord", nameHash: hashDnsOwnerName(`big.${DEMO}`), resource: 16 },
  BIG_TXT_STRINGS.map((text) => `big.${DEMO}. 300 IN TXT "${text}"`).join("\n"),
];

export type BridgeStack = {
  stack: LocalStack;
  answerer: ReturnType<typeof createBridgeAnswerer>;
  stop: () => Promise<void>;
};

/** Starts the stack, publishes demo.eth and builds the bridge's engine for `ZONE`. */
export async function startBridgeStack(): Promise<BridgeStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "ensgate-bridge-"));
  const stack = await startLocalStack({ dataDir });
  try {
    const owner = stack.accounts[1] as LocalAccount;
    const node = await registerWithResolver(stack, DEMO, owner.address);
    const recordhash = await publishTree(stack, owner, DEMO, {
      [DEMO]: [...demoRecordSet(DEMO, owner.address), ...dnsDemoRecordSet(DEMO), BIG_TXT],
    });
    await writeResolver(stack, owner, "setRecordhash", [node, recordhash]);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  const answerer = createBridgeAnswerer({
    apex: bridgeApex(ZONE),
    read: createEnsReader({
      rpcUrl: stack.rpcUrl,
      universalResolver: stack.ens.universalResolver.address,
    }),
  });
  return {
    stack,
    answerer,
    stop: async () => {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const run = promisify(execFile);

/** Runs a Debian DNS tool (dig, kdig) and returns its standard output. */
export async function runTool(tool: string, args: string[]): Promise<string> {
  const { stdout } = await run(tool, args, { timeout: 30_000 });
  return stdout;
}

/** `dig +short`-free parse of `dig +noall +answer +comments` output: the status and answer lines. */
export function parseDig(output: string): {
  status: string;
  flags: string[];
  answers: string[];
  authority: string[];
} {
  const status = /status: ([A-Z]+)/.exec(output)?.[1] ?? "none";
  const flags = (/;; flags: ([a-z ]+);/.exec(output)?.[1] ?? "").trim().split(/\s+/);
  const sections = { answers: [] as string[], authority: [] as string[] };
  let current: keyof typeof sections | undefined;
  for (const line of output.split("\n")) {
    if (line.startsWith(";; ANSWER SECTION")) current = "answers";
    else if (line.startsWith(";; AUTHORITY SECTION")) current = "authority";
    else if (line.startsWith(";;") || line.trim() === "")
      current = line.trim() === "" ? undefined : current;
    else if (current && !line.startsWith(";"))
      sections[current].push(line.replace(/\s+/g, " ").trim());
  }
  return { status, flags, ...sections };
}

/** A DNS query message for `name`/`type` (RD clear, EDNS(0) with a 1232-byte payload). */
export function buildQuery(name: string, type: string, id = 4242): Buffer {
  return dnsPacket.encode({
    type: "query",
    id,
    flags: 0,
    questions: [{ name, type: type as "A", class: "IN" }],
    additionals: [{ name: ".", type: "OPT", udpPayloadSize: 1232, flags: 0 } as dnsPacket.Answer],
  });
}

/** A response's answers as dig prints them, without TTLs (`name. TTL IN TYPE rdata`), for A, AAAA and TXT. */
export function answerLines(message: Uint8Array): { rcode: string; aa: boolean; lines: string[] } {
  const packet = dnsPacket.decode(Buffer.from(message)) as dnsPacket.DecodedPacket & {
    rcode: string;
  };
  const lines = (packet.answers ?? []).map((answer) => {
    const value = (answer as { data?: unknown }).data;
    const data =
      answer.type === "TXT"
        ? (value as Buffer[]).map((part) => `"${part.toString()}"`).join(" ")
        : String(value);
    return `${answer.name}. TTL IN ${answer.type} ${data}`;
  });
  return { rcode: packet.rcode, aa: packet.flag_aa, lines: lines.sort() };
}

/** curl's DoH request (RFC 8484) for `name`/`type`: GET with `?dns=` or POST with the message. */
export async function curlDoh(
  url: string,
  name: string,
  type: string,
  method: "GET" | "POST",
): Promise<Uint8Array> {
  const query = buildQuery(name, type, 0);
  const args =
    method === "GET"
      ? [
          `${url}/dns-query?dns=${query.toString("base64url")}`,
          "-H",
          "accept: application/dns-message",
        ]
      : [`${url}/dns-query`, "-H", "content-type: application/dns-message", "--data-binary", `@-`];
  return new Promise((resolve, reject) => {
    const child = execFile(
      "curl",
      ["-sS", "--fail-with-body", "--max-time", "30", ...args],
      { encoding: "buffer", timeout: 40_000 },
      (error, stdout) => (error ? reject(error) : resolve(new Uint8Array(stdout))),
    );
    if (method === "POST") child.stdin?.end(query);
    else child.stdin?.end();
  });
}
