"""arXiv text as a page shows it (escaped, math as MathML, addresses as links) and as feeds
and the search index carry it (plain text with the TeX source).

The templates' entry points: ``rich_text`` for abstracts and comments, ``rich_title`` for
titles (math, no links), ``plain_text`` for feeds and search. Math is found first, except that
an address is opaque to it: so math is never made a link, and an address never math.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .links import URL, linkify
from .tex import Math, math_markup, split_math


def rich_text(text: str) -> Markup:
    """Abstract or comment as HTML: text escaped, math as MathML, addresses as links."""
    return _render(text, links=True)


def rich_title(text: str) -> Markup:
    """A title as HTML: math as MathML, but no links (the title is itself a link)."""
    return _render(text, links=False)


def plain_text(text: str) -> str:
    """Text for feeds and the search index: math as its TeX source with its delimiters,
    TeX text escapes (``\\%``, ``\\$``) as the character. Not escaped: the caller's
    serialiser does that."""
    if "\\" not in text:
        return text
    return "".join(
        part if isinstance(part, str) else part.source for part in split_math(text, opaque=URL)
    )


def _render(text: str, links: bool) -> Markup:
    # Most abstracts have no math, escape and no address: one C call (a year is ~40,000).
    if "$" not in text and "\\" not in text:
        # No math can open: only addresses to look for (and split_math's scan is slow).
        return Markup(linkify(text)) if links and "://" in text else escape(text)
    out = []
    for part in split_math(text, opaque=URL if links else None):
        if isinstance(part, Math):
            markup = math_markup(part)
            out.append(markup if markup is not None else escape(part.source))
        else:
            out.append(linkify(part) if links else escape(part))
    return Markup("".join(out))
