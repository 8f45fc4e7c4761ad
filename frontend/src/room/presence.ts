/**
 * Who is in the room, from the shared provider's awareness. The server stamps `user.id`,
 * `user.name` and `user.role` on every state it relays; the page sets its own `{name, color}`.
 */
import type { Awareness } from "y-protocols/awareness";
import { h, mount } from "../lib/dom";
import { roleLabel } from "../pages/labels";
import { colorFor, safeColor } from "./colors";

export interface PresenceUser {
  key: string;
  name: string;
  color: string;
  role?: string;
  self: boolean;
}

interface SelfInfo {
  clientId: number;
  id: number;
  name: string;
  color: string;
}

/** One entry per person (a person with two tabs is one), the caller first. */
export function distinctUsers(states: Map<number, Record<string, unknown>>, self: SelfInfo): PresenceUser[] {
  const users = new Map<string, PresenceUser>();
  users.set(`u${self.id}`, { key: `u${self.id}`, name: self.name, color: self.color, self: true });
  for (const [clientId, state] of states) {
    if (clientId === self.clientId) continue;
    const user = (state?.user ?? null) as Record<string, unknown> | null;
    if (!user) continue;
    const key = user.id !== undefined && user.id !== null ? `u${String(user.id)}` : `c${clientId}`;
    if (users.has(key)) continue;
    const name = typeof user.name === "string" && user.name ? user.name : "Guest";
    users.set(key, {
      key,
      name,
      color: safeColor(user.color) ?? colorFor(key),
      role: typeof user.role === "string" ? user.role : undefined,
      self: false,
    });
  }
  return Array.from(users.values());
}

export class PresenceList {
  readonly el: HTMLUListElement;
  private awareness: Awareness | null = null;
  private readonly onChange = () => this.render();

  constructor(private readonly self: Omit<SelfInfo, "clientId">) {
    this.el = h("ul", { class: "presence", "aria-label": "People in this room" });
  }

  bind(awareness: Awareness): void {
    this.awareness?.off("change", this.onChange);
    this.awareness = awareness;
    awareness.on("change", this.onChange);
    this.render();
  }

  render(): void {
    const a = this.awareness;
    if (!a) return;
    const users = distinctUsers(a.getStates() as Map<number, Record<string, unknown>>, { ...this.self, clientId: a.clientID });
    mount(
      this.el,
      users.map((u) =>
        h(
          "li",
          {
            class: "presence-user",
            "data-testid": "presence-user",
            "data-self": u.self,
            style: `--user-color:${u.color}`,
            title: u.self ? `${u.name} (you)` : u.role ? `${u.name} · ${roleLabel(u.role)}` : u.name,
          },
          u.name,
        ),
      ),
    );
  }

  destroy(): void {
    this.awareness?.off("change", this.onChange);
    this.awareness = null;
  }
}
