/**
 * `/admin/policy` (own chunk): the approval policy for admins, edited as a form (a card per rule: when it
 * applies, who approves, in which order) or as YAML, checked by the server as you type (nothing is saved), and
 * previewed against a chosen room: who would be asked and why, beside what the saved policy asks today.
 */
import "./admin.css";
import { adminApi, type PolicyDoc, type PolicyRule } from "../lib/admin-api";
import { ApiError, api, isAdmin, type Me } from "../lib/api";
import { debounce, h, icon, mount, uid } from "../lib/dom";
import { navigate, signInUrl } from "../lib/router";
import { busy, pageNotice } from "../pages/forms";
import { userRoleLabel } from "../pages/labels";
import { appBar } from "../pages/rooms";
import { policyProblems, policyText, ruleProblems } from "./model";
import { adminNav, adminsOnly, auditTrail } from "./parts";

const APPROVER_ROLES = ["sales_manager", "vp_sales", "finance", "legal", "admin"];

export function policyPage(root: HTMLElement, me: Me): () => void {
  document.title = "Approval policy · Dealroom";
  if (!isAdmin(me)) {
    mount(root, appBar(me, "people"), adminsOnly("the approval policy"));
    return () => undefined;
  }
  let alive = true;
  let base: number | null = null;
  let doc: PolicyDoc = { rules: [] };
  let mode: "form" | "yaml" = "form";
  let errors: string[] = [];
  // The server's YAML of the saved version (comments and layout as an admin wrote them), shown until the form
  // changes something; after that the form's document is shown as JSON, which YAML readers take as it is.
  let savedYaml = "";
  let formDirty = false;

  const notice = pageNotice("policy-notice", 10_000, "success");
  const lead = h("p", { class: "page-lead", "data-testid": "policy-version" }, "Loading…");
  const rulesBox = h("div", { class: "product-list", "data-testid": "policy-rules" });
  const addRule = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "policy-add-rule" }, icon("plus", 16), "Add a rule");
  const formPane = h("div", { class: "admin-main" }, rulesBox, addRule);
  const yamlId = uid("yaml");
  const yaml = h("textarea", { id: yamlId, class: "input policy-yaml", spellcheck: "false", "data-testid": "policy-yaml", "aria-describedby": "policy-validity" });
  const yamlPane = h("div", { class: "field", hidden: true }, h("label", { for: yamlId, class: "label" }, "The policy as YAML"), yaml);
  const formButton = h("button", { type: "button", "aria-pressed": "true", "data-testid": "policy-mode-form" }, "Form");
  const yamlButton = h("button", { type: "button", "aria-pressed": "false", "data-testid": "policy-mode-yaml" }, "YAML");
  const validity = h("p", { id: "policy-validity", class: "validity", role: "status", "data-testid": "policy-validity" });
  const docProblems = h("ul", { class: "form-error problem-list", hidden: true, "data-testid": "policy-problems" });
  const save = h("button", { type: "button", class: "btn btn-primary", "data-testid": "policy-save", disabled: true }, "Save new version");
  const roomId = uid("room");
  const roomSelect = h("select", { id: roomId, class: "input", "data-testid": "policy-preview-room" });
  const previewButton = h("button", { type: "button", class: "btn btn-secondary", "data-testid": "policy-preview" }, icon("eye", 16), "Preview");
  const previewOut = h("div", { class: "preview-out", "aria-live": "polite", "data-testid": "policy-preview-result" });
  const history = auditTrail("policy.", "Saved versions");

  function refused(e: unknown, fallback: string): string | null {
    if (e instanceof ApiError && e.status === 401) {
      navigate(signInUrl(), { replace: true });
      return null;
    }
    return e instanceof ApiError ? e.detail : fallback;
  }

  /** The draft as the server reads it (YAML; the form's document as JSON, which is YAML too). */
  const draftText = () => (mode === "yaml" ? yaml.value : policyText(doc));

  const validate = debounce(() => void runValidate(), 350);
  async function runValidate(): Promise<void> {
    try {
      const result = await adminApi.validateYaml(draftText());
      if (!alive) return;
      errors = result.errors;
      validity.textContent = result.valid ? `Valid: ${result.rules.length} rule${result.rules.length === 1 ? "" : "s"}.` : `${errors.length} problem${errors.length === 1 ? "" : "s"}: nothing can be saved until they are fixed.`;
      validity.className = `validity ${result.valid ? "is-valid" : "is-invalid"}`;
      save.disabled = !result.valid;
      const general = mode === "yaml" ? errors : policyProblems(errors);
      docProblems.replaceChildren(...general.map((e) => h("li", {}, e)));
      docProblems.hidden = general.length === 0;
      for (const card of rulesBox.querySelectorAll<HTMLElement>("[data-rule-index]")) {
        const mine = ruleProblems(errors, Number(card.dataset.ruleIndex));
        const box = card.querySelector<HTMLElement>(".rule-problems")!;
        box.replaceChildren(...mine.map((e) => h("li", {}, e)));
        box.hidden = mine.length === 0;
      }
    } catch (e) {
      const message = refused(e, "The policy could not be checked.");
      if (message !== null) notice.say(message, "error");
    }
  }

  function changed(): void {
    validate();
  }

  function setRule(index: number, change: (rule: PolicyRule) => PolicyRule): void {
    doc = { ...doc, rules: doc.rules.map((r, i) => (i === index ? change(r) : r)) };
    formDirty = true;
    changed();
  }

  function input(label: string, value: string, onInput: (v: string) => void, attrs: Record<string, string> = {}): HTMLElement {
    const id = uid("rule");
    const el = h("input", { id, class: "input", ...attrs });
    el.value = value;
    el.addEventListener("input", () => onInput(el.value));
    return h("div", { class: `field${attrs.wide ? " rule-wide" : ""}` }, h("label", { for: id, class: "label" }, label), el);
  }

  function ruleCard(rule: PolicyRule, index: number): HTMLElement {
    const approvers = rule.step?.approvers ?? {};
    const kind = "role" in approvers ? "role" : "user" in approvers ? "user" : "group";
    const roleId = uid("approver");
    const approver = h("select", { id: roleId, class: "input", "data-testid": "rule-approver" });
    for (const role of APPROVER_ROLES) approver.append(h("option", { value: `role:${role}` }, userRoleLabel(role)));
    if (kind !== "role") approver.append(h("option", { value: `${kind}:${String(approvers[kind])}` }, `${kind}: ${String(approvers[kind])}`));
    approver.value = `${kind}:${String(approvers[kind] ?? "")}`;
    approver.addEventListener("change", () => {
      const [k, ...v] = approver.value.split(":");
      setRule(index, (r) => ({ ...r, step: { ...r.step, approvers: { [k]: v.join(":") } } }));
    });
    const modeId = uid("mode");
    const stepMode = h("select", { id: modeId, class: "input" }, h("option", { value: "any" }, "Any one of them"), h("option", { value: "unanimous" }, "All of them"));
    stepMode.value = rule.step?.mode ?? "any";
    stepMode.addEventListener("change", () => setRule(index, (r) => ({ ...r, step: { ...r.step, mode: stepMode.value } })));
    const when =
      typeof rule.when === "string"
        ? input("Applies when", rule.when, (v) => setRule(index, (r) => ({ ...r, when: v })), { wide: "1", "data-testid": "rule-when", spellcheck: "false", placeholder: "e.g. max_line_discount_pct > 20" })
        : h("div", { class: "field rule-wide" }, h("p", { class: "label" }, "Applies when"), h("p", { class: "hint" }, "A combined condition: edit it in the YAML view."), h("pre", { class: "hint" }, JSON.stringify(rule.when)));
    const remove = h("button", { type: "button", class: "btn btn-ghost btn-small product-remove" }, icon("trash", 16), "Remove rule");
    remove.addEventListener("click", () => {
      doc = { ...doc, rules: doc.rules.filter((_, i) => i !== index) };
      formDirty = true;
      drawRules();
      changed();
    });
    return h(
      "section",
      { class: "card rule-card", "data-rule-index": index, "data-rule-id": rule.id, "data-testid": "policy-rule" },
      input("Rule id", rule.id ?? "", (v) => setRule(index, (r) => ({ ...r, id: v })), { "data-testid": "rule-id" }),
      input("Name", rule.name ?? "", (v) => setRule(index, (r) => ({ ...r, name: v }))),
      input("Reason shown to the rep", rule.reason ?? "", (v) => setRule(index, (r) => ({ ...r, reason: v })), { wide: "1" }),
      when,
      h("div", { class: "field" }, h("label", { for: roleId, class: "label" }, "Approver"), approver),
      h("div", { class: "field" }, h("label", { for: modeId, class: "label" }, "Who must approve"), stepMode),
      input("Order (steps with the same order run together)", String(rule.step?.order ?? 1), (v) => setRule(index, (r) => ({ ...r, step: { ...r.step, order: Number(v) } })), { type: "number", min: "1", inputmode: "numeric" }),
      h("ul", { class: "form-error problem-list rule-problems rule-wide", hidden: true, role: "alert" }),
      h("div", { class: "rule-wide" }, remove),
    );
  }

  function drawRules(): void {
    rulesBox.replaceChildren(...doc.rules.map(ruleCard));
  }

  addRule.addEventListener("click", () => {
    formDirty = true;
    doc = { ...doc, rules: [...doc.rules, { id: `rule-${doc.rules.length + 1}`, name: "", reason: "", when: "total > 250000", step: { approvers: { role: "vp_sales" }, order: 1, mode: "any" } }] };
    drawRules();
    changed();
    rulesBox.lastElementChild?.querySelector<HTMLInputElement>("input")?.focus();
  });
  yaml.addEventListener("input", changed);

  async function setMode(next: "form" | "yaml"): Promise<void> {
    if (next === mode) return;
    if (next === "yaml") {
      yaml.value = formDirty ? policyText(doc) : savedYaml;
    } else {
      const result = await adminApi.validateYaml(yaml.value).catch(() => null);
      if (!result?.policy || !Array.isArray(result.policy.rules)) {
        notice.say("The YAML cannot be read as a policy yet: fix it before switching to the form.", "error");
        return;
      }
      doc = result.policy;
      formDirty = true;
      drawRules();
    }
    mode = next;
    formButton.setAttribute("aria-pressed", String(mode === "form"));
    yamlButton.setAttribute("aria-pressed", String(mode === "yaml"));
    formPane.hidden = mode !== "form";
    yamlPane.hidden = mode !== "yaml";
    void runValidate();
  }
  formButton.addEventListener("click", () => void setMode("form"));
  yamlButton.addEventListener("click", () => void setMode("yaml"));

  function stepsList(steps: { name: string; reason: string; headline?: string; approvers_label: string; people?: { name: string }[] }[], testid: string): HTMLElement {
    if (!steps.length) return h("p", { class: "muted", "data-testid": testid }, "No approval needed.");
    return h(
      "ol",
      { class: "preview-steps", "data-testid": testid },
      steps.map((s) =>
        h(
          "li",
          { class: "preview-step", "data-testid": "preview-step" },
          h("strong", {}, s.name || s.approvers_label),
          h("div", {}, s.headline || s.reason),
          h("div", { class: "muted" }, s.people ? `Asks: ${s.people.map((p) => p.name).join(", ") || "nobody (no active person has this role)"}` : `Asks: ${s.approvers_label}`),
        ),
      ),
    );
  }

  previewButton.addEventListener("click", async () => {
    const room = roomSelect.value;
    if (!room) return;
    busy(previewButton, true, "Previewing…");
    try {
      const [draft, saved] = await Promise.all([
        adminApi.previewYaml(room, draftText()),
        adminApi.savedPreview(room).catch(() => null),
      ]);
      if (!alive) return;
      previewOut.replaceChildren(h("h3", { class: "label" }, "With this draft"), stepsList(draft.steps, "preview-draft"));
      if (saved) previewOut.append(h("h3", { class: "label" }, "With the saved policy"), stepsList(saved.steps, "preview-saved"));
    } catch (e) {
      const message = refused(e, "The preview could not be made.");
      if (message !== null) {
        const problems = e instanceof ApiError ? ((e.data as { errors?: string[] } | null)?.errors ?? []) : [];
        previewOut.replaceChildren(h("p", { class: "form-error", role: "alert" }, message), ...problems.map((p) => h("p", { class: "tpl-problem" }, p)));
      }
    } finally {
      busy(previewButton, false, "");
    }
  });

  save.addEventListener("click", async () => {
    validate.cancel();
    busy(save, true, "Saving…");
    try {
      const result = await adminApi.savePolicyYaml(draftText(), base);
      if (!alive) return;
      notice.say(`Saved version ${result.version}: rooms open now show the new routing.`);
      await load();
      void history.reload();
    } catch (e) {
      const message = refused(e, "The policy could not be saved.");
      if (message !== null) notice.say(message, "error");
    } finally {
      busy(save, false, "");
    }
  });

  async function load(): Promise<void> {
    try {
      const [{ version, policy }, text, { rooms }] = await Promise.all([adminApi.policy(), adminApi.policyYaml(), api.rooms("")]);
      if (!alive) return;
      base = version;
      doc = policy;
      savedYaml = text;
      formDirty = false;
      if (mode === "yaml") yaml.value = text;
      lead.textContent = `Version ${version} · ${policy.rules.length} rules${policy.description ? ` · ${policy.description}` : ""}`;
      save.textContent = `Save as version ${version + 1}`;
      const chosen = roomSelect.value;
      roomSelect.replaceChildren(...rooms.map((r) => h("option", { value: r.id }, `${r.title} (${r.customer_name})`)));
      if (chosen) roomSelect.value = chosen;
      drawRules();
      void runValidate();
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) return mount(root, appBar(me, "people"), adminsOnly("the approval policy"));
      const message = refused(e, "The policy could not be loaded.");
      if (message !== null) lead.textContent = message;
    }
  }

  const main = h(
    "main",
    { class: "page page-admin" },
    adminNav("policy"),
    h("div", { class: "page-head" }, h("div", {}, h("h1", { class: "page-title" }, "Approval policy"), lead)),
    notice.el,
    h(
      "div",
      { class: "admin-columns" },
      h("div", { class: "admin-main" }, h("div", { class: "mode-switch", role: "group", "aria-label": "Edit as" }, formButton, yamlButton), formPane, yamlPane),
      h(
        "div",
        { class: "admin-side" },
        h("section", { class: "card review-card" }, h("h2", { class: "card-title" }, "Check and save"), validity, docProblems, h("div", { class: "review-actions" }, save)),
        h(
          "section",
          { class: "card review-card" },
          h("h2", { class: "card-title" }, "Preview against a room"),
          h("div", { class: "field" }, h("label", { for: roomId, class: "label" }, "Room"), roomSelect),
          h("div", { class: "review-actions" }, previewButton),
          previewOut,
        ),
        history.el,
      ),
    ),
  );
  mount(root, appBar(me, "people"), main);
  void load();
  return () => {
    alive = false;
    validate.cancel();
    notice.dispose();
  };
}
