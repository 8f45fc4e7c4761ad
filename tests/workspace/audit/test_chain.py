"""The audit log: every submission, decision, recall, policy change and API token, hash-chained; tampering shows."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, update

from tests.conftest import PricedWorld
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers, _decide, _set_discount, _submit
from workspace.audit.chain import verify
from workspace.audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]


def _verify_cli(database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEALROOM_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "workspace.cli", "audit", "verify"], env=env, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


async def test_approvals_are_recorded_in_a_chain_that_shows_tampering(priced: PricedWorld) -> None:
    _with_policy(priced)
    manager, _ = _approvers(priced)
    await _set_discount(priced, 25, first=True)
    request = _submit(priced).json()
    _decide(manager, request, "discount-over-20")
    _decide(manager, request, "discount-over-20")  # a repeat: nothing new happened, nothing recorded
    sessions = priced.server.services.sessions
    with sessions() as db:
        kinds = [event.kind for event in db.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]
        tokens = kinds.count("token.created")  # each signed-in test client made itself an API token
        assert tokens and [kind for kind in kinds if kind != "token.created"] == [
            "pricebook.saved", "plan.saved", "policy.saved", "approval.submitted", "approval.decided"]  # fmt: skip
        assert verify(db).intact
    database_url = priced.server.settings.database_url
    ok = _verify_cli(database_url)
    assert ok.returncode == 0 and f"audit log intact: {tokens + 5} events" in ok.stdout

    with sessions.begin() as db:  # someone edits history: the manager "rejected" after all
        decided = db.execute(select(AuditEvent).where(AuditEvent.kind == "approval.decided")).scalar_one()
        db.execute(update(AuditEvent).where(AuditEvent.id == decided.id).values(
            data={**decided.data, "decision": "reject"}))  # fmt: skip
    with sessions() as db:
        assert verify(db).broken_at == decided.id
    broken = _verify_cli(database_url)
    assert broken.returncode == 1 and f"BROKEN at event {decided.id}" in broken.stderr
