"""The exported contract's negotiation summary page, on request: the versions and the approvals given."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from clauses._docx_summary import SUMMARY_TITLE
from tests.conftest import PricedWorld
from tests.support.libreoffice import pdf_text
from tests.workspace.approval_policy.test_preview import _with_policy
from tests.workspace.approval_policy.test_requests import _approvers
from tests.workspace.exports.test_export import _export
from tests.workspace.record.conftest import open_deal, versions_url
from tests.workspace.record.test_versions import _save


def _cells(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    return [cell.text for table in document.tables for row in table.rows for cell in row.cells]


def _headings(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs if p.style.name.startswith("Heading")]


async def test_the_summary_page_lists_versions_and_approvals_on_request(priced: PricedWorld, tmp_path: Path) -> None:
    _with_policy(priced)
    manager, vp = _approvers(priced)
    await open_deal(priced, discount=25)
    _save(priced, "Opening offer")
    request = priced.rep.http.post(f"/api/rooms/{priced.room_id}/approvals").json()
    body = {"decision": "approve", "comment": "fine", "fingerprint": request["fingerprint"]}
    step = request["steps"][0]["id"]
    assert (
        manager.http.post(f"/api/approvals/{request['request_id']}/steps/{step}/decision", json=body).status_code == 200
    )

    plain = _export(priced.rep, priced.room_id)
    assert plain.status_code == 200, plain.text
    assert SUMMARY_TITLE not in _headings(plain.content), "only on request"
    summary = _export(priced.rep, priced.room_id, negotiation_summary=True)
    assert summary.status_code == 200, summary.text
    assert SUMMARY_TITLE in _headings(summary.content)
    cells = _cells(summary.content)
    for expected in (
        "Opening offer",
        "Submitted for approval",
        "Contract exported",
        "Rita Rep",
        "Mo Manager",
        "approved",
    ):
        assert expected in cells, expected
    flat = pdf_text(summary.content, tmp_path)
    for expected in (SUMMARY_TITLE, "Opening offer", "Mo Manager"):
        assert expected in flat, expected

    reasons = [v["reason"] for v in priced.rep.http.get(versions_url(priced)).json()["versions"]]
    assert reasons == ["manual", "submitted", "decided", "exported", "exported"], "each export is a version"
    bad = _export(priced.rep, priced.room_id, negotiation_summary="yes")
    assert bad.status_code == 400 and "true or false" in bad.json()["detail"]
    manager.http.close()
    vp.http.close()
