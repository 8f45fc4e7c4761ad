"""What a room needs approved right now: the policy applied to the facts of its current quote.

Two shapes: the public one says only whether approval is needed (customers see no internal reasons or
approvers); the internal one lists each step with its approvers and the reason in plain words.
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


_LABELS = {
    "no_approval_needed": "No approval needed",
    "needs_approval": "Needs approval",
    "pending": "Approval pending",
    "approved": "Approved",
    "rejected": "Approval rejected",
}


def with_request(internal: dict[str, Any], request: dict[str, Any] | None, fingerprint: str) -> dict[str, Any]:
    """The internal preview plus the state of the request that is for exactly this version, if any."""
    current = request if request is not None and request.get("fingerprint") == fingerprint else None
    if current is not None and current.get("state") in ("recalled", "superseded"):
        current = None
    people = current.get("people", {}) if current is not None else {}
    if current is not None:
        current = {key: value for key, value in current.items() if key != "people"}
    return {**internal, "fingerprint": fingerprint, "request": current, "people": people}


def public_preview(internal: dict[str, Any]) -> dict[str, Any]:
    """What everyone in the room may see: whether approval is needed and where it stands, no reasons."""
    needed = bool(internal["steps"])
    request = internal.get("request")
    if not needed:
        status = "no_approval_needed"
    elif request is None:
        status = "needs_approval"
    else:
        status = str(request["state"])
    return {"needed": needed, "status": status, "label": _LABELS.get(status, status)}
