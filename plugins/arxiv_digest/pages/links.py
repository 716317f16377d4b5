"""Web addresses in abstracts and comments: found, trimmed, made into links; code lifted out.

Only ``http`` and ``https`` addresses are links. An address ends at a space or at a character
that cannot stand in one (``"``, ``<``, ``>``, braces …), and loses the punctuation that ends
its sentence (a ``)`` only when it closes nothing inside the address). Authors who write
their abstract in TeX write ``\\_`` for ``_`` in an address: that is read as ``_``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from html import escape
from typing import NamedTuple
from urllib.parse import urlsplit

from ..model.paper import Paper

# The lookbehind keeps "xhttp://" and addresses inside addresses from starting a link. Runs
# of plain characters are taken whole and never given back (possessive): the engine's work
# is one step per run, not a saved state per character (a 1 MB address took 0.5 s, now 0.02).
URL = re.compile(
    r"(?=[hH])(?<![\w@/.:])https?://(?:[^\s<>\"'`{}|\\^]++|\\[_%&#~])++", re.IGNORECASE
)
_TEX_ESCAPE = re.compile(r"\\([_%&#~])")
_TRAILING = ".,;:!?*'"
_CLOSING = {")": "(", "]": "["}
_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)+$")

# Hosts of source code (and Hugging Face's models and spaces), and of project pages.
CODE_HOSTS = frozenset(
    {
        "github.com",
        "gitlab.com",
        "codeberg.org",
        "bitbucket.org",
        "huggingface.co",
        "sourceforge.net",
    }
)
PROJECT_HOST_SUFFIXES = (".github.io", ".gitlab.io")


class CodeLink(NamedTuple):
    kind: str  # "Code" or "Project": the label in the paper's link row
    url: str


def trimmed_url(candidate: str) -> str:
    """The address without the punctuation after it: ``(see https://x.org/a_(b)).``
    keeps ``https://x.org/a_(b)``."""
    # Brackets counted once and the end moved back, never the address copied and counted
    # again per character trimmed: that was quadratic on an address followed by 100,000 ")".
    unclosed = {close: candidate.count(close) - candidate.count(o) for close, o in _CLOSING.items()}
    end = len(candidate)
    while end:
        last = candidate[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in _CLOSING and unclosed[last] > 0:
            unclosed[last] -= 1
            end -= 1
        else:
            break
    return candidate[:end]


@lru_cache(maxsize=8)
def find_urls(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each link in ``text``: where it starts and ends, and its address (TeX escapes read).

    Kept for the last few texts: the paper macro asks for the code links of an abstract
    just before it renders that abstract's links."""
    found = []
    for match in _url_matches(text):
        source = trimmed_url(match.group())
        url = _TEX_ESCAPE.sub(r"\1", source)
        if (host := _hostname(url)) and _HOST.match(host):
            found.append((match.start(), match.start() + len(source), url))
    return tuple(found)


def _hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # "http://[" (an unclosed IPv6 host) is not an address: text
        return None


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """What ``URL.finditer`` finds, 4x faster: only where a ``://`` is (found in C) is an
    address tried, from the ``http`` or ``https`` before it."""
    position = 0
    while (colon := text.find("://", position)) != -1:
        position = colon + 3
        start = colon - 5 if text[colon - 5 : colon].lower() == "https" else colon - 4
        if start >= 0 and (match := URL.match(text, start)):
            yield match
            position = match.end()


def linkify(text: str) -> str:
    """``text`` escaped for HTML, with its addresses as links."""
    if "://" not in text:
        return escape(text, quote=False)
    out = []
    position = 0
    for start, end, url in find_urls(text):
        out.append(escape(text[position:start], quote=False))
        out.append(f'<a href="{escape(url)}" rel="nofollow">{escape(url, quote=False)}</a>')
        position = end
    out.append(escape(text[position:], quote=False))
    return "".join(out)


def link_kind(url: str) -> str | None:
    """ "Code" for a repository on a code host, "Project" for a project page, else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host in CODE_HOSTS:
        # github.com/owner is a person; github.com/owner/repo is code.
        return "Code" if len([p for p in parts.path.split("/") if p]) >= 2 else None
    if host.endswith(PROJECT_HOST_SUFFIXES):
        return "Project"
    return None


def code_links(paper: Paper) -> tuple[CodeLink, ...]:
    """The paper's code and project page for its link row: the first of each kind named in
    its abstract, then its comment; Code before Project."""
    first: dict[str, str] = {}
    for text in (paper.abstract, paper.comment):
        if "://" not in text:  # most papers: the macro asks for every one of them
            continue
        for _, _, url in find_urls(text):
            kind = link_kind(url)
            if kind and kind not in first:
                first[kind] = url
    return tuple(CodeLink(kind, first[kind]) for kind in ("Code", "Project") if kind in first)


def has_code(paper: Paper) -> bool:
    """Whether the paper names its code: the search index's "has code" filter."""
    return any(link.kind == "Code" for link in code_links(paper))
