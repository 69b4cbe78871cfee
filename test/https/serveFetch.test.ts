// HTTPS for ENS names on the local stack, driven as a user would: `ensgate serve` (a separate
// process) serves a folder, an ipfs:// tree and the name's contenthash with a certificate chaining
// to the ensgate root; curl (HTTP/1.1 and HTTP/2) trusts that root for the .eth name and its
// bridge name; `ensgate fetch` trusts nothing but the name's records (A + TLSA, verified on-chain)
// and refuses a wrong key, a tampered record, a missing TLSA or address. The certificate files
// are replaced by rename while a client keeps handshaking: new handshakes get the new one.
//
// The name's TLSA is what the resolver answers today: `dnsRecord` resource 52 comes from the
// certificate authority's tree, so the test publishes it there, signed by the CA's records signer
// (as `ensgate ca run` publishes its `_443._tcp` record), and also in the owner's tree.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import type { Hex, LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { CaFolder } from "../../ca/caFiles.ts";
import {
  NoAddressRecordError,
  NoTlsaRecordError,
  NotAnEnsHostError,
  RecordRejectedError,
  TlsaMismatchError,
} from "../../client/daneErrors.ts";
import { daneFetch, readAddressRecords } from "../../client/daneFetch.ts";
import {
  createVerifiedRecordReader,
  type VerifiedRecordReader,
} from "../../client/verifiedRecords.ts";
import {
  bridgeName,
  buildTlsaZoneLine,
  computeTlsaSpkiSha256,
  exportPrivateKeyPem,
  generateCertificateKeyPair,
  issueEndEntity,
  issueIntermediateCa,
  type x509,
} from "../../lib/certs/index.ts";
import {
  buildRecordFilePath,
  DNS_RESOURCE_TYPES,
  hashDnsOwnerName,
  namehash,
  parseRecordhash,
  type RecordRequest,
  signRecordTree,
} from "../../lib/index.ts";
import { startCaStack } from "../../scripts/stack/caStack.ts";
import type { LocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { BRIDGE } from "../certs/helpers.ts";
import { assertOneLineError, runCli } from "../cli/runCli.ts";

const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));
const NAME = "www.demo.eth";
const BRIDGED = bridgeName(NAME, BRIDGE);
/** A name whose TLSA record file is tampered with on IPFS. */
const PIN = "pin.demo.eth";

/** A signed record file with `from` replaced by `to` in its data, not re-signed. */
function tamperData(json: string, from: string, to: string): string {
  const file = JSON.parse(json) as { data: string };
  assert.ok(file.data.includes(from), `${from} is not in the file's data`);
  return JSON.stringify({ ...file, data: file.data.replace(from, to) });
}

/** A free TCP port on 127.0.0.1 (the TLSA owner `_<port>._tcp` must be known before serving). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

const dnsRequest = (owner: string, type: keyof typeof DNS_RESOURCE_TYPES): RecordRequest => ({
  type: "dnsRecord",
  nameHash: hashDnsOwnerName(owner),
  resource: DNS_RESOURCE_TYPES[type],
  name: owner,
});

/** The IPNS name of an `ipns://` recordhash. */
function ipnsNameOf(recordhash: Hex): string {
  const target = parseRecordhash(recordhash);
  if (target.protocol !== "ipns") throw new Error("not an IPNS recordhash");
  return target.name;
}

/** A running `ensgate serve`, with everything it printed on stderr. */
type Served = { child: ChildProcess; port: number; stderr: () => string };

/** Starts `ensgate --json serve …` and waits for its start-up object. */
async function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, "--json", "serve", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith("ENSGATE_")),
    ),
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  const started = await new Promise<{ port: number }>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.includes("\n")) resolve(JSON.parse(stdout.split("\n")[0] as string));
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, port: started.port, stderr: () => stderr };
}

async function stopServe(served: Served | undefined): Promise<void> {
  if (!served || served.child.exitCode !== null) return;
  served.child.kill("SIGTERM");
  await once(served.child, "exit");
}

/** curl against 127.0.0.1 for `host`, trusting only `rootPem`: status, HTTP version and body. */
function curl(
  host: string,
  port: number,
  path: string,
  rootPem: string,
  extra: string[] = [],
): { code: number; status: string; version: string; body: string; stderr: string } {
  const result = spawnSync(
    "curl",
    [
      "-sS",
      "--cacert",
      rootPem,
      "--resolve",
      `${host}:${port}:127.0.0.1`,
      "--path-as-is",
      "-o",
      "-",
      "-w",
      "\n%{http_code} %{http_version}",
      ...extra,
      `https://${host}:${port}${path}`,
    ],
    { encoding: "utf8" },
  );
  const lines = result.stdout.split("\n");
  const [status = "", version = ""] = (lines.pop() ?? "").split(" ");
  return {
    code: result.status ?? -1,
    status,
    version,
    body: lines.join("\n"),
    stderr: result.stderr,
  };
}

/** The serial of the certificate a fresh TLS handshake gets (SNI `www.demo.eth`). */
function handshakeSerial(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host: "127.0.0.1",
      port,
      servername: NAME,
      rejectUnauthorized: false,
    });
    socket.once("secureConnect", () => {
      const serial = socket.getPeerX509Certificate()?.serialNumber ?? "";
      socket.destroy();
      resolve(serial.toLowerCase());
    });
    socket.once("error", reject);
  });
}

/** `openssl s_client` + `openssl x509 -serial`: the served certificate's serial, as OpenSSL reads it. */
function opensslServedSerial(port: number): string {
  const pem = execFileSync(
    "openssl",
    ["s_client", "-connect", `127.0.0.1:${port}`, "-servername", NAME],
    { input: "", encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] },
  );
  return execFileSync("openssl", ["x509", "-noout", "-serial"], { input: pem, encoding: "utf8" })
    .trim()
    .replace(/^serial=/, "")
    .toLowerCase();
}

/** Writes a file next to `path` and renames it over `path` (an atomic replacement). */
function replaceAtomically(path: string, content: string): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

const waitFor = async (what: string, check: () => Promise<boolean> | boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wait) => setTimeout(wait, 50));
  }
};

describe("HTTPS for ENS names: ensgate serve and ensgate fetch", () => {
  let stack: LocalStack;
  let folder: CaFolder;
  let dataDir: string;
  let owner: LocalAccount;
  let chainFlags: string[];
  let reader: VerifiedRecordReader;
  let port: number;
  let files: { dir: string; site: string; cert: string; key: string };
  let intermediate: { certificate: x509.X509Certificate; privateKey: CryptoKey };
  let serverKeys: CryptoKeyPair;
  let leaf: x509.X509Certificate;
  let siteCid: string;
  const served: Served[] = [];
  let site: Served;

  /** PEM of an end-entity for the name and its bridge name, plus the intermediate. */
  const chainPem = (certificate: x509.X509Certificate) =>
    `${certificate.toString("pem")}\n${intermediate.certificate.toString("pem")}\n`;
  const issueLeaf = (keys: CryptoKeyPair) =>
    issueEndEntity({ issuer: intermediate, publicKey: keys.publicKey, dnsNames: [NAME, BRIDGED] });

  before(async () => {
    ({ stack, folder, dataDir } = await startCaStack());
    owner = stack.accounts[1] as LocalAccount;
    await registerWithResolver(stack, "demo.eth", owner.address);
    port = await freePort();

    // The certificate: the ensgate root -> demo.eth domain CA -> www.demo.eth (and bridge name).
    const domainKeys = await generateCertificateKeyPair("P-256");
    intermediate = {
      certificate: await issueIntermediateCa({
        issuer: folder.root,
        name: "demo.eth",
        bridgeDomain: BRIDGE,
        publicKey: domainKeys.publicKey,
      }),
      privateKey: domainKeys.privateKey,
    };
    serverKeys = await generateCertificateKeyPair("P-256");
    leaf = await issueLeaf(serverKeys);
    const dir = join(dataDir, "https");
    files = {
      dir,
      site: join(dir, "site"),
      cert: join(dir, "tls", `${NAME}.crt.pem`),
      key: join(dir, "tls", `${NAME}.key.pem`),
    };
    mkdirSync(join(files.site, "docs"), { recursive: true });
    mkdirSync(join(dir, "tls"), { recursive: true });
    writeFileSync(join(files.site, "index.html"), "<h1>demo.eth over HTTPS</h1>\n");
    writeFileSync(join(files.site, "style.css"), "h1 { color: teal }\n");
    writeFileSync(join(files.site, "docs", "index.html"), "<p>docs</p>\n");
    writeFileSync(join(dir, "secret.txt"), "outside the site\n");
    symlinkSync(join(dir, "secret.txt"), join(files.site, "escape.txt"));
    writeFileSync(files.cert, chainPem(leaf));
    writeFileSync(files.key, await exportPrivateKeyPem(serverKeys.privateKey));

    // A site tree in the IPFS store, the name's contenthash.
    siteCid = (
      await stack.ipfs.addDirectory({
        "index.html": "<h1>from IPFS</h1>\n",
        "app/main.js": "console.log('ipfs')\n",
      })
    ).toString();

    // The owner's records: A for www, a tampered A for bad, the contenthash, and (for a resolver
    // that reads the owner's own TLSA) the TLSA too; pin.demo.eth has a tampered TLSA.
    const tlsaLine = buildTlsaZoneLine(NAME, leaf, { port });
    const tlsaRequest = dnsRequest(`_${port}._tcp.${NAME}`, "TLSA");
    const pinLine = buildTlsaZoneLine(PIN, leaf, { port });
    const pinRequest = dnsRequest(`_${port}._tcp.${PIN}`, "TLSA");
    const names: Record<string, [RecordRequest, string][]> = {
      [NAME]: [
        [dnsRequest(NAME, "A"), `${NAME}. 300 IN A 127.0.0.1`],
        [tlsaRequest, tlsaLine],
        [{ type: "contenthash" }, `ipfs://${siteCid}`],
      ],
      "bad.demo.eth": [[dnsRequest("bad.demo.eth", "A"), "bad.demo.eth. 300 IN A 127.0.0.1"]],
      [PIN]: [
        [dnsRequest(PIN, "A"), `${PIN}. 300 IN A 127.0.0.1`],
        [pinRequest, pinLine],
      ],
      // Stored on the zone's name, as `ensgate set demo.eth dns 'apex.demo.eth. …'` does.
      "demo.eth": [[dnsRequest("apex.demo.eth", "A"), "apex.demo.eth. 300 IN A 127.0.0.2"]],
    };
    const honest = await publishTree(stack, owner, "demo.eth", names);
    const badPath = buildRecordFilePath("bad.demo.eth", dnsRequest("bad.demo.eth", "A"));
    const pinPath = buildRecordFilePath(PIN, pinRequest);
    const published = async (path: string) =>
      new TextDecoder().decode((await stack.ipfs.readFile(ipnsNameOf(honest), path)) as Uint8Array);
    const pinHash = pinLine.split(" ").at(-1) as string;
    const otherHash = `${pinHash.slice(0, -1)}${pinHash.endsWith("0") ? "1" : "0"}`;
    const tampered = await publishTree(stack, owner, "demo.eth", names, {
      overrides: {
        // 127.0.0.1 -> 127.0.0.9 in the signed data, without re-signing.
        [badPath]: tamperData(await published(badPath), "7f000001", "7f000009"),
        [pinPath]: tamperData(await published(pinPath), pinHash, otherHash),
      },
    });
    await writeResolver(stack, owner, "setRecordhash", [namehash("demo.eth"), tampered]);

    // The CA's tree: the TLSA records, signed by the CA's records signer under the CA's epoch
    // (pin.demo.eth's tampered afterwards).
    const [, , caEpoch] = (await stack.publicClient.readContract({
      address: stack.resolver.address,
      abi: stack.resolver.abi,
      functionName: "certificateAuthority",
    })) as [Hex, Hex, bigint];
    const caSigner = privateKeyToAccount(folder.identity.signerPrivateKey);
    const signByCa = (name: string, records: [RecordRequest, string][]) =>
      signRecordTree({
        name,
        records,
        signer: caSigner,
        owner: caSigner.address,
        chainId: stack.chain.id,
        freshness: { validUntil: BigInt(Math.floor(Date.now() / 1000) + 86_400), epoch: caEpoch },
        resolver: stack.resolver.address,
      });
    const caFiles = {
      ...(await signByCa(NAME, [[tlsaRequest, tlsaLine]])),
      ...(await signByCa(PIN, [[pinRequest, pinLine]])),
    };
    caFiles[pinPath] = tamperData(caFiles[pinPath] as string, pinHash, otherHash);
    await stack.ipfs.publishName(folder.identity.ipnsSeed, await stack.ipfs.addDirectory(caFiles));

    chainFlags = [
      "--data-dir",
      dataDir,
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
    ];
    reader = createVerifiedRecordReader({
      chain: stack.chain,
      rpcUrl: stack.rpcUrl,
      publicClient: stack.publicClient,
      registry: stack.ens.registry.address,
    });
    site = await startServe([
      NAME,
      files.site,
      "--cert",
      files.cert,
      "--key",
      files.key,
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--bridge-domain",
      BRIDGE,
      "--watch-interval",
      "200",
    ]);
    served.push(site);
  });

  after(async () => {
    for (const one of served) await stopServe(one);
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe("ensgate serve, with curl trusting only the ensgate root", () => {
    for (const host of [NAME, BRIDGED])
      for (const http of ["--http1.1", "--http2"])
        it(`serves ${host} over ${http === "--http2" ? "HTTP/2" : "HTTP/1.1"}`, () => {
          const result = curl(host, port, "/", folder.rootPemPath, [http]);
          assert.equal(result.code, 0, result.stderr);
          assert.equal(result.status, "200");
          assert.equal(result.version, http === "--http2" ? "2" : "1.1");
          assert.equal(result.body, "<h1>demo.eth over HTTPS</h1>\n");
        });

    it("gives each file its content type, a folder its index.html, a folder without slash a redirect", () => {
      const css = spawnSync(
        "curl",
        [
          "-sS",
          "-o",
          "/dev/null",
          "-w",
          "%{content_type}",
          "--cacert",
          folder.rootPemPath,
          "--resolve",
          `${NAME}:${port}:127.0.0.1`,
          `https://${NAME}:${port}/style.css`,
        ],
        { encoding: "utf8" },
      );
      assert.equal(css.stdout, "text/css; charset=utf-8");
      assert.equal(curl(NAME, port, "/docs/", folder.rootPemPath).body, "<p>docs</p>\n");
      const redirect = curl(NAME, port, "/docs", folder.rootPemPath);
      assert.equal(redirect.status, "301");
      assert.equal(curl(NAME, port, "/nothing.txt", folder.rootPemPath).status, "404");
      // A symbolic link out of the folder is not followed.
      assert.equal(curl(NAME, port, "/escape.txt", folder.rootPemPath).status, "404");
      const post = curl(NAME, port, "/", folder.rootPemPath, ["-X", "POST"]);
      assert.equal(post.status, "405");
      const head = curl(NAME, port, "/style.css", folder.rootPemPath, ["-I"]);
      assert.equal(head.status, "200");
      assert.match(head.body, /content-length: 19/i);
    });

    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/docs/..%2f..%2fsecret.txt",
      "/docs/%2E%2E/%2e%2E/secret.txt",
    ])
      it(`refuses the traversal ${path} with 400`, () => {
        const result = curl(NAME, port, path, folder.rootPemPath);
        assert.equal(result.status, "400");
        assert.match(result.body, /^path traversal refused/);
        assert.doesNotMatch(result.body, /outside the site/);
      });

    it("ends the handshake for a server name it does not serve, and answers 421 for a foreign Host", () => {
      const other = curl("other.demo.eth", port, "/", folder.rootPemPath);
      assert.notEqual(other.code, 0);
      assert.match(other.stderr, /alert|handshake|SSL/i);
      const misdirected = curl(NAME, port, "/", folder.rootPemPath, ["-H", "Host: evil.example"]);
      assert.equal(misdirected.status, "421");
    });

    it("serves an ipfs:// tree and the name's contenthash from the IPFS store", async () => {
      const ipfsPort = await freePort();
      const fromIpfs = await startServe([
        NAME,
        `ipfs://${siteCid}`,
        ...chainFlags,
        "--cert",
        files.cert,
        "--key",
        files.key,
        "--port",
        String(ipfsPort),
        "--host",
        "127.0.0.1",
        "--bridge-domain",
        BRIDGE,
      ]);
      served.push(fromIpfs);
      const index = curl(NAME, ipfsPort, "/", folder.rootPemPath, ["--http2"]);
      assert.equal(index.body, "<h1>from IPFS</h1>\n");
      assert.equal(
        curl(BRIDGED, ipfsPort, "/app/main.js", folder.rootPemPath).body,
        "console.log('ipfs')\n",
      );
      assert.equal(curl(NAME, ipfsPort, "/%2e%2e/x", folder.rootPemPath).status, "400");
      await stopServe(fromIpfs);

      const contenthashPort = await freePort();
      const fromContenthash = await startServe([
        NAME,
        ...chainFlags,
        "--cert",
        files.cert,
        "--key",
        files.key,
        "--port",
        String(contenthashPort),
        "--host",
        "127.0.0.1",
        "--bridge-domain",
        BRIDGE,
      ]);
      served.push(fromContenthash);
      assert.equal(
        curl(NAME, contenthashPort, "/", folder.rootPemPath, ["--http1.1"]).body,
        "<h1>from IPFS</h1>\n",
      );
      await stopServe(fromContenthash);
    });

    it("refuses to start with a certificate that does not cover the bridge name, in one line", async () => {
      const narrow = await issueEndEntity({
        issuer: intermediate,
        publicKey: serverKeys.publicKey,
        dnsNames: [NAME],
      });
      const narrowPath = join(files.dir, "narrow.pem");
      writeFileSync(narrowPath, chainPem(narrow));
      const run = await runCli([
        "serve",
        NAME,
        files.site,
        "--cert",
        narrowPath,
        "--key",
        files.key,
        "--port",
        "0",
        "--bridge-domain",
        BRIDGE,
      ]);
      assertOneLineError(run, new RegExp(`does not cover ${BRIDGED.replace(/\./g, "\\.")}`));
    });
  });

  describe("ensgate fetch: the name's records are the only trust", () => {
    it("fetches https://www.demo.eth:<port>/ and its bridge name, with no root installed", async () => {
      const run = await runCli([...chainFlags, "fetch", `https://${NAME}:${port}/`]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, "<h1>demo.eth over HTTPS</h1>\n");
      const output = join(files.dir, "fetched.css");
      const json = await runCli([
        ...chainFlags,
        "--json",
        "fetch",
        `https://${BRIDGED}:${port}/style.css`,
        "--bridge-domain",
        BRIDGE,
        "-o",
        output,
      ]);
      assert.equal(json.code, 0, json.stderr);
      const summary = JSON.parse(json.stdout) as {
        status: number;
        tlsa: string;
        address: string;
        ensName: string;
      };
      assert.equal(summary.status, 200);
      assert.equal(summary.ensName, NAME);
      assert.equal(summary.address, "127.0.0.1");
      assert.equal(summary.tlsa, `3 1 1 ${computeTlsaSpkiSha256(leaf)}`);
      assert.equal(readFileSync(output, "utf8"), "h1 { color: teal }\n");
    });

    it("reads an address stored on the zone's name (demo.eth) for apex.demo.eth", async () => {
      assert.deepEqual(await readAddressRecords(reader, "apex.demo.eth"), ["127.0.0.2"]);
    });

    it("refuses a tampered A record: the resolver's callback rejects it", async () => {
      await assert.rejects(
        daneFetch(`https://bad.demo.eth:${port}/`, { reader, bridgeDomain: BRIDGE }),
        (error: Error) =>
          error instanceof RecordRejectedError && /InvalidRecordSignature/.test(error.message),
      );
      const run = await runCli([...chainFlags, "fetch", `https://bad.demo.eth:${port}/`]);
      assertOneLineError(
        run,
        /the A \(dnsRecord bad\.demo\.eth\) record of bad\.demo\.eth was rejected by the resolver's on-chain verification \(InvalidRecordSignature\(\)\), refusing to connect$/,
      );
    });

    it("refuses a tampered TLSA record: the resolver's callback rejects it", async () => {
      await assert.rejects(
        daneFetch(`https://${PIN}:${port}/`, { reader }),
        (error: Error) =>
          error instanceof RecordRejectedError &&
          error.message ===
            `the TLSA (dnsRecord _${port}._tcp.${PIN}) record of ${PIN} was rejected by the resolver's on-chain verification (InvalidRecordSignature()), refusing to connect`,
      );
    });

    it("refuses a port without TLSA, a name without address, a host outside ENS", async () => {
      const otherPort = port === 65535 ? 65534 : port + 1;
      await assert.rejects(
        daneFetch(`https://${NAME}:${otherPort}/`, { reader }),
        (error: Error) => error instanceof NoTlsaRecordError,
      );
      assertOneLineError(
        await runCli([...chainFlags, "fetch", `https://${NAME}:${otherPort}/`]),
        new RegExp(`_${otherPort}\\._tcp\\.www\\.demo\\.eth has no TLSA record`),
      );
      await assert.rejects(
        daneFetch(`https://none.demo.eth:${port}/`, { reader }),
        (error: Error) =>
          error instanceof NoAddressRecordError &&
          error.message === "none.demo.eth has no A or AAAA record: no address to connect to",
      );
      await assert.rejects(
        daneFetch(`http://${NAME}:${port}/`, { reader }),
        /http:\/\/www\.demo\.eth:\d+\/ is not an https:\/\/ URL/,
      );
      await assert.rejects(
        daneFetch("https://example.com/", { reader, bridgeDomain: BRIDGE }),
        (error: Error) => error instanceof NotAnEnsHostError,
      );
    });
  });

  describe("renewal: certificate files replaced by rename while serve runs", () => {
    it("new handshakes get the renewed certificate without a restart, none fails meanwhile", async () => {
      const before = leaf.serialNumber.toLowerCase();
      assert.equal(await handshakeSerial(port), before);
      assert.equal(opensslServedSerial(port), before);
      // A client handshaking throughout the renewal.
      const seen: string[] = [];
      const failures: string[] = [];
      let running = true;
      const client = (async () => {
        while (running)
          await handshakeSerial(port).then(
            (serial) => seen.push(serial),
            (error: Error) => failures.push(error.message),
          );
      })();
      // The old certificate is seen before the files change (on a quiet machine issuing the new
      // one can be faster than the first handshake).
      await waitFor("a handshake before the renewal", () => seen.includes(before));
      // Renewal with the same key: the TLSA record still pins it.
      const renewed = await issueLeaf(serverKeys);
      const after = renewed.serialNumber.toLowerCase();
      assert.notEqual(after, before);
      replaceAtomically(files.cert, chainPem(renewed));
      await waitFor("the renewed serial", () => seen.at(-1) === after);
      running = false;
      await client;
      assert.deepEqual(failures, []);
      assert.ok(seen.includes(before) && seen.length > 2, `handshakes seen: ${seen.length}`);
      assert.equal(opensslServedSerial(port), after);
      assert.match(site.stderr(), new RegExp(`certificate reloaded: serial ${after}`, "i"));
      leaf = renewed;
      // `fetch` still trusts it: same key, same TLSA.
      const response = await daneFetch(`https://${NAME}:${port}/`, { reader });
      assert.equal(response.status, 200);
      assert.equal(response.body.toString(), "<h1>demo.eth over HTTPS</h1>\n");
    });

    it("a broken new certificate file keeps the current certificate and logs one line", async () => {
      const current = leaf.serialNumber.toLowerCase();
      const before = site.stderr();
      replaceAtomically(files.cert, "not a certificate\n");
      await waitFor("the reload error", () => site.stderr().length > before.length);
      const logged = site.stderr().slice(before.length).trim().split("\n");
      assert.equal(logged.length, 1, logged.join("\n"));
      assert.match(
        logged[0] as string,
        /holds no PEM certificate.*still serving the previous certificate/,
      );
      assert.equal(await handshakeSerial(port), current);
      replaceAtomically(files.cert, chainPem(leaf));
      await waitFor("the restored certificate", () =>
        site.stderr().slice(before.length).includes("certificate reloaded"),
      );
    });

    it("a new key the TLSA record does not pin: fetch refuses with both hashes", async () => {
      const newKeys = await generateCertificateKeyPair("P-256");
      const rekeyed = await issueLeaf(newKeys);
      replaceAtomically(files.key, await exportPrivateKeyPem(newKeys.privateKey));
      replaceAtomically(files.cert, chainPem(rekeyed));
      const serial = rekeyed.serialNumber.toLowerCase();
      await waitFor(
        "the new key's certificate",
        async () => (await handshakeSerial(port)) === serial,
      );
      // curl with the root still accepts it: the CA issued it. DANE-EE does not.
      assert.equal(curl(NAME, port, "/", folder.rootPemPath).status, "200");
      const expected = `3 1 1 ${computeTlsaSpkiSha256(leaf)}`;
      const actual = `3 1 1 ${computeTlsaSpkiSha256(rekeyed)}`;
      await assert.rejects(
        daneFetch(`https://${NAME}:${port}/`, { reader }),
        (error: Error) =>
          error instanceof TlsaMismatchError &&
          error.expected.join() === expected &&
          error.actual[0] === actual,
      );
      assertOneLineError(
        await runCli([...chainFlags, "fetch", `https://${NAME}:${port}/`]),
        new RegExp(
          `the server at 127\\.0\\.0\\.1:${port} does not hold the key _${port}\\._tcp\\.www\\.demo\\.eth pins: TLSA expects ${expected}, the server presented ${actual} / 3 0 1 [0-9a-f]{64}`,
        ),
      );
    });
  });
});
