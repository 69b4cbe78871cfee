// The DNS bridge end to end: the local stack, demo.eth published, the bridge's UDP/TCP server, and
// Debian's dig asking it over UDP and TCP for every record type, NXDOMAIN, NODATA and REFUSED; a
// real unbound with a stub-zone for the bridge zone resolving through it; and curl's DNS over
// HTTPS requests to the Node gateway with the bridge mounted on /dns-query.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type RunningDnsServer, startDnsServer } from "../../bridge/udpTcpServer.ts";
import { createGateway } from "../../gateway/app.ts";
import { createMemoryCache } from "../../gateway/cache/memoryCache.ts";
import { type RunningServer, serveFetchHandler } from "../../gateway/node/serveGateway.ts";
import { freePort } from "../gateway/httpServers.ts";
import {
  answerLines,
  BIG_TXT_STRINGS,
  type BridgeStack,
  curlDoh,
  DEMO,
  parseDig,
  runTool,
  startBridgeStack,
  ZONE,
} from "./bridgeStack.ts";

const DEMO_DNS = `demo.${ZONE}`;

describe("DNS bridge over UDP and TCP (dig), behind unbound, and over DoH (curl)", () => {
  let bridge: BridgeStack;
  let server: RunningDnsServer;
  let gateway: RunningServer;

  before(async () => {
    bridge = await startBridgeStack();
    server = await startDnsServer({ answerer: bridge.answerer, port: 0 });
    gateway = await serveFetchHandler(
      createGateway({
        sources: [],
        cache: createMemoryCache(),
        budget: { strategy: "ordered", perSourceTimeoutMs: 1000, totalBudgetMs: 1000 },
        cacheTtlSeconds: 5,
        missingTtlSeconds: 5,
        dnsBridge: bridge.answerer,
      }).fetch,
      { port: 0 },
    );
  });
  after(async () => {
    await gateway?.close();
    await server?.close();
    await bridge?.stop();
  });

  const dig = async (name: string, type: string, transport: "udp" | "tcp", extra: string[] = []) =>
    parseDig(
      await runTool("dig", [
        `@${server.host}`,
        "-p",
        String(server.port),
        name,
        type,
        transport === "tcp" ? "+tcp" : "+notcp",
        "+norecurse",
        "+tries=1",
        "+time=20",
        ...extra,
      ]),
    );

  const cases: [string, string, string[]][] = [
    [DEMO_DNS, "A", [`${DEMO_DNS}. 300 IN A 192.0.2.10`]],
    [DEMO_DNS, "AAAA", [`${DEMO_DNS}. 300 IN AAAA 2001:db8::10`]],
    [
      DEMO_DNS,
      "TXT",
      [`${DEMO_DNS}. 300 IN TXT "v=ensgate1 demo"`, `${DEMO_DNS}. 300 IN TXT "hello from ${DEMO}"`],
    ],
    [DEMO_DNS, "MX", [`${DEMO_DNS}. 300 IN MX 10 mail.${DEMO_DNS}.`]],
    [DEMO_DNS, "CAA", [`${DEMO_DNS}. 300 IN CAA 0 issue "letsencrypt.org"`]],
    [`www.${DEMO_DNS}`, "A", [`www.${DEMO_DNS}. 300 IN A 192.0.2.1`]],
    [`www.${DEMO_DNS}`, "AAAA", [`www.${DEMO_DNS}. 300 IN AAAA 2001:db8::1`]],
    [`alias.${DEMO_DNS}`, "CNAME", [`alias.${DEMO_DNS}. 300 IN CNAME www.${DEMO_DNS}.`]],
    // An A query at a name with only a CNAME gets the CNAME.
    [`alias.${DEMO_DNS}`, "A", [`alias.${DEMO_DNS}. 300 IN CNAME www.${DEMO_DNS}.`]],
    [
      `_sip._tcp.${DEMO_DNS}`,
      "SRV",
      [`_sip._tcp.${DEMO_DNS}. 300 IN SRV 10 5 5060 sip.${DEMO_DNS}.`],
    ],
    [
      `_dnslink.${DEMO_DNS}`,
      "TXT",
      [
        `_dnslink.${DEMO_DNS}. 300 IN TXT "dnslink=/ipfs/bafybeibj6lixxzqtsb45ysdjnupvqkufgdvzqbnvmhw2kf7cfkesy7r7d4"`,
      ],
    ],
  ];

  for (const transport of ["udp", "tcp"] as const)
    for (const [name, type, expected] of cases)
      it(`${type} ${name} over ${transport}`, async () => {
        const answer = await dig(name, type, transport);
        assert.equal(answer.status, "NOERROR");
        assert.ok(answer.flags.includes("aa"), `flags ${answer.flags}`);
        assert.ok(!answer.flags.includes("ra"), `flags ${answer.flags}`);
        // TTLs count down from the cache: compare everything but the TTL's exact value.
        const withoutTtl = (line: string) => line.replace(/^(\S+) \d+ /, "$1 TTL ");
        assert.deepEqual(answer.answers.map(withoutTtl).sort(), expected.map(withoutTtl).sort());
        for (const line of answer.answers)
          assert.ok(Number(line.split(" ")[1]) <= 300, `TTL of ${line}`);
      });

  for (const transport of ["udp", "tcp"] as const)
    it(`TLSA: the owner's own RRset for _443._tcp (no certificate issued here) (${transport})`, async () => {
      const answer = await dig(`_443._tcp.${DEMO_DNS}`, "TLSA", transport);
      assert.equal(answer.status, "NOERROR");
      assert.deepEqual(
        // dig splits long hex into groups: join them, and leave the TTL out.
        answer.answers.map((line) =>
          line.replace(
            /^(\S+) \d+ (IN TLSA \d+ \d+ \d+) (.*)$/,
            (_all, owner, type, hex: string) => `${owner} TTL ${type} ${hex.replaceAll(" ", "")}`,
          ),
        ),
        [`_443._tcp.${DEMO_DNS}. TTL IN TLSA 3 1 1 ${"AB".repeat(32)}`],
      );
    });

  for (const transport of ["udp", "tcp"] as const) {
    it(`NXDOMAIN for a name that does not exist in ENS (${transport})`, async () => {
      const answer = await dig(`nosuchname.${ZONE}`, "A", transport);
      assert.equal(answer.status, "NXDOMAIN");
      assert.ok(answer.flags.includes("aa"));
      // The SOA's TTL is the negative TTL (60 s), counted down while the answer is cached.
      const soa = new RegExp(
        `^${ZONE}\\. (\\d+) IN SOA ns1\\.${ZONE}\\. hostmaster\\.${ZONE}\\. \\d+ 3600 600 604800 60$`,
      ).exec(answer.authority[0] ?? "");
      assert.ok(soa, `authority: ${answer.authority}`);
      assert.ok(Number(soa[1]) <= 60, `SOA TTL ${soa[1]}`);
    });
    it(`NODATA for an existing name without that type (${transport})`, async () => {
      const answer = await dig(`www.${DEMO_DNS}`, "MX", transport);
      assert.equal(answer.status, "NOERROR");
      assert.deepEqual(answer.answers, []);
      assert.match(answer.authority[0] ?? "", / IN SOA /);
    });
    it(`REFUSED outside the zone, without AA (${transport})`, async () => {
      const answer = await dig("example.com", "A", transport);
      assert.equal(answer.status, "REFUSED");
      assert.ok(!answer.flags.includes("aa"));
    });
    it(`SOA and NS at the apex (${transport})`, async () => {
      const soa = await dig(ZONE, "SOA", transport);
      assert.equal(soa.status, "NOERROR");
      assert.match(soa.answers[0] ?? "", new RegExp(`^${ZONE}\\. 3600 IN SOA ns1\\.${ZONE}\\. `));
      const ns = await dig(ZONE, "NS", transport);
      assert.deepEqual(ns.answers, [`${ZONE}. 3600 IN NS ns1.${ZONE}.`]);
    });
  }

  it("truncates over UDP past 512 bytes without EDNS (TC=1), past the EDNS size with it; TCP carries it all", async () => {
    const big = `big.${DEMO_DNS}`;
    const classic = await dig(big, "TXT", "udp", ["+noedns", "+ignore"]);
    assert.equal(classic.status, "NOERROR");
    assert.ok(classic.flags.includes("tc"), `flags ${classic.flags}`);
    assert.deepEqual(classic.answers, []);
    const small = await dig(big, "TXT", "udp", ["+bufsize=600", "+ignore"]);
    assert.ok(small.flags.includes("tc"), `flags ${small.flags}`);
    const edns = await dig(big, "TXT", "udp", ["+bufsize=1232", "+ignore"]);
    assert.ok(!edns.flags.includes("tc"), `flags ${edns.flags}`);
    assert.equal(edns.answers.length, BIG_TXT_STRINGS.length);
    const tcp = await dig(big, "TXT", "tcp", ["+noedns"]);
    assert.ok(!tcp.flags.includes("tc"));
    assert.deepEqual(
      tcp.answers.map((line) => line.split(" ").at(-1)).sort(),
      BIG_TXT_STRINGS.map((text) => `"${text}"`),
    );
  });

  it("answers BADVERS to EDNS version 1", async () => {
    const badvers = await dig(DEMO_DNS, "A", "udp", ["+edns=1", "+noednsnegotiation"]);
    assert.equal(badvers.status, "BADVERS");
  });

  it("a real unbound with a stub-zone for the bridge zone resolves www.demo through the bridge", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ensgate-unbound-"));
    const port = await freePort();
    writeFileSync(
      join(dir, "unbound.conf"),
      [
        "server:",
        "  interface: 127.0.0.1",
        `  port: ${port}`,
        "  do-daemonize: no",
        "  use-syslog: no",
        '  logfile: ""',
        '  username: ""',
        '  chroot: ""',
        `  directory: "${dir}"`,
        `  pidfile: "${join(dir, "unbound.pid")}"`,
        "  num-threads: 1",
        "  do-not-query-localhost: no",
        `  domain-insecure: "${ZONE}"`,
        "  access-control: 127.0.0.0/8 allow",
        "stub-zone:",
        `  name: "${ZONE}"`,
        `  stub-addr: 127.0.0.1@${server.port}`,
        "",
      ].join("\n"),
    );
    const unbound = spawn("unbound", ["-d", "-c", join(dir, "unbound.conf")], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    unbound.stdout?.on("data", (chunk) => (log += chunk));
    unbound.stderr?.on("data", (chunk) => (log += chunk));
    try {
      let answer = parseDig("");
      for (let attempt = 0; attempt < 50 && answer.status !== "NOERROR"; attempt++) {
        if (unbound.exitCode !== null) throw new Error(`unbound exited: ${log}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        answer = parseDig(
          await runTool("dig", [
            "@127.0.0.1",
            "-p",
            String(port),
            `www.${DEMO_DNS}`,
            "A",
            "+tries=1",
            "+time=10",
          ]).catch(() => ""),
        );
      }
      assert.equal(answer.status, "NOERROR", log);
      // A recursive resolver's answer: RA set, AA clear, the bridge's record.
      assert.ok(answer.flags.includes("ra"), `flags ${answer.flags}`);
      assert.deepEqual(
        answer.answers.map((line) => line.replace(/ \d+ IN /, " IN ")),
        [`www.${DEMO_DNS}. IN A 192.0.2.1`],
      );
      const missing = parseDig(
        await runTool("dig", [
          "@127.0.0.1",
          "-p",
          String(port),
          `nosuchname.${ZONE}`,
          "A",
          "+tries=1",
          "+time=10",
        ]),
      );
      assert.equal(missing.status, "NXDOMAIN");
    } finally {
      unbound.kill("SIGTERM");
      await new Promise((resolve) => unbound.once("exit", resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const method of ["GET", "POST"] as const)
    it(`DNS over HTTPS (${method}) on the Node gateway gives dig's answers`, async () => {
      for (const [name, type] of [
        [DEMO_DNS, "A"],
        [DEMO_DNS, "AAAA"],
        [DEMO_DNS, "TXT"],
        [`www.${DEMO_DNS}`, "A"],
        [`_dnslink.${DEMO_DNS}`, "TXT"],
      ] as const) {
        const doh = answerLines(await curlDoh(gateway.url, name, type, method));
        const udp = await dig(name, type, "udp");
        assert.equal(doh.rcode, "NOERROR");
        assert.ok(doh.aa);
        assert.deepEqual(
          doh.lines,
          udp.answers.map((line) => line.replace(/^(\S+) \d+ /, "$1 TTL ")).sort(),
          `${type} ${name}`,
        );
      }
      const missing = answerLines(await curlDoh(gateway.url, `nosuchname.${ZONE}`, "A", method));
      assert.equal(missing.rcode, "NXDOMAIN");
      const outside = answerLines(await curlDoh(gateway.url, "example.com", "A", method));
      assert.equal(outside.rcode, "REFUSED");
    });

  it("DoH answers malformed requests with a 4xx and a JSON reason", async () => {
    const get = (query: string) => fetch(`${gateway.url}/dns-query${query}`);
    let response = await get("");
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: "missing the dns query parameter (RFC 8484 §4.1)",
    });
    response = await get("?dns=AAAA%2B%2F");
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: "the dns parameter is not unpadded base64url (RFC 8484 §4.1)",
    });
    response = await fetch(`${gateway.url}/dns-query`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    assert.equal(response.status, 415);
    assert.deepEqual(await response.json(), {
      message: "the request body must be application/dns-message",
    });
    response = await fetch(`${gateway.url}/dns-query`, {
      method: "POST",
      headers: { "content-type": "application/dns-message" },
      body: new Uint8Array(65_536),
    });
    assert.equal(response.status, 413);
    response = await get("?dns=AAAA");
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {
      message: "not a DNS query message (shorter than a header, or a response)",
    });
    response = await fetch(`${gateway.url}/dns-query`, { method: "PUT" });
    assert.equal(response.status, 405);
  });
});
