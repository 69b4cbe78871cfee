// The web app's Explore view in Debian's Chromium, against the stack `ensgate dev` runs (started
// in-process, with demo.eth published exactly as `ensgate dev` publishes it): every record of
// demo.eth resolved in the page through the chain and shown verified, with its signer, rule,
// version, validUntil and epoch; a tampered record shown rejected, in words, with lib's reason;
// a name's certificate chain decoded with its TLSA match; the did:ens document. Screenshots go to
// test-results/webapp/.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { Hex, LocalAccount } from "viem";
import { DEMO_NAME, publishDemoName } from "../../cli/demoName.ts";
import { computeTlsaSpkiSha256, parsePemChain } from "../../lib/certs/pemChain.ts";
import { hashDnsOwnerName, parseRecordhash, type RecordRequest } from "../../lib/index.ts";
import { demoRecordSet, dnsDemoRecordSet } from "../../scripts/stack/demoRecords.ts";
import { type LocalStack, startLocalStack } from "../../scripts/stack/localStack.ts";
import { publishTree, registerWithResolver, writeResolver } from "../../scripts/stack/names.ts";
import { issued, selfSigned, toChain } from "../did/certificates.ts";
import {
  assertNoHorizontalScroll,
  exploreName,
  launchChromium,
  recordCard,
  screenshot,
  watchPageErrors,
} from "./browser.ts";

/** The label Explore gives a record (its CLI type; `dns <owner> <TYPE>` for a DNS RRset). */
function labelOf(request: RecordRequest, zone: string): string {
  switch (request.type) {
    case "text":
      return `text/${request.key}`;
    case "addr":
      return "address/60";
    case "multicoinAddr":
      return `address/${request.coinType}`;
    case "interfaceImplementer":
      return `interface/${request.interfaceId}`;
    case "abi":
      return `abi/${request.contentTypes}`;
    case "zonehash":
      return "dns/zonehash";
    case "dnsRecord": {
      // The zone line names its owner and type: `www.demo.eth. 300 IN A 192.0.2.1`.
      const [owner, , , type] = zone.split(/\s+/) as [string, string, string, string];
      return `dns ${owner.replace(/\.$/, "")} ${type}`;
    }
    default:
      return request.type;
  }
}

/** Records Explore does not ask for by itself: the test adds them as a visitor would. */
const ADDED_BY_HAND = new Set([
  "dns www.demo.eth TXT",
  "dns mail.demo.eth A",
  "dns alias.demo.eth CNAME",
  "dns _sip._tcp.demo.eth SRV",
]);

describe("web app: Explore in Chromium", () => {
  let stack: LocalStack;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let demoSigner: string;
  let siteChainDers: Uint8Array[];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "ensgate-webapp-explore-"));
    stack = await startLocalStack({ dataDir });
    ({
      keys: { signer: demoSigner },
    } = await publishDemoName(stack, dataDir));
    const owner = stack.accounts[1] as LocalAccount;

    // tampered.eth: a validly signed tree whose avatar file was then edited on IPFS.
    const tampered = await registerWithResolver(stack, "tampered.eth", owner.address);
    const honest = await publishTree(stack, owner, "tampered.eth", {
      "tampered.eth": [
        [{ type: "text", key: "avatar" }, "https://honest.example/a.png"],
        [{ type: "text", key: "url" }, "https://tampered.example"],
      ],
    });
    const avatarPath = ".well-known/eth/tampered/text/avatar.json";
    const honestAvatar = await readPublished(honest, avatarPath);
    const tamperedHash = await publishTree(
      stack,
      owner,
      "tampered.eth",
      { "tampered.eth": [[{ type: "text", key: "url" }, "https://tampered.example"]] },
      {
        overrides: {
          [avatarPath]: tamperFile(
            honestAvatar,
            "https://honest.example/a.png",
            "https://evil00.example/a.png",
          ),
        },
      },
    );
    await writeResolver(stack, owner, "setRecordhash", [tampered, tamperedHash]);

    // site.eth: the owner's own TLS chain (P-256, a private CA) and its TLSA pin.
    const site = await registerWithResolver(stack, "site.eth", owner.address);
    const ca = await selfSigned("Site Test CA", "P-256", { ca: true });
    const chain = await toChain([await issued("site.eth", "P-256", ca, "P-256"), ca]);
    siteChainDers = chain.ders;
    const spki = computeTlsaSpkiSha256(parsePemChain(chain.pem)[0] as never);
    const siteHash = await publishTree(stack, owner, "site.eth", {
      "site.eth": [
        [{ type: "text", key: "org.ensgate.tls.chain" }, chain.pem],
        [
          { type: "dnsRecord", nameHash: hashDnsOwnerName("_443._tcp.site.eth"), resource: 52 },
          `_443._tcp.site.eth. 300 IN TLSA 3 1 1 ${spki}`,
        ],
      ],
    });
    await writeResolver(stack, owner, "setRecordhash", [site, siteHash]);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    errors = watchPageErrors(page);
  });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const explore = (name: string) => exploreName(page, stack.webAppUrl, name);
  const card = (label: string) => recordCard(page, label);

  it("the gateway serves the app at the URL ensgate dev prints", async () => {
    assert.equal(stack.webAppUrl, `${stack.gatewayUrl}/`);
    const response = await fetch(`${stack.webAppUrl}app-config.json`);
    assert.deepEqual(await response.json(), {
      ...stack.appConfig,
    });
  });

  it("explores demo.eth: every record verified, with signer, rule, version, validUntil and epoch", async () => {
    const owner = stack.accounts[1] as LocalAccount;
    // Typed and submitted with the keyboard, as a visitor would.
    await page.goto(`${stack.webAppUrl}#/explore`);
    await page.locator("#explore-name").focus();
    await page.keyboard.type(DEMO_NAME);
    await page.keyboard.press("Enter");
    await page.waitForURL(/#\/explore\/demo\.eth$/);
    await page
      .locator("#explore-status")
      .filter({ hasText: /verified, \d+ rejected/ })
      .waitFor({ timeout: 120_000 });
    const summary = (await page.locator("#explore-status").textContent()) ?? "";
    assert.match(summary, /^demo\.eth: \d+ verified, 0 rejected, 0 unreadable, \d+ not set/);
    assert.match(
      (await page.locator("#name-summary").textContent()) ?? "",
      new RegExp(`owner ${owner.address} · epoch 0 · resolver ${stack.resolver.address}`),
    );

    // Those Explore does not ask for by itself, added through its form (keyboard only).
    for (const label of ADDED_BY_HAND) {
      await page.locator("#extra-record").fill(label);
      await page.locator("#extra-record").press("Enter");
      await page
        .locator("#extra-status")
        .filter({ hasText: `${label}: ` })
        .waitFor({ timeout: 60_000 });
    }

    const records = [...demoRecordSet(DEMO_NAME, owner.address), ...dnsDemoRecordSet(DEMO_NAME)];
    const now = Date.now() / 1000;
    for (const [request, value] of records) {
      const label = labelOf(request, value);
      const { status, text } = await card(label);
      assert.equal(status, "verified", `${label}: ${text}`);
      assert.match(text, /verified on-chain/, label);
      assert.ok(
        text.includes(
          `signed by ${demoSigner}, a signer the owner approved with a signed message (SIGN 3) (offchainApproval); record v2, epoch 0, valid until `,
        ),
        `${label}: ${text}`,
      );
      const validUntil = Date.parse(/valid until (\S+)/.exec(text)?.[1] ?? "") / 1000;
      assert.ok(
        validUntil > now + 29 * 86_400 && validUntil < now + 31 * 86_400,
        `${label}: ${text}`,
      );
    }
    // Values as the owner signed them.
    assert.match((await card("text/avatar")).text, /https:\/\/ens\.example\/demo\.eth\.png/);
    assert.match((await card("address/60")).text, new RegExp(owner.address));
    assert.match((await card("dns www.demo.eth A")).text, /www\.demo\.eth\. 300 IN A 192\.0\.2\.1/);
    assert.match((await card("dns _sip._tcp.demo.eth SRV")).text, /SRV 10 5 5060 sip\.demo\.eth\./);
    // Unset records are listed apart, and none was refused or unreadable.
    assert.equal(await page.locator('[data-status="rejected"], [data-status="error"]').count(), 0);
    assert.ok((await page.locator('#unset-records [data-status="unset"]').count()) > 0);

    const did = (await page.locator("#did").textContent()) ?? "";
    assert.match(did, /did:ens:localhost:demo\.eth/);
    assert.match(
      did,
      new RegExp(
        `"blockchainAccountId": "eip155:${stack.chain.id}:${owner.address.toLowerCase()}"`,
      ),
    );
    await screenshot(page, "explore-demo.eth");
    assert.deepEqual(errors, []);
  });

  it("shows a tampered record as rejected, in words, with lib's reason", async () => {
    const summary = await explore("tampered.eth");
    assert.match(summary, /^tampered\.eth: 1 verified, 1 rejected, 0 unreadable/);
    const avatar = await card("text/avatar");
    assert.equal(avatar.status, "rejected");
    assert.match(
      avatar.text,
      /rejected: the record's signature does not match its content: it was changed after it was signed/,
    );
    assert.match(avatar.text, /the resolver's callback reverted with InvalidRecordSignature\(\)/);
    assert.match(avatar.text, /why: invalidRecordSignature: /);
    assert.doesNotMatch(avatar.text, /evil00/);
    assert.equal((await card("text/url")).status, "verified");
    await screenshot(page, "explore-tampered.eth");
  });

  it("decodes a name's certificate chain, matches its TLSA pin and lists it in the did:ens document", async () => {
    await explore("site.eth");
    const chain = page.locator('[data-chain="text/org.ensgate.tls.chain"]');
    const text = (await chain.textContent()) ?? "";
    assert.match(text, /end entity: CN=site\.eth/);
    assert.match(text, /issued by CN=Site Test CA/);
    assert.match(text, /root: CN=Site Test CA/);
    assert.match(text, /names: site\.eth; covers site\.eth: yes/);
    assert.equal(await chain.locator("[data-tlsa]").getAttribute("data-tlsa"), "match");
    assert.match(
      text,
      /TLSA 3 1 1 matches the end entity's key \(dns _443\._tcp\.site\.eth TLSA\)/,
    );
    const did = (await page.locator("#did").textContent()) ?? "";
    assert.match(did, /did:ens:localhost:site\.eth/);
    // The owner's chain is a JsonWebKey2020 method carrying the chain (x5c, DER base64).
    assert.match(did, /"type": "JsonWebKey2020"/);
    assert.ok(did.includes(Buffer.from(siteChainDers[0] as Uint8Array).toString("base64")));
    await screenshot(page, "explore-site.eth");
  });

  it("fits a phone-sized screen", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    try {
      const phoneErrors = watchPageErrors(phone);
      await phone.goto(`${stack.webAppUrl}#/explore/${DEMO_NAME}`);
      await phone
        .locator("#explore-status")
        .filter({ hasText: /verified, 0 rejected/ })
        .waitFor({ timeout: 120_000 });
      await phone.locator("#did").waitFor({ timeout: 60_000 });
      await assertNoHorizontalScroll(phone);
      await screenshot(phone, "explore-demo.eth-phone");
      assert.deepEqual(phoneErrors, []);
    } finally {
      await phone.close();
    }
  });

  /** Reads a published file back (by IPNS recordhash). */
  async function readPublished(recordhash: Hex, path: string): Promise<string> {
    const target = parseRecordhash(recordhash);
    const bytes = await stack.ipfs.readFile(
      target.protocol === "ipns" ? target.name : target.cid,
      path,
    );
    if (!bytes) throw new Error(`${path} is not published`);
    return new TextDecoder().decode(bytes);
  }
});

/** Replaces a value inside a signed file's data without re-signing (same length). */
function tamperFile(json: string, from: string, to: string): string {
  const file = JSON.parse(json) as { data: string };
  const hex = (text: string) => Buffer.from(text).toString("hex");
  if (from.length !== to.length) throw new Error("tamperFile: same-length values only");
  return JSON.stringify({ ...file, data: file.data.replace(hex(from), hex(to)) });
}
