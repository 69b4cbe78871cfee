// The settings panel: the served /app-config.json with this browser's overrides (localStorage).
import { parseAppConfig, readOverrides, saveOverrides } from "./appConfig.ts";
import { field, h, statusLine } from "./dom.ts";

const FIELDS = [
  ["rpcUrl", "Chain RPC URL"],
  ["chainId", "Chain id"],
  ["registry", "ENS registry"],
  ["universalResolver", "UniversalResolver"],
  ["resolver", "ensgate resolver"],
  ["gatewayUrl", "ensgate gateway"],
  ["publishUrl", "Publishing endpoints (routing, pinning, trustless gateway)"],
  ["kuboRpcUrl", "Kubo RPC URL"],
  ["didNetwork", "did:ens network"],
] as const;

export function renderSettings(app: HTMLElement, served: unknown): void {
  const overrides = readOverrides();
  const current = { ...(served as Record<string, unknown>), ...overrides };
  const inputs = new Map<string, HTMLInputElement>();
  const form = h("form", { class: "card", "aria-labelledby": "settings-title" });
  form.append(h("h2", { id: "settings-title" }, "Settings"));
  form.append(
    h(
      "p",
      { class: "meta" },
      "Served by the app's host in app-config.json; what you change here is kept in this browser only.",
    ),
  );
  for (const [key, label] of FIELDS) {
    const { label: element, input } = field(label, { id: `setting-${key}`, name: key });
    input.value = current[key] === undefined ? "" : String(current[key]);
    inputs.set(key, input);
    form.append(element);
  }
  const status = statusLine("settings-status");
  form.append(
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit" }, "Save"),
      h("button", { type: "button", id: "settings-reset" }, "Reset to the served settings"),
    ),
    status,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next: Record<string, unknown> = {};
    for (const [key, input] of inputs) {
      const servedValue = (served as Record<string, unknown>)[key];
      if (input.value !== (servedValue === undefined ? "" : String(servedValue)))
        next[key] = input.value;
    }
    try {
      parseAppConfig({ ...(served as object), ...next });
    } catch (error) {
      status.className = "error";
      status.textContent = `Not saved: ${(error as Error).message}.`;
      return;
    }
    saveOverrides(next);
    location.reload();
  });
  form.querySelector("#settings-reset")?.addEventListener("click", () => {
    saveOverrides({});
    location.reload();
  });
  app.append(form);
}
