// Explore: any name's records, each resolved and verified in the browser through the chain
// (nothing is taken from the gateway on trust), its certificate chain and its did:ens document.
import { type Address, getAddress } from "viem";
import { readNameContext } from "../../client/nameContext.ts";
import { findResolver } from "../../client/verifiedResolution.ts";
import {
  describeError,
  normalizeName,
  type RecordRequest,
  resolveEnsDid,
} from "../../lib/index.ts";
import type { AppConfig } from "./appConfig.ts";
import { publicClientOf } from "./chain.ts";
import { h, statusLine } from "./dom.ts";
import { defaultRequests, parseRequestInput } from "./recordTypes.ts";
import { type RecordOutcome, readVerifiedRecord } from "./verifiedRead.ts";

/** Who a rule lets sign, in words (lib's SignerRule names in brackets). */
export const RULE_WORDS: Record<string, string> = {
  owner: "the name's owner",
  onchainApproval: "a signer the owner approved on-chain",
  offchainApproval: "a signer the owner approved with a signed message (SIGN 3)",
};

const isoTime = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

export function renderExplore(app: HTMLElement, config: AppConfig, initialName: string): void {
  const input = h("input", {
    id: "explore-name",
    name: "name",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "demo.eth",
    required: true,
  });
  input.value = initialName;
  const form = h(
    "form",
    { class: "row", role: "search", "aria-label": "explore a name" },
    h("label", { for: "explore-name" }, "ENS name", input),
    h("button", { type: "submit", id: "explore-submit" }, "Explore"),
  );
  const status = statusLine("explore-status");
  const results = h("div", { id: "explore-results" });
  app.append(h("h2", {}, "Explore a name"), form, status, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    let name: string;
    try {
      name = normalizeName(input.value.trim());
    } catch (error) {
      status.className = "error";
      status.textContent = `That is not a valid ENS name: ${describeError(error)}`;
      return;
    }
    if (location.hash !== `#/explore/${encodeURIComponent(name)}`)
      location.hash = `#/explore/${encodeURIComponent(name)}`;
    else void explore(config, name, status, results);
  });
  if (initialName) {
    try {
      void explore(config, normalizeName(initialName), status, results);
    } catch (error) {
      status.className = "error";
      status.textContent = `That is not a valid ENS name: ${describeError(error)}`;
    }
  }
}

async function explore(
  config: AppConfig,
  name: string,
  status: HTMLElement,
  results: HTMLElement,
): Promise<void> {
  status.className = "";
  status.textContent = `Resolving ${name} through the chain…`;
  results.replaceChildren();
  const client = publicClientOf(config);
  const summary = h("section", { class: "card", id: "name-summary", "aria-label": "on-chain" });
  results.append(summary);
  let resolver: Address;
  try {
    resolver = await findResolver(client, config.registry, name);
    const context = await readNameContext(client, resolver, name);
    summary.append(
      h("h3", {}, name),
      h(
        "p",
        { class: "meta" },
        `owner ${context.owner} · epoch ${context.epoch} · resolver ${resolver}`,
      ),
      h(
        "p",
        { class: "meta" },
        `records tree (recordhash) ${context.recordhash === "0x" ? "not set" : context.recordhash}`,
      ),
    );
  } catch (error) {
    status.className = "error";
    status.textContent = describeError(error);
    return;
  }

  const list = h("section", { class: "card", id: "records", "aria-label": "records" });
  const unsetList = h("ul", { id: "unset-records" });
  const unset = h("details", {}, h("summary", {}, "Records not set"), unsetList);
  results.append(list);
  const addInput = h("input", {
    id: "extra-record",
    type: "text",
    placeholder: "text/com.example or dns www.demo.eth A",
  });
  const addForm = h(
    "form",
    { class: "row", "aria-label": "resolve another record" },
    h("label", { for: "extra-record" }, "Another record type", addInput),
    h("button", { type: "submit" }, "Resolve"),
  );
  const addStatus = statusLine("extra-status");
  results.append(addForm, addStatus, unset);

  const outcomes = new Map<string, RecordOutcome>();
  const show = (label: string, outcome: RecordOutcome) => {
    outcomes.set(label, outcome);
    const element = renderOutcome(label, outcome);
    if (outcome.status === "unset") unsetList.append(element);
    else list.append(element);
  };
  const requests = defaultRequests(name);
  await mapLimited(requests, 6, async ({ label, request }) =>
    show(label, await readVerifiedRecord(config, name, request)),
  );
  const counts = [...outcomes.values()].reduce<Record<string, number>>((all, outcome) => {
    all[outcome.status] = (all[outcome.status] ?? 0) + 1;
    return all;
  }, {});
  status.textContent = `${name}: ${counts.verified ?? 0} verified, ${counts.rejected ?? 0} rejected, ${counts.error ?? 0} unreadable, ${counts.unset ?? 0} not set (of ${requests.length} asked for).`;
  list.prepend(h("h3", {}, "Records, verified on-chain by the resolver's callback"));

  addForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    let parsed: { label: string; request: RecordRequest };
    try {
      parsed = parseRequestInput(addInput.value);
    } catch (error) {
      addStatus.className = "error";
      addStatus.textContent = describeError(error);
      return;
    }
    addStatus.className = "";
    addStatus.textContent = `Resolving ${parsed.label}…`;
    const outcome = await readVerifiedRecord(config, name, parsed.request);
    show(parsed.label, outcome);
    addStatus.textContent = `${parsed.label}: ${outcome.status}`;
  });

  const chains = ["text/org.ensgate.ca.chain", "text/org.ensgate.tls.chain"]
    .map((label) => [label, outcomes.get(label)] as const)
    .filter(([, outcome]) => outcome?.status === "verified");
  if (chains.length > 0) {
    const section = h("section", {
      class: "card",
      id: "certificates",
      "aria-label": "certificates",
    });
    results.append(section);
    const { renderCertificates } = await import("./certificates.ts");
    await renderCertificates(
      section,
      name,
      chains as [string, RecordOutcome & { status: "verified" }][],
      outcomes,
    );
  }
  results.append(await renderDid(config, name, resolver, outcomes));
}

/** One record's card: value, signer and rule, version, validUntil, epoch; or why it was refused. */
function renderOutcome(label: string, outcome: RecordOutcome): HTMLElement {
  const article = h("article", {
    class: "record",
    "data-record": label,
    "data-status": outcome.status,
  });
  if (outcome.status === "unset")
    return h("li", { "data-record": label, "data-status": "unset" }, label);
  article.append(h("h4", {}, label));
  switch (outcome.status) {
    case "verified": {
      const { record } = outcome;
      article.append(
        h("p", { class: "status-verified" }, "verified on-chain"),
        h("p", { class: "value" }, record.value),
        h(
          "p",
          { class: "meta" },
          `signed by ${record.signer}, ${RULE_WORDS[record.rule] ?? record.rule} (${record.rule}); record v${record.version}` +
            (record.epoch === undefined ? "" : `, epoch ${record.epoch}`) +
            (record.validUntil === undefined
              ? ", no expiry (v1)"
              : `, valid until ${isoTime(record.validUntil)}`),
        ),
      );
      if (record.certifiedOwner)
        article.append(
          h(
            "p",
            { class: "meta" },
            `issued by the certificate authority to ${record.certifiedOwner}`,
          ),
        );
      break;
    }
    case "rejected":
      article.append(
        h("p", { class: "status-rejected" }, `rejected: ${outcome.sentence}`),
        h("p", { class: "meta" }, `the resolver's callback reverted with ${outcome.revert}`),
      );
      if (outcome.reason)
        article.append(h("p", { class: "meta", "data-reason": "" }, `why: ${outcome.reason}`));
      break;
    case "error":
      article.append(h("p", { class: "error" }, `could not be read: ${outcome.message}`));
      break;
  }
  return article;
}

/** The did:ens document, built by lib from the owner and the verified DID text records. */
async function renderDid(
  config: AppConfig,
  name: string,
  resolver: Address,
  outcomes: Map<string, RecordOutcome>,
): Promise<HTMLElement> {
  const network = config.didNetwork ?? "mainnet";
  const did = network === "mainnet" ? `did:ens:${name}` : `did:ens:${network}:${name}`;
  const section = h(
    "section",
    { class: "card", id: "did", "aria-label": "did:ens document" },
    h("h3", {}, did),
  );
  const client = publicClientOf(config);
  const textOf = async (key: string) => {
    const outcome =
      outcomes.get(`text/${key}`) ??
      (await readVerifiedRecord(config, name, { type: "text", key }));
    return outcome.status === "verified" ? outcome.record.value : null;
  };
  const issues: string[] = [];
  const result = await resolveEnsDid(did, {
    networks: { [network]: config.chainId },
    readOwner: async () => getAddress((await readNameContext(client, resolver, name)).owner),
    readText: (_name, key) => textOf(key),
    readCertificates: async () =>
      (await Promise.all(["org.ensgate.ca.chain", "org.ensgate.tls.chain"].map(textOf))).filter(
        (pem): pem is string => Boolean(pem),
      ),
    onIssue: (issue) => issues.push(JSON.stringify(issue)),
  });
  if (result.didDocument)
    section.append(
      h(
        "pre",
        { tabindex: "0", "aria-label": "DID document" },
        JSON.stringify(result.didDocument, null, 2),
      ),
    );
  else
    section.append(
      h(
        "p",
        { class: "error" },
        `no document: ${result.didResolutionMetadata.error} ${(result.didResolutionMetadata as { message?: string }).message ?? ""}`,
      ),
    );
  if (issues.length > 0)
    section.append(h("p", { class: "meta" }, `left out: ${issues.join("; ")}`));
  return section;
}

/** Runs `task` over `items`, at most `limit` at a time. */
async function mapLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
