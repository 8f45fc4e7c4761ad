"""The demo approval policy (acceptance story 4): the text an admin would store, and it loaded.

Discounts over 20% go to a sales manager and over 30% then to a VP of sales; a price below floor or
payment terms over 45 days to finance, and any non-standard clause to legal, both alongside the manager."""

from __future__ import annotations

from approvals.policy import Policy
from approvals.policy_text import load_policy_yaml

DEMO_POLICY_YAML = """\
version: 1
description: Demo approval matrix
rules:
  - id: discount-over-20
    name: Sales manager
    reason: Discount over 20%
    when: max_line_discount_pct > 20
    step: {approvers: {role: sales_manager}, order: 1, mode: any}

  - id: discount-over-30
    name: VP sales
    reason: Discount over 30%
    when: max_line_discount_pct > 30
    step: {approvers: {role: vp_sales}, order: 2, mode: any}

  - id: finance-terms
    name: Finance
    reason: Price below floor or payment terms over 45 days
    when:
      any:
        - {fact: below_floor}
        - {fact: payment_terms_days, op: ">", value: 45}
    step: {approvers: {role: finance}, order: 1, mode: any}

  - id: legal-clauses
    name: Legal
    reason: Non-standard clause
    when: non_standard_clauses
    step: {approvers: {role: legal}, order: 1, mode: any}
"""


def demo_policy() -> Policy:
    """The demo policy, validated."""
    return load_policy_yaml(DEMO_POLICY_YAML)
