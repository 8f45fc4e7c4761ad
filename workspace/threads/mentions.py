"""Mentions in a message: the app inserts `@[Name](personId)` when someone picks a person; the id decides
who is told (a name alone could be anyone's), the name is what the text shows."""

from __future__ import annotations

import re

MENTION = re.compile(r"@\[([^\]\n]{1,200})\]\((\d{1,12})\)")
MAX_MENTIONS = 20
"""A message that names more people than this is a broadcast, not a mention."""


def mentioned_ids(text: str) -> list[int]:
    """The ids of the people `text` mentions, each once, in order."""
    seen: list[int] = []
    for match in MENTION.finditer(text):
        person = int(match.group(2))
        if person not in seen:
            seen.append(person)
    return seen


def plain_text(text: str) -> str:
    """The text as a mail shows it: `@[Bo Buyer](12)` reads "@Bo Buyer"."""
    return MENTION.sub(lambda match: f"@{match.group(1)}", text)
