"""What a room needs approved right now: the policy applied to the facts of its current quote.

Two shapes: the public one says only whether approval is needed (customers see no internal reasons or
approvers); the internal one lists each step with its approvers and the reason in plain words.
"""

from __future__ import annotations

from typing import Any

from approvals import Policy, RequiredStep, derive_facts, required_step_to_plain, required_steps


def required_for(policy: Policy, internal_quote: dict[str, Any], deal_fields: dict[str, Any]) -> list[RequiredStep]:
    """The steps the deal needs (pure), ordered."""
    facts = derive_facts(internal_quote, deal_fields, [])
    return sorted(required_steps(policy, facts), key=lambda step: (step.order, step.rule_id))


def preview(policy: Policy, internal_quote: dict[str, Any], deal_fields: dict[str, Any]) -> dict[str, Any]:
    """The internal preview (pure): the steps the deal needs, ordered, each with why."""
    steps = required_for(policy, internal_quote, deal_fields)
    return {"policy_version": policy.version, "steps": [required_step_to_plain(step) for step in steps]}


def public_preview(internal: dict[str, Any]) -> dict[str, Any]:
    needed = bool(internal["steps"])
    return {
        "needed": needed,
        "status": "needs_approval" if needed else "no_approval_needed",
        "label": "Needs approval" if needed else "No approval needed",
    }
