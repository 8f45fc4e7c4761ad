"""The demo library and contract: real-world clauses, each with ranked fallbacks and guidance."""

from __future__ import annotations

from clauses.deviation import Verdict, check_terms
from clauses.samples import sample_contract, sample_library, sample_variables
from clauses.variables import substitute


def test_the_demo_library_has_a_dozen_real_world_clauses_with_fallbacks() -> None:
    library = sample_library()
    assert len(library) >= 12
    categories = {c.category for c in library}
    assert {
        "liability", "indemnity", "payment", "term_termination", "confidentiality", "data_protection", "sla",
        "governing_law", "ip", "warranty", "force_majeure", "assignment",
    } <= categories  # fmt: skip
    for clause in library:
        version = clause.latest_published
        assert version is not None and len(version.text.split()) >= 25, clause.id
        assert 1 <= len(version.fallbacks) <= 2, clause.id
        assert all(f.when_to_use.strip() for f in version.fallbacks), clause.id


def test_every_variable_the_demo_library_uses_has_a_demo_value() -> None:
    values = sample_variables()
    for clause in sample_library():
        for version in clause.versions:
            for text in (version.text, *(f.text for f in version.fallbacks)):
                result = substitute(text, values)
                assert result.missing == () and result.unknown == (), clause.id


def test_the_benchmark_contract_has_50_clauses_and_200_lines() -> None:
    contract = sample_contract(clauses=50, lines=200)
    assert len(contract.terms.clauses()) == 50 and len(contract.lines) == 200
    verdicts = [d.status for d in check_terms(contract.terms, contract.library, contract.variables)]
    assert verdicts.count(Verdict.FALLBACK) == 1 and verdicts.count(Verdict.NON_STANDARD) == 1
    assert verdicts.count(Verdict.STANDARD) == 48
