// `ensgate dev` (the README's first command) as a user runs it: the printed viem and ethers
// snippets resolve the demo records, and Ctrl-C leaves no process or port behind.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "./runCli.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The indented lines printed under `heading` (a snippet), without the indentation. */
function snippet(output: string, heading: string): string {
  const lines = output.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `no "${heading}" section in:\n${output}`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ")) break;
    body.push(line.slice(2));
  }
  return body.join("\n");
}

/** Runs a printed snippet as an ES module from the project folder (where viem and ethers resolve). */
function runSnippet(code: string): string {
  const file = join(ROOT, `.snippet-${process.pid}-${Date.now()}.mjs`);
  writeFileSync(file, code);
  try {
    return execFileSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000 }).trim();
  } finally {
    rmSync(file, { force: true });
  }
}

describe("ensgate dev", () => {
  let child: ChildProcess;
  let output = "";
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-dev-"));
    child = spawn(process.execPath, [join(ROOT, "cli/ensgate.ts"), "--data-dir", dataDir, "dev"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let errors = "";
    child.stderr?.on("data", (chunk) => (errors += chunk));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ctrl-C stops everything")) resolve();
      });
      child.once("exit", (code) =>
        reject(new Error(`ensgate dev exited with ${code}:\n${errors}`)),
      );
    });
  });
  after(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prints the web app's URL, where the gateway serves the app and its settings", () => {
    const url = /^ {2}web app {12}(http:\/\/\S+\/)\s/m.exec(output)?.[1];
    assert.ok(url, `no web app line in:\n${output}`);
    // curl, not fetch: an idle keep-alive socket of this process would race the server's close.
    const get = (target: string) =>
      execFileSync("curl", ["-sf", target], { encoding: "utf8", timeout: 30_000 });
    assert.match(get(url), /<title>ensgate<\/title>/);
    const config = JSON.parse(get(`${url}app-config.json`)) as { rpcUrl: string };
    assert.ok(output.includes(config.rpcUrl), "the app reads the chain ensgate dev runs");
  });

  it("prints a viem snippet that resolves the demo avatar", () => {
    assert.equal(runSnippet(snippet(output, "viem:")), "https://ens.example/demo.eth.png");
  });

  it("prints an ensjs snippet (getRecords, default options) that resolves the demo avatar", () => {
    assert.equal(
      runSnippet(snippet(output, "ensjs 4.x (ENS's library; default options):")),
      "https://ens.example/demo.eth.png",
    );
  });

  it("prints an ethers v6 snippet that resolves the demo avatar", () => {
    assert.equal(runSnippet(snippet(output, "ethers v6:")), "https://ens.example/demo.eth.png");
  });

  it("prints a curl of the gateway that answers the signed record", async () => {
    const url = /curl (\S+)/.exec(output)?.[1];
    assert.ok(url);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    const { data } = (await response.json()) as { data: string };
    assert.match(data, /^0x[0-9a-f]{200,}$/);
  });

  it("prints ensgate lines that run as printed in a fresh shell (bin/ensgate, pinned Node)", () => {
    const line = output
      .split("\n")
      .map((text) => text.trim())
      .find((text) => /bin\/ensgate resolve /.test(text));
    assert.ok(line, `no ensgate resolve line in:\n${output}`);
    // A new login-less shell: no pinned Node on PATH, not in the repository.
    const shell = execFileSync("bash", ["-c", line], {
      cwd: tmpdir(),
      env: { HOME: process.env.HOME ?? tmpdir(), PATH: "/usr/local/bin:/usr/bin:/bin" },
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.match(shell, /demo\.eth text\/avatar: https:\/\/ens\.example\/demo\.eth\.png/);
  });

  it("prints dig lines that get the demo's DNS records from the bridge as printed", () => {
    const lines = output
      .split("\n")
      .map((text) => text.trim())
      .filter((text) => text.startsWith("dig @"));
    assert.equal(lines.length, 2, `dig lines in:\n${output}`);
    const shell = (line: string) =>
      execFileSync("bash", ["-c", line], { cwd: tmpdir(), encoding: "utf8", timeout: 60_000 });
    const www = shell(lines[0] as string);
    assert.match(www, /status: NOERROR/);
    assert.match(www, /flags: qr aa;/);
    assert.match(www, /^www\.demo\.deploy-ens-to-dns\.com\.\s+\d+\s+IN\s+A\s+192\.0\.2\.1$/m);
    const txt = shell(lines[1] as string);
    assert.match(
      txt,
      /^demo\.deploy-ens-to-dns\.com\.\s+\d+\s+IN\s+TXT\s+"hello from demo\.eth"$/m,
    );
  });

  it("prints a cert request line that gets a certificate from the devnet's CA as printed, and a log verify line", () => {
    const printed = (pattern: RegExp) =>
      output
        .split("\n")
        .map((text) => text.trim())
        .find((text) => pattern.test(text));
    const request = printed(/bin\/ensgate cert request /);
    assert.ok(request, `no cert request line in:\n${output}`);
    const workDir = mkdtempSync(join(tmpdir(), "ensgate-dev-cert-"));
    try {
      // A fresh shell in another folder: ./tls is created there.
      const requested = execFileSync("bash", ["-c", request], {
        cwd: workDir,
        env: { HOME: process.env.HOME ?? tmpdir(), PATH: "/usr/local/bin:/usr/bin:/bin" },
        encoding: "utf8",
        timeout: 300_000,
      });
      assert.match(requested, /order \d+ fulfilled: CN=www\.demo\.eth, valid until /);
      assert.ok(existsSync(join(workDir, "tls", "www.demo.eth.crt.pem")));
      const show = printed(/bin\/ensgate cert show /);
      assert.ok(show);
      const shown = execFileSync("bash", ["-c", show], {
        cwd: workDir,
        encoding: "utf8",
        timeout: 120_000,
      });
      assert.match(shown, /www\.demo\.eth: verified/);
      const verify = printed(/bin\/ensgate log verify /);
      assert.ok(verify);
      const verified = execFileSync(
        "bash",
        ["-c", `${verify} --certificate ${join(workDir, "tls", "www.demo.eth.crt.pem")}`],
        { cwd: workDir, encoding: "utf8", timeout: 120_000 },
      );
      assert.match(verified, /includ/i);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });

  it("prints a curl line for DNS over HTTPS that gets the demo's TXT records as printed", () => {
    const line = output
      .split("\n")
      .map((text) => text.trim())
      .find((text) => text.includes("/dns-query?dns="));
    assert.ok(line, `no DoH curl line in:\n${output}`);
    const shown = execFileSync("bash", ["-c", line], {
      cwd: tmpdir(),
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.match(shown, /hello from demo\.eth/);
    assert.match(shown, /v=ensgate1 demo/);
  });

  it("prints the publish endpoints: they answer a browser's preflight and check records", async () => {
    const publishUrl = /publish endpoints +(\S+)/.exec(output)?.[1];
    assert.ok(publishUrl, output);
    const name = "k51qzi5uqu5dgutdk6i1ynyzgkqngpha5xpgia3a5qqp4jsh0u4csozksxel3r";
    const preflight = await fetch(`${publishUrl}/routing/v1/ipns/${name}`, {
      method: "OPTIONS",
      headers: { origin: "http://127.0.0.1:1", "access-control-request-method": "PUT" },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
    const put = await fetch(`${publishUrl}/routing/v1/ipns/${name}`, {
      method: "PUT",
      headers: { "content-type": "application/vnd.ipfs.ipns-record" },
      body: "not a record",
    });
    assert.equal(put.status, 400);
    assert.match(((await put.json()) as { error: string }).error, /^invalid IPNS record: /);
  });

  it("prints the data dir and the IPFS store its gateways read", () => {
    assert.match(output, new RegExp(`data dir +${dataDir.replaceAll("/", "\\/")}`));
    assert.match(output, new RegExp(`IPFS store +${join(dataDir, "ipfs").replaceAll("/", "\\/")}`));
  });

  it("publish warns when it publishes somewhere the devnet cannot read", async () => {
    const rpcUrl = /chain \(JSON-RPC\) +(\S+)/.exec(output)?.[1];
    assert.ok(rpcUrl);
    const otherDir = mkdtempSync(join(tmpdir(), "ensgate-other-"));
    try {
      const run = await runCli(["--data-dir", otherDir, "--rpc", rpcUrl, "publish"]);
      assert.match(
        run.stderr,
        new RegExp(
          `^ensgate: warning: the devnet at ${rpcUrl.replaceAll("/", "\\/")} reads records from the IPFS store in ${join(dataDir, "ipfs").replaceAll("/", "\\/")}, not from `,
          "m",
        ),
      );
      const same = await runCli(["--data-dir", dataDir, "--rpc", rpcUrl, "publish", "nobody.eth"]);
      assert.doesNotMatch(same.stderr, /warning: the devnet/);
    } finally {
      rmSync(otherDir, { recursive: true, force: true });
    }
  });

  it("stops cleanly on Ctrl-C, leaving no process and no open port", async () => {
    const ports = [...output.matchAll(/http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) =>
      Number(match[1]),
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    const dnsPort = Number(/^ {2}dig @127\.0\.0\.1 -p (\d+) /m.exec(output)?.[1]);
    assert.ok(dnsPort > 0, "no DNS port printed");
    child.kill("SIGINT");
    assert.equal(await exited, 0);
    // The DNS bridge's TCP port is closed too.
    await assert.rejects(
      new Promise((resolve, reject) => {
        const socket = connect(dnsPort, "127.0.0.1", () => {
          socket.destroy();
          resolve(undefined);
        });
        socket.once("error", reject);
      }),
      `DNS port ${dnsPort} still accepts connections`,
    );
    for (const port of new Set(ports))
      await assert.rejects(
        fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) }),
        `port ${port} still answers`,
      );
  });
});
