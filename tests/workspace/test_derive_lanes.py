"""The clause lane runs for changes that can move its verdicts, and only for those: a change of the lines leaves
the clause checks as they were (no re-read of the terms), while the terms, or a deal field a clause variable
reads, are checked again at once."""

from __future__ import annotations

from typing import Any

from pycrdt import Array, Map

from tests.conftest import PricedWorld
from tests.support.yclient import YClient, wait_until
from tests.workspace.activity.support import add_line
from tests.workspace.exports.test_export import _add_clauses, _edit_word, _library


def _computed(client: YClient, key: str) -> Any:
    return client.doc.get("computed", type=Map).get(key)


def _statuses(client: YClient) -> list[str]:
    return [clause["status"] for clause in _computed(client, "clauses") or []]


def _quote_lines(client: YClient) -> int:
    return len((_computed(client, "quote") or {}).get("lines") or [])


async def test_clause_lane_skips_changes_it_does_not_read_and_follows_those_it_does(priced: PricedWorld) -> None:
    _library(priced)
    deriver = priced.server.services.deriver
    async with YClient(priced.ws(), priced.rep.bearer) as rep:
        await rep.edit(_add_clauses("payment", "liability"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard", "standard"], what="standard clauses")
        await wait_until(lambda: deriver.idle(priced.room_id), 10, "the room's derivations to finish")
        checks = deriver.clause_checks

        # Lines: re-priced, the clauses not checked again.
        await rep.edit(add_line("PLAT-PRO", 20, line_id="seats"))
        await rep.wait_for(lambda: _quote_lines(rep) == 1, what="the re-priced quote")
        await rep.edit(lambda doc: doc.get("lines", type=Array)[0].__setitem__("qty", 25))
        await wait_until(lambda: deriver.idle(priced.room_id), 10, "the room's derivations to finish")
        assert deriver.clause_checks == checks
        assert _statuses(rep) == ["standard", "standard"]

        # A deal field a variable reads: the variables and the verdicts follow.
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("customerName", "Globex"))
        await rep.wait_for(lambda: (_computed(rep, "variables") or {}).get("customer.name") == "Globex",
                           what="the new customer name among the variables")  # fmt: skip
        assert deriver.clause_checks == checks + 1

        # A deal value no variable reads (the benchmark's clients write such keys): nothing to check again.
        await rep.edit(lambda doc: doc.get("deal", type=Map).__setitem__("42", "run:1:xxxx"))
        await wait_until(lambda: deriver.idle(priced.room_id), 10, "the room's derivations to finish")
        assert deriver.clause_checks == checks + 1

        # The terms: checked again, the edited clause flagged.
        await rep.edit(_edit_word(1, "liability", "responsibility"))
        await rep.wait_for(lambda: _statuses(rep) == ["standard", "non_standard"], what="the edited clause flagged")
        assert deriver.clause_checks > checks + 1
