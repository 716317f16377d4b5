"""Why a paper is listed: the phrases its keywords matched, marked (``<mark>``) in its title
and abstract as a page shows them.

A keyword's terms are found as arXiv's search finds a quoted phrase: word by word, ignoring
case, whatever stands between the words (``vision language model`` finds
``Vision-Language Models``), a plural counting as the word (arXiv's search stems words; the
sample store's papers show it). Only the fields a keyword searches are marked; a keyword
written as a raw ``query`` has no terms, so it marks nothing.

Marks go into HTML that :mod:`.richtext` made (escaped text, MathML, links), so they are
placed in its text only: a formula (``<math>…</math>``) and every tag are kept whole, so no
tag, attribute, address or formula is ever cut or marked inside, and a phrase that runs
across a tag (into a link, around a formula) is not marked. An entity is never cut either:
text that holds one is read as characters, marked, and escaped again. Linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import unescape

from markupsafe import Markup, escape

from ..model.keywords import Keyword

# What arXiv's search reads as the words of a phrase.
_WORD = re.compile(r"\w+")
# A formula, kept whole, or a tag; what lies between them is text. Attribute values are
# escaped (no raw ">"), and a formula holds no other <math>.
_NOT_TEXT = re.compile(r"<math\b.*?</math>|<[^>]*>", re.DOTALL)
# Which keyword fields say a phrase was searched for in a title or an abstract.
SEARCHED_IN = {"title": {"title", "all"}, "abstract": {"abstract", "all"}}


@dataclass(frozen=True)
class Phrases:
    """Patterns finding any of some phrases: ``lowered`` in lowercased text (ignoring case
    through ``re.IGNORECASE`` costs sre ten times as much), ``any_case`` in text whose
    lowercase has another length (a few letters, such as "İ", lower to two)."""

    lowered: re.Pattern[str]
    any_case: re.Pattern[str]

    def spans(self, text: str) -> list[tuple[int, int]]:
        lowered = text.lower()
        if len(lowered) == len(text):
            return _word_spans(self.lowered, lowered)
        return _word_spans(self.any_case, text)


def _word_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches from the start of a word. The start is checked here, not
    by a lookbehind in the pattern, which would cost sre its fast scan for the first letter."""
    spans = []
    position = 0
    while (found := pattern.search(text, position)) is not None:
        start = found.start()
        if start and (text[start - 1].isalnum() or text[start - 1] == "_"):  # \w
            position = start + 1
        else:
            spans.append(found.span())
            position = found.end()
    return spans


def phrase_pattern(terms: Iterable[str]) -> Phrases | None:
    """What finds any of ``terms`` as a phrase; None when no term has a word."""
    return _phrase_pattern(tuple(terms))


@lru_cache(maxsize=256)
def _phrase_pattern(terms: tuple[str, ...]) -> Phrases | None:
    phrases = set()
    for term in terms:
        words = _WORD.findall(term.lower())
        if words:
            # Possessive separators: a long run between two words is scanned once.
            phrases.add(r"\W++".join(re.escape(word) + "(?:e?s)?" for word in words))
    if not phrases:
        return None
    # Longest first: where two phrases start at one place, the longer is marked.
    alternatives = "|".join(sorted(phrases, key=lambda phrase: (-len(phrase), phrase)))
    pattern = rf"(?:{alternatives})(?!\w)"
    return Phrases(re.compile(pattern), re.compile(pattern, re.IGNORECASE))


@lru_cache(maxsize=256)
def keyword_pattern(keywords: tuple[Keyword, ...], field: str) -> Phrases | None:
    """The phrases of ``keywords`` that were searched for in ``field`` (title, abstract)."""
    searched = SEARCHED_IN[field]
    return phrase_pattern(
        term for keyword in keywords if searched & set(keyword.fields) for term in keyword.terms
    )


def mark_phrases(html: str, phrases: Phrases | None) -> Markup:
    """``html`` (escaped text, MathML, links) with the ``phrases`` in its text wrapped in
    ``<mark>``."""
    if phrases is None:
        return Markup(html)
    html = str.__str__(html)  # not Markup, whose slices would escape what is joined
    if "<" not in html:  # most abstracts: no formula, no link
        return Markup(_mark_text(html, phrases))
    out = []
    position = 0
    for tag in _NOT_TEXT.finditer(html):
        out.append(_mark_text(html[position : tag.start()], phrases))
        out.append(tag.group())
        position = tag.end()
    out.append(_mark_text(html[position:], phrases))
    return Markup("".join(out))


def _mark_text(text: str, phrases: Phrases) -> str:
    """Escaped ``text`` (no tag) with its phrases marked."""
    escaped = "&" in text  # else nothing is escaped in it: the text is its characters
    characters = unescape(text) if escaped else text
    spans = phrases.spans(characters)
    if not spans:
        return text  # unchanged, to the byte
    show = escape if escaped else str
    out = []
    position = 0
    for start, end in spans:
        out += [show(characters[position:start]), "<mark>", show(characters[start:end]), "</mark>"]
        position = end
    out.append(show(characters[position:]))
    return "".join(out)


def matched_phrases(html: str, keywords: Iterable[Keyword], field: str) -> Markup:
    """``html`` of a paper's ``field`` with the phrases its ``keywords`` matched marked."""
    return mark_phrases(html, keyword_pattern(tuple(keywords), field))
