// Manage: a name's records with a browser wallet, in the order an owner works.
// 1. connect the wallet (EIP-1193) and pick the name (its owner, epoch and recordhash on-chain);
// 2. derive the keys: SIGN 1 and SIGN 2 signed by the wallet, the keys derived in this page with
//    the CLI's function (client/keygen.ts), byte-identical to `ensgate keygen`; they stay in this
//    page's memory and leave it only through "Export keys";
// 3. approve the signer, on-chain (`approve`) or with a signed message (SIGN 3);
// 4. sign records with the derived signer (SIGN 4, lib's signRecordTree);
// 5. publish the signed files (ipfs/publishEdits.ts: routing, trustless gateway and pinning
//    endpoints, or a Kubo RPC URL) under the derived IPNS key;
// 6. point the name at the tree (`setRecordhash`);
// and "bump epoch and re-sign": read every record the name has, raise its epoch on-chain (which
// revokes every record and v2 approval signed before), sign them again and publish.
import resolverAbi from "virtual:ensgate/resolver-abi";
import { type Address, getAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveStoredKeys } from "../../client/keygen.ts";
import type { StoredKeys } from "../../client/keyStore.ts";
import {
  describeRecordhash,
  isApprovedOnPath,
  type NameContext,
  readNameContext,
} from "../../client/nameContext.ts";
import { findResolver } from "../../client/verifiedResolution.ts";
import {
  type PublishEditsResult,
  type PublishEditsTarget,
  publishEdits,
} from "../../ipfs/publishEdits.ts";
import {
  buildRecordFilePath,
  buildRecordhash,
  describeError,
  namehash,
  normalizeName,
  type RecordRequest,
  signApproval,
  signRecordTree,
} from "../../lib/index.ts";
import type { AppConfig } from "./appConfig.ts";
import { publicClientOf } from "./chain.ts";
import { h, statusLine } from "./dom.ts";
import { defaultRequests, parseRequestInput } from "./recordTypes.ts";
import { readVerifiedRecord } from "./verifiedRead.ts";
import { type ConnectedWallet, connectWallet } from "./wallet.ts";
import { describeWriteError } from "./writeErrors.ts";

/** How long a record signed here stays valid (the CLI's default). */
const VALID_FOR_SECONDS = 30 * 86_400;

/** A queued change: a signed record (its request, value and file) or a deletion. */
type PendingEdit =
  | { label: string; request: RecordRequest; value: string; content: string }
  | { label: string; content: undefined };

/** What the owner has done so far in this page; nothing of it is stored outside the page. */
type ManageState = {
  wallet?: ConnectedWallet;
  name?: string;
  resolver?: Address;
  context?: NameContext;
  keys?: StoredKeys;
  /** SIGN 3 of the signer for the current epoch, when approved with a signature. */
  approvalSignature?: Hex;
  approvedOnChain?: boolean;
  /**
   * Signed files not yet published, by path (content undefined: delete the file), with what was
   * signed, so that an epoch bump signs them again instead of publishing them stale.
   */
  edits: Map<string, PendingEdit>;
  published?: PublishEditsResult;
};

export function renderManage(app: HTMLElement, config: AppConfig): void {
  const state: ManageState = { edits: new Map() };
  app.append(h("h2", {}, "Manage a name"));
  if (!config.resolver) {
    app.append(
      h("p", { class: "error", role: "alert" }, "Set the ensgate resolver in Settings first."),
    );
    return;
  }
  const resolver = config.resolver;

  // Each step: a card with its heading, its controls and a status line read out when it changes.
  const step = (id: string, title: string, explanation: string) => {
    const status = statusLine(`${id}-status`);
    const body = h("div", { class: "row" });
    const section = h(
      "section",
      { class: "card", id, "aria-labelledby": `${id}-title` },
      h("h3", { id: `${id}-title` }, title),
      h("p", { class: "meta" }, explanation),
      body,
      status,
    );
    app.append(section);
    return { section, body, status };
  };
  /** Runs `task` from a button: one at a time, its outcome (or its error, in words) on `status`. */
  const action = (
    button: HTMLButtonElement,
    status: HTMLElement,
    task: () => Promise<string>,
  ): void => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.className = "";
      status.textContent = "Working… (your wallet may ask you to confirm)";
      try {
        status.textContent = await task();
        status.className = "ok";
      } catch (error) {
        status.className = "error";
        status.textContent = describeWriteError(error, config, state.wallet?.address);
      } finally {
        button.disabled = false;
      }
    });
  };
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(what);
    return value;
  };
  const publicClient = publicClientOf(config);
  /** Sends a resolver transaction from the wallet (simulated first: a revert is named before signing). */
  const writeResolver = async (functionName: string, args: readonly unknown[]) => {
    const wallet = need(state.wallet, "connect a wallet first");
    const { request } = await publicClient.simulateContract({
      account: wallet.address,
      address: resolver,
      abi: resolverAbi,
      functionName,
      args,
    });
    const hash = await wallet.client.writeContract(request);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`the ${functionName} transaction failed`);
    return hash;
  };
  const refreshContext = async () => {
    const name = need(state.name, "choose a name first");
    state.context = await readNameContext(publicClient, resolver, name);
    renderContext();
    return state.context;
  };

  // 1. Wallet and name.
  const connect = step(
    "manage-wallet",
    "1. Wallet and name",
    "Your wallet signs the key derivation, the approval and the transactions. Pick a name you own.",
  );
  const connectButton = h("button", { type: "button", id: "connect-wallet" }, "Connect wallet");
  const nameInput = h("input", {
    id: "manage-name",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "demo.eth",
  });
  const nameButton = h("button", { type: "button", id: "load-name" }, "Open name");
  // Enter in the name field opens the name, as a form would submit.
  nameInput.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    nameButton.click();
  });
  const contextLine = h("p", { class: "meta", id: "manage-context" });
  connect.body.append(
    connectButton,
    h("label", { for: "manage-name" }, "ENS name", nameInput),
    nameButton,
  );
  connect.section.append(contextLine);
  const renderContext = () => {
    const { context, wallet } = state;
    if (!context) return;
    const mine = wallet && getAddress(wallet.address) === context.owner;
    contextLine.textContent =
      `${context.name}: owner ${context.owner}${mine ? " (your wallet)" : ""} · epoch ${context.epoch} · ` +
      `records tree ${describeRecordhash(context.recordhash)}`;
  };
  action(connectButton, connect.status, async () => {
    state.wallet = await connectWallet(config);
    renderContext();
    return `Connected: ${state.wallet.address}`;
  });
  action(nameButton, connect.status, async () => {
    let name: string;
    try {
      name = normalizeName(nameInput.value.trim());
    } catch (error) {
      throw new Error(`that is not a valid ENS name: ${describeError(error)}`);
    }
    const found = await findResolver(publicClient, config.registry, name);
    if (getAddress(found) !== getAddress(resolver))
      throw new Error(
        `${name} uses the resolver ${found}, not the ensgate resolver ${resolver}: point it at ensgate first`,
      );
    Object.assign(state, {
      name,
      resolver: found,
      keys: undefined,
      approvalSignature: undefined,
      approvedOnChain: undefined,
      published: undefined,
    });
    state.edits.clear();
    renderEdits();
    const context = await refreshContext();
    if (state.wallet && getAddress(state.wallet.address) !== context.owner)
      return `${name} is owned by ${context.owner}, not by your wallet: you can read it, not change it`;
    return `${name} opened`;
  });

  // 2. Keys.
  const keygen = step(
    "manage-keys",
    "2. Derive your keys",
    "Your wallet signs two messages (SIGN 1 and SIGN 2); the IPNS key and the records signer are derived from them in this page, exactly as `ensgate keygen` does. They stay in this page unless you export them.",
  );
  const keygenButton = h("button", { type: "button", id: "derive-keys" }, "Derive keys");
  const exportButton = h("button", { type: "button", id: "export-keys" }, "Export keys (JSON)");
  const keysLine = h("p", { class: "meta", id: "manage-keys-derived" });
  keygen.body.append(keygenButton, exportButton);
  keygen.section.append(keysLine);
  action(keygenButton, keygen.status, async () => {
    const wallet = need(state.wallet, "connect a wallet first");
    const name = need(state.name, "open a name first");
    state.keys = await deriveStoredKeys(wallet.signer, name, config.chainId);
    keysLine.replaceChildren(
      h("span", { "data-signer": state.keys.signer }, `records signer ${state.keys.signer}`),
      " · ",
      h("span", { "data-ipns": state.keys.ipnsName }, `IPNS name ${state.keys.ipnsName}`),
    );
    state.approvedOnChain = await isApprovedOnPath(
      publicClient,
      resolver,
      need(state.context, "open a name first").owner,
      name,
      state.keys.signer,
    );
    return `Keys derived for ${name}${state.approvedOnChain ? " (the signer is approved on-chain)" : ""}`;
  });
  action(exportButton, keygen.status, async () => {
    const keys = need(state.keys, "derive the keys first");
    // The same JSON `ensgate keygen` keeps in <data dir>/keys/<name>.json.
    const blob = new Blob([`${JSON.stringify(keys, null, 2)}\n`], { type: "application/json" });
    const link = h("a", { href: URL.createObjectURL(blob), download: `${keys.keyName}.json` });
    link.click();
    URL.revokeObjectURL(link.href);
    return `Exported ${keys.keyName}.json: it holds your private keys, keep it safe`;
  });

  // 3. Approval.
  const approve = step(
    "manage-approve",
    "3. Approve the signer",
    "The resolver accepts records signed by the owner or by a signer the owner approved: on-chain (a transaction) or with a signed message (SIGN 3) carried in each record.",
  );
  const approveChain = h("button", { type: "button", id: "approve-onchain" }, "Approve on-chain");
  const approveMessage = h(
    "button",
    { type: "button", id: "approve-message" },
    "Approve with a signature (SIGN 3)",
  );
  approve.body.append(approveChain, approveMessage);
  action(approveChain, approve.status, async () => {
    const keys = need(state.keys, "derive the keys first");
    await writeResolver("approve", [namehash(keys.keyName), keys.signer, true]);
    state.approvedOnChain = true;
    return `${keys.signer} is approved on-chain for ${keys.keyName}`;
  });
  action(approveMessage, approve.status, async () => {
    state.approvalSignature = await signCurrentApproval();
    return `Signed SIGN 3 for epoch ${state.context?.epoch}: records signed here carry it`;
  });
  const signCurrentApproval = async () => {
    const keys = need(state.keys, "derive the keys first");
    const context = need(state.context, "open a name first");
    return signApproval({
      name: keys.keyName,
      signer: keys.signer,
      owner: need(state.wallet, "connect a wallet first").signer,
      chainId: config.chainId,
      epoch: context.epoch,
      resolver,
    });
  };

  // 4. Records.
  const records = step(
    "manage-records",
    "4. Set records",
    "Each record is signed here by the derived signer (no wallet prompt) and waits for publishing.",
  );
  const typeInput = h("input", {
    id: "record-type",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "text/avatar, address/60, dns www.demo.eth A",
  });
  const valueInput = h("textarea", { id: "record-value", rows: "2" });
  const signButton = h("button", { type: "button", id: "sign-record" }, "Sign record");
  const removeButton = h("button", { type: "button", id: "remove-record" }, "Remove record");
  records.body.append(
    h("label", { for: "record-type" }, "Record type", typeInput),
    h("label", { for: "record-value" }, "Value", valueInput),
    signButton,
    removeButton,
  );
  const editList = h("ul", { id: "pending-edits", "aria-label": "signed, not yet published" });
  records.section.append(editList);
  const renderEdits = () => {
    editList.replaceChildren(
      ...[...state.edits].map(([path, edit]) =>
        h(
          "li",
          { "data-path": path },
          `${edit.label}: ${edit.content === undefined ? "removed" : "signed"} (${path})`,
        ),
      ),
    );
  };
  /** Signs `entries` for the current epoch and queues them; returns how many. */
  const signRecords = async (
    entries: { label: string; request: RecordRequest; value: string }[],
  ) => {
    const keys = need(state.keys, "derive the keys first");
    const context = need(state.context, "open a name first");
    if (!state.approvedOnChain && !state.approvalSignature)
      throw new Error("approve the signer first (on-chain or with SIGN 3)");
    const files = await signRecordTree({
      name: keys.keyName,
      records: entries.map(({ request, value }) => [request, value] as const),
      signer: privateKeyToAccount(keys.signerPrivateKey),
      owner: context.owner,
      chainId: config.chainId,
      approvalSignature: state.approvedOnChain ? undefined : state.approvalSignature,
      freshness: {
        validUntil: BigInt(Math.floor(Date.now() / 1000) + VALID_FOR_SECONDS),
        epoch: context.epoch,
      },
      resolver,
    });
    for (const { label, request, value } of entries) {
      const path = buildRecordFilePath(keys.keyName, request);
      state.edits.set(path, { label, request, value, content: files[path] as string });
    }
    renderEdits();
    return entries.length;
  };
  action(signButton, records.status, async () => {
    const { label, request } = parseRequestInput(typeInput.value);
    await signRecords([{ label, request, value: valueInput.value }]);
    return `${label} signed: publish to make it live`;
  });
  action(removeButton, records.status, async () => {
    const keys = need(state.keys, "derive the keys first");
    const { label, request } = parseRequestInput(typeInput.value);
    state.edits.set(buildRecordFilePath(keys.keyName, request), { label, content: undefined });
    renderEdits();
    return `${label} will be removed when you publish`;
  });

  // 5. Publish.
  const publish = step(
    "manage-publish",
    "5. Publish",
    `The signed files are added to your records tree and published under your IPNS name, through ${config.publishUrl ? `the publishing endpoints at ${config.publishUrl}` : config.kuboRpcUrl ? `the Kubo node at ${config.kuboRpcUrl}` : "a publishing endpoint or a Kubo node (set one in Settings)"}.`,
  );
  const publishButton = h("button", { type: "button", id: "publish" }, "Publish");
  const publishedLine = h("p", { class: "meta", id: "manage-published" });
  publish.body.append(publishButton);
  publish.section.append(publishedLine);
  const publishPending = async () => {
    const keys = need(state.keys, "derive the keys first");
    const result = await publishEdits({
      ipnsKeySeed: keys.ipnsSeed,
      edits: [...state.edits].map(([path, { content }]) => ({ path, content })),
      target: publishTarget(config),
      ...(state.published ? { seenSequence: state.published.sequence } : {}),
    });
    const count = state.edits.size;
    state.published = result;
    state.edits.clear();
    renderEdits();
    publishedLine.textContent = `root ipfs://${result.root} · ipns://${result.ipnsName} · sequence ${result.sequence}`;
    return count;
  };
  action(publishButton, publish.status, async () => {
    if (state.edits.size === 0) throw new Error("nothing to publish: sign a record first");
    const count = await publishPending();
    const live = state.context?.recordhash === ipnsRecordhash();
    return `Published ${count} change${count === 1 ? "" : "s"}${live ? ": live now" : ": now point the name at it (step 6)"}`;
  });
  const ipnsRecordhash = () =>
    state.keys
      ? (buildRecordhash({ protocol: "ipns", name: state.keys.ipnsName }).toLowerCase() as Hex)
      : undefined;

  // 6. Recordhash.
  const point = step(
    "manage-recordhash",
    "6. Point the name at your records",
    "Sets the name's recordhash on the resolver to your IPNS name (a transaction). Needed once: later publishes update the same name.",
  );
  const pointButton = h("button", { type: "button", id: "set-recordhash" }, "Set recordhash");
  point.body.append(pointButton);
  action(pointButton, point.status, async () => {
    const recordhash = need(ipnsRecordhash(), "derive the keys first");
    if (state.context?.recordhash === recordhash)
      return `${state.name} already points at ipns://${state.keys?.ipnsName}`;
    await writeResolver("setRecordhash", [
      namehash(need(state.name, "open a name first")),
      recordhash,
    ]);
    await refreshContext();
    return `${state.name} now reads its records from ipns://${state.keys?.ipnsName}`;
  });

  // Bump the epoch and re-sign.
  const bump = step(
    "manage-epoch",
    "Bump epoch and re-sign",
    "Raising the epoch revokes every record and SIGN 3 approval signed before (a lost signer key, say). The page first reads every record the name has, then bumps the epoch, signs them again (with those signed here and not yet published) and publishes them.",
  );
  const bumpButton = h("button", { type: "button", id: "bump-epoch" }, "Bump epoch and re-sign");
  bump.body.append(bumpButton);
  action(bumpButton, bump.status, async () => {
    const name = need(state.name, "open a name first");
    need(state.keys, "derive the keys first");
    // What the name has now: the common records and those signed here, verified as Explore does.
    const asked = new Map(defaultRequests(name).map((entry) => [entry.label, entry.request]));
    for (const { label } of state.edits.values())
      if (!asked.has(label)) asked.set(label, parseRequestInput(label).request);
    const current: { label: string; request: RecordRequest; value: string }[] = [];
    for (const [label, request] of asked) {
      // A record signed here and not yet published is signed again with its new value.
      const pending = [...state.edits.values()].find((edit) => edit.label === label);
      if (pending) {
        if (pending.content !== undefined)
          current.push({ label, request: pending.request, value: pending.value });
        continue;
      }
      const outcome = await readVerifiedRecord(config, name, request);
      if (outcome.status === "verified")
        current.push({ label, request: outcome.record.fileRequest, value: outcome.record.value });
    }
    bump.status.textContent = `Working… read ${current.length} records; bumping the epoch`;
    await writeResolver("bumpEpoch", [namehash(name)]);
    const context = await refreshContext();
    if (!state.approvedOnChain) state.approvalSignature = await signCurrentApproval();
    const signed = current.length > 0 ? await signRecords(current) : 0;
    const published = state.edits.size > 0 ? await publishPending() : 0;
    return `Epoch ${context.epoch}: ${signed} records re-signed, ${published} changes published`;
  });
}

/** Where the app publishes: the configured endpoints, else the Kubo RPC URL. */
function publishTarget(config: AppConfig): PublishEditsTarget {
  if (config.publishUrl)
    return {
      kind: "remote",
      routingUrl: config.publishUrl,
      pinUrl: config.publishUrl,
      trustlessGatewayUrl: config.publishUrl,
    };
  if (config.kuboRpcUrl) return { kind: "kubo", rpcUrl: config.kuboRpcUrl };
  throw new Error("no publishing endpoint or Kubo RPC URL is set: add one in Settings");
}
