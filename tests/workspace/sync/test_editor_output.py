"""The guard takes what the room's editor writes: TipTap's StarterKit with the clause and variable nodes, bound
by y-prosemirror (frontend/scripts/editor-updates.mjs makes the updates with the frontend's own packages).
A schema at the guard stricter than the editor would close honest people's connections; this keeps the two
in step when the editor's packages change."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pycrdt import XmlFragment

from workspace.rooms.models import RoomRole
from workspace.sync.documents import DocName, new_doc
from workspace.sync.guard import Guard, WriteContext
from workspace.terms import fragment_to_json

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (FRONTEND / "node_modules" / "@tiptap" / "y-tiptap").is_dir(),
    reason="needs node and `npm ci` in frontend/ (scripts/setup does both)",
)


def test_everything_the_editor_writes_passes_the_guard() -> None:
    made = subprocess.run(["node", "scripts/editor-updates.mjs"], cwd=FRONTEND, capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    updates = {name: base64.b64decode(value) for name, value in json.loads(made.stdout).items()}
    accepted = [new_doc(DocName.SHARED).get_update()]
    guard = Guard(DocName.SHARED, lambda: list(accepted))
    for name, role in (("full", RoomRole.REP), ("edit", RoomRole.CUSTOMER)):
        delta = guard.check(updates[name], WriteContext(role))
        assert delta is not None, name
        accepted.append(delta)
    nodes = json.dumps(fragment_to_json(guard.twin.get("terms", type=XmlFragment)))
    for node in ("heading", "bulletList", "orderedList", "codeBlock", "horizontalRule", "hardBreak", "clause",
                 "variable", "bold", "italic", "strike", "underline", "code"):  # fmt: skip
        assert f'"{node}"' in nodes, node
    assert "typed" in nodes and "quoted" not in nodes, "the edit was applied"
