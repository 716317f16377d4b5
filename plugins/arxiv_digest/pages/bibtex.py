"""BibTeX for a paper, as arXiv's own "Export BibTeX citation" writes it.

arXiv's abstract page (``browse/formatting/cite.py`` in github.com/arXiv/arxiv-browse) gives,
for 2106.09685::

    @misc{hu2021loralowrankadaptationlarge,
          title={LoRA: Low-Rank Adaptation of Large Language Models},
          author={Edward J. Hu and Yelong Shen and Phillip Wallis and ...},
          year={2021},
          eprint={2106.09685},
          archivePrefix={arXiv},
          primaryClass={cs.CL},
          url={https://arxiv.org/abs/2106.09685},
    }

and ``doi={https://doi.org/…}`` before ``url`` when the paper has a DOI. The key is the first
author's surname as arXiv splits a name ("van der Laan", "De La Fuente", but "Oord" for "Aaron
van den Oord"), the year of the latest version, and the first four title words that are not on
arXiv's stop-word list, split at spaces only; then every character that is not a letter or a
digit goes and the rest is lower-cased: ``ladecký2026jacobiacceleratedfftbasedsolversmooth``,
``karajagi2026leapliveexperiments`` for "LEAP -- Live Experiments for …" (the "--" is a word).
A paper without authors gets arXiv's ``unknown``; a year, when no version date is stored, is
the one its id encodes.

This module writes the same keys and field values, one field a line in the layout the site's
scripts read (``  eprint = {…},``), plus ``and others`` when the source cut the authors short.
Titles and names are TeX, written as arXiv has them (a bare ``&`` or ``_`` too, which LaTeX
rejects in text as it rejects arXiv's own export), except where arXiv's untrusted text could do
more than typeset or could end the field: a command off the allow-list of typesetting commands
(``data/bibtex-tex-commands.txt``) or a ``^^`` makes its run of text, or its math span, plain
text; a raw ``%`` is written ``\\%``; a brace without its partner is written as a brace glyph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

from ..model.paper import ARXIV_ID, Paper
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
# Control symbols that only typeset: spaces, accents, escaped specials, braces, math delimiters.
SAFE_SYMBOLS = frozenset(" ,;:!>-/|&%$#_{}'`^\"~=.()[]")
# A control word, a control symbol, a lone backslash at the end, or one character.
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\\$|.", re.DOTALL)
# Text escapes (\%, \&, …): split_math keeps them as written when told they are opaque.
_TEXT_ESCAPE = re.compile(r"\\[$%&_#]")
_BRACES = frozenset({"{", "}", "\\{", "\\}"})
# arXiv's name particles (arXiv/arxiv-base, arxiv/authors): "de la Rosa", "da Silva".
_PARTICLE = "van|der|de|la|von|del|della|da|mac|ter|dem|di|vaziri"
# How arXiv finds the surname in a name, tried in order; group 1 is the surname.
_SURNAME = [
    re.compile(rf"^.*\s+((?:{_PARTICLE})\s(?:{_PARTICLE})\s\S+)$", re.IGNORECASE),
    re.compile(rf"^.*\s+((?:{_PARTICLE})\s\S+)$", re.IGNORECASE),
    re.compile(r"^.*\s+(\S+)\s(?:I|II|III|IV|V|Sr|Jr|Sr\.|Jr\.)$", re.IGNORECASE),
    re.compile(r"^.*\s+(\S+)$"),
]
# A collaboration or team that opens the author list is one name: arXiv keeps the part its
# pattern [a-z0-9\s]+\s+(collaboration|group|team) matches, found here in linear time.
_COLLABORATION_RUN = re.compile(r"[a-z0-9\s]+", re.IGNORECASE)
_COLLABORATION_WORD = re.compile(r"\s(?:collaboration|group|team)", re.IGNORECASE)
# arXiv writes "J. R. R. Tolkien" for "J.R.R. Tolkien": a space after a dot, unless TeX's \.
_DOT = re.compile(r"(?<!\\)\.(\S)")
# biblatex reads doi verbatim, so a DOI (or arXiv's space-separated DOIs) is written as it is,
# or left out when it could not be.
_DOI = re.compile(r"^10\.[^\s{}\\%#^]+(?: 10\.[^\s{}\\%#^]+)*$")
# What a field may hold as written: an arXiv category, a year.
_CATEGORY = re.compile(r"^[A-Za-z-]+(?:\.[A-Za-z-]+)?$")
_YEAR = re.compile(r"^\d{4}$")
# Fields arXiv writes even when empty (a paper without authors has ``author={}``).
ARXIV_ALWAYS = ("title", "author")


@cache
def stop_words() -> frozenset[str]:
    """arXiv's stop words (``data/bibtex-stop-words.txt``)."""
    return frozenset(line.strip() for line in _data_lines("bibtex-stop-words.txt"))


@cache
def safe_commands(section: str = "") -> frozenset[str]:
    """The TeX control words a title or name may keep, ``text`` or ``math`` ones or, by
    default, both (``data/bibtex-tex-commands.txt``)."""
    names: dict[str, set[str]] = {}
    current = ""
    for line in _data_lines("bibtex-tex-commands.txt"):
        if line.startswith("["):
            current = line.strip("[] \n")
        else:
            names.setdefault(current, set()).update(line.split())
    return frozenset(names[section] if section else set().union(*names.values()))


def _data_lines(name: str) -> list[str]:
    text = resources.files("arxiv_digest.data").joinpath(name).read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def is_safe_command(token: str) -> bool:
    """Whether a control word or symbol (``\\alpha``, ``\\'``) only typesets."""
    name = token[1:]
    return name in safe_commands() if name[:1].isalpha() else name in SAFE_SYMBOLS


def escape_text(text: str) -> str:
    """Text as a BibTeX field reads it back: every special character escaped."""
    return _SPECIAL.sub(lambda match: _TEXT_SPECIALS[match.group()], text)


def tex_field(text: str) -> str:
    """A title or name as TeX for a field: arXiv's text where it is safe (see the module)."""
    parts: list[tuple[str, bool]] = []  # (source, kept as TeX)
    for part in split_math(" ".join(text.split()), opaque=_TEXT_ESCAPE):
        if isinstance(part, Math):
            parts.append((part.source, _safe_tex(part.tex, math=True)))
        else:
            parts.append((part, _safe_tex(part, math=False)))
    matched = _matched_braces([_TOKEN.findall(source) if kept else [] for source, kept in parts])
    out = []
    for (source, kept), partners in zip(parts, matched, strict=True):
        if not kept:
            out.append(escape_text(source))
            continue
        for index, token in enumerate(_TOKEN.findall(source)):
            if token in _BRACES and index not in partners:
                out.append(_TEXT_SPECIALS[token[-1]])
            else:
                out.append(r"\%" if token == "%" else token)  # raw, it hides the rest of the line
    return "".join(out)


def _safe_tex(tex: str, math: bool) -> bool:
    """Whether TeX may be written as it is: only typesetting commands and no ``^^`` (TeX reads
    ``^^5c`` as a backslash); in math also every brace with its partner (a span is whole)."""
    tokens = _TOKEN.findall(tex)
    if "^^" in tex or not all(is_safe_command(t) for t in tokens if t.startswith("\\")):
        return False
    braces = sum(token in _BRACES for token in tokens)
    return not math or len(_matched_braces([tokens])[0]) == braces


def _matched_braces(runs: list[list[str]]) -> list[set[int]]:
    """For each run of tokens, the indexes of the braces that have their partner (``{`` with
    ``}``, ``\\{`` with ``\\}``) in these runs: BibTeX counts every brace, LaTeX the bare ones."""
    matched: list[set[int]] = [set() for _ in runs]
    opened: list[tuple[int, int, str]] = []  # (run, index, token) of braces still open
    for run, tokens in enumerate(runs):
        for index, token in enumerate(tokens):
            if token in ("{", "\\{"):
                opened.append((run, index, token))
            elif token in ("}", "\\}") and opened and opened[-1][2] == token[:-1] + "{":
                opened_run, opened_index, _ = opened.pop()
                matched[opened_run].add(opened_index)
                matched[run].add(index)
    return matched


def arxiv_name(name: str) -> str:
    """A name with arXiv's spacing: single spaces, and one after each dot."""
    return _DOT.sub(r". \1", " ".join(name.split()))


def surname(name: str) -> str:
    """The part of a name arXiv files it under: ``van der Laan`` for "Lars van der Laan"."""
    name = arxiv_name(name)
    for form in _SURNAME:
        if match := form.match(name):
            return match.group(1)
    return name


def author_names(paper: Paper) -> list[str]:
    """The authors as arXiv writes them: collaborations that open the list by that part only."""
    names = [name for name in (arxiv_name(author.name) for author in paper.authors) if name]
    for index, name in enumerate(names):
        if (collaboration := _collaboration(name)) is None:
            break
        names[index] = collaboration
    return names


def _collaboration(name: str) -> str | None:
    """The collaboration a name is ("The ATLAS Collaboration"), as arXiv's pattern finds it:
    from the start of the first run of letters, digits and spaces holding one of the words, to
    that run's last one (Python's regex takes quadratic time here on a long name)."""
    for run in _COLLABORATION_RUN.finditer(name):
        ends = [word.end() for word in _COLLABORATION_WORD.finditer(run.group()) if word.start()]
        if ends:
            return run.group()[: ends[-1]]
    return None


def _year(paper: Paper) -> str:
    """The latest version's year, else the year the id encodes (``2106.…``, ``hep-th/99…``)."""
    for stored in (paper.updated, paper.published):
        if _YEAR.match(stored[:4]):
            return stored[:4]
    if not (match := ARXIV_ID.match(paper.id)):
        return ""
    digits = match["id"].split("/")[-1][:2]
    century = "19" if "/" in paper.id and digits >= "91" else "20"
    return century + digits


def _checked(form: re.Pattern[str], value: str) -> str:
    """The value when it has the form a field holds verbatim; nothing otherwise."""
    return value if form.match(value) else ""


def citation_key(paper: Paper) -> str:
    """arXiv's key: ``hu2021loralowrankadaptationlarge`` for "LoRA: Low-Rank Adaptation of
    Large Language Models" by Edward J. Hu et al., last revised in 2021."""
    names = author_names(paper)
    if not names:
        filed_under = "unknown"
    elif _collaboration(names[0]) is not None:
        filed_under = names[0]
    else:
        filed_under = surname(names[0])
    words = " ".join(paper.title.split()).split(" ")
    kept = [word for word in words if word.lower() not in stop_words()][:4]
    key = filed_under + _year(paper) + "".join(kept)
    return "".join(character for character in key if character.isalnum()).lower()


def bibtex_entry(paper: Paper, key: str | None = None) -> str:
    """The paper's ``@misc`` entry, one field a line, ending in a newline."""
    # bibtexparser 2.1 drops the first two characters of a name that opens with a command
    # (``\%x`` reads as ``x``); an empty group before it means nothing to TeX.
    names = [
        "{}" + name if name.startswith("\\") else name
        for name in (tex_field(name) for name in author_names(paper))
    ]
    fields = [
        ("title", tex_field(paper.title)),
        # A name with " and " or a comma in it is one name: braces keep BibTeX from splitting
        # it into two, or reading it as "Last, First" (arXiv's names never hold either).
        # "and others": BibTeX's own way to say the list is cut short (the source gave the
        # first authors only), which styles print as "et al."
        (
            "author",
            " and ".join(
                [
                    *(f"{{{n}}}" if " and " in f" {n} ".lower() or "," in n else n for n in names),
                    *(["others"] if paper.authors_truncated and names else []),
                ]
            ),
        ),
        ("year", _year(paper)),
        ("eprint", paper.id),
        ("archivePrefix", "arXiv"),
        ("primaryClass", _checked(_CATEGORY, paper.primary_category)),
        ("doi", "https://doi.org/" + paper.doi if _DOI.match(paper.doi) else ""),
        ("url", paper.versionless_url),
    ]
    lines = [f"@misc{{{key or citation_key(paper)},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields if value or name in ARXIV_ALWAYS]
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
