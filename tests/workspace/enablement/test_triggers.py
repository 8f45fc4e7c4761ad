"""Each trigger fires on what it names and stays quiet otherwise; the reasons say why in a rep's words."""

from __future__ import annotations

from decimal import Decimal

from approvals.samples import demo_policy
from workspace.enablement.cards import Card
from workspace.enablement.thresholds import thresholds
from workspace.enablement.triggers import DisputeFact, LineFact, RoomFacts, triggered


def card(triggers: set[str], *, products: set[str] = frozenset(), stages: set[str] = frozenset(),  # type: ignore[assignment]
         competitors: tuple[str, ...] = (), clauses: set[str] = frozenset(), low: float | None = None,  # type: ignore[assignment]
         high: float | None = None, card_id: int = 1) -> Card:  # fmt: skip
    return Card(card_id, "A card", "Body", "objection", frozenset(products), frozenset(stages), low, high,
                competitors, frozenset(clauses), frozenset(triggers))  # fmt: skip


ENT = LineFact("PLAT-ENT", "Platform Enterprise", Decimal(32))
SSO = LineFact("ADD-SSO", "SSO & SCIM add-on", Decimal(10))
FACTS = RoomFacts(customer="Acme", stage="negotiating", deal_size=Decimal(150000), lines=(ENT, SSO),
                  thresholds=thresholds(demo_policy()))  # fmt: skip


def why(cards: list[Card], facts: RoomFacts) -> list[list[str]]:
    return [fired.reasons for fired in triggered(cards, facts)]


def test_the_demo_policy_has_line_thresholds_at_20_and_30() -> None:
    assert [(t.scope, t.pct, t.rule) for t in FACTS.thresholds] == [
        ("line", Decimal(20), "Sales manager"), ("line", Decimal(30), "VP sales"),
    ]  # fmt: skip


def test_a_discount_past_a_threshold_names_the_line_the_discount_and_the_highest_threshold() -> None:
    assert why([card({"discount_threshold"})], FACTS) == [
        ["Acme's discount on PLAT-ENT is 32 %, past the 30 % threshold (VP sales)."]
    ]
    assert why([card({"discount_threshold"}, products={"ADD-SSO"})], FACTS) == [], "SSO's 10 % crosses nothing"
    at_20 = RoomFacts("Acme", "draft", lines=(LineFact("PLAT-ENT", "P", Decimal(20)),), thresholds=FACTS.thresholds)
    assert why([card({"discount_threshold"})], at_20) == [], "the policy's `> 20` is not crossed at 20"
    assert why([card({"discount_threshold"})], RoomFacts("Acme", "draft", lines=(ENT,))) == [], "no policy"


def test_a_total_discount_threshold_fires_on_the_deal() -> None:
    from approvals.policy_text import load_policy_yaml

    policy = load_policy_yaml(
        "version: 1\nrules:\n  - id: deal\n    name: Deal desk\n    when: total_discount_pct >= 25\n"
        "    step: {approvers: {role: finance}, order: 1, mode: any}\n"
    )
    facts = RoomFacts("Acme", "draft", lines=(SSO,), total_discount_pct=Decimal("25.5"), thresholds=thresholds(policy))
    assert why([card({"discount_threshold"})], facts) == [
        ["Acme's total discount is 25.5 %, past the 25 % threshold (Deal desk)."]
    ]


def test_a_new_product_is_one_the_rep_never_had_in_an_approved_or_exported_deal() -> None:
    positioning = card({"new_product"}, products={"PLAT-ENT"})
    assert why([positioning], FACTS) == [
        ["You have not had Platform Enterprise (PLAT-ENT) in an approved or exported deal before."]
    ]
    sold = RoomFacts("Acme", "draft", lines=(ENT, SSO), sold_before=frozenset({"PLAT-ENT"}))
    assert why([positioning], sold) == []
    assert why([card({"new_product"})], sold) == [
        ["You have not had SSO & SCIM add-on (ADD-SSO) in an approved or exported deal before."]
    ]


def test_a_competitor_is_named_as_a_whole_word_anywhere_in_the_deal() -> None:
    objection = card({"competitor"}, competitors=("Globex", "Initech Cloud"))
    texts = (("the terms", "Nothing here."), ("a thread of the room", "We also have a quote from GLOBEX."))
    facts = RoomFacts("Acme", "draft", texts=texts)
    assert why([objection], facts) == [["Globex is named in a thread of the room."]]
    spaced = RoomFacts("Acme", "draft", texts=(("the terms", "unlike initech\n cloud, we"),))
    assert why([objection], spaced) == [["Initech Cloud is named in the terms."]]
    assert why([objection], RoomFacts("Acme", "draft", texts=(("the terms", "Globexity is a word"),))) == []


def test_a_customer_dispute_on_a_clause_offers_that_clause_s_fallbacks() -> None:
    dispute = DisputeFact("liability", "liability", "Limitation of liability", "Bo Buyer", "We need a higher cap")
    facts = RoomFacts("Acme", "negotiating", disputes=(dispute,))
    assert why([card({"clause_dispute"}, clauses={"liability"})], facts) == [
        ["Bo Buyer disputes the clause Limitation of liability: “We need a higher cap”"]
    ]
    assert why([card({"clause_dispute"}, clauses={"indemnity"})], facts) == []
    assert why([card({"clause_dispute"})], RoomFacts("Acme", "negotiating")) == []


def test_stage_and_deal_size_tags_narrow_where_a_card_fits() -> None:
    price = {"discount_threshold"}
    assert why([card(price, stages={"draft"})], FACTS) == []
    assert len(why([card(price, stages={"negotiating"})], FACTS)) == 1
    assert why([card(price, low=200000)], FACTS) == []
    assert len(why([card(price, low=100000, high=200000)], FACTS)) == 1
    assert why([card(price, high=1000)], RoomFacts("Acme", "draft", lines=(ENT,), thresholds=FACTS.thresholds)) == []
    assert why([card(set())], FACTS) == [], "a card without triggers is never offered"
