"""Signed links that let an approver open and decide one step from a mail, on a phone, in two taps.

A link names one request, one step and one approver, and expires. It grants nothing else: not the
room, not other steps, not another person's decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from workspace.errors import NotFound

# Long enough for a weekend away, short enough that an old mail is not a standing key.
LINK_DAYS = 3


@dataclass(frozen=True)
class StepLink:
    request_id: str
    step_id: str
    user_id: int


class StepLinks:
    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="dealroom.approval-link")

    def make(self, link: StepLink) -> str:
        return self._serializer.dumps([link.request_id, link.step_id, link.user_id])

    def read(self, token: str) -> StepLink:
        try:
            request_id, step_id, user_id = self._serializer.loads(token, max_age=LINK_DAYS * 86400)
        except SignatureExpired as exc:
            raise NotFound("this link has expired; open the request from your inbox") from exc
        except (BadSignature, ValueError, TypeError) as exc:
            raise NotFound("this link is not valid") from exc
        return StepLink(str(request_id), str(step_id), int(user_id))
