"""What a room needs approved right now: the policy applied to the facts of its current quote.

The steps are internal (reasons, approvers); where they stand against the room's requests and what earlier
approvals still cover is `standing`'s, and internal too: customers see no approval state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from approvals import Policy, RequiredStep, derive_facts, required_step_to_plain, required_steps


def required_for(
    policy: Policy, internal_quote: dict[str, Any], deal_fields: dict[str, Any], clauses: Sequence[object] = ()
) -> list[RequiredStep]:
    """The steps the deal needs (pure), ordered; `clauses` are the terms' deviations as plain dicts."""
    facts = derive_facts(internal_quote, deal_fields, clauses)
    return sorted(required_steps(policy, facts), key=lambda step: (step.order, step.rule_id))


def preview(
    policy: Policy, internal_quote: dict[str, Any], deal_fields: dict[str, Any], clauses: Sequence[object] = ()
) -> dict[str, Any]:
    """The internal preview (pure): the steps the deal needs, ordered, each with why."""
    steps = required_for(policy, internal_quote, deal_fields, clauses)
    return {"policy_version": policy.version, "steps": [required_step_to_plain(step) for step in steps]}
