"""Markup per paper: what the theme's paper markup costs on digest pages, beside its text.

Definition (the lean-markup target of the performance issue):

* a page's **papers** are its ``<article class="paper" …>…</article>`` elements; the page
  **chrome** is everything outside them (head, header, navigation, table of contents,
  keyword headings, "also matched" lines, footer);
* **MathML** is every ``<math …>…</math>`` element inside a paper: left out entirely;
* a paper's **text** is what remains of it once every tag is cut (entities count as the
  text they escape);
* **markup per paper** = (bytes of the papers - their MathML - their text) / papers,
  i.e. (page bytes - chrome - MathML - text) / papers, in UTF-8 bytes, summed over pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

PAPER = re.compile(r'<article class="paper"[^>]*>.*?</article>', re.S)
MATH = re.compile(r"<math\b.*?</math>", re.S)
TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class PaperMarkup:
    """Bytes of the papers on some pages, split into markup, text and MathML."""

    pages: int
    papers: int
    markup: int
    text: int
    math: int
    chrome: int  # everything outside the papers

    @property
    def markup_per_paper(self) -> float:
        return self.markup / self.papers if self.papers else 0.0

    @property
    def text_per_paper(self) -> float:
        return self.text / self.papers if self.papers else 0.0

    def __add__(self, other: PaperMarkup) -> PaperMarkup:
        return PaperMarkup(
            self.pages + other.pages,
            self.papers + other.papers,
            self.markup + other.markup,
            self.text + other.text,
            self.math + other.math,
            self.chrome + other.chrome,
        )


NONE = PaperMarkup(0, 0, 0, 0, 0, 0)


def paper_markup(html: str) -> PaperMarkup:
    """Split one page's bytes as the module docstring defines."""
    papers = PAPER.findall(html)
    inside = sum(len(p.encode("utf-8")) for p in papers)
    math = text = 0
    for paper in papers:
        math += sum(len(m.encode("utf-8")) for m in MATH.findall(paper))
        text += len(TAG.sub("", MATH.sub("", paper)).encode("utf-8"))
    return PaperMarkup(
        pages=1,
        papers=len(papers),
        markup=inside - math - text,
        text=text,
        math=math,
        chrome=len(html.encode("utf-8")) - inside,
    )


def pages_markup(pages: Iterable[str]) -> PaperMarkup:
    total = NONE
    for html in pages:
        total += paper_markup(html)
    return total
