import type { AppConfig } from "./appConfig.ts";

export function renderManage(app: HTMLElement, _config: AppConfig): void {
  app.textContent = "Manage: connect a wallet (coming next).";
}
