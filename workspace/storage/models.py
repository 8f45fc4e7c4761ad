"""Imports every package's tables so that the metadata (and Alembic) sees them all."""

from workspace.approval_policy.models import ApprovalPolicyVersion, ApprovalRequestRow
from workspace.audit.models import AuditEvent
from workspace.auth.models import ApiToken, BrowserSession, User
from workspace.pricebook.models import IncentivePlanVersion, PriceBookVersion
from workspace.rooms.models import Invitation, Membership, Room
from workspace.storage.base import Base
from workspace.sync.models import DocSnapshot, DocUpdate

__all__ = [
    "ApiToken",
    "ApprovalPolicyVersion",
    "ApprovalRequestRow",
    "AuditEvent",
    "Base",
    "BrowserSession",
    "DocSnapshot",
    "DocUpdate",
    "IncentivePlanVersion",
    "Invitation",
    "Membership",
    "PriceBookVersion",
    "Room",
    "User",
]
