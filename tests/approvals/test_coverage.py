"""Smart re-approval: an approval covers later facts that are no worse than the ones it was given on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from approvals import CATALOGUE, Covers, DealFacts, covers
from approvals.coverage import no_worse
from approvals.facts import FactValue, Kind
from approvals.samples import demo_policy

POLICY = demo_policy()
MANAGER_RULE, VP_RULE, FINANCE_RULE, LEGAL_RULE = POLICY.rules


def facts(**values: FactValue) -> DealFacts:
    return DealFacts(values)


def test_an_approval_of_32_percent_covers_25_and_32_but_not_35() -> None:
    approved = facts(max_line_discount_pct=Decimal(32))
    assert covers(approved, facts(max_line_discount_pct=Decimal(25)), MANAGER_RULE)
    assert covers(approved, facts(max_line_discount_pct=Decimal("32.00")), MANAGER_RULE)
    assert not covers(approved, facts(max_line_discount_pct=Decimal("32.01")), MANAGER_RULE)
    assert not covers(approved, facts(max_line_discount_pct=Decimal(35)), MANAGER_RULE)


def test_a_true_bool_covers_true_and_false_a_false_one_only_false() -> None:
    days = Decimal(30)
    assert covers(
        facts(below_floor=True, payment_terms_days=days),
        facts(below_floor=False, payment_terms_days=days),
        FINANCE_RULE,
    )
    assert covers(
        facts(below_floor=True, payment_terms_days=days), facts(below_floor=True, payment_terms_days=days), FINANCE_RULE
    )
    assert not covers(
        facts(below_floor=False, payment_terms_days=days),
        facts(below_floor=True, payment_terms_days=days),
        FINANCE_RULE,
    )


def test_every_tested_fact_must_be_no_worse() -> None:
    # Finance approved a floor breach at 30 days; 60 days is a new question even though the floor is fixed.
    approved = facts(below_floor=True, payment_terms_days=Decimal(30))
    assert not covers(approved, facts(below_floor=False, payment_terms_days=Decimal(60)), FINANCE_RULE)


def test_a_clause_category_set_covers_its_subsets_with_the_same_wording() -> None:
    def clauses(*pairs: tuple[str, str]) -> DealFacts:
        return facts(
            non_standard_clauses=frozenset(category for category, _ in pairs),
            non_standard_clause_texts=frozenset(f"{category}:{digest}" for category, digest in pairs),
        )

    approved = clauses(("liability", "aaa"), ("payment", "bbb"))
    assert covers(approved, clauses(("liability", "aaa")), LEGAL_RULE)
    assert covers(approved, clauses(), LEGAL_RULE)
    assert not covers(approved, clauses(("liability", "aaa"), ("ip", "ccc")), LEGAL_RULE)
    # Same category, new wording: legal is asked again.
    assert not covers(approved, clauses(("liability", "zzz")), LEGAL_RULE)


@dataclass(frozen=True)
class Directions:
    directions: Mapping[str, Covers]


def test_higher_and_equal_directions() -> None:
    margin = Directions({"margin_pct": Covers.HIGHER})
    assert covers(facts(margin_pct=Decimal(12)), facts(margin_pct=Decimal(15)), margin)
    assert not covers(facts(margin_pct=Decimal(12)), facts(margin_pct=Decimal(10)), margin)
    exact = Directions({"term_months": Covers.EQUAL})
    assert covers(facts(term_months=Decimal(36)), facts(term_months=Decimal("36.0")), exact)
    assert not covers(facts(term_months=Decimal(36)), facts(term_months=Decimal(24)), exact)
    billing = Directions({"billing": Covers.LOWER})  # texts only ever compare equal
    assert covers(facts(billing="annual"), facts(billing="annual"), billing)
    assert not covers(facts(billing="annual"), facts(billing="aaa"), billing)


def test_unknown_facts_are_covered_only_by_unknown() -> None:
    assert covers(facts(), facts(), MANAGER_RULE)
    assert not covers(facts(), facts(max_line_discount_pct=Decimal(0)), MANAGER_RULE)
    assert not covers(facts(max_line_discount_pct=Decimal(32)), facts(), MANAGER_RULE)


def test_values_of_different_kinds_never_cover_each_other() -> None:
    assert not no_worse(True, Decimal(1), Covers.LOWER)
    assert not no_worse(Decimal(1), True, Covers.LOWER)
    assert not no_worse(frozenset(), Decimal(0), Covers.LOWER)
    assert not no_worse("1", Decimal(1), Covers.LOWER)


# Property tests over every catalogue fact and every direction.
def _value(kind: Kind) -> st.SearchStrategy[FactValue]:
    if kind is Kind.NUMBER:
        return st.decimals(min_value=-1000, max_value=1000, places=2)
    if kind is Kind.BOOL:
        return st.booleans()
    if kind is Kind.TEXT:
        return st.sampled_from(["annual", "monthly", "EUR"])
    return st.frozensets(st.sampled_from(["liability", "payment", "ip", "sla"]))


def _facts() -> st.SearchStrategy[DealFacts]:
    entries = {
        name: st.one_of(st.none(), _value(spec.kind)) if spec.kind is not Kind.TEXT else _value(spec.kind)
        for name, spec in CATALOGUE.items()
    }
    return st.fixed_dictionaries(entries).map(lambda d: DealFacts({k: v for k, v in d.items() if v is not None}))


_directions = st.fixed_dictionaries({name: st.sampled_from(list(Covers)) for name in CATALOGUE}).map(Directions)


@given(_facts(), _directions)
def test_coverage_is_reflexive(a: DealFacts, rule: Directions) -> None:
    assert covers(a, a, rule)


@given(_facts(), _facts(), _facts(), _directions)
def test_coverage_is_transitive(a: DealFacts, b: DealFacts, c: DealFacts, rule: Directions) -> None:
    if covers(a, b, rule) and covers(b, c, rule):
        assert covers(a, c, rule)


@given(st.data(), _directions)
def test_transitivity_on_chains_that_do_cover(data: st.DataObject, rule: Directions) -> None:
    # Random triples rarely cover each other; build b no worse than a, and c no worse than b, fact by fact.
    a = data.draw(_facts())
    b = DealFacts({name: _better(data, a[name], rule.directions[name]) for name in a})
    c = DealFacts({name: _better(data, b[name], rule.directions[name]) for name in b})
    assert covers(a, b, rule) and covers(b, c, rule) and covers(a, c, rule)


def _better(data: st.DataObject, value: FactValue, direction: Covers) -> FactValue:
    if direction is Covers.EQUAL or isinstance(value, str):
        return value
    step = 1 if direction is Covers.HIGHER else -1
    if isinstance(value, bool):
        return value if data.draw(st.booleans()) else (step > 0)
    if isinstance(value, Decimal):
        return value + step * data.draw(st.decimals(min_value=0, max_value=100, places=2))
    extra = data.draw(st.frozensets(st.sampled_from(["x", "y"])))
    subset = frozenset(item for item in value if data.draw(st.booleans()))
    return value | extra if step > 0 else subset


@given(_facts(), st.data())
def test_lowering_every_number_never_invalidates_a_higher_is_worse_approval(a: DealFacts, data: st.DataObject) -> None:
    lowered = DealFacts(
        {
            name: value - data.draw(st.decimals(min_value=0, max_value=500, places=2))
            if isinstance(value, Decimal)
            else value
            for name, value in a.items()
        }
    )
    for rule in POLICY.rules:
        assert covers(a, lowered, rule)
    # Every number in the catalogue whose default is "higher is worse".
    defaults = Directions({name: spec.covers for name, spec in CATALOGUE.items() if spec.covers is Covers.LOWER})
    assert covers(a, lowered, defaults)
