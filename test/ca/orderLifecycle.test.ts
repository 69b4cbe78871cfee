// Orders that go wrong, as a user meets them, on the local stack with the real CA service
// (`ensgate ca run` as a child process) and the real CLI: a request that fails before paying
// leaves no file and prints one line in ensgate's words; a request that times out keeps its key
// and order file and is collected with `--resume`; an order the CA left unsettled is cancelled
// after the settlement timeout and its fee withdrawn with `cert refund`; and an abandoned order
// (cancelled, or superseded by a newer one) never replaces the published TLSA pin.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { bytesToHex, type HDAccount, type Hex, type LocalAccount, parseEther } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { openOrderStore } from "../../ca/orderStore.ts";
import { ORDER_STATUS } from "../../client/orderContract.ts";
import { certCrypto, importPrivateKeyPem } from "../../lib/certs/index.ts";
import { ORDERS_ABI } from "../../scripts/stack/caStack.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { registerWithResolver } from "../../scripts/stack/names.ts";
import { assertOneLineError, type CliRun, runCli, runCliJson } from "../cli/runCli.ts";

const CLI = fileURLToPath(new URL("../../cli/ensgate.ts", import.meta.url));
const key = (account: HDAccount): Hex => bytesToHex(account.getHdKey().privateKey as Uint8Array);
const NAME = "www.alice.eth";

/** SHA-256 of a PEM private key's SubjectPublicKeyInfo: what TLSA 3 1 1 pins. */
async function pinOf(keyPath: string): Promise<string> {
  const keys = await importPrivateKeyPem(readFileSync(keyPath, "utf8"), "P-256");
  const spki = new Uint8Array(await certCrypto.subtle.exportKey("spki", keys.publicKey));
  return createHash("sha256").update(spki).digest("hex");
}

describe("orders that time out, are cancelled, resumed or superseded (CLI + CA on the local stack)", () => {
  let stack: LocalStack;
  let dataDir: string;
  let caDir: string;
  let chainArgs: string[];
  let owner: LocalAccount;
  let ownerEnv: Record<string, string>;
  let orders: Hex;
  let ca: ChildProcess | undefined;
  let caLog = "";

  /** Starts `ensgate ca run` (optionally set to kill itself after a step). */
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
        orders,
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

  /** `ensgate --json cert <args>` as the owner (--json: no progress lines on stderr). */
  const cert = (args: string[], env = ownerEnv) =>
    runCli(["--json", ...chainArgs, "cert", ...args], env);

  /** `cert request www.alice.eth` into `out` (extra args appended). */
  const request = (out: string, extra: string[] = [], env = ownerEnv) =>
    cert(["request", NAME, "--orders", orders, "--out", out, ...extra], env);

  /** The order id a timed-out request printed in its resume hint. */
  function pendingOrderId(run: CliRun): bigint {
    const match = /--resume (\d+)/.exec(run.stderr);
    assert.ok(match, `no resume hint: ${run.stderr}`);
    return BigInt(match[1] as string);
  }

  const orderStatus = async (orderId: bigint) =>
    (
      (await stack.publicClient.readContract({
        address: orders,
        abi: ORDERS_ABI,
        functionName: "getOrder",
        args: [orderId],
      })) as { status: number }
    ).status;

  /** The CA's stored state of an order (the database is read while the CA is stopped). */
  function caState(orderId: bigint): string | undefined {
    const store = openOrderStore(join(caDir, "orders.sqlite"));
    try {
      return store.get(orderId)?.state;
    } finally {
      store.close();
    }
  }

  /** Runs the CA until `done` holds (polling the chain), then stops it. */
  async function runCaUntil(done: () => Promise<boolean>, what: string) {
    ca = startCa();
    const deadline = Date.now() + 60_000;
    while (!(await done())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}: ${caLog}`);
      await new Promise((wait) => setTimeout(wait, 200));
    }
    await stopCa();
  }

  /** The TLSA value the world resolves for the name (through the resolver and gateway). */
  async function publishedTlsa(): Promise<string> {
    const shown = await runCliJson<{ tlsa: string | null }>([...chainArgs, "cert", "show", NAME]);
    return shown.tlsa ?? "";
  }

  /** Waits (gateway cache) until the published pin is `pin`; fails if it never is. */
  async function expectPin(pin: string) {
    const deadline = Date.now() + 20_000;
    let tlsa = await publishedTlsa();
    while (!tlsa.includes(pin)) {
      if (Date.now() > deadline) assert.fail(`the published TLSA ${tlsa} does not pin ${pin}`);
      await new Promise((wait) => setTimeout(wait, 500));
      tlsa = await publishedTlsa();
    }
  }

  /** Moves the chain's clock past the settlement timeout (one hour) and mines a block. */
  async function passSettlementTimeout() {
    await stack.publicClient.request({
      method: "evm_increaseTime" as never,
      params: [3601] as never,
    });
    await stack.publicClient.request({ method: "evm_mine" as never, params: [] as never });
  }

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-orders-"));
    caDir = join(dataDir, "ca");
    const init = await runCliJson<{ signer: Hex; recordhash: Hex }>([
      "ca",
      "init",
      "--ca-dir",
      caDir,
    ]);
    stack = await startLocalStack({
      dataDir,
      withCertificateAuthority: { signer: init.signer, recordhash: init.recordhash },
    });
    orders = stack.certificateOrders as Hex;
    owner = stack.accounts[1] as LocalAccount;
    ownerEnv = { ENSGATE_PRIVATE_KEY: key(owner as HDAccount) };
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

  describe("a request that fails before paying leaves no file and says why in one line", () => {
    it("no contract at the address (the fees read returns no data)", async () => {
      const out = join(dataDir, "fail-no-contract");
      const nowhere = "0x000000000000000000000000000000000000dEaD";
      const run = await cert(["request", NAME, "--orders", nowhere, "--out", out]);
      assertOneLineError(
        run,
        /^ensgate: no CertificateOrders contract at 0x000000000000000000000000000000000000dEaD on chain 31337$/,
      );
      assert.doesNotMatch(run.stderr, /returned no data|0x"\)/);
      assert.equal(existsSync(out), false);
    });

    it("a wallet without ether: the order cannot be paid", async () => {
      const out = join(dataDir, "fail-funds");
      const run = await request(out, [], { ENSGATE_PRIVATE_KEY: generatePrivateKey() });
      assertOneLineError(
        run,
        /^ensgate: the wallet 0x[0-9a-fA-F]{40} cannot pay for this transaction \(value plus gas\) on chain 31337$/,
      );
      assert.equal(existsSync(out), false);
    });

    it("the RPC node is down", async () => {
      const out = join(dataDir, "fail-rpc");
      const run = await runCli(
        [
          "--data-dir",
          dataDir,
          "--rpc",
          "http://127.0.0.1:9",
          "--resolver",
          stack.resolver.address,
          "cert",
          "request",
          NAME,
          "--orders",
          orders,
          "--out",
          out,
        ],
        ownerEnv,
      );
      assertOneLineError(run, /^ensgate: cannot reach the chain at http:\/\/127\.0\.0\.1:9$/);
      assert.equal(existsSync(out), false);
    });

    it("the CA rejects the order: the fee is credited, the generated key and order file are removed", async () => {
      const out = join(dataDir, "fail-rejected");
      const stranger = stack.accounts[3] as HDAccount;
      ca = startCa();
      const run = await request(out, [], { ENSGATE_PRIVATE_KEY: key(stranger) });
      await stopCa();
      assertOneLineError(run, /^ensgate: order \d+ rejected: notOwner: .*\(ensgate cert refund\)$/);
      assert.deepEqual(readdirSync(out), []);
      const refund = await runCliJson<{ withdrawn: string }>(
        [...chainArgs, "cert", "refund", "--orders", orders],
        { ENSGATE_PRIVATE_KEY: key(stranger) },
      );
      assert.equal(refund.withdrawn, parseEther("0.001").toString());
    });
  });

  describe("timeout, resume, cancel, refund", () => {
    let firstPin: string;
    /** The pin of the last order that was published and fulfilled. */
    let currentPin: string;

    it("a request that times out keeps key and order file; --resume collects it with the same key", async () => {
      const out = join(dataDir, "resume");
      const run = await request(out, ["--timeout", "1"]);
      assertOneLineError(
        run,
        /^ensgate: order \d+ is still pending after 1 s: collect it later with `ensgate cert request www\.alice\.eth --resume \d+` .*, or cancel it from \d{4}-.*Z with `ensgate cert cancel \d+`$/,
      );
      const orderId = pendingOrderId(run);
      assert.deepEqual(readdirSync(out).sort(), [`${NAME}.key.pem`, `${NAME}.order.json`]);
      const orderFile = JSON.parse(readFileSync(join(out, `${NAME}.order.json`), "utf8"));
      assert.equal(orderFile.orderId, orderId.toString());
      assert.equal(statSync(join(out, `${NAME}.order.json`)).mode & 0o777, 0o600);

      // A second request for the name refuses while the order is open.
      const again = await request(out);
      assertOneLineError(
        again,
        new RegExp(
          `^ensgate: order ${orderId} for www\\.alice\\.eth is pending: collect it with .*--resume ${orderId}.*cert cancel ${orderId}`,
        ),
      );

      ca = startCa();
      const resumed = await runCliJson<{ orderId: string; keyFile: string; chainFile: string }>(
        [
          ...chainArgs,
          "cert",
          "request",
          NAME,
          "--orders",
          orders,
          "--out",
          out,
          "--resume",
          orderId.toString(),
        ],
        ownerEnv,
      );
      await stopCa();
      assert.equal(resumed.orderId, orderId.toString());
      assert.equal(resumed.keyFile, join(out, `${NAME}.key.pem`));
      assert.deepEqual(readdirSync(out).sort(), [
        `${NAME}.crt.pem`,
        `${NAME}.key.pem`,
        `${NAME}.root.pem`,
      ]);
      firstPin = await pinOf(resumed.keyFile);
      await expectPin(firstPin);
    });

    it("cancel: refused before the timeout (one line with the time), then cancelled, refunded once", async () => {
      const out = join(dataDir, "cancel");
      const run = await request(out, ["--timeout", "1"]);
      const orderId = pendingOrderId(run);
      const orderPath = join(out, `${NAME}.order.json`);

      const early = await cert(["cancel", orderId.toString(), "--orders", orders]);
      assertOneLineError(
        early,
        new RegExp(
          `^ensgate: order ${orderId} can be cancelled from \\d{4}-\\d\\d-\\d\\dT.*Z \\(the CA still has time to settle it\\)$`,
        ),
      );
      const stranger = await cert(["cancel", orderId.toString(), "--orders", orders], {
        ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount),
      });
      await passSettlementTimeout();
      const strangerLate = await cert(["cancel", orderId.toString(), "--orders", orders], {
        ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount),
      });
      assertOneLineError(
        strangerLate,
        new RegExp(
          `^ensgate: order ${orderId} was not placed by 0x[0-9a-fA-F]{40}: only its requester may cancel it$`,
        ),
      );
      assert.equal(stranger.code, 1);

      const cancelled = await runCliJson<{ orderId: string; refund: string }>(
        [...chainArgs, "cert", "cancel", orderPath],
        ownerEnv,
      );
      assert.equal(cancelled.orderId, orderId.toString());
      assert.equal(cancelled.refund, parseEther("0.001").toString());
      assert.deepEqual(readdirSync(out), [], "the order file and its generated key are removed");
      assert.equal(await orderStatus(orderId), ORDER_STATUS.Cancelled);

      const twice = await cert(["cancel", orderId.toString(), "--orders", orders]);
      assertOneLineError(
        twice,
        new RegExp(`^ensgate: order ${orderId} is cancelled, not pending$`),
      );

      const before = await stack.publicClient.getBalance({ address: owner.address });
      const refund = await cert(["refund", "--orders", orders]);
      assert.equal(refund.code, 0, refund.stderr);
      assert.deepEqual(JSON.parse(refund.stdout), {
        withdrawn: parseEther("0.001").toString(),
        account: owner.address,
        transaction: JSON.parse(refund.stdout).transaction,
      });
      assert.ok((await stack.publicClient.getBalance({ address: owner.address })) > before);
      // Nothing left: one line, exit 0 (documented: a script may run it after every order).
      const nothing = await runCli([...chainArgs, "cert", "refund", "--orders", orders], ownerEnv);
      assert.equal(nothing.code, 0, nothing.stderr);
      assert.equal(nothing.stdout.trim(), `nothing to withdraw for ${owner.address}`);

      // The CA, started after the cancel, never publishes the cancelled order.
      await runCaUntil(
        async () => caState(orderId) === "cancelled",
        `order ${orderId} marked cancelled`,
      );
      assert.equal(caState(orderId), "cancelled");
      await expectPin(firstPin);
    });

    it("an order superseded by a newer one (new key) is rejected and refunded; the newer key stays pinned", async () => {
      const outA = join(dataDir, "abandoned");
      const outB = join(dataDir, "newer");
      const runA = await request(outA, ["--timeout", "1"]);
      const orderA = pendingOrderId(runA);
      const runB = await request(outB, ["--timeout", "1"]);
      const orderB = pendingOrderId(runB);
      assert.ok(orderB > orderA);

      await runCaUntil(
        async () =>
          (await orderStatus(orderA)) !== ORDER_STATUS.Pending &&
          (await orderStatus(orderB)) !== ORDER_STATUS.Pending,
        "both orders settled",
      );
      assert.equal(await orderStatus(orderA), ORDER_STATUS.Rejected);
      assert.equal(await orderStatus(orderB), ORDER_STATUS.Fulfilled);
      const [rejected] = await stack.publicClient.getContractEvents({
        address: orders,
        abi: ORDERS_ABI,
        eventName: "OrderRejected",
        args: { orderId: orderA },
        fromBlock: 0n,
      });
      assert.equal(
        (rejected as unknown as { args: { reason: string } }).args.reason,
        `superseded: order ${orderB} for www.alice.eth is newer`,
      );
      currentPin = await pinOf(join(outB, `${NAME}.key.pem`));
      await expectPin(currentPin);
      const resumedA = await cert([
        "request",
        NAME,
        "--orders",
        orders,
        "--out",
        outA,
        "--resume",
        orderA.toString(),
      ]);
      assertOneLineError(
        resumedA,
        new RegExp(`^ensgate: order ${orderA} rejected: superseded: order ${orderB} .*refunded`),
      );
      assert.deepEqual(readdirSync(outA), []);
      const collectedB = await cert([
        "request",
        NAME,
        "--orders",
        orders,
        "--out",
        outB,
        "--resume",
        orderB.toString(),
      ]);
      assert.equal(collectedB.code, 0, collectedB.stderr);
    });

    it("a stranger's newer order for the name supersedes nothing: it is rejected, the owner's order is published", async () => {
      const outOwner = join(dataDir, "owner-first");
      const outStranger = join(dataDir, "stranger-later");
      const ownerRun = await request(outOwner, ["--timeout", "1"]);
      const ownerOrder = pendingOrderId(ownerRun);
      const strangerRun = await request(outStranger, ["--timeout", "1"], {
        ENSGATE_PRIVATE_KEY: key(stack.accounts[3] as HDAccount),
      });
      const strangerOrder = pendingOrderId(strangerRun);
      assert.ok(strangerOrder > ownerOrder);
      await runCaUntil(
        async () =>
          (await orderStatus(ownerOrder)) !== ORDER_STATUS.Pending &&
          (await orderStatus(strangerOrder)) !== ORDER_STATUS.Pending,
        "both orders settled",
      );
      assert.equal(await orderStatus(strangerOrder), ORDER_STATUS.Rejected);
      assert.equal(await orderStatus(ownerOrder), ORDER_STATUS.Fulfilled);
      currentPin = await pinOf(join(outOwner, `${NAME}.key.pem`));
      await expectPin(currentPin);
    });

    it("an order cancelled after the CA published it is withdrawn: the previous pin is published again", async () => {
      const out = join(dataDir, "cancel-after-publish");
      const run = await request(out, ["--timeout", "1"]);
      const orderId = pendingOrderId(run);
      ca = startCa("afterPublish");
      const [, signal] = await once(ca, "exit");
      ca = undefined;
      assert.equal(signal, "SIGKILL", caLog);
      assert.equal(caState(orderId), "published");
      await passSettlementTimeout();
      const cancelled = await cert(["cancel", join(out, `${NAME}.order.json`)]);
      assert.equal(cancelled.code, 0, cancelled.stderr);

      await runCaUntil(async () => caState(orderId) === "cancelled", `order ${orderId} withdrawn`);
      const fulfilled = await stack.publicClient.getContractEvents({
        address: orders,
        abi: ORDERS_ABI,
        eventName: "OrderFulfilled",
        args: { orderId },
        fromBlock: 0n,
      });
      assert.equal(fulfilled.length, 0);
      await expectPin(currentPin);
    });
  });
});
