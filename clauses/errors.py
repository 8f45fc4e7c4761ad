"""Errors of the clauses package. They know nothing of HTTP; each carries a stable `code` and the `status`
the web layer should answer with, so the mapping stays in one place without importing the workspace."""

from __future__ import annotations

from collections.abc import Sequence


class ClauseError(Exception):
    """Base of every error the clauses package raises."""

    code = "clause_error"
    status = 400


class _Listing(ClauseError, ValueError):
    """Invalid data; `errors` lists every problem, each starting with the path of the offending field."""

    what = "data"
    status = 422

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        shown = "; ".join(self.errors[:10])
        more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
        super().__init__(f"invalid {self.what}: {shown}{more}")


class ClauseInvalid(_Listing):
    """A clause or clause library document failed validation."""

    what = "clause library"
    code = "clause_invalid"


class TermsInvalid(_Listing):
    """A terms document (ProseMirror JSON or XML) could not be read."""

    what = "terms"
    code = "terms_invalid"


class LifecycleConflict(ClauseError):
    """A version cannot move to the requested status from the one it is in."""

    code = "clause_lifecycle_conflict"
    status = 409
