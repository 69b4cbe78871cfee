// Real TLS handshakes with issued chains: Node's https server serves end-entity + intermediate,
// and clients trust only the ensgate root (Node tls.connect and `openssl s_client`).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { once } from "node:events";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import tls from "node:tls";
import {
  buildPemChain,
  type CertificateAuthority,
  type CertificateKeyType,
  exportPrivateKeyPem,
  type x509,
} from "../../lib/certs/index.ts";
import { BRIDGE, makeDomainCa, makeEndEntity, OPENSSL, tempDir } from "./helpers.ts";

type Server = { server: https.Server; port: number };

/** An HTTPS server on 127.0.0.1 with an issued end-entity of `keyType` (chain: ee + intermediate). */
async function startServer(
  intermediate: CertificateAuthority,
  keyType: CertificateKeyType,
  options: tls.SecureContextOptions = {},
): Promise<Server & { ee: x509.X509Certificate }> {
  const { certificate: ee, keys } = await makeEndEntity(
    intermediate,
    ["www.alice.eth", `www.alice.${BRIDGE}`],
    keyType,
  );
  const server = https.createServer(
    {
      key: await exportPrivateKeyPem(keys.privateKey),
      cert: buildPemChain([ee, intermediate.certificate]),
      ...options,
    },
    (_request, response) => response.end("hello from www.alice.eth\n"),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { server, port: (server.address() as AddressInfo).port, ee };
}

/** Connects with Node's TLS client; resolves with the negotiated protocol, or rejects. */
function connect(port: number, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ...options }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Runs `openssl s_client` asynchronously (the server runs in this process). */
function sClient(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(OPENSSL, ["s_client", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.stdin.end("");
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

describe("TLS with an issued P-256 end-entity (TLS 1.3)", () => {
  const dir = tempDir();
  let root: CertificateAuthority;
  let server: Server;
  let rootPath: string;
  before(async () => {
    const ca = await makeDomainCa("alice.eth");
    root = ca.root;
    rootPath = dir.write("root.pem", root.certificate.toString("pem"));
    server = await startServer(ca.intermediate, "P-256");
  });
  after(() => {
    server.server.close();
    dir.cleanup();
  });

  for (const servername of ["www.alice.eth", `www.alice.${BRIDGE}`]) {
    it(`Node tls.connect with only the root as CA, servername ${servername}`, async () => {
      const socket = await connect(server.port, {
        servername,
        ca: root.certificate.toString("pem"),
        minVersion: "TLSv1.3",
      });
      assert.equal(socket.authorized, true);
      assert.equal(socket.getProtocol(), "TLSv1.3");
      assert.equal(socket.getPeerCertificate().subject.CN, "www.alice.eth");
      socket.end();
    });
  }

  it("an HTTPS request over it returns the body", async () => {
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          {
            host: "127.0.0.1",
            port: server.port,
            servername: "www.alice.eth",
            headers: { host: "www.alice.eth" },
            ca: root.certificate.toString("pem"),
          },
          (response) => {
            let text = "";
            response.on("data", (chunk) => {
              text += chunk;
            });
            response.on("end", () => resolve(text));
          },
        )
        .on("error", reject);
    });
    assert.equal(body, "hello from www.alice.eth\n");
  });

  it("Node rejects another name (hostname check) and another root", async () => {
    await assert.rejects(
      connect(server.port, { servername: "www.bob.eth", ca: root.certificate.toString("pem") }),
      /ERR_TLS_CERT_ALTNAME_INVALID|does not match/,
    );
    const other = await makeDomainCa("alice.eth");
    await assert.rejects(
      connect(server.port, {
        servername: "www.alice.eth",
        ca: other.root.certificate.toString("pem"),
      }),
      /unable to get (local )?issuer certificate|UNABLE_TO_GET_ISSUER_CERT/,
    );
  });

  it("openssl s_client -CAfile root.pem -verify_return_error exits 0", async () => {
    const result = await sClient([
      "-connect",
      `127.0.0.1:${server.port}`,
      "-CAfile",
      rootPath,
      "-no-CApath",
      "-no-CAstore",
      "-verify_return_error",
      "-servername",
      "www.alice.eth",
      "-verify_hostname",
      "www.alice.eth",
    ]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /Verify return code: 0 \(ok\)/);
    assert.match(result.output, /TLSv1\.3/);
  });

  it("openssl s_client -verify_return_error fails for another hostname", async () => {
    const result = await sClient([
      "-connect",
      `127.0.0.1:${server.port}`,
      "-CAfile",
      rootPath,
      "-no-CApath",
      "-no-CAstore",
      "-verify_return_error",
      "-servername",
      "www.bob.eth",
      "-verify_hostname",
      "www.bob.eth",
    ]);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /hostname mismatch/);
  });
});

describe("TLS with an issued secp256k1 end-entity (TLS 1.2, client offers secp256k1)", () => {
  const dir = tempDir();
  let root: CertificateAuthority;
  let server: Server;
  let rootPath: string;
  before(async () => {
    const ca = await makeDomainCa("alice.eth");
    root = ca.root;
    rootPath = dir.write("root.pem", root.certificate.toString("pem"));
    server = await startServer(ca.intermediate, "secp256k1", {
      ecdhCurve: "secp256k1:P-256:X25519",
    });
  });
  after(() => {
    server.server.close();
    dir.cleanup();
  });

  // Node 24.21 (OpenSSL 3.5.8) segfaults converting a secp256k1 certificate to its legacy object
  // (`X509Certificate#toLegacyObject`, `TLSSocket#getPeerCertificate`), and its TLS client calls
  // getPeerCertificate after every successful chain verification. So the Node client here lets
  // the handshake through unverified and verifies the chain in JS with node:crypto's
  // X509Certificate (which does not crash); OpenSSL's s_client below verifies it natively.
  it("Node tls.connect, TLS 1.2, ecdhCurve secp256k1, sigalgs ECDSA+SHA256 (chain checked in JS)", async () => {
    const socket = await connect(server.port, {
      servername: "www.alice.eth",
      rejectUnauthorized: false,
      maxVersion: "TLSv1.2",
      ecdhCurve: "secp256k1:P-256",
      sigalgs: "ECDSA+SHA256",
    });
    assert.equal(socket.getProtocol(), "TLSv1.2");
    assert.match(socket.getCipher().name, /^ECDHE-ECDSA-/);
    const leaf = socket.getPeerX509Certificate();
    const intermediate = leaf?.issuerCertificate;
    assert.ok(leaf && intermediate);
    const trusted = new X509Certificate(root.certificate.toString("pem"));
    assert.equal(leaf.publicKey.asymmetricKeyDetails?.namedCurve, "secp256k1");
    assert.ok(leaf.checkIssued(intermediate) && leaf.verify(intermediate.publicKey));
    assert.ok(intermediate.checkIssued(trusted) && intermediate.verify(trusted.publicKey));
    assert.equal(leaf.checkHost("www.alice.eth"), "www.alice.eth");
    assert.equal(leaf.checkHost("www.bob.eth"), undefined);
    socket.end();
  });

  it("Node's verifying client (ca: root) on a secp256k1 chain: crashes in a child process (Node bug)", async (t) => {
    const script = `
      const tls = require("node:tls");
      const socket = tls.connect({ host: "127.0.0.1", port: ${server.port}, servername: "www.alice.eth",
        ca: process.env.ROOT_PEM, maxVersion: "TLSv1.2", ecdhCurve: "secp256k1:P-256" },
        () => { console.log("authorized", socket.authorized); socket.end(); });
      socket.on("error", (error) => { console.log("error", error.message); process.exitCode = 3; });`;
    const child = spawn(process.execPath, ["-e", script], {
      env: { ...process.env, ROOT_PEM: root.certificate.toString("pem") },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    const [status, signal] = (await once(child, "close")) as [number | null, string | null];
    t.diagnostic(
      `node ${process.version}: status ${status}, signal ${signal}, output ${output.trim()}`,
    );
    // Either Node is fixed (the handshake verifies) or it still dies with SIGSEGV.
    assert.ok(
      (status === 0 && /authorized true/.test(output)) || signal === "SIGSEGV",
      `${status} ${signal} ${output}`,
    );
  });

  it("openssl s_client -tls1_2 -groups secp256k1 -sigalgs ECDSA+SHA256 exits 0", async () => {
    const result = await sClient([
      "-connect",
      `127.0.0.1:${server.port}`,
      "-CAfile",
      rootPath,
      "-no-CApath",
      "-no-CAstore",
      "-verify_return_error",
      "-servername",
      "www.alice.eth",
      "-verify_hostname",
      "www.alice.eth",
      "-tls1_2",
      "-groups",
      "secp256k1",
      "-sigalgs",
      "ECDSA+SHA256",
    ]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /Verify return code: 0 \(ok\)/);
    assert.match(result.output, /Protocol\s*: TLSv1\.2/);
  });

  it("without secp256k1 among the client's groups the handshake fails", async () => {
    await assert.rejects(
      connect(server.port, {
        servername: "www.alice.eth",
        rejectUnauthorized: false,
        maxVersion: "TLSv1.2",
        ecdhCurve: "P-256",
      }),
      /handshake failure|no shared cipher|SSL alert number 40/,
    );
    const result = await sClient([
      "-connect",
      `127.0.0.1:${server.port}`,
      "-tls1_2",
      "-groups",
      "P-256",
    ]);
    assert.notEqual(result.status, 0);
  });

  it("TLS 1.3 has no secp256k1 signature scheme: the handshake fails", async () => {
    await assert.rejects(
      connect(server.port, {
        servername: "www.alice.eth",
        rejectUnauthorized: false,
        minVersion: "TLSv1.3",
        ecdhCurve: "secp256k1:P-256",
      }),
    );
    const result = await sClient([
      "-connect",
      `127.0.0.1:${server.port}`,
      "-tls1_3",
      "-groups",
      "secp256k1:P-256",
    ]);
    assert.notEqual(result.status, 0);
  });
});
