/// <reference path="../../artifacts/contracts/CertificateOrders.sol/artifacts.d.ts" />
// The certificate order contract: requests with fees, CA-only settlement, pull refunds and
// admin-only fee withdrawal. CSRs are real ones built with lib/certs.
import assert from "node:assert/strict";
import { before, beforeEach, describe, it } from "node:test";
import { network } from "hardhat";
import {
  BaseError,
  ContractFunctionRevertedError,
  getAddress,
  type Hex,
  keccak256,
  parseEther,
  parseEventLogs,
  toHex,
} from "viem";
import {
  CERTIFICATE_ORDER_KINDS,
  certCrypto,
  ECDSA_SHA256,
  generateCertificateKeyPair,
  MAX_CSR_BYTES,
  x509,
} from "../../lib/certs/index.ts";
import { dnsEncodeName } from "../../lib/index.ts";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
type Wallet = (typeof wallets)[number];
/** The test wallet at `index`: 0 admin, 1 CA service, 2 alice (requester), 3 bob. */
function walletAt(index: number): Wallet {
  const wallet = wallets[index];
  if (!wallet) throw new Error(`no wallet ${index}`);
  return wallet;
}
const [admin, ca, alice, bob] = [walletAt(0), walletAt(1), walletAt(2), walletAt(3)];
/** Checksummed address of a wallet (events and errors decode addresses checksummed). */
const addressOf = (wallet: Wallet) => getAddress(wallet.account.address);

const INTERMEDIATE_FEE = parseEther("0.05");
const END_ENTITY_FEE = parseEther("0.01");
const { intermediate: INTERMEDIATE, endEntity: END_ENTITY } = CERTIFICATE_ORDER_KINDS;
const ALICE_NAME = dnsEncodeName("www.alice.eth");
const Status = { None: 0, Pending: 1, Fulfilled: 2, Rejected: 3, Cancelled: 4 } as const;
const HOUR = 3600n;

/** Moves the chain's clock forward by `seconds` and mines a block (Hardhat's evm_increaseTime). */
async function travel(seconds: bigint): Promise<void> {
  await publicClient.request({
    method: "evm_increaseTime" as never,
    params: [Number(seconds)] as never,
  });
  await publicClient.request({ method: "evm_mine" as never, params: [] as never });
}

/** The timestamp of the latest block. */
async function now(): Promise<bigint> {
  return (await publicClient.getBlock()).timestamp;
}

/** Expects a revert with custom error `errorName`; returns its arguments. */
async function expectError(
  promise: Promise<unknown>,
  errorName: string,
): Promise<readonly unknown[]> {
  try {
    await promise;
  } catch (error) {
    const revert =
      error instanceof BaseError
        ? error.walk((cause) => cause instanceof ContractFunctionRevertedError)
        : undefined;
    if (!(revert instanceof ContractFunctionRevertedError)) throw error;
    assert.equal(revert.data?.errorName, errorName, revert.shortMessage);
    return revert.data?.args ?? [];
  }
  assert.fail(`expected ${errorName}, the call succeeded`);
}

/** A real DER CSR for www.alice.eth (P-256). */
async function aliceCsr(): Promise<Hex> {
  const keys = await generateCertificateKeyPair();
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    {
      name: [{ CN: ["www.alice.eth"] }],
      keys,
      signingAlgorithm: ECDSA_SHA256,
      extensions: [
        new x509.SubjectAlternativeNameExtension([{ type: "dns", value: "www.alice.eth" }]),
      ],
    },
    certCrypto,
  );
  return toHex(new Uint8Array(request.rawData));
}

async function deploy() {
  return viem.deployContract("CertificateOrders", [
    addressOf(admin),
    addressOf(ca),
    INTERMEDIATE_FEE,
    END_ENTITY_FEE,
  ]);
}
type Orders = Awaited<ReturnType<typeof deploy>>;

describe("CertificateOrders", () => {
  let orders: Orders;
  let csr: Hex;
  const balance = (address: `0x${string}`) => publicClient.getBalance({ address });

  before(async () => {
    csr = await aliceCsr();
  });
  beforeEach(async () => {
    orders = await deploy();
  });

  /** Places an end-entity order for alice; returns its id and receipt logs. */
  async function placeOrder(value = END_ENTITY_FEE, kind: number = END_ENTITY, from = alice) {
    const hash = await orders.write.request([ALICE_NAME, csr, kind], {
      account: from.account,
      value,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const logs = parseEventLogs({ abi: orders.abi, logs: receipt.logs });
    const requested = logs.find((log) => log.eventName === "OrderRequested");
    assert.ok(requested && requested.eventName === "OrderRequested");
    return { orderId: requested.args.orderId, logs, receipt };
  }

  describe("deployment", () => {
    it("grants the roles and sets the fees, with events", async () => {
      assert.equal(
        await orders.read.hasRole([await orders.read.DEFAULT_ADMIN_ROLE(), addressOf(admin)]),
        true,
      );
      assert.equal(await orders.read.hasRole([await orders.read.CA_ROLE(), addressOf(ca)]), true);
      assert.equal(
        await orders.read.hasRole([await orders.read.CA_ROLE(), addressOf(admin)]),
        false,
      );
      assert.equal(await orders.read.fees([BigInt(INTERMEDIATE)]), INTERMEDIATE_FEE);
      assert.equal(await orders.read.fees([BigInt(END_ENTITY)]), END_ENTITY_FEE);
      assert.equal(await orders.read.MAX_CSR_LENGTH(), BigInt(MAX_CSR_BYTES));
      assert.equal(await orders.read.KIND_INTERMEDIATE(), INTERMEDIATE);
      assert.equal(await orders.read.KIND_END_ENTITY(), END_ENTITY);
      const events = await publicClient.getContractEvents({
        address: orders.address,
        abi: orders.abi,
        eventName: "FeeChanged",
        fromBlock: 0n,
      });
      assert.deepEqual(
        events.map((event) => [event.args.kind, event.args.previousFee, event.args.newFee]),
        [
          [INTERMEDIATE, 0n, INTERMEDIATE_FEE],
          [END_ENTITY, 0n, END_ENTITY_FEE],
        ],
      );
    });

    it("starts with a one-hour settlement timeout, with an event", async () => {
      assert.equal(await orders.read.settlementTimeout(), HOUR);
      assert.equal(await orders.read.DEFAULT_SETTLEMENT_TIMEOUT(), HOUR);
      const events = await publicClient.getContractEvents({
        address: orders.address,
        abi: orders.abi,
        eventName: "SettlementTimeoutChanged",
        fromBlock: 0n,
      });
      assert.deepEqual(
        events.map((event) => [event.args.previousTimeout, event.args.newTimeout]),
        [[0n, HOUR]],
      );
    });

    it("refuses a zero admin", async () => {
      await assert.rejects(
        viem.deployContract("CertificateOrders", [
          "0x0000000000000000000000000000000000000000",
          addressOf(ca),
          0n,
          0n,
        ]),
        /ZeroAddress/,
      );
    });
  });

  describe("request", () => {
    it("takes the exact fee and emits everything the CA needs", async () => {
      const before = await balance(orders.address);
      const { orderId, logs, receipt } = await placeOrder();
      assert.equal(orderId, 1n);
      const { timestamp } = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
      const requested = logs.find((log) => log.eventName === "OrderRequested");
      assert.ok(requested?.eventName === "OrderRequested");
      assert.deepEqual(requested.args, {
        orderId: 1n,
        requester: addressOf(alice),
        kind: END_ENTITY,
        dnsName: ALICE_NAME,
        csr,
        fee: END_ENTITY_FEE,
      });
      assert.equal(logs.filter((log) => log.eventName === "RefundCredited").length, 0);
      assert.equal((await balance(orders.address)) - before, END_ENTITY_FEE);
      assert.equal(await orders.read.escrowedFees(), END_ENTITY_FEE);
      assert.deepEqual(await orders.read.getOrder([1n]), {
        requester: addressOf(alice),
        kind: END_ENTITY,
        status: Status.Pending,
        requestedAt: timestamp,
        fee: END_ENTITY_FEE,
        certificateHash: `0x${"00".repeat(32)}`,
      });
      const second = await placeOrder(INTERMEDIATE_FEE, INTERMEDIATE);
      assert.equal(second.orderId, 2n);
      assert.equal(await orders.read.nextOrderId(), 3n);
    });

    it("credits overpayment to the requester (pull refund)", async () => {
      const { logs } = await placeOrder(END_ENTITY_FEE + 123n);
      const credited = logs.find((log) => log.eventName === "RefundCredited");
      assert.ok(credited?.eventName === "RefundCredited");
      assert.deepEqual(credited.args, { account: addressOf(alice), orderId: 1n, amount: 123n });
      assert.equal(await orders.read.refunds([addressOf(alice)]), 123n);
      assert.equal(await orders.read.escrowedFees(), END_ENTITY_FEE);
    });

    it("underpayment -> InsufficientPayment(required, sent)", async () => {
      const args = await expectError(placeOrder(END_ENTITY_FEE - 1n), "InsufficientPayment");
      assert.deepEqual(args, [END_ENTITY_FEE, END_ENTITY_FEE - 1n]);
      assert.deepEqual(await expectError(placeOrder(0n, INTERMEDIATE), "InsufficientPayment"), [
        INTERMEDIATE_FEE,
        0n,
      ]);
    });

    it("oversized CSR -> CsrTooLarge(length, max); 4096 bytes pass; empty -> EmptyCsr", async () => {
      const big = toHex(new Uint8Array(MAX_CSR_BYTES + 1));
      const args = await expectError(
        orders.write.request([ALICE_NAME, big, END_ENTITY], {
          account: alice.account,
          value: END_ENTITY_FEE,
        }),
        "CsrTooLarge",
      );
      assert.deepEqual(args, [BigInt(MAX_CSR_BYTES + 1), BigInt(MAX_CSR_BYTES)]);
      await orders.write.request([ALICE_NAME, toHex(new Uint8Array(MAX_CSR_BYTES)), END_ENTITY], {
        account: alice.account,
        value: END_ENTITY_FEE,
      });
      await expectError(
        orders.write.request([ALICE_NAME, "0x", END_ENTITY], {
          account: alice.account,
          value: END_ENTITY_FEE,
        }),
        "EmptyCsr",
      );
    });

    it("unknown kind -> UnknownKind(kind)", async () => {
      for (const kind of [2, 255])
        assert.deepEqual(await expectError(placeOrder(END_ENTITY_FEE, kind), "UnknownKind"), [
          kind,
        ]);
    });

    it("malformed DNS name -> InvalidDnsName", async () => {
      const valid = dnsEncodeName("alice.eth");
      for (const name of [
        "0x" as Hex,
        "0x00" as Hex,
        valid.slice(0, -2) as Hex, // no root byte
        `${valid}00` as Hex, // trailing byte
        "0x056162630000" as Hex, // label overruns
        "0x00616263" as Hex, // root then bytes
        toHex(new Uint8Array([64, ...new Uint8Array(64).fill(97), 0])), // label > 63
        toHex(new Uint8Array(256).fill(1)),
      ])
        await expectError(
          orders.write.request([name, csr, END_ENTITY], {
            account: alice.account,
            value: END_ENTITY_FEE,
          }),
          "InvalidDnsName",
        );
    });

    it("refuses plain ether transfers", async () => {
      await assert.rejects(alice.sendTransaction({ to: orders.address, value: 1n }));
    });
  });

  describe("fulfil and reject (CA role)", () => {
    const certificateHash = keccak256(toHex("certificate DER"));
    const location = "ipns://k51.../.well-known/eth/alice/www/text/org.ensgate.tls.chain.json";

    it("fulfil: status, hash, event, fee earned", async () => {
      const { orderId } = await placeOrder();
      const hash = await orders.write.fulfil([orderId, certificateHash, location], {
        account: ca.account,
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({
        abi: orders.abi,
        logs: receipt.logs,
        eventName: "OrderFulfilled",
      });
      assert.deepEqual(event?.args, { orderId, certificateHash, location });
      const order = await orders.read.getOrder([orderId]);
      assert.equal(order.status, Status.Fulfilled);
      assert.equal(order.certificateHash, certificateHash);
      assert.equal(await orders.read.earnedFees(), END_ENTITY_FEE);
      assert.equal(await orders.read.escrowedFees(), 0n);
    });

    it("reject: status, reason, refund credited to the requester", async () => {
      const { orderId } = await placeOrder();
      const hash = await orders.write.reject([orderId, "sanOutsideSubtree: www.bob.eth"], {
        account: ca.account,
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const logs = parseEventLogs({ abi: orders.abi, logs: receipt.logs });
      assert.deepEqual(
        logs.map((log) => [log.eventName, log.args]),
        [
          [
            "OrderRejected",
            { orderId, reason: "sanOutsideSubtree: www.bob.eth", refund: END_ENTITY_FEE },
          ],
          ["RefundCredited", { account: addressOf(alice), orderId, amount: END_ENTITY_FEE }],
        ],
      );
      assert.equal((await orders.read.getOrder([orderId])).status, Status.Rejected);
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
      assert.equal(await orders.read.earnedFees(), 0n);
    });

    it("only the CA role may fulfil or reject", async () => {
      const { orderId } = await placeOrder();
      const role = await orders.read.CA_ROLE();
      for (const wallet of [admin, alice, bob]) {
        assert.deepEqual(
          await expectError(
            orders.write.fulfil([orderId, certificateHash, location], { account: wallet.account }),
            "AccessControlUnauthorizedAccount",
          ),
          [addressOf(wallet), role],
        );
        await expectError(
          orders.write.reject([orderId, "no"], { account: wallet.account }),
          "AccessControlUnauthorizedAccount",
        );
      }
    });

    it("an order is settled once: no double fulfil, no reject after fulfil, and vice versa", async () => {
      const first = await placeOrder();
      await orders.write.fulfil([first.orderId, certificateHash, location], {
        account: ca.account,
      });
      assert.deepEqual(
        await expectError(
          orders.write.fulfil([first.orderId, certificateHash, location], { account: ca.account }),
          "OrderNotPending",
        ),
        [first.orderId, Status.Fulfilled],
      );
      await expectError(
        orders.write.reject([first.orderId, "late"], { account: ca.account }),
        "OrderNotPending",
      );

      const second = await placeOrder();
      await orders.write.reject([second.orderId, "badSignature"], { account: ca.account });
      assert.deepEqual(
        await expectError(
          orders.write.reject([second.orderId, "again"], { account: ca.account }),
          "OrderNotPending",
        ),
        [second.orderId, Status.Rejected],
      );
      await expectError(
        orders.write.fulfil([second.orderId, certificateHash, location], { account: ca.account }),
        "OrderNotPending",
      );
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
      assert.equal(await orders.read.earnedFees(), END_ENTITY_FEE);
    });

    it("unknown orders and an empty certificate hash are refused", async () => {
      assert.deepEqual(
        await expectError(
          orders.write.fulfil([7n, certificateHash, location], { account: ca.account }),
          "OrderNotPending",
        ),
        [7n, Status.None],
      );
      await expectError(orders.write.reject([0n, "x"], { account: ca.account }), "OrderNotPending");
      const { orderId } = await placeOrder();
      await expectError(
        orders.write.fulfil([orderId, `0x${"00".repeat(32)}`, location], { account: ca.account }),
        "EmptyCertificateHash",
      );
    });
  });

  describe("cancel (requester, after the settlement timeout)", () => {
    const certificateHash = keccak256(toHex("certificate DER"));

    it("records the request time; cancellableAtOf = requestedAt + settlementTimeout", async () => {
      const { orderId, receipt } = await placeOrder();
      const block = await publicClient.getBlock({ blockNumber: receipt.blockNumber });
      const order = await orders.read.getOrder([orderId]);
      assert.equal(order.requestedAt, block.timestamp);
      assert.equal(await orders.read.cancellableAtOf([orderId]), block.timestamp + HOUR);
      assert.equal(await orders.read.cancellableAtOf([99n]), 0n);
    });

    it("before the timeout -> SettlementTimeoutNotReached(orderId, cancellableAt)", async () => {
      const { orderId } = await placeOrder();
      const cancellableAt = await orders.read.cancellableAtOf([orderId]);
      assert.deepEqual(
        await expectError(
          orders.write.cancel([orderId], { account: alice.account }),
          "SettlementTimeoutNotReached",
        ),
        [orderId, cancellableAt],
      );
      // One second short of the timeout (the next block's timestamp is now + 1).
      await travel(cancellableAt - (await now()) - 2n);
      await expectError(
        orders.write.cancel([orderId], { account: alice.account }),
        "SettlementTimeoutNotReached",
      );
      assert.equal((await orders.read.getOrder([orderId])).status, Status.Pending);
    });

    it("after the timeout: Cancelled, fee credited (pull), events, escrow released", async () => {
      const { orderId } = await placeOrder();
      await travel(HOUR);
      const hash = await orders.write.cancel([orderId], { account: alice.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const logs = parseEventLogs({ abi: orders.abi, logs: receipt.logs });
      assert.deepEqual(
        logs.map((log) => [log.eventName, log.args]),
        [
          ["OrderCancelled", { orderId, refund: END_ENTITY_FEE }],
          ["RefundCredited", { account: addressOf(alice), orderId, amount: END_ENTITY_FEE }],
        ],
      );
      assert.equal((await orders.read.getOrder([orderId])).status, Status.Cancelled);
      assert.equal(await orders.read.escrowedFees(), 0n);
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
      const before = await balance(addressOf(alice));
      const withdraw = await publicClient.waitForTransactionReceipt({
        hash: await orders.write.withdrawRefund({ account: alice.account }),
      });
      const gas = withdraw.gasUsed * withdraw.effectiveGasPrice;
      assert.equal((await balance(addressOf(alice))) - before + gas, END_ENTITY_FEE);
      assert.equal(await balance(orders.address), 0n);
    });

    it("only the requester -> NotRequester(orderId, caller); the CA and admin included", async () => {
      const { orderId } = await placeOrder();
      await travel(HOUR);
      for (const wallet of [bob, ca, admin])
        assert.deepEqual(
          await expectError(
            orders.write.cancel([orderId], { account: wallet.account }),
            "NotRequester",
          ),
          [orderId, addressOf(wallet)],
        );
      assert.equal((await orders.read.getOrder([orderId])).status, Status.Pending);
    });

    it("a cancelled order cannot be fulfilled, rejected or cancelled again (OrderNotPending)", async () => {
      const { orderId } = await placeOrder();
      await travel(HOUR);
      await orders.write.cancel([orderId], { account: alice.account });
      for (const call of [
        orders.write.fulfil([orderId, certificateHash, "ipns://x"], { account: ca.account }),
        orders.write.reject([orderId, "late"], { account: ca.account }),
        orders.write.cancel([orderId], { account: alice.account }),
      ])
        assert.deepEqual(await expectError(call, "OrderNotPending"), [orderId, Status.Cancelled]);
      assert.equal(await orders.read.earnedFees(), 0n);
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
    });

    it("a settled order cannot be cancelled; an unknown one neither", async () => {
      const fulfilled = await placeOrder();
      await orders.write.fulfil([fulfilled.orderId, certificateHash, "ipns://x"], {
        account: ca.account,
      });
      const rejected = await placeOrder();
      await orders.write.reject([rejected.orderId, "no"], { account: ca.account });
      await travel(HOUR);
      assert.deepEqual(
        await expectError(
          orders.write.cancel([fulfilled.orderId], { account: alice.account }),
          "OrderNotPending",
        ),
        [fulfilled.orderId, Status.Fulfilled],
      );
      assert.deepEqual(
        await expectError(
          orders.write.cancel([rejected.orderId], { account: alice.account }),
          "OrderNotPending",
        ),
        [rejected.orderId, Status.Rejected],
      );
      assert.deepEqual(
        await expectError(
          orders.write.cancel([42n], { account: alice.account }),
          "OrderNotPending",
        ),
        [42n, Status.None],
      );
      assert.equal(await orders.read.earnedFees(), END_ENTITY_FEE);
    });

    it("setSettlementTimeout: admin only, bounded, with an event; applies to pending orders", async () => {
      const { orderId } = await placeOrder();
      assert.deepEqual(
        await expectError(
          orders.write.setSettlementTimeout([60n], { account: alice.account }),
          "AccessControlUnauthorizedAccount",
        ),
        [addressOf(alice), await orders.read.DEFAULT_ADMIN_ROLE()],
      );
      for (const timeout of [59n, 7n * 24n * HOUR + 1n])
        assert.deepEqual(
          await expectError(
            orders.write.setSettlementTimeout([timeout], { account: admin.account }),
            "InvalidSettlementTimeout",
          ),
          [timeout, 60n, 7n * 24n * HOUR],
        );
      const hash = await orders.write.setSettlementTimeout([120n], { account: admin.account });
      const [event] = parseEventLogs({
        abi: orders.abi,
        logs: (await publicClient.waitForTransactionReceipt({ hash })).logs,
        eventName: "SettlementTimeoutChanged",
      });
      assert.deepEqual(event?.args, { previousTimeout: HOUR, newTimeout: 120n });
      const { requestedAt } = await orders.read.getOrder([orderId]);
      assert.equal(await orders.read.cancellableAtOf([orderId]), requestedAt + 120n);
      await travel(120n);
      await orders.write.cancel([orderId], { account: alice.account });
      assert.equal((await orders.read.getOrder([orderId])).status, Status.Cancelled);
    });
  });

  describe("refunds (pull payment)", () => {
    it("the requester pulls rejection and overpayment credits once", async () => {
      const { orderId } = await placeOrder(END_ENTITY_FEE + 5n);
      await orders.write.reject([orderId, "cnNotInSans"], { account: ca.account });
      const owed = END_ENTITY_FEE + 5n;
      assert.equal(await orders.read.refunds([addressOf(alice)]), owed);
      const before = await balance(addressOf(alice));
      const hash = await orders.write.withdrawRefund({ account: alice.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const gas = receipt.gasUsed * receipt.effectiveGasPrice;
      assert.equal((await balance(addressOf(alice))) - before + gas, owed);
      const [event] = parseEventLogs({
        abi: orders.abi,
        logs: receipt.logs,
        eventName: "RefundWithdrawn",
      });
      assert.deepEqual(event?.args, { account: addressOf(alice), amount: owed });
      assert.equal(await orders.read.refunds([addressOf(alice)]), 0n);
      assert.equal(await balance(orders.address), 0n);
      await expectError(
        orders.write.withdrawRefund({ account: alice.account }),
        "NothingToWithdraw",
      );
    });

    it("nobody else can pull a requester's refund", async () => {
      const { orderId } = await placeOrder();
      await orders.write.reject([orderId, "x"], { account: ca.account });
      await expectError(orders.write.withdrawRefund({ account: bob.account }), "NothingToWithdraw");
      await expectError(
        orders.write.withdrawRefund({ account: admin.account }),
        "NothingToWithdraw",
      );
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
    });
  });

  describe("admin", () => {
    it("withdrawFees sends only earned fees (never escrow or refunds)", async () => {
      const fulfilled = await placeOrder();
      await placeOrder(); // pending: stays in escrow
      const rejected = await placeOrder(END_ENTITY_FEE + 1n);
      await orders.write.fulfil([fulfilled.orderId, keccak256("0x01"), "ipns://x"], {
        account: ca.account,
      });
      await orders.write.reject([rejected.orderId, "x"], { account: ca.account });
      const treasury = addressOf(bob);
      const before = await balance(treasury);
      const hash = await orders.write.withdrawFees([treasury], { account: admin.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({
        abi: orders.abi,
        logs: receipt.logs,
        eventName: "FeesWithdrawn",
      });
      assert.deepEqual(event?.args, { to: treasury, amount: END_ENTITY_FEE });
      assert.equal((await balance(treasury)) - before, END_ENTITY_FEE);
      assert.equal(await orders.read.earnedFees(), 0n);
      // Left: the pending order's escrow and alice's refund (fee + 1 overpayment).
      assert.equal(await balance(orders.address), END_ENTITY_FEE + END_ENTITY_FEE + 1n);
      assert.equal(await orders.read.escrowedFees(), END_ENTITY_FEE);
      await expectError(
        orders.write.withdrawFees([treasury], { account: admin.account }),
        "NothingToWithdraw",
      );
      await expectError(
        orders.write.withdrawFees(["0x0000000000000000000000000000000000000000"], {
          account: admin.account,
        }),
        "ZeroAddress",
      );
    });

    it("a recipient that refuses ether -> TransferFailed, and nothing is lost", async () => {
      const { orderId } = await placeOrder();
      await orders.write.fulfil([orderId, keccak256("0x01"), "ipns://x"], { account: ca.account });
      const refuser = await deploy(); // no receive(): refuses plain ether
      assert.deepEqual(
        await expectError(
          orders.write.withdrawFees([refuser.address], { account: admin.account }),
          "TransferFailed",
        ),
        [getAddress(refuser.address), END_ENTITY_FEE],
      );
      assert.equal(await orders.read.earnedFees(), END_ENTITY_FEE);
    });

    it("setFee changes a kind's fee with an event; pending orders keep their fee", async () => {
      const { orderId } = await placeOrder();
      const hash = await orders.write.setFee([END_ENTITY, 7n], { account: admin.account });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [event] = parseEventLogs({
        abi: orders.abi,
        logs: receipt.logs,
        eventName: "FeeChanged",
      });
      assert.deepEqual(event?.args, { kind: END_ENTITY, previousFee: END_ENTITY_FEE, newFee: 7n });
      assert.equal(await orders.read.fees([BigInt(END_ENTITY)]), 7n);
      await orders.write.reject([orderId, "x"], { account: ca.account });
      assert.equal(await orders.read.refunds([addressOf(alice)]), END_ENTITY_FEE);
      await placeOrder(7n);
      assert.deepEqual(
        await expectError(orders.write.setFee([2, 1n], { account: admin.account }), "UnknownKind"),
        [2],
      );
      // A zero fee makes orders free.
      await orders.write.setFee([INTERMEDIATE, 0n], { account: admin.account });
      await placeOrder(0n, INTERMEDIATE);
    });

    it("every admin-only function is refused to non-admins (the CA included)", async () => {
      const adminRole = await orders.read.DEFAULT_ADMIN_ROLE();
      const caRole = await orders.read.CA_ROLE();
      const { orderId } = await placeOrder();
      await orders.write.fulfil([orderId, keccak256("0x01"), "ipns://x"], { account: ca.account });
      for (const wallet of [ca, alice, bob]) {
        const expected = [addressOf(wallet), adminRole];
        const account = wallet.account;
        assert.deepEqual(
          await expectError(
            orders.write.setFee([END_ENTITY, 0n], { account }),
            "AccessControlUnauthorizedAccount",
          ),
          expected,
        );
        assert.deepEqual(
          await expectError(
            orders.write.withdrawFees([account.address], { account }),
            "AccessControlUnauthorizedAccount",
          ),
          expected,
        );
        assert.deepEqual(
          await expectError(
            orders.write.grantRole([caRole, account.address], { account }),
            "AccessControlUnauthorizedAccount",
          ),
          expected,
        );
        assert.deepEqual(
          await expectError(
            orders.write.revokeRole([caRole, addressOf(ca)], { account }),
            "AccessControlUnauthorizedAccount",
          ),
          expected,
        );
      }
      assert.equal(await orders.read.earnedFees(), END_ENTITY_FEE);
    });

    it("the admin can rotate the CA role", async () => {
      const caRole = await orders.read.CA_ROLE();
      await orders.write.grantRole([caRole, addressOf(bob)], { account: admin.account });
      await orders.write.revokeRole([caRole, addressOf(ca)], { account: admin.account });
      const { orderId } = await placeOrder();
      await expectError(
        orders.write.reject([orderId, "x"], { account: ca.account }),
        "AccessControlUnauthorizedAccount",
      );
      await orders.write.reject([orderId, "x"], { account: bob.account });
    });
  });
});
