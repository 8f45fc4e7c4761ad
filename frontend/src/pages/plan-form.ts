/**
 * Pure helpers of the incentive plan screen: the plan's quotas and tiers as form rows and back, and the
 * server's validation errors ("quotas.rep@x.test.quarterly must be more than 0") placed on the row and
 * field they concern. Tested in plan-form.test.ts.
 */

export interface QuotaRow {
  email: string;
  currency: string;
  quarterly: string;
  /** Named quarters that override `quarterly`, kept as they were (the form does not edit them). */
  periods: Record<string, string>;
}

export interface TierRow {
  from_pct: string;
  multiplier: string;
}

export interface PlanForm {
  quotas: QuotaRow[];
  tiers: TierRow[];
}

type Plan = Record<string, unknown>;

/** The form's rows of a stored plan. */
export function formOf(plan: Plan): PlanForm {
  const quotas = (plan.quotas ?? {}) as Record<string, { currency?: string; quarterly?: string; periods?: Record<string, string> }>;
  const tiers = (plan.tiers ?? []) as { from_pct?: string; multiplier?: string }[];
  return {
    quotas: Object.entries(quotas).map(([email, q]) => ({ email, currency: q.currency ?? "", quarterly: q.quarterly ?? "", periods: q.periods ?? {} })),
    tiers: tiers.map((t) => ({ from_pct: String(t.from_pct ?? ""), multiplier: String(t.multiplier ?? "") })),
  };
}

/** The plan to save: the stored plan with the form's quotas and tiers (every other layer kept as it was). */
export function planOf(stored: Plan, form: PlanForm): Plan {
  const quotas: Record<string, unknown> = {};
  for (const row of form.quotas) {
    const quota: Record<string, unknown> = { currency: row.currency.trim(), quarterly: row.quarterly.trim() };
    if (Object.keys(row.periods).length) quota.periods = row.periods;
    quotas[row.email.trim()] = quota;
  }
  return { ...stored, quotas, tiers: form.tiers.map((t) => ({ from_pct: t.from_pct.trim(), multiplier: t.multiplier.trim() })) };
}

export interface PlacedError {
  /** "quotas" or "tiers" with the row's index, or null for an error of the plan as a whole. */
  section: "quotas" | "tiers" | null;
  row: number | null;
  message: string;
}

/** Each server error on its row: quota rows by email, tier rows by index; the rest for the whole form. */
export function placeErrors(errors: string[], form: PlanForm): PlacedError[] {
  return errors.map((error) => {
    const tier = /^tiers\[(\d+)\]\.?(\S*) (.*)$/.exec(error);
    if (tier) return { section: "tiers", row: Number(tier[1]), message: `${tier[2] ? label(tier[2]) + " " : ""}${tier[3]}` };
    if (error.startsWith("quotas.")) {
      const rest = error.slice("quotas.".length);
      // Longest email first: "a@x.test.quarterly" must not match a row "a@x.te".
      const rows = form.quotas.map((row, index) => ({ email: row.email.trim(), index })).sort((a, b) => b.email.length - a.email.length);
      const found = rows.find((r) => r.email && (rest.startsWith(r.email + ".") || rest.startsWith(r.email + " ")));
      if (found) {
        const tail = rest.slice(found.email.length);
        const field = tail.startsWith(".") ? tail.slice(1).split(" ")[0] : "";
        const message = tail.slice(tail.indexOf(" ") + 1);
        return { section: "quotas", row: found.index, message: `${field ? label(field) + " " : ""}${message}` };
      }
    }
    return { section: null, row: null, message: error };
  });
}

function label(field: string): string {
  const words: Record<string, string> = { from_pct: "From", multiplier: "Multiplier", quarterly: "Quarterly quota", currency: "Currency" };
  return words[field] ?? field;
}
