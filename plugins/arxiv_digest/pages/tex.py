"""TeX in arXiv text: find the math spans, and turn each into MathML that is safe to show.

arXiv titles, abstracts and comments write math as ``$…$``, ``$$…$$``, ``\\(…\\)`` and
``\\[…\\]``. A span becomes MathML at build time, which browsers display natively: no script,
no third-party request. The converter (``math-core``) is not trusted with what reaches the
page: its output is parsed with an XML parser and rebuilt element by element from a MathML Core
allow-list, with per-element attributes whose values are checked and bounded, and every text
escaped. A span the converter rejects, or whose output breaks a rule, stays as its source text.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from html.entities import html5

import math_core

# Longer spans are not math an abstract writes; they stay text (and bound the converter's work).
MAX_TEX = 1000
# Bounds on what one span may expand to: deep nesting and huge trees are hostile, not math.
MAX_DEPTH = 24
MAX_ELEMENTS = 1500
MAX_TEXT = 200  # characters in one token (mi, mo, mtext …)
# math-core 0.9 takes time exponential in the opening delimiters a formula leaves open
# (measured: 24 "(" take 1.5 s, 30 take 47 s; 12 take 0.1 ms): a span with more stays text.
MAX_OPENING = 12

# Inline openers: $ (not $$), \( ; display: $$, \[ . \$ is a dollar sign, never a delimiter.
_OPENER = re.compile(r"\\[$%&_#]|\$\$|\$|\\\(|\\\[")
# The text escapes TeX writers use outside math: shown as the character itself.
TEXT_ESCAPES = {"\\$": "$", "\\%": "%", "\\&": "&", "\\_": "_", "\\#": "#"}


@dataclass(frozen=True, slots=True)
class Math:
    """One math span: its TeX (without delimiters), its source as written, and its kind."""

    tex: str
    source: str
    display: bool


def split_math(text: str, opaque: re.Pattern[str] | None = None) -> list[str | Math]:
    """The text cut into plain runs (TeX text escapes resolved) and math spans, in order.

    Where ``opaque`` matches before a math span opens (a web address), its text is kept
    as it is, never read as math.

    A ``$`` opens inline math only when a non-space follows it, and closes it only when a
    non-space precedes it and no digit follows, as pandoc does: so ``costs $5 and $10 a day``
    is text. A delimiter without its partner is text.
    """
    parts: list[str | Math] = []
    plain: list[str] = []
    position = 0
    pattern = _OPENER if opaque is None else _with_opaque(opaque)
    closers = _NextCloser(text)
    while (found := pattern.search(text, position)) is not None:
        start, opener = found.start(), found.group()
        plain.append(text[position:start])
        if found.lastgroup == "opaque":
            plain.append(opener)
            position = found.end()
            continue
        if opener in TEXT_ESCAPES:
            plain.append(TEXT_ESCAPES[opener])
            position = found.end()
            continue
        end = _closing(text, found.end(), opener, closers)
        if end is None:
            plain.append(opener)
            position = found.end()
            continue
        closer_length = 1 if opener == "$" else 2
        if plain_run := "".join(plain):
            parts.append(plain_run)
        plain = []
        parts.append(
            Math(
                tex=text[found.end() : end - closer_length],
                source=text[start:end],
                display=opener in ("$$", "\\["),
            )
        )
        position = end
    plain.append(text[position:])
    if plain_run := "".join(plain):
        parts.append(plain_run)
    return parts


@lru_cache(maxsize=4)
def _with_opaque(opaque: re.Pattern[str]) -> re.Pattern[str]:
    # The lookahead lets the search skip, in C, the positions where nothing can start.
    return re.compile(
        rf"(?=[$\\hH])(?:(?P<opaque>{opaque.pattern})|{_OPENER.pattern})", opaque.flags
    )


class _NextCloser:
    """Where each closer next occurs, found by one scan of the text per closer rather than
    one per opener: hostile text opens 500,000 ``\\(`` and closes none. Openers come in
    order, so the closer found for one is the next for each later one that starts before it."""

    def __init__(self, text: str):
        self.text = text
        self.found: dict[str, int] = {}

    def at_or_after(self, closer: str, start: int) -> int:
        index = self.found.get(closer)
        if index is None or (index != -1 and index < start):
            index = self.found[closer] = self.text.find(closer, start)
        return index


def _closing(text: str, start: int, opener: str, closers: _NextCloser) -> int | None:
    """The end (past the closer) of the math span opened just before ``start``, if any."""
    limit = min(len(text), start + MAX_TEX + 2)
    if opener == "$":
        if start >= len(text) or text[start].isspace():
            return None
        index = start
        while (index := text.find("$", index, limit)) != -1:
            if text[index - 1] == "\\":
                index += 1
                continue
            following = text[index + 1 : index + 2]
            if text[index - 1].isspace() or following.isdigit() or following == "$":
                return None
            return index + 1 if index > start else None
        return None
    closer = {"$$": "$$", "\\(": "\\)", "\\[": "\\]"}[opener]
    index = closers.at_or_after(closer, start)
    if index == -1 or index + len(closer) > limit or not text[start:index].strip():
        return None
    return index + len(closer)


def math_markup(math: Math) -> str | None:
    """The span as safe MathML (a ``<math>`` element with its TeX in ``alttext``), or None
    when it stays text. Deterministic, so cached per process: a year's abstracts repeat
    ``$n$`` and ``$\\alpha$`` thousands of times."""
    return _mathml(math.tex, math.display)


@lru_cache(maxsize=8192)
def _mathml(tex: str, display: bool) -> str | None:
    if len(tex) > MAX_TEX or _opening_delimiters(tex) > MAX_OPENING:
        return None
    try:
        converted = _CONVERTER.convert_with_local_state(tex, displaystyle=display)
    except math_core.LatexError:
        return None
    return safe_mathml(converted, tex, display)


def safe_mathml(converted: str, tex: str, display: bool) -> str | None:
    """A converter's ``<math>`` output rebuilt from the allow-list, or None when it breaks
    a rule (not XML, an element outside MathML Core, too deep, too large)."""
    if "<!" in converted or "<?" in converted:
        return None
    try:
        root = ET.fromstring(_xml_entities(converted))
    except ET.ParseError:
        return None
    if _local_name(root.tag) != "math":
        return None
    body: list[str] = []
    if not _rebuild_children(root, body, depth=1, budget=[MAX_ELEMENTS]):
        return None
    opening = '<math display="block"' if display else "<math"
    markup = f'{opening} alttext="{escape(tex)}">{"".join(body)}</math>'
    # As character references, math's letters (alpha, <=, script O …) keep a page that holds
    # them one byte a character in memory: one script O (U+1D4AA) stores a body at four.
    return markup.encode("ascii", "xmlcharrefreplace").decode("ascii")


# The converter's opening delimiters (its commands.rs, and \mathopen, which makes one) and
# all of Unicode's opening punctuation. Closers are not counted against them: a group,
# a matrix cell or an optional argument ends the converter's sequence, and an opener
# left open there costs as much whatever closes after it.
_OPENING_COMMANDS = (
    "{ lAngle lBrace lVert lang langle lbrace lbrack lceil lfloor lgroup llangle llbracket "
    "llcorner lmoustache llparenthesis lparen lvert ulcorner mathopen"
)
_OPENING = frozenset(["(", "[", "⌜", "⌞", "⎰", *("\\" + c for c in _OPENING_COMMANDS.split())])
# A command defined in the span could open a delimiter unseen: such a span stays text.
_DEFINING = frozenset(
    {"\\def", "\\gdef", "\\let", "\\newcommand", "\\renewcommand", "\\providecommand"}
)
_DELIMITER_TOKEN = re.compile(r"\\(?:[A-Za-z]+|.)|[(\[]|[^\x00-\x7f]", re.DOTALL)


def _opening_delimiters(tex: str) -> int:
    """How many opening delimiters ``tex`` holds (more than MAX_OPENING when it defines a
    command): one pass over at most MAX_TEX characters."""
    count = 0
    for match in _DELIMITER_TOKEN.finditer(tex):
        token = match.group()
        if token in _DEFINING:
            return MAX_OPENING + 1
        if token in _OPENING or (len(token) == 1 and unicodedata.category(token) == "Ps"):
            count += 1
    return count


# Widened accents (\widetilde{O} is everywhere in complexity bounds) render a little rough,
# but better than TeX source; the macros are packages' spellings arXiv authors use.
_CONVERTER = math_core.LatexToMathML(
    fancy_error=False,
    allow_unreliable_rendering=True,
    macros={"mathbbm": r"\mathbb", "mathds": r"\mathbb", "mbox": r"\text", "ensuremath": ""},
)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})


def _xml_entities(markup: str) -> str:
    """HTML's named entities (the converter writes ``&ApplyFunction;``) as XML can read them."""

    def numeric(match: re.Match[str]) -> str:
        name = match[1]
        if name in _XML_ENTITIES:
            return match[0]
        character = html5.get(name + ";")
        # An unknown name stays as it is: the XML parser then refuses the whole output.
        return "".join(f"&#{ord(c)};" for c in character) if character else match[0]

    return _NAMED_ENTITY.sub(numeric, markup)


# MathML Core elements that lay out math. Left out on purpose: maction (interaction),
# semantics/annotation/annotation-xml (carry other markup; the TeX is in alttext instead).
_TRUE_FALSE = frozenset({"true", "false"})
_LENGTH = re.compile(r"^-?(?:\d{1,4}(?:\.\d{1,4})?|\.\d{1,4})(em|ex|rem|px|pt|mu|%)?$")
# The largest magnitude kept per unit: beyond it a space or rule is hostile, not typography.
_LENGTH_LIMIT = {"em": 10.0, "rem": 10.0, "ex": 20.0, "mu": 180.0, "px": 160.0, "pt": 120.0}
_MATHVARIANTS = frozenset(
    [
        "normal",
        "bold",
        "italic",
        "bold-italic",
        "double-struck",
        "bold-fraktur",
        "script",
        "bold-script",
        "fraktur",
        "sans-serif",
        "bold-sans-serif",
        "sans-serif-italic",
        "sans-serif-bold-italic",
        "monospace",
    ]
)


def _length(value: str) -> bool:
    match = _LENGTH.match(value)
    if not match:
        return False
    unit = match[1]
    if unit is None or unit == "%":
        return abs(float(value.rstrip("%"))) <= 500
    return abs(float(value[: -len(unit)])) <= _LENGTH_LIMIT[unit]


def _enum(*values: str) -> Callable[[str], bool]:
    allowed = frozenset(values)
    return allowed.__contains__


def _small_int(value: str) -> bool:
    return re.fullmatch(r"[+-]?\d", value) is not None


# An attribute's value is allowed when its check returns something true.
AttributeCheck = Callable[[str], object]

_COMMON: dict[str, AttributeCheck] = {
    "displaystyle": _TRUE_FALSE.__contains__,
    "scriptlevel": _small_int,
    "dir": _enum("ltr", "rtl"),
}
_OPERATOR: dict[str, AttributeCheck] = {
    "form": _enum("prefix", "infix", "postfix"),
    "fence": _TRUE_FALSE.__contains__,
    "separator": _TRUE_FALSE.__contains__,
    "stretchy": _TRUE_FALSE.__contains__,
    "symmetric": _TRUE_FALSE.__contains__,
    "largeop": _TRUE_FALSE.__contains__,
    "movablelimits": _TRUE_FALSE.__contains__,
    "lspace": _length,
    "rspace": _length,
    "minsize": _length,
    "maxsize": _length,
}
_SPACE: dict[str, AttributeCheck] = {"width": _length, "height": _length, "depth": _length}
_SCRIPTS: dict[str, AttributeCheck] = {
    "accent": _TRUE_FALSE.__contains__,
    "accentunder": _TRUE_FALSE.__contains__,
}
ALLOWED: dict[str, dict[str, AttributeCheck]] = {
    "mi": {"mathvariant": _MATHVARIANTS.__contains__},
    "mn": {},
    "mo": _OPERATOR,
    "ms": {},
    "mtext": {},
    "mspace": _SPACE,
    "mrow": {},
    "mstyle": {},
    "merror": {},
    "mphantom": {},
    "mpadded": {**_SPACE, "lspace": _length, "voffset": _length},
    "mfrac": {"linethickness": _length},
    "msqrt": {},
    "mroot": {},
    "msub": {},
    "msup": {},
    "msubsup": {},
    "munder": _SCRIPTS,
    "mover": _SCRIPTS,
    "munderover": _SCRIPTS,
    "mmultiscripts": {},
    "mprescripts": {},
    "none": {},
    "mtable": {},
    "mtr": {},
    "mtd": {"columnspan": re.compile(r"[1-9]\d?").fullmatch, "rowspan": _small_int},
}
MATHML_NAMESPACE = "{http://www.w3.org/1998/Math/MathML}"
# Token elements hold text; the others hold only elements (whitespace between them is dropped).
_TOKENS = frozenset({"mi", "mn", "mo", "ms", "mtext"})


def _local_name(tag: str) -> str:
    """``mi`` for ``mi`` and for the namespaced ``{…MathML}mi``; other namespaces stay foreign."""
    return tag.removeprefix(MATHML_NAMESPACE)


def _rebuild_children(parent: ET.Element, out: list[str], depth: int, budget: list[int]) -> bool:
    """Append the allowed MathML of ``parent``'s children to ``out``; False when a child
    breaks a rule, which turns the whole span back into text."""
    if depth > MAX_DEPTH:
        return False
    for child in parent:
        budget[0] -= 1
        tag = _local_name(child.tag) if isinstance(child.tag, str) else ""
        if budget[0] < 0 or tag not in ALLOWED:
            return False
        rules = ALLOWED[tag]
        attributes = "".join(
            f' {name}="{escape(value)}"'
            for name, value in child.attrib.items()
            if (check := rules.get(name) or _COMMON.get(name)) and check(value)
        )
        out.append(f"<{tag}{attributes}>")
        if tag in _TOKENS:
            text = "".join(child.itertext()) if len(child) else child.text or ""
            if len(text) > MAX_TEXT:
                return False
            out.append(escape(text, quote=False))
        elif not _rebuild_children(child, out, depth + 1, budget):
            return False
        out.append(f"</{tag}>")
    return True
