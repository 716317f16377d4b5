"""BibTeX for a paper, in the form of arXiv's own "Export BibTeX citation".

arXiv writes ``@misc{vaswani2023attentionneed, title=…, author=…, year=…, eprint=…,
archivePrefix={arXiv}, primaryClass=…, url=…}``: the key is the first author's last name, the
year of the version, and the first three words of the title that are not stop words. This
module writes the same, plus ``doi`` when arXiv has one, and protects the title's capitals.

Text from arXiv is untrusted and may hold any character: BibTeX's specials are escaped so that
a parser reads back exactly the text (and a BibTeX run never sees an unbalanced brace), while
math spans in a title stay TeX.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from unidecode import unidecode

from ..model.paper import Paper
from .tex import Math, split_math

# One character at a time, as LaTeX text: braces by name, so an unbalanced one stays harmless.
_TEXT_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(_TEXT_SPECIALS)) + "]")
# The words arXiv's keys leave out ("Attention Is All You Need" -> attentionneed).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "for",
        "to",
        "with",
        "by",
        "at",
        "from",
        "is",
        "are",
        "all",
        "you",
        "we",
        "via",
        "as",
        "its",
        "into",
        "our",
        "be",
        "this",
        "that",
        "how",
        "what",
        "why",
        "can",
        "do",
        "does",
        "not",
        "towards",
        "toward",
    ]
)

NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# biblatex reads doi verbatim, so a DOI is written as it is, or left out when it could not be.
_DOI = re.compile(r"^10\.[^\s{}\\%#]+$")
# What a field may hold as written: an arXiv category, a year.
_CATEGORY = re.compile(r"^[A-Za-z-]+(?:\.[A-Za-z-]+)?$")
_YEAR = re.compile(r"^\d{4}$")
# TeX that does more than typeset (read or write files, run commands, redefine, close the
# bibliography): a math span naming any of these is written as text, not as TeX.
_UNSAFE_TEX = re.compile(
    r"\\(?:input|include|openin|openout|read|write|immediate|def|edef|gdef|xdef|let|"
    r"catcode|csname|begin|end|usepackage|newcommand|renewcommand|special|outer|"
    r"afterassignment|everypar|jobname|loop)(?![A-Za-z])"
)


def escape_text(text: str) -> str:
    """Text as a BibTeX field reads it back: every special character escaped."""
    return _SPECIAL.sub(lambda match: _TEXT_SPECIALS[match.group()], text)


def escape_title(title: str) -> str:
    """A title: text escaped, math spans kept as TeX when their braces balance."""
    out = []
    for part in split_math(title):
        if (
            isinstance(part, Math)
            and _balanced(part.source)
            and "%" not in part.source
            and not _UNSAFE_TEX.search(part.source)
        ):
            out.append(part.source)
        else:
            out.append(escape_text(part if isinstance(part, str) else part.source))
    return "".join(out)


def _year(paper: Paper) -> str:
    """The year of the version, or nothing when the stored time does not start with one."""
    return _checked(_YEAR, (paper.updated or paper.published)[:4])


def _checked(form: re.Pattern[str], value: str) -> str:
    """The value when it has the form a field holds verbatim; nothing otherwise."""
    return value if form.match(value) else ""


def _balanced(tex: str) -> bool:
    # BibTeX counts every brace, escaped or not.
    depth = 0
    for character in tex:
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def citation_key(paper: Paper) -> str:
    """arXiv's key: ``hu2021loralowrankadaptation`` for "LoRA: Low-Rank Adaptation of Large
    Language Models" by Edward J. Hu et al., 2021."""
    name_words = (
        [_key_part(word) for word in paper.authors[0].name.split()] if paper.authors else []
    )
    while len(name_words) > 1 and name_words[-1] in NAME_SUFFIXES | {""}:
        name_words.pop()
    last_name = name_words[-1] if name_words else "anonymous"
    words: list[str] = []
    for word in _ascii(paper.title).split():  # transliterated first: 深度 is two words
        part = _key_part(word)
        if part and part not in STOP_WORDS:
            words.append(part)
            if len(words) == 3:
                break
    return last_name + _year(paper) + "".join(words)


_NOT_KEY = re.compile(r"[^a-z0-9]")


def _ascii(text: str) -> str:
    # unidecode looks at every character in Python: most titles and names need none of it.
    return text if text.isascii() else unidecode(text)


def _key_part(text: str) -> str:
    return _NOT_KEY.sub("", _ascii(text).lower())


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """The paper's ``@misc`` entry, one field a line, ending in a newline."""
    # bibtexparser 2.1 drops the first two characters of a name that opens with a command
    # (``\%x`` reads as ``x``); an empty group before it means nothing to TeX.
    names = [
        "{}" + name if name.startswith("\\") else name
        for name in (escape_text(author.name) for author in paper.authors)
    ]
    fields = [
        ("title", "{" + escape_title(paper.title) + "}"),  # inner braces keep its capitals
        # A name with " and " in it is one name: braces keep BibTeX from splitting it.
        # "and others": BibTeX's own way to say the list is cut short (the source gave the
        # first authors only), which styles print as "et al."
        (
            "author",
            " and ".join(
                [
                    *(f"{{{n}}}" if " and " in f" {n} " else n for n in names),
                    *(["others"] if paper.authors_truncated and names else []),
                ]
            ),
        ),
        ("year", _year(paper)),
        ("eprint", paper.id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", _checked(_CATEGORY, paper.primary_category)),
        ("doi", _checked(_DOI, paper.doi)),
        ("url", paper.versionless_url),
    ]
    lines = [f"@misc{{{key or citation_key(paper)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if value]
    lines.append("}")
    return "\n".join(lines) + "\n"


def bibtex_file(papers: Iterable[Paper]) -> str:
    """A ``.bib`` of the papers: each e-print once (its newest version), ordered by key then
    id, a key that two papers share told apart by a letter (``smith2026deepb``)."""
    newest: dict[str, Paper] = {}
    for paper in papers:
        kept = newest.get(paper.id)
        if kept is None or (paper.version or 0) > (kept.version or 0):
            newest[paper.id] = paper
    ordered = sorted((citation_key(paper), paper.id, paper) for paper in newest.values())
    entries = []
    seen: dict[str, int] = {}
    for key, _, paper in ordered:
        count = seen.get(key, 0)
        seen[key] = count + 1
        entries.append(bibtex_entry(paper, key + _suffix(count)))
    return "\n".join(entries)


def _suffix(count: int) -> str:
    # The first keeps arXiv's key; later ones get b, c, … z, then their position.
    if count == 0:
        return ""
    return chr(ord("a") + count) if count < 26 else str(count)
