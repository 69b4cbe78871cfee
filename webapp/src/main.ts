// The ensgate web app (docs/webapp.md): explore any name, verified in the browser through the
// chain (CCIP-Read and the resolver's callback), and manage a name with a browser wallet.
import "./nodeGlobals.ts";
import "./style.css";
import { type AppConfig, loadAppConfig } from "./appConfig.ts";
import { renderExplore } from "./explore.ts";
import { renderManage } from "./manage.ts";
import { renderSettings } from "./settings.ts";

const app = document.getElementById("app") as HTMLElement;

/** The view of the location hash: `#/explore/<name>`, `#/manage`, `#/settings`. */
async function route(config: AppConfig, served: unknown): Promise<void> {
  const [view = "explore", ...rest] = location.hash.replace(/^#\/?/, "").split("/");
  for (const link of document.querySelectorAll("nav a"))
    link.toggleAttribute("aria-current", link.id === `nav-${view}`);
  for (const link of document.querySelectorAll("nav a[aria-current]"))
    link.setAttribute("aria-current", "page");
  app.replaceChildren();
  if (view === "manage") renderManage(app, config);
  else if (view === "settings") renderSettings(app, served);
  else renderExplore(app, config, decodeURIComponent(rest.join("/")));
}

async function start(): Promise<void> {
  let loaded: Awaited<ReturnType<typeof loadAppConfig>>;
  try {
    loaded = await loadAppConfig();
  } catch (error) {
    // No usable settings yet (a static host without app-config.json): the settings panel asks.
    app.replaceChildren();
    const message = document.createElement("p");
    message.className = "error";
    message.setAttribute("role", "alert");
    message.textContent = `The app needs its settings: ${(error as Error).message}.`;
    app.append(message);
    renderSettings(app, {});
    return;
  }
  const { config, served } = loaded;
  addEventListener("hashchange", () => void route(config, served));
  await route(config, served);
}

void start();
