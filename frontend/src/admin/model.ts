/** Pure helpers of the admin screens: the words for a price book diff and an audit event, the server's
 * validation problems sorted to the fields they name, and edits of a price book draft. */
import type { AuditEvent, Book, BookDiff, FieldChange } from "../lib/admin-api";

const FIELD_WORDS: Record<string, string> = {
  prices: "list price",
  cost: "cost",
  floor: "floor",
  name: "name",
  description: "description",
  unit: "unit",
  unit_plural: "unit (plural)",
  billing_period: "billing period",
  tier_mode: "tier mode",
  active: "on sale",
  tiers: "volume tiers",
  rules: "configuration rules",
  facts: "product facts",
  effective_from: "effective from",
  currencies: "currencies",
};

function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `${value.length} item${value.length === 1 ? "" : "s"}`;
  return "set";
}

/** "USD list price: 20.00 → 22.00"; tiers, rules and facts say only that they changed. */
export function describeChange(change: FieldChange): string {
  const [key, currency] = change.field.split(".");
  const label = FIELD_WORDS[key] ?? key;
  const what = currency ? `${currency} ${label}` : label.charAt(0).toUpperCase() + label.slice(1);
  if (key === "tiers" || key === "rules" || key === "facts") return `${what} changed`;
  return `${what}: ${shown(change.before)} → ${shown(change.after)}`;
}

/** "1 added · 1 removed · 2 changed", or "No changes". */
export function diffSummary(diff: BookDiff): string {
  if (diff.empty) return "No changes";
  const parts: string[] = [];
  if (diff.added.length) parts.push(`${diff.added.length} added`);
  if (diff.removed.length) parts.push(`${diff.removed.length} removed`);
  if (diff.changed.length) parts.push(`${diff.changed.length} changed`);
  if (diff.book.length) parts.push("book details changed");
  return parts.join(" · ");
}

/** The server's problems (`products[3].prices.USD is invalid: …`) by the field they name; problems naming no
 * field go under "". The key of a product's field is `products[i].field[.currency]`. */
export function problemsByField(errors: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const error of errors) {
    const match = /^(products\[\d+\](?:\.[A-Za-z_]+(?:\.[A-Z]{3})?)?)/.exec(error);
    const key = match ? match[1] : "";
    const message = match ? error.slice(match[1].length).replace(/^[\s:]+/, "") : error;
    found.set(key, [...(found.get(key) ?? []), message]);
  }
  return found;
}

/** The problems of product `index` (its own and those of its fields), with the field named. */
export function productProblems(problems: Map<string, string[]>, index: number): string[] {
  const prefix = `products[${index}]`;
  const out: string[] = [];
  for (const [key, messages] of problems) {
    if (key === prefix || key.startsWith(prefix + ".")) {
      const field = key.slice(prefix.length + 1);
      for (const message of messages) out.push(field ? `${field}: ${message}` : message);
    }
  }
  return out;
}

export type MoneyField = "prices" | "cost" | "floor";

/** A copy of `book` with product `sku`'s `field` in `currency` set to `value` ("" removes a cost or floor). */
export function withMoney(book: Book, sku: string, field: MoneyField, currency: string, value: string): Book {
  return {
    ...book,
    products: book.products.map((product) => {
      if (product.sku !== sku) return product;
      const amounts = { ...(product[field] ?? {}) };
      if (value.trim() === "" && field !== "prices") delete amounts[currency];
      else amounts[currency] = value.trim();
      return { ...product, [field]: amounts };
    }),
  };
}

/** A copy of `book` with product `sku`'s text field set. */
export function withText(book: Book, sku: string, field: "name" | "description" | "unit", value: string): Book {
  return { ...book, products: book.products.map((p) => (p.sku === sku ? { ...p, [field]: value } : p)) };
}

/** A copy of `book` with a new product (list price 0 in every currency, for the admin to fill in). */
export function withNewProduct(book: Book, sku: string, name: string): Book {
  const prices = Object.fromEntries(book.currencies.map((c) => [c, "0.00"]));
  return { ...book, products: [...book.products, { sku, name, unit: "user", billing_period: "monthly", prices }] };
}

export function withoutProduct(book: Book, sku: string): Book {
  return { ...book, products: book.products.filter((p) => p.sku !== sku) };
}

const AUDIT_WORDS: Record<string, (data: Record<string, unknown>) => string> = {
  "pricebook.saved": (d) => `saved price book version ${d.version} (${d.products} products)`,
  "policy.saved": (d) => `saved approval policy version ${d.version}`,
  "plan.saved": (d) => `saved incentive plan version ${d.version} (${d.quotas} quotas, ${d.tiers} tiers)`,
  "user.added": (d) => `added ${d.email} as ${String(d.role).replace("_", " ")}`,
  "user.invited": (d) => `invited ${d.email ?? "a colleague"}`,
  "user.joined": () => "accepted the invitation",
  "user.role_changed": (d) => `changed ${d.email ? `${d.email}’s role` : "a role"} from ${String(d.before).replace("_", " ")} to ${String(d.after).replace("_", " ")}`,
  "user.deactivated": () => "deactivated someone",
  "user.reactivated": () => "reactivated someone",
  "template.created": (d) => `created the template “${d.name}”`,
  "template.changed": (d) => `changed the template “${d.name}”`,
  "template.deleted": (d) => `deleted the template “${d.name}”`,
};

/** "Ada Admin saved price book version 2 (16 products)". */
export function auditLine(event: AuditEvent): string {
  const who = event.actor?.name ?? "Dealroom";
  const words = AUDIT_WORDS[event.kind];
  return `${who} ${words ? words(event.data) : event.kind}`;
}

/** The problems of rule `index` of a policy (`rules[2].when: …`), with the rule's own path taken off. */
export function ruleProblems(errors: string[], index: number): string[] {
  const prefix = `rules[${index}]`;
  return errors.filter((e) => e.startsWith(prefix + ".") || e.startsWith(prefix + ":")).map((e) => e.slice(prefix.length).replace(/^[.:\s]+/, ""));
}

/** The policy's problems that name no rule (the document's own). */
export function policyProblems(errors: string[]): string[] {
  return errors.filter((e) => !/^rules\[\d+\]/.test(e));
}

/** A policy as text the server reads as YAML: JSON is YAML 1.2, so the form's document needs no YAML writer. */
export function policyText(doc: unknown): string {
  return JSON.stringify(doc, null, 2) + "\n";
}

/** The problems of a template's 422 answer (`fields`: `name`, `clauses.1`, `lines.0.sku`...) for one field key;
 * a line's or clause's key also takes the problems of its parts. */
export function fieldProblem(fields: Record<string, string>, key: string): string | null {
  const own = Object.entries(fields).filter(([k]) => k === key || k.startsWith(key + "."));
  return own.length ? own.map(([, v]) => v).join("; ") : null;
}
