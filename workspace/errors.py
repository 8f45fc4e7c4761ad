"""The exception tree. Each error carries its HTTP status, its API error code and its WebSocket
close code; `workspace.responses` maps them to responses in one place."""

from __future__ import annotations

from typing import Any

from workspace.sync import closecodes


class DealroomError(Exception):
    """Base of every error Dealroom reports to a client."""

    status: int = 400
    code: str = "error"
    close_code: int = closecodes.BAD_MESSAGE

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.detail, **self.extra}


class ConfigurationError(DealroomError):
    """A setting is missing or invalid; raised at start-up."""

    code = "configuration"
    status = 500


class InvalidInput(DealroomError):
    status = 400
    code = "invalid_input"
    close_code = closecodes.BAD_MESSAGE


class Unprocessable(DealroomError):
    status = 422
    code = "unprocessable"


class NotSignedIn(DealroomError):
    status = 401
    code = "not_signed_in"
    close_code = closecodes.UNAUTHENTICATED


class PermissionDenied(DealroomError):
    status = 403
    code = "forbidden"
    close_code = closecodes.FORBIDDEN


class CsrfFailed(PermissionDenied):
    code = "csrf_failed"


class NotFound(DealroomError):
    status = 404
    code = "not_found"
    close_code = closecodes.NOT_FOUND


class Conflict(DealroomError):
    status = 409
    code = "conflict"


class TooLarge(DealroomError):
    status = 413
    code = "too_large"
    close_code = closecodes.MESSAGE_TOO_LARGE


class RateLimited(DealroomError):
    status = 429
    code = "rate_limited"
    close_code = closecodes.RATE_LIMITED


class RoomFull(DealroomError):
    status = 429
    code = "room_full"
    close_code = closecodes.ROOM_FULL


class ReservedForTeam(RoomFull):
    """A customer asked for one of the places a room keeps for its own team (rep, legal, approvers)."""

    code = "reserved_for_team"


class TooManyConnections(DealroomError):
    """One person holds the most connections a person may hold in a room document."""

    status = 429
    code = "too_many_connections"
    close_code = closecodes.TOO_MANY_CONNECTIONS


class RoomMoved(DealroomError):
    """Another worker owns the room now (or this one just lost it): the client retries and is relayed there."""

    status = 503
    code = "room_moved"
    close_code = closecodes.MOVED


class ClusterUnavailable(DealroomError):
    """Several workers run and Redis, which decides which worker holds a room, cannot be reached."""

    status = 503
    code = "cluster_unavailable"
    close_code = closecodes.TRY_AGAIN_LATER
