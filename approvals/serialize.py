"""Requests and required steps as JSON-ready data and back, for the workspace to store and send.

Numbers are plain strings ("32.5"), category sets sorted lists, times ISO 8601 text. Reading facts back
needs the catalogue to tell a number's "32" from a text; `request_from_plain` raises `FactsInvalid` or
`ValueError` on data it did not write."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from approvals.evaluate import RequiredStep
from approvals.facts import CATALOGUE, Covers, FactSpec, facts_from_dict, facts_to_plain
from approvals.policy import ApproverKind, Approvers, Mode
from approvals.request import Decision, DecisionRecord, Request, RequestStep, UserId


def required_step_to_plain(step: RequiredStep) -> dict[str, Any]:
    """A previewed step: what the room and `GET .../approvals/preview` show."""
    return {
        "rule_id": step.rule_id,
        "name": step.name,
        "reason": step.reason,
        "headline": step.headline,
        "details": list(step.details),
        "approvers": _approvers(step.approvers),
        "approvers_label": step.approvers.label,
        "order": step.order,
        "mode": str(step.mode),
        "tested": facts_to_plain(step.tested),
    }


def request_to_plain(request: Request) -> dict[str, Any]:
    """A request, with its derived states, as JSON-ready data."""
    return {
        "id": request.id,
        "state": str(request.state),
        "fingerprint": request.fingerprint,
        "policy_fingerprint": request.policy_fingerprint,
        "submitted_by": request.submitted_by,
        "submitted_at": request.submitted_at.isoformat(),
        "recalled_by": request.recalled_by,
        "recalled_at": _time(request.recalled_at),
        "superseded_by": request.superseded_by,
        "superseded_at": _time(request.superseded_at),
        "steps": [_step(step) for step in request.steps],
    }


def _step(step: RequestStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "state": str(step.state),
        "rule_fingerprint": step.rule_fingerprint,
        "name": step.name,
        "reason": step.reason,
        "approver_spec": _approvers(step.approver_spec),
        "order": step.order,
        "mode": str(step.mode),
        "approvers": list(step.approvers),
        "tested": facts_to_plain(step.tested),
        "directions": {fact: str(covers) for fact, covers in step.directions.items()},
        "decisions": [
            {
                "actor": record.actor,
                "for_approvers": list(record.for_approvers),
                "decision": str(record.decision),
                "comment": record.comment,
                "at": record.at.isoformat(),
                "facts": facts_to_plain(record.facts),
                "origin": record.origin,
            }
            for record in step.decisions
        ],
    }


def request_from_plain(data: Mapping[str, Any], catalogue: Mapping[str, FactSpec] = CATALOGUE) -> Request:
    """The request `request_to_plain` wrote (derived states are recomputed, not read)."""
    return Request(
        id=data["id"],
        fingerprint=data["fingerprint"],
        policy_fingerprint=data["policy_fingerprint"],
        submitted_by=data["submitted_by"],
        submitted_at=datetime.fromisoformat(data["submitted_at"]),
        steps=tuple(_step_back(step, catalogue) for step in data["steps"]),
        recalled_by=data.get("recalled_by"),
        recalled_at=_time_back(data.get("recalled_at")),
        superseded_by=data.get("superseded_by"),
        superseded_at=_time_back(data.get("superseded_at")),
    )


def _step_back(data: Mapping[str, Any], catalogue: Mapping[str, FactSpec]) -> RequestStep:
    ((kind, value),) = data["approver_spec"].items()
    return RequestStep(
        id=data["id"],
        rule_fingerprint=data["rule_fingerprint"],
        name=data["name"],
        reason=data["reason"],
        approver_spec=Approvers(ApproverKind(kind), value),
        order=int(data["order"]),
        mode=Mode(data["mode"]),
        approvers=tuple(_user(user) for user in data["approvers"]),
        tested=facts_from_dict(data["tested"], catalogue),
        directions={fact: Covers(covers) for fact, covers in data["directions"].items()},
        decisions=tuple(
            DecisionRecord(
                actor=_user(record["actor"]),
                for_approvers=tuple(_user(user) for user in record["for_approvers"]),
                decision=Decision(record["decision"]),
                comment=record["comment"],
                at=datetime.fromisoformat(record["at"]),
                facts=facts_from_dict(record["facts"], catalogue),
                origin=record.get("origin"),
            )
            for record in data["decisions"]
        ),
    )


def _approvers(approvers: Approvers) -> dict[str, str | int]:
    return {str(approvers.kind): approvers.value}


def _user(raw: object) -> UserId:
    if isinstance(raw, str | int) and not isinstance(raw, bool):
        return raw
    raise ValueError(f"not a user id: {raw!r}")


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time_back(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
