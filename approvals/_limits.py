"""Bounds on admin-written policies. A policy is data an admin types; these keep a typo or a hostile
document from costing more than a page of rules would."""

# Deep enough for any hand-written condition; shallow enough that recursion never nears Python's limit.
MAX_DEPTH = 32
# A compact condition is one line a person reads; anything longer belongs in the structured form.
MAX_CONDITION_CHARS = 2_000
# Far above any real approval matrix (Salesforce customers run dozens), far below what slows evaluation.
MAX_RULES = 1_000
# `in [...]` lists: a handful in practice.
MAX_LIST_ITEMS = 1_000
# Comparisons and combinators in one rule. Also stops a YAML document whose aliases reuse one list at
# every level from making validation walk an exponential tree.
MAX_CONDITIONS_PER_RULE = 256
# A policy document's text: a thousand rules fit with room to spare.
MAX_POLICY_CHARS = 1_000_000
