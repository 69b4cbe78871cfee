// The web app's Manage view in Debian's Chromium, against the stack `ensgate dev` runs (started
// in-process, demo.eth published as `ensgate dev` does), with an EIP-1193 wallet injected into the
// page: `window.ethereum.request()` forwards every call to the devnet's Hardhat JSON-RPC, whose
// unlocked development account 1 (the demo owner) signs (personal_sign) and sends transactions
// (eth_sendTransaction). The whole flow on a fresh name: keygen in the page (byte-identical to
// `ensgate keygen`), on-chain approval, two records signed, published through the devnet's publish
// endpoints, the recordhash set; then viem, ethers and `ensgate resolve` return the new values.
// Then "bump epoch and re-sign", and the wallet's refusal in words. Screenshots of the manage
// view go to test-results/webapp/.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { JsonRpcProvider } from "ethers";
import type { Browser, Page } from "playwright-core";
import { bytesToHex, type HDAccount, type Hex, parseAbi } from "viem";
import { publishDemoName } from "../../cli/demoName.ts";
import { buildRecordhash, namehash } from "../../lib/index.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { runCliJson } from "../cli/runCli.ts";
import { createEthersProvider } from "../e2e/clients.ts";
import { exploreName, launchChromium, recordCard, screenshot, watchPageErrors } from "./browser.ts";

const NAME = "shop.eth";
/** The name of the SIGN 3 flow: its signer is approved by a signed message, never on-chain. */
const SIGN3_NAME = "cafe.eth";
const SIGN3_URL = "https://cafe.example";
const SIGN3_DESCRIPTION = "Coffee, signed in the browser";
/** The name Manage is used on with the keyboard only. */
const KEYBOARD_NAME = "tea.eth";
const KEYBOARD_URL = "https://tea.example";
/** Manage's controls: role, accessible name, id. */
const CONTROLS = [
  ["button", "Connect wallet", "connect-wallet"],
  ["textbox", "ENS name", "manage-name"],
  ["button", "Open name", "load-name"],
  ["button", "Derive keys", "derive-keys"],
  ["button", "Export keys (JSON)", "export-keys"],
  ["button", "Approve on-chain", "approve-onchain"],
  ["button", "Approve with a signature (SIGN 3)", "approve-message"],
  ["textbox", "Record type", "record-type"],
  ["textbox", "Value", "record-value"],
  ["button", "Sign record", "sign-record"],
  ["button", "Remove record", "remove-record"],
  ["button", "Publish", "publish"],
  ["button", "Set recordhash", "set-recordhash"],
  ["button", "Bump epoch and re-sign", "bump-epoch"],
] as const;
const AVATAR = "https://shop.example/logo.png";
const URL_VALUE = "https://shop.example";

describe("web app: Manage in Chromium with an injected EIP-1193 wallet", () => {
  let stack: LocalStack;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let owner: HDAccount;
  let provider: JsonRpcProvider;
  /** The URLs the page got a 404 for. */
  const notFound: string[] = [];
  /** Every wallet method the page called, in order. */
  const walletCalls: string[] = [];
  /** Set to make the wallet refuse the next signature request (EIP-1193 code 4001). */
  let refuseNextSignature = false;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-webapp-manage-"));
    stack = await startLocalStack({ dataDir });
    await publishDemoName(stack, dataDir);
    owner = stack.accounts[1] as HDAccount;
    await registerWithResolver(stack, NAME, owner.address);
    await registerWithResolver(stack, SIGN3_NAME, owner.address);
    await registerWithResolver(stack, KEYBOARD_NAME, owner.address);
    provider = createEthersProvider(stack);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    errors = watchPageErrors(page);
    page.on("response", (response) => {
      if (response.status() === 404) notFound.push(response.url());
    });
    // The wallet: accounts are the owner's; everything else goes to Hardhat's JSON-RPC, which
    // holds the development accounts unlocked.
    await page.exposeFunction("__ensgateWallet", async (json: string) => {
      const { method, params } = JSON.parse(json) as { method: string; params: unknown[] };
      walletCalls.push(method);
      if (method === "eth_requestAccounts" || method === "eth_accounts")
        return JSON.stringify({ result: [owner.address] });
      if (refuseNextSignature && /sign/i.test(method)) {
        refuseNextSignature = false;
        return JSON.stringify({ error: { code: 4001, message: "User rejected the request." } });
      }
      const response = await fetch(stack.rpcUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: walletCalls.length, method, params }),
      });
      const answer = (await response.json()) as { result?: unknown; error?: unknown };
      return JSON.stringify(answer.error ? { error: answer.error } : { result: answer.result });
    });
    await page.addInitScript(() => {
      const bridge = (
        globalThis as unknown as { __ensgateWallet: (json: string) => Promise<string> }
      ).__ensgateWallet;
      (globalThis as unknown as { ethereum: unknown }).ethereum = {
        async request({ method, params }: { method: string; params?: unknown[] }) {
          const answer = JSON.parse(await bridge(JSON.stringify({ method, params: params ?? [] })));
          if (answer.error) {
            const error = new Error(answer.error.message) as Error & {
              code?: number;
              data?: unknown;
            };
            error.code = answer.error.code;
            error.data = answer.error.data;
            throw error;
          }
          return answer.result;
        },
        on() {},
        removeListener() {},
      };
    });
  });

  after(async () => {
    provider?.destroy();
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Clicks a button and waits for its step's status to say something other than "Working…". */
  async function click(buttonId: string, statusId: string): Promise<{ ok: boolean; text: string }> {
    await page.locator(`#${buttonId}`).click();
    return settled(statusId);
  }

  /** Waits for an action's status to say something other than "Working…"; returns it. */
  async function settled(statusId: string): Promise<{ ok: boolean; text: string }> {
    const status = page.locator(`#${statusId}`);
    await page.waitForFunction(
      (id) => {
        const element = document.getElementById(id);
        return element && element.textContent !== "" && !element.textContent?.startsWith("Working");
      },
      statusId,
      { timeout: 120_000 },
    );
    return {
      ok: (await status.getAttribute("class")) === "ok",
      text: (await status.textContent()) ?? "",
    };
  }

  /**
   * The page's errors, less the one the protocol expects: Delegated Routing answers 404 for a name
   * that has no IPNS record yet (the first publish), which Chromium logs as a failed load. Every
   * 404 the page got must be that one.
   */
  const unexpected = (all: string[]) => {
    assert.deepEqual(
      notFound.filter((url) => !url.startsWith(`${stack.publishUrl}/routing/v1/ipns/`)),
      [],
    );
    const expected = notFound.length;
    const failedLoads = all.filter((error) =>
      /Failed to load resource: .* 404 \(Not Found\)/.test(error),
    );
    assert.ok(failedLoads.length <= expected, `404s: ${failedLoads.join("; ")}`);
    return all.filter((error) => !failedLoads.includes(error));
  };

  const cliChain = () => [
    "--rpc",
    stack.rpcUrl,
    "--resolver",
    stack.resolver.address,
    "--registry",
    stack.ens.registry.address,
  ];
  /** How many times the page called a wallet method so far. */
  const calls = (method: string) => walletCalls.filter((call) => call === method).length;

  /** viem's getEnsText through the UniversalResolver and CCIP-Read: the value, or the error. */
  const ensText = (name: string, key: string) =>
    stack.publicClient
      .getEnsText({ name, key, universalResolverAddress: stack.ens.universalResolver.address })
      .catch((error: Error) => error);

  /** Waits until viem reads `expected` (the devnet gateway caches a tree for 5 s). */
  async function waitForEnsText(name: string, key: string, expected: string) {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await ensText(name, key);
      if (value === expected) return;
      if (Date.now() > deadline) assert.equal(value, expected);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** Explore in a second tab (Manage keeps its state, keys included, in the first): one card. */
  async function exploreInTab(name: string, label: string) {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await exploreName(tab, stack.webAppUrl, name);
      return await recordCard(tab, label);
    } finally {
      await tab.close();
    }
  }

  /** A fresh Manage view (reloaded: no keys, no approval) with `name` opened and keys derived. */
  async function openAndDerive(name: string) {
    await page.goto(`${stack.webAppUrl}#/manage`);
    await page.reload();
    assert.deepEqual(await click("connect-wallet", "manage-wallet-status"), {
      ok: true,
      text: `Connected: ${owner.address}`,
    });
    await page.locator("#manage-name").fill(name);
    assert.deepEqual(await click("load-name", "manage-wallet-status"), {
      ok: true,
      text: `${name} opened`,
    });
    assert.deepEqual(await click("derive-keys", "manage-keys-status"), {
      ok: true,
      text: `Keys derived for ${name}`,
    });
    return (await page
      .locator("#manage-keys-derived [data-signer]")
      .getAttribute("data-signer")) as Hex;
  }

  const isApprovedOnChain = (name: string, signer: Hex) =>
    stack.publicClient.readContract({
      address: stack.resolver.address,
      abi: parseAbi([
        "function isApprovedSigner(address owner, bytes32 node, address signer) view returns (bool)",
      ]),
      functionName: "isApprovedSigner",
      args: [owner.address, namehash(name), signer],
    });

  const ownerKey = () => bytesToHex(owner.getHdKey().privateKey as Uint8Array);

  it("keygen, approve, set, publish, recordhash: viem, ethers and ensgate resolve see the records", async () => {
    await page.goto(`${stack.webAppUrl}#/manage`);
    const connected = await click("connect-wallet", "manage-wallet-status");
    assert.deepEqual(connected, { ok: true, text: `Connected: ${owner.address}` });
    await page.locator("#manage-name").fill(NAME);
    assert.deepEqual(await click("load-name", "manage-wallet-status"), {
      ok: true,
      text: `${NAME} opened`,
    });
    assert.match(
      (await page.locator("#manage-context").textContent()) ?? "",
      new RegExp(`owner ${owner.address} \\(your wallet\\) · epoch 0 · records tree not set`),
    );

    // Keygen: two personal_sign requests to the wallet, the keys derived in the page.
    const signaturesBefore = walletCalls.filter((call) => call === "personal_sign").length;
    const derived = await click("derive-keys", "manage-keys-status");
    assert.deepEqual(derived, { ok: true, text: `Keys derived for ${NAME}` });
    assert.equal(
      walletCalls.filter((call) => call === "personal_sign").length - signaturesBefore,
      2,
    );
    // Byte-identical to `ensgate keygen` with the same account.
    const cliData = mkdtempSync(join(tmpdir(), "ensgate-webapp-cli-"));
    try {
      await runCliJson(["--data-dir", cliData, ...cliChain(), "keygen", NAME], {
        ENSGATE_PRIVATE_KEY: ownerKey(),
      });
      const cliKeys = JSON.parse(readFileSync(join(cliData, "keys", `${NAME}.json`), "utf8"));
      assert.equal(
        await page.locator("#manage-keys-derived [data-signer]").getAttribute("data-signer"),
        cliKeys.signer,
      );
      assert.equal(
        await page.locator("#manage-keys-derived [data-ipns]").getAttribute("data-ipns"),
        cliKeys.ipnsName,
      );
      // The keys leave the page only when exported, in the CLI's key file format.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator("#export-keys").click(),
      ]);
      assert.equal(download.suggestedFilename(), `${NAME}.json`);
      const exported = readFileSync((await download.path()) as string, "utf8");
      assert.deepEqual(JSON.parse(exported), cliKeys);
    } finally {
      rmSync(cliData, { recursive: true, force: true });
    }
    const signer = (await page
      .locator("#manage-keys-derived [data-signer]")
      .getAttribute("data-signer")) as Hex;
    const ipnsName = (await page
      .locator("#manage-keys-derived [data-ipns]")
      .getAttribute("data-ipns")) as string;

    // Publishing before anything is signed is refused in words.
    assert.deepEqual(await click("publish", "manage-publish-status"), {
      ok: false,
      text: "nothing to publish: sign a record first",
    });

    // Approve on-chain: a transaction from the wallet.
    const sendsBefore = walletCalls.filter((call) => call === "eth_sendTransaction").length;
    assert.deepEqual(await click("approve-onchain", "manage-approve-status"), {
      ok: true,
      text: `${signer} is approved on-chain for ${NAME}`,
    });
    assert.equal(
      walletCalls.filter((call) => call === "eth_sendTransaction").length - sendsBefore,
      1,
    );
    assert.equal(
      await stack.publicClient.readContract({
        address: stack.resolver.address,
        abi: parseAbi([
          "function isApprovedSigner(address owner, bytes32 node, address signer) view returns (bool)",
        ]),
        functionName: "isApprovedSigner",
        args: [owner.address, namehash(NAME), signer],
      }),
      true,
    );

    // Two records, signed in the page by the derived signer.
    for (const [type, value] of [
      ["text/avatar", AVATAR],
      ["text/url", URL_VALUE],
    ] as const) {
      await page.locator("#record-type").fill(type);
      await page.locator("#record-value").fill(value);
      assert.deepEqual(await click("sign-record", "manage-records-status"), {
        ok: true,
        text: `${type} signed: publish to make it live`,
      });
    }
    assert.equal(await page.locator("#pending-edits li").count(), 2);

    // Publish through the devnet's publish endpoints, then point the name at the IPNS name.
    assert.deepEqual(await click("publish", "manage-publish-status"), {
      ok: true,
      text: "Published 2 changes: now point the name at it (step 6)",
    });
    assert.match(
      (await page.locator("#manage-published").textContent()) ?? "",
      new RegExp(`ipns://${ipnsName} · sequence 1$`),
    );
    assert.deepEqual(await click("set-recordhash", "manage-recordhash-status"), {
      ok: true,
      text: `${NAME} now reads its records from ipns://${ipnsName}`,
    });
    assert.match(
      (await page.locator("#manage-context").textContent()) ?? "",
      new RegExp(`epoch 0 · records tree ipns://${ipnsName}`),
    );
    const onchain = await stack.publicClient.readContract({
      address: stack.resolver.address,
      abi: parseAbi([
        "function nameContext(bytes name) view returns (address, bytes32, uint256, bytes)",
      ]),
      functionName: "nameContext",
      args: [(await import("../../lib/index.ts")).dnsEncodeName(NAME)],
    });
    assert.equal(onchain[3].toLowerCase(), buildRecordhash({ protocol: "ipns", name: ipnsName }));
    await screenshot(page, "manage-shop.eth");

    // Every client reads the new values, verified by the resolver's callback.
    const universalResolverAddress = stack.ens.universalResolver.address;
    assert.equal(
      await stack.publicClient.getEnsText({ name: NAME, key: "avatar", universalResolverAddress }),
      AVATAR,
    );
    const resolver = await provider.getResolver(NAME);
    assert.equal(await resolver?.getText("url"), URL_VALUE);
    const resolved = await runCliJson<{ value: string; rule: string; signer: string }>(
      [...cliChain(), "--data-dir", dataDir, "resolve", NAME, "text/avatar"],
      {},
    );
    assert.equal(resolved.value, AVATAR);
    assert.equal(resolved.rule, "onchainApproval");
    assert.equal(resolved.signer, signer);
    assert.deepEqual(unexpected(errors), []);
  });

  it("bumps the epoch and re-signs: the records resolve again, signed under epoch 1", async () => {
    const result = await click("bump-epoch", "manage-epoch-status");
    assert.deepEqual(result, {
      ok: true,
      text: "Epoch 1: 2 records re-signed, 2 changes published",
    });
    assert.match((await page.locator("#manage-context").textContent()) ?? "", /· epoch 1 ·/);
    assert.match((await page.locator("#manage-published").textContent()) ?? "", /sequence 2$/);
    // The resolver now refuses anything signed under epoch 0 (StaleEpoch): a record that resolves
    // was re-signed under epoch 1. The gateway caches a tree for 5 s on the devnet, so the
    // re-signed files are served after at most that.
    const deadline = Date.now() + 30_000;
    let resolved: { value: string; epoch?: string } | undefined;
    while (!resolved) {
      try {
        resolved = await runCliJson<{ value: string; epoch?: string }>(
          [...cliChain(), "--data-dir", dataDir, "resolve", NAME, "text/url"],
          {},
        );
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    assert.equal(resolved.value, URL_VALUE);
    assert.equal(
      await stack.publicClient.getEnsText({
        name: NAME,
        key: "avatar",
        universalResolverAddress: stack.ens.universalResolver.address,
      }),
      AVATAR,
    );
    await screenshot(page, "manage-shop.eth-epoch-1");
    assert.deepEqual(unexpected(errors), []);
  });

  it("says in words when the wallet refuses to sign", async () => {
    refuseNextSignature = true;
    assert.deepEqual(await click("derive-keys", "manage-keys-status"), {
      ok: false,
      text: "the wallet refused the request",
    });
  });

  it("approves the signer with a signed message (SIGN 3): the resolver accepts its records", async () => {
    const signer = await openAndDerive(SIGN3_NAME);
    const [signsBefore, sendsBefore] = [calls("personal_sign"), calls("eth_sendTransaction")];
    assert.deepEqual(await click("approve-message", "manage-approve-status"), {
      ok: true,
      text: "Signed SIGN 3 for epoch 0: records signed here carry it",
    });
    // One message signed, no transaction: the approval lives only in the records.
    assert.equal(calls("personal_sign") - signsBefore, 1);
    assert.equal(calls("eth_sendTransaction") - sendsBefore, 0);
    assert.equal(await isApprovedOnChain(SIGN3_NAME, signer), false);

    await page.locator("#record-type").fill("text/url");
    await page.locator("#record-value").fill(SIGN3_URL);
    assert.deepEqual(await click("sign-record", "manage-records-status"), {
      ok: true,
      text: "text/url signed: publish to make it live",
    });
    assert.deepEqual(await click("publish", "manage-publish-status"), {
      ok: true,
      text: "Published 1 change: now point the name at it (step 6)",
    });
    assert.equal((await click("set-recordhash", "manage-recordhash-status")).ok, true);

    // The resolver's callback accepted the signer on the strength of the SIGN 3 in the record.
    assert.equal(await ensText(SIGN3_NAME, "url"), SIGN3_URL);
    const resolved = await runCliJson<{ value: string; rule: string; signer: string }>(
      [...cliChain(), "--data-dir", dataDir, "resolve", SIGN3_NAME, "text/url"],
      {},
    );
    assert.deepEqual(
      { value: resolved.value, rule: resolved.rule, signer: resolved.signer },
      { value: SIGN3_URL, rule: "offchainApproval", signer },
    );
    const card = await exploreInTab(SIGN3_NAME, "text/url");
    assert.equal(card.status, "verified");
    assert.match(
      card.text,
      /a signer the owner approved with a signed message \(SIGN 3\) \(offchainApproval\); record v2, epoch 0/,
    );
    await screenshot(page, "manage-cafe.eth-sign3");
    assert.deepEqual(unexpected(errors), []);
  });

  it("after an epoch bump the SIGN 3 record is refused until the app signs again", async () => {
    // The owner bumps the epoch elsewhere (the CLI, another tab): the record and its SIGN 3,
    // both of epoch 0, are refused at once (the check is on-chain, no cache delays it).
    await writeResolver(stack, owner, "bumpEpoch", [namehash(SIGN3_NAME)]);
    assert.notEqual(await ensText(SIGN3_NAME, "url"), SIGN3_URL);
    const stale = await exploreInTab(SIGN3_NAME, "text/url");
    assert.equal(stale.status, "rejected");
    assert.match(
      stale.text,
      /rejected: the record was signed under epoch 0, but the name is at epoch 1: the owner bumped the epoch and the record must be signed again/,
    );
    assert.match(stale.text, /the resolver's callback reverted with StaleEpoch\(/);

    // Signing again in the page: reopen (epoch 1), a new SIGN 3, the record, publish.
    const signer = await openAndDerive(SIGN3_NAME);
    assert.match((await page.locator("#manage-context").textContent()) ?? "", /· epoch 1 ·/);
    assert.deepEqual(await click("approve-message", "manage-approve-status"), {
      ok: true,
      text: "Signed SIGN 3 for epoch 1: records signed here carry it",
    });
    await page.locator("#record-type").fill("text/url");
    await page.locator("#record-value").fill(SIGN3_URL);
    assert.equal((await click("sign-record", "manage-records-status")).ok, true);
    assert.deepEqual(await click("publish", "manage-publish-status"), {
      ok: true,
      text: "Published 1 change: live now",
    });
    await waitForEnsText(SIGN3_NAME, "url", SIGN3_URL);

    // A record signed under epoch 1 and not yet published when the epoch is bumped: the bump
    // signs it again with its value rather than publishing it stale.
    await page.locator("#record-type").fill("text/description");
    await page.locator("#record-value").fill(SIGN3_DESCRIPTION);
    assert.equal((await click("sign-record", "manage-records-status")).ok, true);

    // "Bump epoch and re-sign" signs a new SIGN 3 itself (one more message) with the records.
    const signsBefore = calls("personal_sign");
    assert.deepEqual(await click("bump-epoch", "manage-epoch-status"), {
      ok: true,
      text: "Epoch 2: 2 records re-signed, 2 changes published",
    });
    assert.equal(calls("personal_sign") - signsBefore, 1);
    assert.equal(await isApprovedOnChain(SIGN3_NAME, signer), false);
    await waitForEnsText(SIGN3_NAME, "url", SIGN3_URL);
    await waitForEnsText(SIGN3_NAME, "description", SIGN3_DESCRIPTION);
    const card = await exploreInTab(SIGN3_NAME, "text/url");
    assert.equal(card.status, "verified");
    assert.match(card.text, /\(offchainApproval\); record v2, epoch 2/);
    await screenshot(page, "manage-cafe.eth-epoch-2");
    assert.deepEqual(unexpected(errors), []);
  });

  it("is usable with the keyboard alone: every control named, reached by Tab, focus visible", async () => {
    await page.goto(`${stack.webAppUrl}#/manage`);
    await page.reload();
    await page.locator("#connect-wallet").waitFor();
    // Each control is found by its role and accessible name (its text or its <label>).
    for (const [role, name, id] of CONTROLS) {
      const control = page.getByRole(role, { name, exact: true });
      assert.equal(await control.count(), 1, `${role} "${name}"`);
      assert.equal(await control.getAttribute("id"), id, `${role} "${name}"`);
    }

    /** Presses Tab until `id` has the focus; asserts the focus ring shows (:focus-visible). */
    const tabTo = async (id: string) => {
      for (let presses = 0; presses < 40; presses++) {
        await page.keyboard.press("Tab");
        const focus = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element) return undefined;
          const style = getComputedStyle(element);
          return {
            id: element.id,
            focusVisible: element.matches(":focus-visible"),
            outline: `${style.outlineStyle} ${style.outlineWidth}`,
          };
        });
        if (focus?.id !== id) continue;
        assert.equal(focus.focusVisible, true, `${id} does not match :focus-visible`);
        assert.notEqual(focus.outline.split(" ")[0], "none", `${id} has no outline`);
        assert.notEqual(focus.outline.split(" ")[1], "0px", `${id} has no outline`);
        return;
      }
      assert.fail(`Tab never reached #${id}`);
    };

    await tabTo("connect-wallet");
    await page.keyboard.press("Enter");
    assert.deepEqual(await settled("manage-wallet-status"), {
      ok: true,
      text: `Connected: ${owner.address}`,
    });
    await tabTo("manage-name");
    await page.keyboard.type(KEYBOARD_NAME);
    await page.keyboard.press("Enter");
    assert.deepEqual(await settled("manage-wallet-status"), {
      ok: true,
      text: `${KEYBOARD_NAME} opened`,
    });
    await tabTo("derive-keys");
    await page.keyboard.press("Enter");
    assert.deepEqual(await settled("manage-keys-status"), {
      ok: true,
      text: `Keys derived for ${KEYBOARD_NAME}`,
    });
    // Space activates a button as Enter does.
    await tabTo("approve-message");
    await page.keyboard.press("Space");
    assert.deepEqual(await settled("manage-approve-status"), {
      ok: true,
      text: "Signed SIGN 3 for epoch 0: records signed here carry it",
    });
    await tabTo("record-type");
    await page.keyboard.type("text/url");
    await tabTo("record-value");
    await page.keyboard.type(KEYBOARD_URL);
    await tabTo("sign-record");
    await page.keyboard.press("Enter");
    assert.deepEqual(await settled("manage-records-status"), {
      ok: true,
      text: "text/url signed: publish to make it live",
    });
    await tabTo("publish");
    await page.keyboard.press("Enter");
    assert.deepEqual(await settled("manage-publish-status"), {
      ok: true,
      text: "Published 1 change: now point the name at it (step 6)",
    });
    await tabTo("set-recordhash");
    await page.keyboard.press("Enter");
    assert.equal((await settled("manage-recordhash-status")).ok, true);
    assert.equal(await ensText(KEYBOARD_NAME, "url"), KEYBOARD_URL);
    // Shift+Tab goes back through the same controls.
    await page.keyboard.press("Shift+Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "publish");
    await screenshot(page, "manage-keyboard");
    assert.deepEqual(unexpected(errors), []);
  });
});
