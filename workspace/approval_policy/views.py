"""Approval requests as people read them: names instead of ids, since when a step waits, and the facts a
step tested next to the values approved for the same rule before (the diff that matters to an approver)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import approvals
from approvals import CATALOGUE, Request, RequestStep, StepState
from approvals.facts import format_value
from approvals.request import UserId
from workspace.auth.models import User


def people(db: Session, ids: Iterable[UserId]) -> dict[str, dict[str, str]]:
    """Names and roles of these users, keyed by the id as text (JSON object keys are text)."""
    wanted = sorted({int(user_id) for user_id in ids})
    if not wanted:
        return {}
    rows = db.execute(select(User.id, User.name, User.role).where(User.id.in_(wanted)))
    return {str(user_id): {"name": name, "role": role} for user_id, name, role in rows}


def ids(request: Request) -> set[UserId]:
    """Everyone a request names: its submitter, approvers, deciders and who recalled it."""
    found: set[UserId] = {request.submitted_by}
    for step in request.steps:
        found.update(step.approvers)
        for record in step.decisions:
            found.add(record.actor)
            found.update(record.for_approvers)
    if request.recalled_by is not None:
        found.add(request.recalled_by)
    return found


def request_plain(request: Request) -> dict[str, Any]:
    """The request's plain form, each step with `since` (when it started waiting, or None)."""
    plain = approvals.request_to_plain(request)
    for step, shown in zip(request.steps, plain["steps"], strict=True):
        since = approvals.waiting_since(request, step)
        shown["since"] = since.isoformat() if since is not None else None
    return plain


def request_view(db: Session, request: Request) -> dict[str, Any]:
    """`request_plain` plus `people`: the names of everyone it names."""
    return {**request_plain(request), "people": people(db, ids(request))}


def last_approved(step_id: str, history: Sequence[Request]) -> RequestStep | None:
    """The most recent approved step of the same rule among earlier requests (newest first)."""
    for earlier in history:
        found = earlier.step(step_id)
        if found is not None and found.state is StepState.APPROVED:
            return found
    return None


def tested_facts(step: RequestStep, before: RequestStep | None) -> list[dict[str, Any]]:
    """Each fact the step's rule tested, as it reads, with the value approved last time (or None)."""
    shown: list[dict[str, Any]] = []
    for name, value in step.tested.items():
        spec = CATALOGUE.get(name)
        if spec is None or name.endswith("_texts"):  # digests of clause texts mean nothing to a reader
            continue
        approved = before.decisions[0].facts.get(name) if before is not None and before.decisions else None
        shown.append({
            "fact": name,
            "label": spec.label,
            "value": format_value(spec, value),
            "approved_value": format_value(spec, approved) if approved is not None else None,
        })  # fmt: skip
    return shown
