/** The rep's controls over what the customer may do in the room, and invitations. */
import { ApiError, api, type RoomDetail } from "../lib/api";
import { h, icon, mount, uid } from "../lib/dom";
import { roleLabel } from "../pages/labels";
import { DEAL_FIELDS } from "./deal-fields";
import { DEAL_KEYS } from "./permissions";

export interface AccessHooks {
  onChange(next: Pick<RoomDetail, "customer_may_edit_pricing" | "customer_deal_fields" | "customer_changes">): void;
  notify(message: string, tone?: "info" | "error"): void;
}

export class RoomAccessPanel {
  readonly el: HTMLElement;
  private readonly pricingToggle: HTMLInputElement;
  private readonly directToggle: HTMLInputElement;
  private readonly fieldBoxes = new Map<string, HTMLInputElement>();
  private readonly members: HTMLElement;

  constructor(
    private room: RoomDetail,
    private readonly hooks: AccessHooks,
  ) {
    const toggleId = uid("cust-pricing");
    this.pricingToggle = h("input", { id: toggleId, type: "checkbox", class: "switch", role: "switch", "data-testid": "customer-may-edit-pricing" });
    this.pricingToggle.addEventListener("change", () => void this.save({ customer_may_edit_pricing: this.pricingToggle.checked }));
    const directId = uid("cust-direct");
    this.directToggle = h("input", { id: directId, type: "checkbox", class: "switch", role: "switch", "data-testid": "customer-changes-direct" });
    this.directToggle.addEventListener("change", () => void this.save({ customer_changes: this.directToggle.checked ? "direct" : "propose" }));
    const boxes = DEAL_KEYS.map((key) => {
      const id = uid("cf");
      const box = h("input", { id, type: "checkbox", value: key, "data-testid": `customer-field-${key}` });
      box.addEventListener("change", () => void this.save({ customer_deal_fields: DEAL_KEYS.filter((k) => this.fieldBoxes.get(k)?.checked) }));
      this.fieldBoxes.set(key, box);
      return h("label", { for: id, class: "check" }, box, DEAL_FIELDS[key].label);
    });
    this.members = h("ul", { class: "members" });
    this.el = h(
      "div",
      { class: "access" },
      h("h3", { class: "subhead" }, "Customer access"),
      h("div", { class: "switch-row" }, h("label", { for: toggleId, class: "switch-label" }, h("span", {}, "Customer may edit pricing"), h("span", { class: "hint" }, "Quantities, discounts and notes on unlocked lines.")), this.pricingToggle),
      h("div", { class: "switch-row" }, h("label", { for: directId, class: "switch-label" }, h("span", {}, "Apply customer changes directly"), h("span", { class: "hint" }, "Off: the customer's changes to pricing and clauses are proposals you accept, counter or decline.")), this.directToggle),
      h("fieldset", { class: "checks" }, h("legend", { class: "label" }, "Deal fields the customer may edit"), h("div", { class: "check-grid" }, boxes)),
      this.inviteForm(),
      h("h3", { class: "subhead" }, "Members"),
      this.members,
    );
    this.update(room);
  }

  update(room: RoomDetail): void {
    this.room = room;
    this.pricingToggle.checked = room.customer_may_edit_pricing;
    this.directToggle.checked = room.customer_changes === "direct";
    for (const [key, box] of this.fieldBoxes) box.checked = room.customer_deal_fields.includes(key);
    mount(this.members, room.members.map((m) => h("li", { class: "member" }, h("span", {}, m.name), h("span", { class: `badge badge-${m.role}` }, roleLabel(m.role)))));
  }

  private async save(changes: Partial<Pick<RoomDetail, "customer_may_edit_pricing" | "customer_deal_fields" | "customer_changes">>): Promise<void> {
    try {
      const next = await api.patchRoom(this.room.id, changes);
      this.room = { ...this.room, ...next, members: this.room.members };
      this.hooks.onChange(next);
      this.update(this.room);
      this.hooks.notify("Customer access updated.");
    } catch (e) {
      this.update(this.room);
      this.hooks.notify(e instanceof ApiError ? e.detail : "Could not update customer access.", "error");
    }
  }

  private inviteForm(): HTMLElement {
    const emailId = uid("inv-email");
    const nameId = uid("inv-name");
    const email = h("input", { id: emailId, type: "email", class: "input", autocomplete: "off", required: true, "data-testid": "invite-email" });
    const name = h("input", { id: nameId, class: "input", autocomplete: "off", required: true, "data-testid": "invite-name" });
    const result = h("div", { class: "invite-result", hidden: true, "aria-live": "polite" });
    const error = h("p", { class: "field-error", role: "alert", hidden: true });
    const submit = h("button", { type: "submit", class: "btn btn-secondary" }, icon("link", 16), "Create invite link");
    const form = h(
      "form",
      { class: "invite", novalidate: true, "aria-label": "Invite someone from the customer" },
      h("h3", { class: "subhead" }, "Invite the customer"),
      h("div", { class: "invite-fields" },
        h("div", { class: "field" }, h("label", { for: nameId, class: "label" }, "Name"), name),
        h("div", { class: "field" }, h("label", { for: emailId, class: "label" }, "Email"), email),
      ),
      submit,
      error,
      result,
    );
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!name.value.trim() || !email.value.includes("@")) {
        error.textContent = "Enter the person's name and email address.";
        error.hidden = false;
        return;
      }
      error.hidden = true;
      submit.disabled = true;
      try {
        const invite = await api.invite(this.room.id, email.value.trim(), name.value.trim());
        const link = h("input", { class: "input", readonly: true, "aria-label": "Invitation link", value: invite.url, "data-testid": "invite-url" });
        const copy = h("button", { type: "button", class: "btn btn-small btn-secondary" }, "Copy");
        copy.addEventListener("click", async () => {
          link.select();
          try {
            await navigator.clipboard.writeText(invite.url);
            copy.textContent = "Copied";
          } catch {
            copy.textContent = "Press Ctrl+C";
          }
        });
        mount(result, h("p", { class: "hint" }, `Single-use link for ${name.value.trim()}, valid ${invite.expires_in_days} days:`), h("div", { class: "copy-row" }, link, copy));
        result.hidden = false;
        email.value = "";
        name.value = "";
      } catch (e) {
        error.textContent = e instanceof ApiError ? e.detail : "Could not create the invitation.";
        error.hidden = false;
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }
}
