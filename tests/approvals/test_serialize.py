"""Requests and previews as JSON-ready data, and back, without losing what coverage depends on."""

from __future__ import annotations

import json

from approvals import (
    Decision,
    decide,
    request_from_plain,
    request_to_plain,
    required_step_to_plain,
    required_steps,
)
from approvals.samples import demo_policy

from .helpers import LEGAL, MANAGER, at, deal, submitted, superseded

POLICY = demo_policy()


def test_a_preview_step_as_the_room_shows_it() -> None:
    facts = deal(32, non_standard_clauses=["liability"], non_standard_clause_texts=["liability:abc"])
    plain = [required_step_to_plain(step) for step in required_steps(POLICY, facts)]
    assert plain[0] == {
        "rule_id": "discount-over-20",
        "name": "Sales manager",
        "reason": "Discount over 20%: max line discount 32% is over 20%",
        "headline": "Discount over 20%",
        "details": ["max line discount 32% is over 20%"],
        "approvers": {"role": "sales_manager"},
        "approvers_label": "sales manager",
        "order": 1,
        "mode": "any",
        "tested": {"max_line_discount_pct": "32"},
    }
    assert plain[1]["tested"] == {"non_standard_clauses": ["liability"], "non_standard_clause_texts": ["liability:abc"]}


def test_a_request_survives_a_json_round_trip_and_still_carries_over() -> None:
    facts = deal(32, payment_terms_days=60, non_standard_clauses=["ip"], non_standard_clause_texts=["ip:1"])
    request = submitted("r1", "v1", facts, POLICY)
    request = decide(
        request,
        "discount-over-20",
        actor=MANAGER,
        decision=Decision.APPROVE,
        fingerprint="v1",
        at=at(1),
        comment="fine",
    )
    request = decide(request, "legal-clauses", actor=LEGAL, decision=Decision.APPROVE, fingerprint="v1", at=at(2))
    text = json.dumps(request_to_plain(request))
    back = request_from_plain(json.loads(text))
    assert back == request
    assert json.loads(text)["steps"][0]["state"] == "approved"

    lowered = deal(25, payment_terms_days=60, non_standard_clauses=["ip"], non_standard_clause_texts=["ip:1"])
    _, new = superseded(back, "r2", "v2", lowered, POLICY, minutes=3)
    assert {step.id: str(step.state) for step in new.steps} == {
        "discount-over-20": "approved",
        "finance-terms": "pending",
        "legal-clauses": "approved",
    }
    assert request_from_plain(request_to_plain(new)) == new
