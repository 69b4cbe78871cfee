// The CA as a user runs it: `ensgate ca init`, `ensgate ca run` as a child process against the
// local stack, `ensgate cert request` / `cert show`; and the crash tests: the CA killed with
// SIGKILL after reading an order, after issuing, after publishing: after a restart each order is
// fulfilled exactly once and no certificate is issued twice.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { bytesToHex, type HDAccount, type Hex, type LocalAccount } from "viem";
import { loadCaFolder } from "../../ca/caFiles.ts";
import { CRASH_POINTS } from "../../ca/crashPoints.ts";
import { openOrderStore } from "../../ca/orderStore.ts";
import { buildCertificateRequest } from "../../client/certificateRequest.ts";
import { ORDER_STATUS } from "../../client/orderContract.ts";
import { generateCertificateKeyPair, parsePemChain } from "../../lib/certs/index.ts";
import { ORDERS_ABI, placeOrder, waitForSettlement } from "../../scripts/stack/caStack.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { registerWithResolver } from "../../scripts/stack/names.ts";
import { BRIDGE, openssl } from "../certs/helpers.ts";
import { runCli, runCliJson } from "../cli/runCli.ts";

const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));
const key = (account: HDAccount): Hex => bytesToHex(account.getHdKey().privateKey as Uint8Array);

describe("ensgate ca / cert on the local stack (CA as a child process)", () => {
  let stack: LocalStack;
  let dataDir: string;
  let caDir: string;
  let chainArgs: string[];
  let owner: LocalAccount;
  let ca: ChildProcess | undefined;
  let caLog = "";

  /** Starts `ensgate ca run` (optionally set to kill itself at a step). */
  function startCa(crashAt?: string): ChildProcess {
    const base = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith("ENSGATE_")),
    );
    const child = spawn(
      process.execPath,
      [
        CLI,
        ...chainArgs,
        "ca",
        "run",
        "--ca-dir",
        caDir,
        "--orders",
        stack.certificateOrders as string,
        "--ipfs-store",
        join(dataDir, "ipfs"),
        "--poll-ms",
        "50",
      ],
      {
        env: {
          ...base,
          ENSGATE_PRIVATE_KEY: key(stack.accounts[9] as HDAccount),
          ...(crashAt ? { ENSGATE_CA_CRASH_AT: crashAt } : {}),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stdout?.on("data", (chunk) => (caLog += chunk));
    child.stderr?.on("data", (chunk) => (caLog += chunk));
    return child;
  }

  async function stopCa() {
    if (ca && ca.exitCode === null && ca.signalCode === null) {
      ca.kill("SIGTERM");
      await once(ca, "exit");
    }
    ca = undefined;
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-ca-cli-"));
    caDir = join(dataDir, "ca");
    const init = await runCliJson<{
      signer: Hex;
      recordhash: Hex;
      rootPem: string;
      ipnsName: string;
    }>(["ca", "init", "--ca-dir", caDir]);
    stack = await startLocalStack({
      dataDir,
      withCertificateAuthority: { signer: init.signer, recordhash: init.recordhash },
    });
    owner = stack.accounts[1] as LocalAccount;
    await registerWithResolver(stack, "alice.eth", owner.address);
    chainArgs = [
      "--data-dir",
      dataDir,
      "--rpc",
      stack.rpcUrl,
      "--resolver",
      stack.resolver.address,
      "--registry",
      stack.ens.registry.address,
    ];
  });

  after(async () => {
    await stopCa();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("ca init: root PEM path, CA signer, IPNS name; secrets are 0600; refuses to overwrite", async () => {
    const folder = await loadCaFolder(caDir);
    assert.match(folder.identity.ipnsName, /^k51/);
    for (const file of ["root.key.pem", "identity.json"])
      assert.equal(statSync(join(caDir, file)).mode & 0o777, 0o600, file);
    assert.match(readFileSync(folder.rootPemPath, "utf8"), /BEGIN CERTIFICATE/);
    const again = await runCli(["ca", "init", "--ca-dir", caDir]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr.trim().split("\n").at(-1) as string,
      /^ensgate: .*already holds a CA/,
    );
  });

  for (const point of CRASH_POINTS)
    it(`killed with SIGKILL ${point}: after a restart the order is fulfilled exactly once, one certificate`, async () => {
      const keys = await generateCertificateKeyPair("P-256");
      const csr = await buildCertificateRequest(keys, {
        name: "www.alice.eth",
        bridgeDomain: BRIDGE,
      });
      const orderId = await placeOrder(stack, owner, { name: "www.alice.eth", csr });
      ca = startCa(point);
      const [code, signal] = await once(ca, "exit");
      assert.equal(signal, "SIGKILL", `exit ${code}: ${caLog}`);
      ca = undefined;
      const expectedState = { afterRead: "seen", afterIssue: "issued", afterPublish: "published" }[
        point
      ];
      const store = openOrderStore(join(caDir, "orders.sqlite"));
      try {
        assert.equal(store.get(orderId)?.state, expectedState);
      } finally {
        store.close();
      }
      const pending = (await stack.publicClient.readContract({
        address: stack.certificateOrders as Hex,
        abi: ORDERS_ABI,
        functionName: "getOrder",
        args: [orderId],
      })) as { status: number };
      assert.equal(pending.status, ORDER_STATUS.Pending);

      ca = startCa();
      const settled = await waitForSettlement(stack, orderId);
      await stopCa();
      assert.equal(settled.status, ORDER_STATUS.Fulfilled);
      const fulfilled = await stack.publicClient.getContractEvents({
        address: stack.certificateOrders as Hex,
        abi: ORDERS_ABI,
        eventName: "OrderFulfilled",
        args: { orderId },
        fromBlock: 0n,
      });
      assert.equal(fulfilled.length, 1);
      const after = openOrderStore(join(caDir, "orders.sqlite"));
      try {
        assert.equal(after.get(orderId)?.state, "fulfilled");
        assert.equal(after.issuedCount(orderId), 1, "one certificate per order");
        assert.equal(after.get(orderId)?.certificateHash, settled.certificateHash);
      } finally {
        after.close();
      }
    });

  it("cert request orders, waits and writes key + chain; cert show verifies it; openssl accepts the files", async () => {
    ca = startCa();
    const out = join(dataDir, "out");
    const env = { ENSGATE_PRIVATE_KEY: key(owner as HDAccount) };
    const result = await runCliJson<{
      keyFile: string;
      chainFile: string;
      rootFile: string;
      orderId: string;
    }>(
      [
        ...chainArgs,
        "cert",
        "request",
        "www.alice.eth",
        "--orders",
        stack.certificateOrders as string,
        "--out",
        out,
      ],
      env,
    );
    assert.equal(statSync(result.keyFile).mode & 0o777, 0o600);
    assert.equal(parsePemChain(readFileSync(result.chainFile, "utf8")).length, 2);
    const verify = openssl([
      "verify",
      "-x509_strict",
      "-no-CApath",
      "-no-CAstore",
      "-CAfile",
      result.rootFile,
      "-untrusted",
      result.chainFile,
      "-purpose",
      "sslserver",
      "-verify_hostname",
      "www.alice.eth",
      result.chainFile,
    ]);
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    const shown = await runCliJson<{
      verified: boolean;
      dnsNames: string[];
      subject: string;
      problems: string[];
    }>([...chainArgs, "cert", "show", "www.alice.eth", "--root", join(caDir, "root.pem")]);
    assert.deepEqual(shown.problems, []);
    assert.equal(shown.verified, true);
    assert.deepEqual(shown.dnsNames, ["www.alice.eth", `www.alice.${BRIDGE}`]);
  });

  it("cert request for a name the wallet does not own: one-line error with the reason", async () => {
    const run = await runCli(
      [
        ...chainArgs,
        "cert",
        "request",
        "www.alice.eth",
        "--orders",
        stack.certificateOrders as string,
        "--out",
        join(dataDir, "out2"),
      ],
      { ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount) },
    );
    await stopCa();
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stderr.trim().split("\n");
    assert.match(lines.at(-1) as string, /^ensgate: order \d+ rejected: notOwner: .*refunded/);
  });
});
