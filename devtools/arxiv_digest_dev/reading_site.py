"""A site for reading: the recorded arXiv papers, plus papers written for the hard cases of
math, addresses and citations. Built by the reading tests, the browser tests and
``scripts/screenshots.py`` (the README's math).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from arxiv_digest.model.paper import Author, Paper
from arxiv_digest_dev.hostile_tex import HOSTILE_TEX, TEX_DELIMITERS
from arxiv_digest_dev.recorded import recorded_papers
from arxiv_digest_dev.sites import Project, make_paper

KEYWORDS_YAML = """\
keywords:
  - name: Software Testing
    slug: testing
    terms: [testing]
"""
RECORDED_DAY = date(2026, 1, 27)
HARD_DAY = date(2026, 1, 28)
DAY_URLS = {RECORDED_DAY: "/2026/01/27/", HARD_DAY: "/2026/01/28/"}

# Each hostile TeX of the converter tests, once per kind of delimiter.
HOSTILE_ABSTRACT = " ".join(
    f"Case {n}: {opening}{tex}{closing}."
    for n, tex in enumerate(HOSTILE_TEX)
    for opening, closing in TEX_DELIMITERS
)
TALL = r"\frac{\sum_{i=1}^{n} x_i^{2}}{\prod_{j=1}^{m} \sqrt{y_j + \frac{1}{z_j}}}"
LONG = " + ".join(f"a_{{{n}}} x^{{{n}}}" for n in range(1, 40))


def hard(paper_id: str, **fields) -> Paper:
    return make_paper(
        paper_id,
        updated="2026-01-27T15:00:00Z",
        published="2026-01-27T15:00:00Z",
        keywords=("testing",),
        **fields,
    )


HARD = {
    "math": hard(
        "2601.10001",
        title=r"Testing $\alpha$-Nets in $O(n^{2})$ Time",
        abstract=(
            rf"A bound $M = O(K^2\log{{(N/K)}}/p^3)$ holds, a tall one ${TALL}$ too, "
            rf"and a display $$\sum_{{i=1}}^{{n}} i = \frac{{n(n+1)}}{{2}}$$ and \(x\) and "
            rf"\[y = 2x\] end, then a long one ${LONG}$ and $${LONG}$$ done."
        ),
        comment=(
            r"12 pages; the proof of $\lambda_{\max}(A) \le \|A\|_2$ in the appendix, "
            r"with $\frac{a}{b}$ and more words to pass the fold of a long comment."
        ),
    ),
    "hostile": hard(
        "2601.10002",
        title=r"Testing \href{javascript:alert(1)}{$x$} and $\style{color:red}{y}$",
        abstract=HOSTILE_ABSTRACT,
        comment=r"See $x</math><script>alert(1)</script>$ and $\unicode{x3C}$",
    ),
    "prices": hard(
        "2601.10003",
        title="Testing at a Price",
        abstract=(
            r"It costs $5 and $10 a day, a lone $ sign, \$20 in TeX, "
            r"and an unbalanced $x + y, all text."
        ),
    ),
    "code": hard(
        "2601.10004",
        title="Testing With Code",
        abstract=(
            "Code: https://github.com/acme/tool. Models (see https://huggingface.co/acme/m), "
            "data at https://example.org/data; project https://acme.github.io/tool/, done."
        ),
        comment="Mirror: https://gitlab.com/acme/tool!",
    ),
    "author": hard(
        "2601.10005",
        title="Testing Names {and} Braces: 50% & More",
        authors=(Author("O'Neil {Jr.}"), Author("Zoë Ñúñez-García"), Author("李小龙")),
        abstract="Names with braces, apostrophes and accents.",
        doi="10.1000/xyz-123",
        primary_category="cs.SE",
        categories=("cs.SE", "cs.LG"),
    ),
}
CODE_LINKS = {"Code": "https://github.com/acme/tool", "Project": "https://acme.github.io/tool/"}


def reading_papers() -> dict[date, list[Paper]]:
    """Day -> its papers: the recorded ones on one day, the hard cases on the next."""
    return {RECORDED_DAY: list(recorded_papers()), HARD_DAY: list(HARD.values())}


def build_reading_site(root: Path) -> Project:
    project = Project(root, KEYWORDS_YAML)
    for day, papers in reading_papers().items():
        project.add_day(day, papers)
    project.build()
    return project
