"""Why a single sign-on did not sign someone in: a reason code (what the sign-in page explains) and a detail.

The browser's callback turns an SsoError into a redirect to `/signin?sso_error=REASON`; the page shows its
own sentence for each reason, so nothing a link carries is ever shown as text. JSON endpoints answer the
error as usual: `{"error": "sso_failed", "detail": ..., "reason": REASON}`.
"""

from __future__ import annotations

from workspace.errors import DealroomError, PermissionDenied

# reason -> (HTTP status, what the person is told). frontend/src/pages/signin.ts says the same per reason.
REASONS: dict[str, tuple[int, str]] = {
    "not_configured": (404, "Single sign-on is not set up for this Dealroom."),
    "unavailable": (502, "The identity provider could not be reached. Try again in a minute."),
    "busy": (429, "Too many sign-ins were started from your network just now. Wait a minute and try again."),
    "state": (400, "This sign-in has expired or was already used. Start again with “Sign in with single sign-on”."),
    "cancelled": (401, "Sign-in was cancelled at the identity provider."),
    "provider_error": (401, "The identity provider did not sign you in."),
    "token": (401, "The identity provider's answer could not be verified, so you were not signed in."),
    "no_email": (403, "The identity provider did not share a verified email address for you."),
    "no_role": (403, "Your account at the identity provider has no Dealroom role. Ask your administrator for one."),
    "customer": (403, "This email belongs to a customer account: customers sign in with their email and password."),
    "deactivated": (403, "Your Dealroom account is deactivated. Ask an admin to reactivate it."),
}


class SsoError(DealroomError):
    """A single sign-on that did not go through; the status follows the reason."""

    code = "sso_failed"

    def __init__(self, reason: str, detail: str | None = None) -> None:
        status, message = REASONS[reason]
        super().__init__(detail or message, reason=reason)
        self.reason = reason
        self.status = status


class SsoRequired(PermissionDenied):
    """Password sign-in of an internal user while admins require single sign-on."""

    code = "sso_required"

    def __init__(self) -> None:
        super().__init__("Dealroom staff sign in with single sign-on: use “Sign in with single sign-on”.")
