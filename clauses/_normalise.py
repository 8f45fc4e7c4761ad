"""Text normalisation for comparing clause wordings: what a reader cannot see does not count as an edit."""

from __future__ import annotations

import unicodedata

# Invisible characters an editor or a paste leaves behind (zero-width space/joiners, word joiner, BOM,
# soft hyphen). Bidi controls are deliberately kept: they change what a reader sees, so they count.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))

_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def normalise(text: str) -> str:
    """Compatibility-normalised text (NFKC) with typographic quotes and dashes made plain, invisible
    characters dropped and every run of whitespace a single space. Idempotent."""
    # Invisible characters go first: dropping one may join a base letter and a combining mark, which NFKC
    # must then see to compose them, or a second pass would change the result.
    text = unicodedata.normalize("NFKC", text.translate(_INVISIBLE)).translate(_TYPOGRAPHY)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of an already normalised text."""
    return text.split(" ") if text else []
