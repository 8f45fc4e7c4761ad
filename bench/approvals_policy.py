"""Policy evaluation speed: 100 rules over the facts of a 1,000-line deal.

Run: .venv/bin/python bench/approvals_policy.py
Prints one JSON line per operation (median and p99 in ms over repeated runs).
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from approvals import derive_facts, load_policy, required_steps, submit, supersede
from approvals.samples import demo_policy

FACTS = ["max_line_discount_pct", "total_discount_pct", "payment_terms_days", "total", "first_year_value"]


def _policy(rules: int) -> dict[str, Any]:
    rng = random.Random(1)
    made = []
    for i in range(rules):
        a, b = rng.sample(FACTS, 2)
        when: Any = [
            f"{a} > {rng.randint(1, 60)}",
            f"{a} >= {rng.randint(1, 60)} and ({b} > {rng.randint(1, 90)} or below_floor)",
            {"any": [{"fact": a, "op": ">", "value": rng.randint(1, 100)},
                     {"fact": "non_standard_clauses", "op": "contains", "value": rng.choice(["liability", "ip"])}]},
            f"not {a} <= {rng.randint(1, 60)} and billing in [monthly, quarterly] and currency != USD",
        ][i % 4]  # fmt: skip
        role = rng.choice(["sales_manager", "vp_sales", "finance", "legal"])
        made.append({"id": f"r{i}", "reason": f"Rule {i}", "when": when,
                     "step": {"approvers": {"role": role}, "order": 1 + i % 3}})  # fmt: skip
    return {"version": 1, "rules": made}


def _deal(lines: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    rng = random.Random(2)
    quote = {
        "currency": "EUR", "billing": "monthly", "term_months": 36,
        "lines": [{"id": f"L{i}", "discount_pct": f"{rng.uniform(0, 40):.2f}", "below_floor": rng.random() < 0.01,
                   "priced": True, "net_total": "1234.50"} for i in range(lines)],
        "totals": {"net_total": "1234500.00", "first_year": "411500.00", "total_discount_pct": "21.30",
                   "margin_pct": "55.00"},
    }  # fmt: skip
    clauses = [
        {"category": category, "status": status, "text": f"Clause {category} " * 40}
        for category, status in [("liability", "non_standard"), ("payment", "fallback"), ("sla", "standard")]
    ]
    return quote, clauses


def _measure(name: str, work: Callable[[], object], runs: int) -> None:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(json.dumps({"operation": name, "median_ms": round(statistics.median(samples), 3), "p99_ms": round(p99, 3)}))


def main() -> None:
    document = _policy(100)
    policy = load_policy(document)
    quote, clauses = _deal(1000)
    facts = derive_facts(quote, {"payment_terms_days": 60}, clauses)
    steps = required_steps(policy, facts)

    def resolve(spec: object) -> tuple[str, ...]:
        return ("u1", "u2")

    request = submit("a", fingerprint="v1", policy_fingerprint=policy.fingerprint, required=steps,
                     resolve=resolve, by="rep", at=None)  # fmt: skip
    _measure("load_policy, 100 rules", lambda: load_policy(document), 200)
    _measure("derive_facts, 1,000 lines", lambda: derive_facts(quote, {"payment_terms_days": 60}, clauses), 500)
    _measure(f"required_steps, 100 rules ({len(steps)} fire)", lambda: required_steps(policy, facts), 2000)
    demo = demo_policy()
    _measure("required_steps, demo policy", lambda: required_steps(demo, facts), 2000)
    _measure("derive + evaluate", lambda: required_steps(policy, derive_facts(quote, {"payment_terms_days": 60},
                                                                                    clauses)), 500)  # fmt: skip

    def carry_over() -> object:
        return supersede(request, "b", fingerprint="v2", policy_fingerprint=policy.fingerprint, required=steps,
                         resolve=resolve, by="rep", at=None)  # fmt: skip

    _measure(f"supersede, {len(steps)} steps", carry_over, 500)


if __name__ == "__main__":
    main()
