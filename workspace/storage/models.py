"""Imports every package's tables so that the metadata (and Alembic) sees them all."""

from workspace.activity.models import ReadMarker, RoomEvent
from workspace.approval_policy.models import ApprovalPolicyVersion, ApprovalRequestRow, DelegationRow
from workspace.audit.models import AuditEvent
from workspace.auth.colleague_models import ColleagueInvitation
from workspace.auth.models import ApiToken, BrowserSession, User
from workspace.auth.sso_models import SsoLogin, SsoPolicy, SsoSession
from workspace.clause_library.models import ClauseRow
from workspace.enablement.models import CardHelpful, CardRow, CardView
from workspace.exports.models import ExportRow
from workspace.insights.models import SystemTiming
from workspace.notify.models import DigestItem
from workspace.pricebook.models import IncentivePlanVersion, PriceBookVersion
from workspace.record.models import RoomVersion
from workspace.rooms.models import Invitation, Membership, Room
from workspace.storage.base import Base
from workspace.sync.models import DocSnapshot, DocUpdate
from workspace.templates.models import RoomTemplate

__all__ = [
    "ApiToken",
    "ApprovalPolicyVersion",
    "ApprovalRequestRow",
    "AuditEvent",
    "Base",
    "BrowserSession",
    "CardHelpful",
    "CardRow",
    "CardView",
    "ClauseRow",
    "ColleagueInvitation",
    "DelegationRow",
    "DigestItem",
    "DocSnapshot",
    "DocUpdate",
    "ExportRow",
    "IncentivePlanVersion",
    "Invitation",
    "Membership",
    "PriceBookVersion",
    "ReadMarker",
    "Room",
    "RoomEvent",
    "RoomTemplate",
    "RoomVersion",
    "SsoLogin",
    "SsoPolicy",
    "SsoSession",
    "SystemTiming",
    "User",
]
