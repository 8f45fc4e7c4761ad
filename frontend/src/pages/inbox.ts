/**
 * `/inbox`: the approval steps waiting on the signed-in person, across rooms. Each card says what
 * is asked and why, with the tested facts against what was approved before; Approve is one tap,
 * Reject asks for a comment. Live: fetched again on focus, when the tab becomes visible, and every
 * 3 s while it is visible. Cards are keyed, so a poll never wipes a comment being written.
 */
import { ApiError, api, decisionBody, isInternalUser, type DecisionChoice, type InboxItem, type Me, type PersonRef } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { ago, clockTime } from "../lib/when";
import { navigate, signInUrl } from "../lib/router";
import { clauseWordings, factList, splitReason } from "./approval-facts";
import { DecisionControl } from "./decision";
import { pageNotice } from "./forms";
import { delegationSection } from "./delegations";
import { appBar, showInboxCount } from "./rooms";

const POLL_MS = 3000;

function itemKey(item: Pick<InboxItem, "request_id" | "step_id">): string {
  return `${item.request_id}/${item.step_id}`;
}

/** A person the server named by id and name, or by id only. */
export function personName(p: PersonRef | number | string | null | undefined): string {
  if (p === null || p === undefined) return "";
  if (typeof p === "object") return p.name?.trim() || `User ${p.id}`;
  return `User ${p}`;
}

/** "Waiting since 14:02 (5 min ago)". */
export function waitingText(iso: string | undefined, now: number = Date.now()): string {
  const clock = clockTime(iso, now);
  return clock ? `Waiting since ${clock} (${ago(iso, now)})` : "Waiting";
}

interface Card {
  el: HTMLElement;
  json: string;
  decision: DecisionControl;
  since: HTMLElement;
  item: InboxItem;
}

export function inboxPage(root: HTMLElement, me: Me): () => void {
  if (!isInternalUser(me)) {
    document.title = "Approvals · Dealroom";
    mount(
      root,
      appBar(me),
      h(
        "main",
        { class: "page page-center" },
        h("h1", { class: "page-title" }, "No approvals here"),
        h("p", { class: "page-lead" }, "Approvals are decided by the vendor's team. Your deal rooms are on the home page."),
        h("a", { href: "/", class: "btn btn-primary" }, "Go to your rooms"),
      ),
    );
    return () => undefined;
  }
  const list = h("ul", { class: "inbox-list", "aria-label": "Waiting for your decision", "data-testid": "inbox-list" });
  const empty = h(
    "div",
    { class: "inbox-empty card", "data-testid": "inbox-empty", hidden: true },
    h("span", { class: "inbox-empty-icon", "aria-hidden": "true" }, icon("check", 28)),
    h("p", { class: "inbox-empty-title" }, "Nothing waits for you"),
    h("p", { class: "muted" }, "New requests appear here as soon as a rep submits a deal that needs you."),
  );
  const status = h("p", { class: "inbox-count", role: "status", "aria-live": "polite" });
  const notice = pageNotice("inbox-notice", 8000, "info");
  const say = notice.say;
  const loading = h("div", { class: "page-loading inbox-loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), "Loading your approvals…");
  const cards = new Map<string, Card>();
  let alive = true;
  let inFlight: Promise<void> | null = null;
  let again = false;

  async function load(): Promise<void> {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        const { items } = await api.inbox();
        if (!alive) return;
        render(Array.isArray(items) ? items : []);
      } catch (e) {
        if (!alive) return;
        if (e instanceof ApiError && e.status === 401) return navigate(signInUrl(), { replace: true });
        if (loading.isConnected) loading.replaceChildren(e instanceof ApiError ? e.detail : "Could not load your approvals.");
        else if (e instanceof ApiError && e.status !== 0) say(e.detail, "error");
      } finally {
        inFlight = null;
      }
    })();
    await inFlight;
    if (again && alive) {
      again = false;
      await load();
    }
  }

  function render(items: InboxItem[]): void {
    loading.remove();
    const now = Date.now();
    const seen = new Set<string>();
    const ordered: HTMLElement[] = [];
    for (const item of items) {
      const key = itemKey(item);
      seen.add(key);
      const json = JSON.stringify(item);
      let card = cards.get(key);
      if (!card || (card.json !== json && !card.decision.engaged)) {
        card = makeCard(item, json);
        cards.set(key, card);
      }
      card.since.textContent = waitingText(item.since, now);
      ordered.push(card.el);
    }
    for (const [key, card] of cards) {
      if (seen.has(key)) continue;
      if (card.decision.engaged) say(`“${splitReason(card.item.reason, card.item.headline).headline || card.item.name}” in ${card.item.room_title || "a room"} was decided or withdrawn meanwhile.`);
      cards.delete(key);
    }
    // Move only what moved: a card with focus in it keeps it.
    ordered.forEach((el, i) => {
      if (list.children[i] !== el) list.insertBefore(el, list.children[i] ?? null);
    });
    while (list.children.length > ordered.length) list.lastElementChild!.remove();
    empty.hidden = items.length > 0;
    status.textContent = items.length ? (items.length === 1 ? "1 step waits for your decision" : `${items.length} steps wait for your decision`) : "";
    document.title = items.length ? `(${items.length}) Approvals · Dealroom` : "Approvals · Dealroom";
    showInboxCount(root, items.length);
  }

  async function decide(item: InboxItem, choice: DecisionChoice, comment: string): Promise<boolean> {
    const what = `${splitReason(item.reason, item.headline).headline || item.name} — ${item.room_title || "the deal"}`;
    try {
      await api.decide(item.request_id, item.step_id, decisionBody(choice, comment, item.fingerprint));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        navigate(signInUrl(), { replace: true });
        return true;
      }
      if (e instanceof ApiError && e.status === 409) {
        // The deal changed (or the step was decided by someone else): show why, then what is current.
        say(`${e.detail}. The list is up to date again.`, "error");
        cards.delete(itemKey(item));
        void load();
        return true;
      }
      say(e instanceof ApiError ? e.detail : "The decision could not be sent. Check your connection and try again.", "error");
      return false;
    }
    say(choice === "approve" ? `Approved: ${what}.` : `Rejected: ${what}. The rep sees your comment.`, "success");
    const card = cards.get(itemKey(item));
    if (card) {
      card.el.classList.add(choice === "approve" ? "is-approved" : "is-rejected");
      cards.delete(itemKey(item));
    }
    void load();
    return true;
  }

  function makeCard(item: InboxItem, json: string): Card {
    const headingId = uid("inbox-item");
    const { headline: title, lines: reasons } = splitReason(item.reason, item.headline, item.details);
    const submitter = personName(item.submitted_by);
    const behalf = (item.on_behalf_of ?? []).map(personName).filter(Boolean);
    const since = h("span", { class: "inbox-since", "data-testid": "inbox-since" });
    const decision = new DecisionControl({ prefix: "inbox", describedBy: headingId, decide: (choice, comment) => decide(item, choice, comment) });
    const room = item.room_title || "Open the deal room";
    const el = h(
      "li",
      { class: "inbox-item card", "data-testid": "inbox-item", "data-request-id": item.request_id, "data-step-id": item.step_id },
      h(
        "div",
        { class: "inbox-item-top" },
        h("a", { href: `/rooms/${encodeURIComponent(item.room_id)}`, class: "inbox-room", "data-testid": "inbox-room-link" }, h("span", { class: "inbox-room-title" }, room), icon("next", 16)),
        since,
      ),
      h("h2", { class: "inbox-title", id: headingId }, title || item.name, h("span", { class: "inbox-step" }, `${item.name} approval`)),
      reasons.length ? h("ul", { class: "inbox-reasons" }, reasons.map((r) => h("li", {}, r))) : null,
      factList(item.facts, "inbox-facts", "inbox-fact"),
      clauseWordings(item.clauses, "inbox-clauses"),
      submitter || behalf.length
        ? h(
            "p",
            { class: "inbox-by" },
            submitter ? `Submitted by ${submitter}` : "",
            submitter && behalf.length ? " · " : "",
            behalf.length ? h("span", { "data-testid": "inbox-on-behalf" }, `You decide on behalf of ${behalf.join(", ")}`) : "",
          )
        : null,
      h("div", { class: "inbox-actions" }, decision.el),
    );
    return { el, json, decision, since, item };
  }

  const onVisible = () => {
    if (document.visibilityState === "visible") void load();
  };
  const onFocus = () => void load();
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("focus", onFocus);
  const timer = setInterval(() => {
    if (document.visibilityState === "visible") void load();
  }, POLL_MS);

  // Below the cards: who decides for this person while they are away (and for whom they decide).
  const delegation = delegationSection(me);
  const main = h(
    "main",
    { class: "page page-inbox" },
    h(
      "div",
      { class: "page-head" },
      h("div", {}, h("a", { href: "/", class: "page-back" }, icon("back", 16), "Rooms"), h("h1", { class: "page-title" }, "Approvals"), h("p", { class: "page-lead" }, "Deals waiting for your decision, with what changed and why you are asked.")),
    ),
    status,
    notice.el,
    loading,
    empty,
    list,
    delegation.el,
  );
  document.title = "Approvals · Dealroom";
  mount(root, appBar(me, "inbox"), main);
  void load();
  void delegation.load();
  return () => {
    alive = false;
    delegation.dispose();
    clearInterval(timer);
    notice.dispose();
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("focus", onFocus);
  };
}
