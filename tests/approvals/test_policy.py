"""Loading an approval policy: what an admin saves is validated, and every mistake is named by its path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from approvals import Covers, Mode, PolicyInvalid, load_policy, load_policy_json, load_policy_yaml
from approvals.facts import CATALOGUE
from approvals.grammar import AnyOf, Compare, Op
from approvals.policy import ApproverKind
from approvals.samples import DEMO_POLICY_YAML, demo_policy


def rule(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "discount",
        "when": {"fact": "max_line_discount_pct", "op": ">", "value": 20},
        "step": {"approvers": {"role": "sales_manager"}, "order": 1, "mode": "any"},
    }
    base.update(overrides)
    return base


def errors_of(data: object) -> list[str]:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy(data)
    return caught.value.errors


def test_the_demo_policy_loads_with_its_four_rules() -> None:
    policy = demo_policy()
    assert policy.version == 1
    assert [(r.id, r.step.approvers.value, r.step.order) for r in policy.rules] == [
        ("discount-over-20", "sales_manager", 1),
        ("discount-over-30", "vp_sales", 2),
        ("finance-terms", "finance", 1),
        ("legal-clauses", "legal", 1),
    ]
    finance = policy.rules[2]
    assert finance.when == AnyOf(
        (Compare("below_floor"), Compare("payment_terms_days", Op.GT, Decimal(45))),
    )
    assert finance.tested == ("below_floor", "payment_terms_days")
    # Testing non-standard clauses binds their texts: a new wording of the same category asks legal again.
    assert policy.rules[3].tested == ("non_standard_clauses", "non_standard_clause_texts")


def test_defaults_name_reason_order_and_mode() -> None:
    policy = load_policy({"version": 2, "rules": [rule(step={"approvers": {"group": "deal-desk"}})]})
    only = policy.rules[0]
    assert (only.name, only.reason) == ("discount", "discount")
    assert (only.step.order, only.step.mode) == (1, Mode.ANY)
    assert only.step.approvers.kind is ApproverKind.GROUP
    assert only.step.approvers.label == "deal-desk"


def test_a_user_approver_may_be_an_email_or_a_numeric_id() -> None:
    policy = load_policy(
        {
            "version": 1,
            "rules": [
                rule(id="a", step={"approvers": {"user": "cfo@demo.test"}, "mode": "unanimous"}),
                rule(id="b", step={"approvers": {"user": 42}}),
            ],
        }
    )
    assert [r.step.approvers.value for r in policy.rules] == ["cfo@demo.test", 42]
    assert policy.rules[0].step.mode is Mode.UNANIMOUS


def test_the_compact_and_structured_forms_are_the_same_rule() -> None:
    compact = load_policy({"version": 1, "rules": [rule(when="max_line_discount_pct > 20")]})
    structured = load_policy({"version": 1, "rules": [rule()]})
    assert compact.rules[0].when == structured.rules[0].when
    assert compact.rules[0].fingerprint == structured.rules[0].fingerprint
    assert compact.fingerprint == structured.fingerprint


def test_fingerprints_change_with_what_an_approval_depends_on() -> None:
    def fingerprint(**overrides: Any) -> str:
        return load_policy({"version": 1, "rules": [rule(**overrides)]}).rules[0].fingerprint

    base = fingerprint()
    # Words and order do not change what was approved; the condition and the approvers do.
    assert fingerprint(name="Manager", reason="Big discount") == base
    assert fingerprint(step={"approvers": {"role": "sales_manager"}, "order": 3}) == base
    assert fingerprint(when="max_line_discount_pct > 25") != base
    assert fingerprint(step={"approvers": {"role": "vp_sales"}}) != base
    assert fingerprint(step={"approvers": {"role": "sales_manager"}, "mode": "unanimous"}) != base
    assert fingerprint(covers={"max_line_discount_pct": "equal"}) != base


def test_yaml_and_json_texts_load() -> None:
    assert load_policy_yaml(DEMO_POLICY_YAML).fingerprint == demo_policy().fingerprint
    text = '{"version": 1, "rules": [{"id": "r", "when": {"fact": "total", "op": ">=", "value": 250000.50},'
    text += ' "step": {"approvers": {"role": "finance"}}}]}'
    policy = load_policy_json(text)
    assert policy.rules[0].when == Compare("total", Op.GE, Decimal("250000.50"))
    assert load_policy_yaml(text).rules[0].when == policy.rules[0].when


def test_broken_yaml_and_json_say_where() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_yaml("version: 1\nrules: [\n  - id: x\n")
    assert caught.value.errors[0].startswith("policy: not valid YAML: line ")
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_json('{"version": 1,,}')
    assert caught.value.errors == [
        "policy: not valid JSON: line 1, column 15: Expecting property name enclosed in double quotes"
    ]


def test_an_unknown_operator_is_named_with_its_path() -> None:
    bad = rule(when={"all": [{"fact": "max_line_discount_pct", "op": "=>", "value": 20}]})
    errors = errors_of({"version": 1, "rules": [rule(id="a"), rule(id="b"), {**bad, "id": "c"}]})
    assert len(errors) == 1
    assert errors[0].startswith('rules[2].when.all[0].op: unknown operator "=>"')


def test_every_problem_is_reported_at_once() -> None:
    errors = errors_of(
        {
            "version": 0,
            "rulez": [],
            "rules": [
                rule(id="dup"),
                rule(id="dup", when={"fact": "max_discount", "op": ">", "value": 20}),
                rule(id="kind", when={"fact": "max_line_discount_pct", "op": ">", "value": "20%"}),
                rule(id="order", step={"approvers": {"role": "vp_sales"}, "order": 0, "mode": "all"}),
                rule(id="who", step={"approvers": {"role": "vp_sales", "user": "a@b.c"}}),
                rule(id="has spaces", when="below_floor", extra=True),
            ],
        }
    )
    assert errors == [
        "rulez: unexpected key; use one of description, name, rules, version",
        "version: must be an integer of at least 1; got 0",
        'rules[1].id: duplicate rule id "dup" (also rules[0])',
        'rules[1].when.fact: unknown fact "max_discount" (did you mean "max_line_discount_pct"?)',
        'rules[2].when.value: max_line_discount_pct is compared with a number; got the text "20%"',
        "rules[3].step.order: must be an integer of at least 1; got 0",
        'rules[3].step.mode: must be "any" or "unanimous"; got \'all\'',
        "rules[4].step.approvers: name exactly one of role, group or user, e.g. {role: sales_manager}",
        "rules[5].extra: unexpected key",
        "rules[5].id: required: letters, digits and _ . : - (at most 64); got 'has spaces'",
    ]


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ({"fact": "below_floor", "op": ">", "value": True}, 'rules[0].when.op: ">" does not apply to below_floor'),
        ({"fact": "total", "op": "contains", "value": 1}, 'rules[0].when.op: "contains" does not apply to total'),
        ({"fact": "non_standard_clauses", "op": "==", "value": "x"}, 'rules[0].when.op: "==" does not apply'),
        ({"fact": "total"}, "rules[0].when: total is a number: give an op and a value"),
        ({"fact": "total", "op": ">"}, "rules[0].when.value: required"),
        ({"fact": "below_floor", "value": True}, "rules[0].when.op: required when a value is given"),
        ({"fact": "below_floor", "op": "==", "value": "yes"}, "rules[0].when.value: below_floor is compared with"),
        ({"fact": "billing", "op": "in", "value": []}, 'rules[0].when.value: "in" needs a list of 1 to 1000'),
        (
            {"fact": "total", "op": "in", "value": [1, "2"]},
            'rules[0].when.value[1]: total is compared with a number; got the text "2"',
        ),
        ({"fact": "total", "op": ">", "value": True}, "rules[0].when.value: total is compared with a number; got true"),
        (
            {"fact": "non_standard_clauses", "op": "contains", "value": ""},
            "rules[0].when.value: non_standard_clauses is compared with a category name",
        ),
        ({"fact": "total", "op": ">", "value": 1, "unit": "EUR"}, 'rules[0].when: unexpected "unit" next to fact'),
        ({"fact": 7}, "rules[0].when.fact: expected a fact name, got the number 7"),
        ({"fact": "total", "op": "=", "value": 1}, 'rules[0].when.op: unknown operator "=" (did you mean "=="?)'),
        ({"all": []}, "rules[0].when.all: expected a non-empty list of conditions, got a list"),
        ({"any": "below_floor"}, "rules[0].when.any: expected a non-empty list of conditions"),
        (
            {"all": ["below_floor"], "not": "below_floor"},
            'rules[0].when: a condition needs exactly one of fact, all, any, not; found "all", "not"',
        ),
        ({"allof": []}, 'rules[0].when: a condition needs exactly one of fact, all, any, not; found "allof"'),
        ({"not": {"any": [{"fact": "nope"}]}}, 'rules[0].when.not.any[0].fact: unknown fact "nope"'),
        (
            42,
            "rules[0].when: expected a condition (a string, or a mapping with fact, all, any or not), got the number",
        ),
        (
            "max_line_discount_pct => 20",
            'rules[0].when: at column 23: unknown operator "=>" in "max_line_discount_pct => 20"',
        ),
        ("max_line_discount_pct >", 'rules[0].when: at column 24: expected a value after ">", found the end'),
        ("max_discount > 20", 'rules[0].when: unknown fact "max_discount"'),
        ("total > 'big'", 'rules[0].when: total is compared with a number; got the text "big"'),
        ("x" * 2001, "rules[0].when: longer than 2000 characters; use the structured form"),
    ],
)
def test_invalid_conditions(when: object, expected: str) -> None:
    errors = errors_of({"version": 1, "rules": [rule(when=when)]})
    assert any(error.startswith(expected) for error in errors), errors


def test_a_missing_when_or_step_is_required() -> None:
    errors = errors_of({"version": 1, "rules": [{"id": "bare"}, "not a rule"]})
    assert errors == [
        "rules[0].when: required",
        "rules[0].step: required: a mapping with approvers, order and mode",
        "rules[1]: expected a mapping with id, when and step",
    ]


def test_not_a_mapping_at_all() -> None:
    assert errors_of(["rules"]) == ["policy: expected a mapping with version and rules"]
    assert errors_of({"version": 1, "rules": {"a": 1}}) == ["rules: expected a list"]


def test_nesting_is_bounded() -> None:
    when: object = {"fact": "below_floor"}
    for _ in range(40):
        when = {"not": when}
    errors = errors_of({"version": 1, "rules": [rule(when=when)]})
    assert len(errors) == 1 and errors[0].endswith("nested deeper than 32 levels")


def test_a_yaml_alias_bomb_is_refused_quickly() -> None:
    # Each level lists the previous one twice: 2**30 conditions if walked naively.
    lines = ["version: 1", "defs:", "  - &l0 {fact: below_floor}"]
    lines += [f"  - &l{i} {{any: [*l{i - 1}, *l{i - 1}]}}" for i in range(1, 31)]
    lines += ["rules:", "  - id: bomb", "    when: *l30", "    step: {approvers: {role: finance}}"]
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_yaml("\n".join(lines))
    assert "rules[0].when.any[0]" in " ".join(caught.value.errors)
    assert any("more than 256 conditions in one rule" in error for error in caught.value.errors)


class TestCovers:
    def test_a_rule_may_override_the_default_direction(self) -> None:
        policy = load_policy(
            {
                "version": 1,
                "rules": [
                    rule(when="term_months < 12", covers={"term_months": "higher"}),
                    rule(id="eq", when="term_months > 36", covers={"term_months": "equal"}),
                    rule(
                        id="set",
                        when="not non_standard_clauses contains ip",
                        covers={"non_standard_clauses": "superset"},
                    ),
                ],
            }
        )
        assert policy.rules[0].directions == {"term_months": Covers.HIGHER}
        assert policy.rules[1].directions == {"term_months": Covers.EQUAL}
        assert policy.rules[2].directions["non_standard_clauses"] is Covers.HIGHER

    def test_a_condition_firing_the_way_approvals_cover_is_refused(self) -> None:
        errors = errors_of(
            {
                "version": 1,
                "rules": [
                    rule(id="short", when="term_months < 12"),
                    rule(id="margin", when="margin_pct > 80"),
                    rule(id="both", when="term_months < 12 or term_months > 60", covers={"term_months": "lower"}),
                    rule(id="not", when="not max_line_discount_pct <= 20"),
                    rule(id="nofloor", when="below_floor == false"),
                ],
            }
        )
        assert errors == [
            "rules[0].when: the condition fires on lower term_months, but an approval would cover lower values "
            "(the default for term_months); set covers: {term_months: higher}",
            "rules[1].when: the condition fires on higher margin_pct, but an approval would cover higher values "
            "(the default for margin_pct); set covers: {margin_pct: lower}",
            "rules[2].covers.term_months: the condition fires on lower term_months, but an approval would cover "
            "lower values; set covers: {term_months: equal}",
            "rules[4].when: the condition fires on lower below_floor, but an approval would cover lower values "
            "(the default for below_floor); set covers: {below_floor: higher}",
        ]

    def test_bad_covers_entries(self) -> None:
        errors = errors_of(
            {
                "version": 1,
                "rules": [
                    rule(covers={"total": "lower"}),
                    rule(id="b", covers={"max_line_discount_pct": "down"}),
                    rule(id="c", when="billing == 'monthly'", covers={"billing": "lower"}),
                    rule(id="d", covers=["max_line_discount_pct"]),
                    rule(id="e", covers={"max_line_discount_pct": ["lower"]}),
                ],
            }
        )
        assert errors == [
            "rules[0].covers.total: the rule does not test total",
            "rules[1].covers.max_line_discount_pct: expected lower, higher or equal; got 'down'",
            "rules[2].covers.billing: expected equal; got 'lower'",
            "rules[3].covers: expected a mapping of fact to lower, higher or equal",
            "rules[4].covers.max_line_discount_pct: expected lower, higher or equal; got ['lower']",
        ]


def test_a_custom_catalogue_can_add_facts() -> None:
    from approvals.facts import FactSpec, Kind

    catalogue = {**CATALOGUE, "seats": FactSpec("seats", Kind.NUMBER, Covers.LOWER, "seats")}
    policy = load_policy({"version": 1, "rules": [rule(when="seats >= 1000")]}, catalogue)
    assert policy.rules[0].directions == {"seats": Covers.LOWER}
    assert policy.catalogue is catalogue


def test_a_key_given_twice_in_yaml_is_refused_not_silently_replaced() -> None:
    text = (
        "version: 1\n"
        "rules:\n"
        "  - id: r\n"
        "    when: max_line_discount_pct > 20\n"
        "    step: {approvers: {role: finance}}\n"
        "    when: below_floor\n"
    )
    with pytest.raises(PolicyInvalid) as caught:
        load_policy_yaml(text)
    assert caught.value.errors == ['policy: line 6, column 5: duplicate key "when"']
