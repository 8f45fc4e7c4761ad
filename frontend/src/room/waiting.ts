/**
 * The header's "3 changes waiting": edits the server has not got yet (pending.ts). They are kept on
 * this device meanwhile (local-store.ts), which the badge's title says.
 */
import "./waiting.css";
import { h, icon } from "../lib/dom";
import { pendingLabel } from "./pending";

export function waitingBadge(): HTMLElement {
  return h(
    "span",
    {
      class: "pending waiting",
      "data-testid": "pending-edits",
      title: "Kept on this device and sent when the connection is back",
      "aria-live": "polite",
      hidden: true,
    },
    icon("clock", 14),
    h("span", { class: "waiting-text" }, pendingLabel(0)),
  );
}

export function showWaiting(badge: HTMLElement, count: number): void {
  badge.querySelector(".waiting-text")!.textContent = pendingLabel(count);
  badge.dataset.count = String(count);
  badge.hidden = count === 0;
}
