"""Sending mail through DEALROOM_SMTP_URL (smtp://[user:password@]host[:port], or smtps:// for TLS).

Without a URL, nothing is sent (and that is logged once), so a demo runs without a mail server.
Sending happens in a worker thread: a slow mail server never stalls the event loop.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from starlette.concurrency import run_in_threadpool

from workspace.errors import ConfigurationError

log = logging.getLogger(__name__)
SENDER = "Dealroom <no-reply@dealroom.invalid>"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer:
    def __init__(self, smtp_url: str | None, sender: str = SENDER) -> None:
        self.sender = sender
        self._url = urlsplit(smtp_url) if smtp_url else None
        if self._url is not None and self._url.scheme not in ("smtp", "smtps"):
            raise ConfigurationError("DEALROOM_SMTP_URL must start with smtp:// or smtps://")
        self.sent = 0

    def _send_now(self, mails: list[Mail]) -> None:
        url = self._url
        assert url is not None
        factory = smtplib.SMTP_SSL if url.scheme == "smtps" else smtplib.SMTP
        with factory(
            url.hostname or "localhost", url.port or (465 if url.scheme == "smtps" else 25), timeout=10
        ) as smtp:
            if url.username:
                smtp.login(unquote(url.username), unquote(url.password or ""))
            for mail in mails:
                message = EmailMessage()
                message["From"], message["To"], message["Subject"] = self.sender, mail.to, mail.subject
                message.set_content(mail.body)
                smtp.send_message(message)
                self.sent += 1

    async def send(self, mails: list[Mail]) -> None:
        """Send `mails`; a failure is logged, never raised: the decision it tells of is already stored."""
        if not mails:
            return
        if self._url is None:
            log.info("no DEALROOM_SMTP_URL: %d mail(s) not sent", len(mails))
            return
        try:
            await run_in_threadpool(self._send_now, mails)
        except (OSError, smtplib.SMTPException):
            log.exception("could not send %d mail(s)", len(mails))
