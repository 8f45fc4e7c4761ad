/** `computed.free_text` as the server writes it (workspace/clause_library/deviations.deviation_view), for tests. */
export const freeTextEntry = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  kind: "free_text",
  index: -1,
  clause_id: "",
  title: "Text outside the clauses",
  version: null,
  latest_version: null,
  status: "non_standard",
  fallback_rank: null,
  diff: [
    { op: "equal", text: "The Vendor's liability is" },
    { op: "delete", text: "capped." },
    { op: "insert", text: "unlimited." },
  ],
  reason: "the text outside the library clauses differs from the standard terms",
  unknown_variables: [],
  ...over,
});
