"""Errors of the approvals core. They know nothing of HTTP; each carries a stable `code` and the `status`
the web layer should answer with, so the mapping stays in one place without importing the workspace."""

from __future__ import annotations

from collections.abc import Sequence


class ApprovalError(Exception):
    """Base of every error the approvals core raises."""

    code = "approval_error"
    status = 400


class _Listing(ApprovalError, ValueError):
    """Invalid data; `errors` lists every problem, each starting with the path of the offending field."""

    what = "data"
    status = 422

    def __init__(self, errors: Sequence[str]) -> None:
        self.errors: list[str] = list(errors)
        shown = "; ".join(self.errors[:10])
        more = f" (and {len(self.errors) - 10} more)" if len(self.errors) > 10 else ""
        super().__init__(f"invalid {self.what}: {shown}{more}")


class PolicyInvalid(_Listing):
    """An approval policy document failed validation."""

    what = "approval policy"
    code = "policy_invalid"


class FactsInvalid(_Listing):
    """Deal facts handed to the core are of unknown names or of the wrong kind."""

    what = "deal facts"
    code = "facts_invalid"


class StaleFingerprint(ApprovalError):
    """The decision was made on another version of the deal than the one the request is bound to."""

    code = "stale_fingerprint"
    status = 409


class AlreadyDecided(ApprovalError):
    """A different decision was already recorded for this step or this approver."""

    code = "already_decided"
    status = 409


class NotAnApprover(ApprovalError):
    """The user may not decide this step (not an approver, nor a delegate of one right now)."""

    code = "not_an_approver"
    status = 403


class OutOfOrder(ApprovalError):
    """A later step was decided before every step of the earlier orders was approved."""

    code = "out_of_order"
    status = 409


class RequestClosed(ApprovalError):
    """The request was recalled, rejected, superseded or is otherwise no longer open to this change."""

    code = "request_closed"
    status = 409


class UnknownStep(ApprovalError):
    """The request has no step with that id."""

    code = "unknown_step"
    status = 404


class NoApprovers(ApprovalError):
    """A step would have nobody who can decide it (a role with no members, the last approver removed)."""

    code = "no_approvers"
    status = 422
