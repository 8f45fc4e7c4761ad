"""Clause library: validation with precise paths, and the draft → published → retired lifecycle."""

from __future__ import annotations

import copy

import pytest

from clauses.errors import ClauseInvalid, LifecycleConflict
from clauses.library import (
    Fallback,
    Status,
    add_draft,
    clause_from_dict,
    library_from_dict,
    library_to_dict,
    publish,
    retire,
)
from clauses.samples_library import CLAUSES


def _liability() -> dict[str, object]:
    return {
        "id": "lol",
        "key": "limitation_of_liability",
        "title": "Limitation of liability",
        "category": "liability",
        "versions": [
            {
                "number": 1,
                "status": "published",
                "text": "Liability of {{vendor.name}} is capped at the fees paid by {{customer.name}}.",
                "deviation_approval": "legal",
                "fallbacks": [
                    {"rank": 1, "text": "Liability is capped at twice the fees.", "when_to_use": "Large deals."},
                    {"rank": 2, "text": "Liability is capped at three times the fees.", "when_to_use": "Strategic."},
                ],
            }
        ],
    }


def _errors(data: object) -> list[str]:
    with pytest.raises(ClauseInvalid) as caught:
        library_from_dict(data)
    return caught.value.errors


def test_a_valid_library_reads_back_from_its_plain_form() -> None:
    library = library_from_dict({"clauses": [_liability()]})
    clause = library.get("lol")
    assert clause is not None and clause.category == "liability"
    version = clause.version(1)
    assert version is not None and version.status is Status.PUBLISHED
    assert [f.rank for f in version.fallbacks] == [1, 2]
    assert library_from_dict(library_to_dict(library)) == library


def test_errors_name_the_path_of_each_offending_field() -> None:
    data = {"clauses": [_liability(), _liability()]}
    bad = data["clauses"][1]
    bad["category"] = "Liability Caps"
    bad["versions"][0]["fallbacks"][1]["rank"] = 0
    bad["versions"][0]["status"] = "live"
    bad["versions"][0]["colour"] = "red"
    errors = _errors(data)
    assert "clauses[1].id: duplicate id 'lol'" in errors
    assert "clauses[1].key: duplicate key 'limitation_of_liability'" in errors
    assert any(e.startswith("clauses[1].category: 'Liability Caps' does not match") for e in errors)
    assert "clauses[1].versions[0].fallbacks[1].rank: expected a positive integer, got 0" in errors
    assert "clauses[1].versions[0].status: expected one of draft, published, retired, got 'live'" in errors
    assert "clauses[1].versions[0].colour: unknown field" in errors


def test_every_problem_is_reported_at_once_not_just_the_first() -> None:
    clause = _liability()
    version = clause["versions"][0]
    version["text"] = "Capped at {{customer.nmae}} and {{ oops"
    version["fallbacks"][1]["rank"] = 3
    version["fallbacks"][0]["text"] = version["fallbacks"][1]["text"]
    version["deviation_approval"] = "Legal Team"
    errors = _errors({"clauses": [clause]})
    path = "clauses[0].versions[0]"
    assert f"{path}.text: unknown variable {{{{customer.nmae}}}}" in errors
    assert f"{path}.text: malformed placeholder (write {{{{customer.name}}}})" in errors
    assert f"{path}.fallbacks: ranks must be 1..2 without gaps or repeats, got [1, 3]" in errors
    assert f"{path}.fallbacks[1].text: same wording as {path}.fallbacks[0].text" in errors
    assert any(e.startswith(f"{path}.deviation_approval:") for e in errors)


def test_a_fallback_that_only_differs_from_the_standard_by_whitespace_is_refused() -> None:
    clause = _liability()
    version = clause["versions"][0]
    version["fallbacks"][0]["text"] = (
        "  Liability of {{vendor.name}}   is capped at the fees\n paid by {{customer.name}}."
    )
    errors = _errors({"clauses": [clause]})
    assert "clauses[0].versions[0].fallbacks[0].text: same wording as clauses[0].versions[0].text" in errors


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (None, "clauses: expected a list of clauses"),
        ({"clauses": "lol"}, "clauses: expected a list of clauses"),
        ({"clauses": [42]}, "clauses[0]: expected a mapping"),
        ({"clauses": [{"id": "x", "key": "x", "title": "X", "category": "x", "versions": []}]},
         "clauses[0].versions: expected a non-empty list"),
        ({"clauses": [], "extra": 1}, "extra: unknown field"),
    ],
)  # fmt: skip
def test_shapes_that_are_not_a_library_are_refused(data: object, expected: str) -> None:
    assert expected in _errors(data)


def test_fields_of_the_wrong_type_are_reported_not_raised() -> None:
    clause = _liability()
    version = clause["versions"][0]
    version["status"] = ["published"]
    version["number"] = True
    version["fallbacks"] = {"rank": 1}
    errors = _errors({"clauses": [clause]})
    assert "clauses[0].versions[0].status: expected one of draft, published, retired, got ['published']" in errors
    assert "clauses[0].versions[0].number: expected a positive integer, got True" in errors
    assert "clauses[0].versions[0].fallbacks: expected a list" in errors


def test_fallbacks_are_kept_in_rank_order_whatever_order_they_are_written_in() -> None:
    clause = _liability()
    clause["versions"][0]["fallbacks"].reverse()
    version = clause_from_dict(clause).version(1)
    assert version is not None and [f.rank for f in version.fallbacks] == [1, 2]


def test_duplicate_version_numbers_and_two_drafts_are_refused() -> None:
    clause = _liability()
    first = clause["versions"][0]
    clause["versions"] = [
        {**first, "status": "draft"},
        {**first, "status": "draft", "text": "Another wording."},
    ]
    errors = _errors({"clauses": [clause]})
    assert "clauses[0].versions: duplicate number 1" in errors
    assert "clauses[0].versions: more than one draft" in errors


def test_clause_from_dict_reports_paths_without_a_library_prefix() -> None:
    clause = _liability()
    clause["title"] = ""
    with pytest.raises(ClauseInvalid) as caught:
        clause_from_dict(clause)
    assert caught.value.errors == ["title: expected a non-empty string"]
    assert caught.value.status == 422


def test_publishing_a_draft_leaves_every_other_version_untouched() -> None:
    clause = clause_from_dict(_liability())
    drafted = add_draft(clause, "Liability is capped at the fees paid in the last 6 months.", [
        Fallback(1, "Liability is capped at the fees paid in the last 12 months.", "Customer refuses 6 months.")
    ])  # fmt: skip
    assert drafted.draft is not None and drafted.draft.number == 2
    published = publish(drafted, 2)
    assert published.version(1) == clause.version(1)  # still published: rooms pinned to it are unaffected
    assert published.latest_published is not None and published.latest_published.number == 2
    assert clause.version(2) is None and drafted.version(2).status is Status.DRAFT  # originals unchanged


def test_retiring_keeps_the_text_for_rooms_pinned_to_it() -> None:
    clause = publish(add_draft(clause_from_dict(_liability()), "Version two wording."), 2)
    retired = retire(clause, 1)
    old = retired.version(1)
    assert old is not None and old.status is Status.RETIRED and old.text == clause.version(1).text
    assert retired.latest_published is not None and retired.latest_published.number == 2


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (lambda c: publish(c, 1), "lol: version 1 is published, not draft"),
        (lambda c: retire(c, 7), "lol: no version 7"),
        (lambda c: retire(retire(c, 1), 1), "lol: version 1 is retired, not published"),
        (lambda c: add_draft(add_draft(c, "One."), "Two."), "lol: version 2 is already a draft"),
    ],
)
def test_lifecycle_steps_out_of_order_are_refused(step, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LifecycleConflict, match=message) as caught:
        step(clause_from_dict(_liability()))
    assert caught.value.status == 409


def test_a_draft_with_an_unknown_variable_is_refused() -> None:
    with pytest.raises(ClauseInvalid) as caught:
        add_draft(clause_from_dict(_liability()), "Payable by {{customer.nmae}}.")
    assert caught.value.errors == ["versions[1].text: unknown variable {{customer.nmae}}"]


def test_the_sample_library_is_valid_and_its_plain_form_is_not_mutated_by_reading() -> None:
    before = copy.deepcopy(CLAUSES)
    library_from_dict({"clauses": CLAUSES})
    assert before == CLAUSES
