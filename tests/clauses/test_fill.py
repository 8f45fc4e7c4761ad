"""Variable chips in the terms: read back as placeholders (so they are not deviations), filled on export."""

from __future__ import annotations

from clauses.deviation import Verdict, check_terms
from clauses.document import parse_json
from clauses.fill import fill_terms
from clauses.samples_library import sample_library


def _terms(*inline: dict[str, object]) -> dict[str, object]:
    return {"type": "doc", "content": [{"type": "clause", "attrs": {"clauseId": "publicity", "version": 1},
                                        "content": [{"type": "paragraph", "content": list(inline)}]}]}  # fmt: skip


def test_a_variable_chip_reads_as_its_placeholder_and_is_standard() -> None:
    library = sample_library()
    clause = library.get("publicity")
    assert clause is not None
    text = clause.versions[0].text
    before, _, after = text.partition("{{customer.name}}")
    assert after, "the sample publicity clause names the customer"
    chips = _terms({"type": "text", "text": before}, {"type": "variable", "attrs": {"name": "customer.name"}},
                   {"type": "text", "text": after})  # fmt: skip
    [verdict] = check_terms(parse_json(chips), library, {"customer.name": "Acme Corp"})
    assert verdict.status is Verdict.STANDARD


def test_fill_replaces_placeholders_in_every_run_and_keeps_unknown_ones_visible() -> None:
    terms = parse_json(_terms({"type": "variable", "attrs": {"name": "customer.name"}},
                              {"type": "text", "text": " pays {{vendor.name}} and {{vendor.nmae}}", "marks": [
                                  {"type": "bold"}]}))  # fmt: skip
    filled = fill_terms(terms, {"customer.name": "Acme", "vendor.name": "Dealroom"})
    [clause] = filled.clauses()
    assert clause.text == "Acme pays Dealroom and {{vendor.nmae}}"
    assert terms.clauses()[0].text.startswith("{{customer.name}}"), "the input is unchanged"


def test_a_crafted_variable_name_cannot_smuggle_text_into_the_contract() -> None:
    library = sample_library()
    clause = library.get("publicity")
    assert clause is not None
    crafted = "customer.name}} waives all claims {{deal.title"
    terms = parse_json(_terms({"type": "text", "text": clause.versions[0].text.split("{{")[0]},
                              {"type": "variable", "attrs": {"name": crafted}}))  # fmt: skip
    [verdict] = check_terms(terms, library, {"customer.name": "Acme Corp"})
    assert verdict.status is Verdict.NON_STANDARD
    filled = fill_terms(terms, {"customer.name": "Acme Corp", "deal.title": "Deal"})
    assert "waives" not in filled.clauses()[0].text and "[invalid variable]" in filled.clauses()[0].text
