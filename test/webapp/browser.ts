// Debian's Chromium driven by playwright-core (scripts/setup.sh installs /usr/bin/chromium): the
// web app's browser tests open the app the gateway serves and write screenshots of its views to
// test-results/webapp/ (gitignored).
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Where the tests write their screenshots. */
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-results/webapp/", import.meta.url));

/** Starts Debian's Chromium, headless. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
}

/** Writes a full-page screenshot of `page` as test-results/webapp/<file>.png; returns its path. */
export async function screenshot(page: Page, file: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${file}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Collects the page's uncaught errors and console errors, to assert none happened. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Asserts the page does not scroll sideways (the phone-sized layout holds). */
export async function assertNoHorizontalScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  assert.ok(
    scrollWidth <= innerWidth,
    `the page is ${scrollWidth}px wide on a ${innerWidth}px screen`,
  );
}

/** Opens Explore on `name` and waits for its summary line and the did:ens document (last). */
export async function exploreName(
  page: Page,
  webAppUrl: string | undefined,
  name: string,
): Promise<string> {
  assert.ok(webAppUrl, "the stack serves no web app: npm run build:webapp");
  await page.goto(`${webAppUrl}#/explore/${name}`);
  const status = page.locator("#explore-status");
  await status.filter({ hasText: /verified, \d+ rejected/ }).waitFor({ timeout: 120_000 });
  await page.locator("#did").waitFor({ timeout: 60_000 });
  return (await status.textContent()) ?? "";
}

/** Explore's card of one record (`text/avatar`, ...): its status and its text. */
export async function recordCard(
  page: Page,
  label: string,
): Promise<{ status: string | null; text: string }> {
  const element = page.locator(`[data-record="${label}"]`);
  await element.waitFor({ timeout: 60_000 });
  return {
    status: await element.getAttribute("data-status"),
    text: (await element.textContent()) ?? "",
  };
}
