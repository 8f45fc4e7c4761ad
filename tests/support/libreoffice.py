"""Opening a .docx in LibreOffice (headless) as a reader would, and reading the PDF's text back."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REQUIRED = os.environ.get("DEALROOM_TEST_REQUIRE_LIBREOFFICE") == "1"


def require_libreoffice() -> None:
    """Skip without LibreOffice and pdftotext, or fail when the test command says they must be there."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        return
    reason = "needs LibreOffice and pdftotext (apt-get install libreoffice-writer poppler-utils; setup --test does)"
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason)


def pdf_text(document: bytes, workdir: Path) -> str:
    """Convert `document` to PDF with LibreOffice and return its text, whitespace collapsed."""
    require_libreoffice()
    source = workdir / "contract.docx"
    source.write_bytes(document)
    profile = (workdir / "profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(workdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(workdir / "contract.pdf"), "-"], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return " ".join(text.split())
