"""Saving and reading versions of the approval policy, with a short-lived cache of the current one."""

from __future__ import annotations

import threading
import time
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from approvals import Policy, PolicyInvalid, load_policy, load_policy_yaml
from workspace.approval_policy.models import ApprovalPolicyVersion
from workspace.audit import chain as audit
from workspace.errors import InvalidInput, Unprocessable
from workspace.storage.base import utcnow


class Policies:
    """The current approval policy, parsed once per version; re-read after a save or a few seconds."""

    # Another process may save a new policy; this one notices within this many seconds.
    TTL_SECONDS = 5.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[float, Policy | None] | None = None

    def forget(self) -> None:
        """Read the policy afresh next time (another worker saved one)."""
        with self._lock:
            self._current = None

    def cached(self) -> tuple[bool, Policy | None]:
        """(True, policy) when the current policy is known without asking the database."""
        current = self._current
        if current is None or time.monotonic() - current[0] > self.TTL_SECONDS:
            return False, None
        return True, current[1]

    def current(self, db: Session) -> Policy | None:
        row = db.execute(
            select(ApprovalPolicyVersion).order_by(ApprovalPolicyVersion.version.desc()).limit(1)
        ).scalar_one_or_none()
        policy = None if row is None else _validated(lambda: load_policy(row.data))
        with self._lock:
            self._current = (time.monotonic(), policy)
        return policy

    def current_data(self, db: Session) -> tuple[int, dict[str, Any]] | None:
        row = db.execute(
            select(ApprovalPolicyVersion).order_by(ApprovalPolicyVersion.version.desc()).limit(1)
        ).scalar_one_or_none()
        return None if row is None else (row.version, dict(row.data))

    def save(self, db: Session, data: dict[str, Any], user_id: int | None) -> int:
        """Validate `data` and store it as the next version."""
        require_rules(data)
        version = (db.execute(select(func.max(ApprovalPolicyVersion.version))).scalar_one_or_none() or 0) + 1
        stored = {**data, "version": version}
        _validated(lambda: load_policy(stored))
        db.add(ApprovalPolicyVersion(version=version, data=stored, created_by=user_id))
        db.flush()
        rules = [rule.get("id") for rule in stored.get("rules", []) if isinstance(rule, dict)]
        audit.append(db, "policy.saved", actor_id=user_id, room_id=None, at=utcnow(),
                     data={"version": version, "rules": rules})  # fmt: skip
        with self._lock:
            self._current = None
        return version


def parse_yaml(text: str) -> dict[str, Any]:
    """A policy document from YAML, checked by the core's own YAML reader (it refuses duplicate keys)."""
    _validated(lambda: load_policy_yaml(text))
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise InvalidInput("the policy must be a YAML mapping")
    return data


def require_rules(data: dict[str, Any]) -> None:
    """A policy states its rules (the server numbers the versions): `rules: []` is a policy that asks for no
    approval, but a document without `rules` (`{}`, the wrong file) is a mistake, not that policy."""
    if "rules" not in data:
        raise InvalidInput(
            "the policy has no 'rules': give them as a list (an empty list for a policy that asks for no "
            "approval); nothing was saved",
            missing=["rules"],
        )


def _validated(load: Any) -> Any:
    try:
        return load()
    except PolicyInvalid as invalid:
        raise Unprocessable(
            f"{len(invalid.errors)} problem(s) in the policy; nothing was saved", errors=list(invalid.errors)
        ) from invalid
