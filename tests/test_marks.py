"""Why a paper is listed: its keywords' phrases marked in its title and abstract, safely, on
the HTML richtext makes (escaped text, MathML, links); and on a built site."""

from __future__ import annotations

import re
from html import unescape

import pytest
from bs4 import BeautifulSoup

from arxiv_digest.model.keywords import Keyword
from arxiv_digest.pages.marks import keyword_pattern, mark_phrases, matched_phrases, phrase_pattern
from arxiv_digest.pages.richtext import rich_text, rich_title

from .conftest import Project, make_paper


def marked(text: str, *terms: str) -> str:
    """An abstract as a page shows it, with ``terms`` marked."""
    return str(mark_phrases(rich_text(text), phrase_pattern(terms)))


def marks(html: str) -> list[str]:
    return [unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", html)]


def unmarked(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_a_phrase_is_marked_ignoring_case_hyphens_and_plurals_as_arxiv_matches_it():
    # 2601.22737 in the sample store was matched by "Vision Language Model" so written.
    html = marked(
        "Vision-Language Models (VLMs) beat a vision language model and a VLM.",
        "Vision Language Model",
        "VLM",
    )
    assert marks(html) == ["Vision-Language Models", "VLMs", "vision language model", "VLM"]


def test_only_whole_words_are_marked():
    assert marks(marked("VLMx and xVLM and VLM_2 are not VLM.", "VLM")) == ["VLM"]


def test_the_longer_of_two_phrases_starting_together_is_marked():
    html = marked("A large language model.", "language", "large language model")
    assert marks(html) == ["large language model"]


def test_text_without_a_match_is_unchanged_to_the_byte():
    text = "Costs &amp; <b>benefits</b> of $x^2$, see https://example.org/a?b=1&c=2."
    assert marked(text, "diffusion") == str(rich_text(text))


@pytest.mark.parametrize("term", ["<", "&", ">", '"', "'", ".*", "(", "[", "\\", "|"])
def test_a_term_without_a_word_marks_nothing(term):
    text = "A < B & C > D \"quoted\" 'single' .* ( [ \\ | &amp; end"
    assert marked(text, term) == str(rich_text(text))


def test_an_entity_is_never_cut_by_a_mark():
    # Terms that spell an entity's name, and text that holds entities.
    html = marked("AT&T and R&D: amp, lt and 39 < quot.", "amp", "lt", "39", "quot", "T")
    assert marks(html) == ["T", "amp", "lt", "39", "quot"]
    assert unmarked(html) == str(rich_text("AT&T and R&D: amp, lt and 39 < quot."))
    assert re.findall(r"&[^;]*;", html) == ["&amp;", "&amp;", "&lt;"]


def test_a_term_with_markup_in_it_is_marked_as_text():
    html = marked("We parse <script>alert(1)</script> tags.", "<script>")
    assert "<script>" not in html
    assert marks(html) == ["script", "script"]
    assert BeautifulSoup(html, "html.parser").find("script") is None


def test_a_link_address_is_never_marked_in_its_href():
    text = "Code: https://github.com/org/href-tool and href notes."
    html = marked(text, "href", "github")
    soup = BeautifulSoup(html, "html.parser")
    assert soup.a["href"] == "https://github.com/org/href-tool"
    # The link's text is text, and is marked like the rest; its address is not.
    assert marks(html) == ["github", "href", "href"]
    assert 'href="https://github.com/org/href-tool"' in html


def test_a_phrase_running_into_a_link_is_not_marked():
    text = "See https://example.org/page for the code."
    html = marked(text, "see https", "page for")
    assert marks(html) == []
    assert html == str(rich_text(text))


def test_nothing_inside_a_formula_is_marked():
    text = r"A math model $\mathrm{math} + x_{model}$ and $\text{VLM}$ for math."
    html = marked(text, "math", "model", "VLM", "mi", "alttext", "display")
    soup = BeautifulSoup(html, "html.parser")
    for formula in soup.find_all("math"):
        assert formula.find("mark") is None
    plain = BeautifulSoup(str(rich_text(text)), "html.parser")
    assert [str(m) for m in soup.find_all("math")] == [str(m) for m in plain.find_all("math")]
    assert marks(html) == ["math", "model", "math"]


def test_a_phrase_across_a_formula_is_not_marked():
    text = r"vision $x$ language model"
    assert marks(marked(text, "vision language model")) == []


def test_a_title_is_marked_through_its_math():
    html = str(mark_phrases(rich_title(r"A $\alpha$-VLM for video"), phrase_pattern(["VLM"])))
    assert marks(html) == ["VLM"]
    assert "<math" in html
    assert "<a " not in html


@pytest.mark.parametrize("term", ["math", "mark", "href", "script", "alttext", "rel", "nofollow"])
def test_marking_never_breaks_the_markup(term):
    text = (
        r"A $\mathbf{math}$ mark of <mark> and href=x script "
        "alttext rel nofollow at https://example.org/math?mark=1&href=2."
    )
    html = marked(text, term)
    before = BeautifulSoup(str(rich_text(text)), "html.parser")
    after = BeautifulSoup(html, "html.parser")
    assert after.get_text() == before.get_text()
    # Every element the text had is there, with the same attributes; formulas are whole.
    assert [(t.name, t.attrs) for t in after.find_all(True) if t.name != "mark"] == [
        (t.name, t.attrs) for t in before.find_all(True)
    ]
    assert [str(m) for m in after.find_all("math")] == [str(m) for m in before.find_all("math")]
    for formula in before.find_all("math"):
        formula.decompose()
    assert len(marks(html)) == len(re.findall(rf"(?i)(?<!\w){term}(?!\w)", before.get_text()))


def test_regex_metacharacters_in_a_term_are_literal():
    html = marked("A C++ model, a (v1.2) release and v1x2.", "v1.2", "C++")
    assert marks(html) == ["C", "v1.2"]


def test_a_long_abstract_is_marked_in_linear_time():
    # Hostile: many near-misses (the separators and the first word, over and over).
    text = ("vision " + "- " * 2000 + "language ") * 200
    pattern = phrase_pattern(["vision language model"])
    assert marks(str(mark_phrases(text, pattern))) == []
    # Whole phrases inside words: each found, then refused for not starting a word.
    inside = ("xvision " + "- " * 2000 + "language model ") * 200
    assert marks(str(mark_phrases(inside, pattern))) == []
    big = "Vision language model. " * 20000
    assert len(marks(str(mark_phrases(big, pattern)))) == 20000


def keyword(slug: str, terms: tuple[str, ...], fields=("title", "abstract")) -> Keyword:
    return Keyword(name=slug, slug=slug, terms=terms, fields=fields)


def test_only_the_fields_a_keyword_searched_are_marked():
    title_only = keyword("t", ("VLM",), fields=("title",))
    everywhere = keyword("a", ("diffusion",), fields=("all",))
    assert marks(matched_phrases("VLM diffusion", [title_only, everywhere], "title")) == [
        "VLM",
        "diffusion",
    ]
    assert marks(matched_phrases("VLM diffusion", [title_only, everywhere], "abstract")) == [
        "diffusion"
    ]


def test_a_raw_query_keyword_marks_nothing():
    raw = Keyword(name="Raw", slug="raw", query='ti:"diffusion"')
    assert keyword_pattern((raw,), "title") is None
    assert str(matched_phrases("diffusion", [raw], "title")) == "diffusion"


SITE_KEYWORDS = """\
keywords:
  - name: Vision Language Model
    slug: vlm
    terms: ["Vision Language Model", "VLM"]
  - name: Video
    terms: ["video understanding"]
"""


def test_a_built_page_marks_the_phrases_of_every_keyword_a_paper_matched(tmp_path):
    project = Project(tmp_path / "site", SITE_KEYWORDS)
    paper = make_paper(
        "2601.00001",
        title="Vision-Language Models for Video Understanding",
        abstract="A VLM reads a video; video understanding needs $x$ and https://x.org/VLM.",
        keywords=("vlm", "video"),
    )
    other = make_paper("2601.00002", title="VLM alone", abstract="A VLM.", keywords=("video",))
    project.add_day("2026-01-26", [paper, other])
    project.build()
    for url in ["/2026/01/26/", "/keywords/vlm/", "/categories/cs.CV/", "/"]:
        article = project.page(url).find("article", id="2601.00001")
        title = [m.get_text() for m in article.find(["h2", "h3", "h4"]).find_all("mark")]
        abstract = [m.get_text() for m in article.select("details.abstract mark")]
        assert title == ["Vision-Language Models", "Video Understanding"], url
        assert abstract == ["VLM", "video understanding", "VLM"], url
        assert article.find("a", href="https://x.org/VLM")
        # A paper is marked for its own keywords only: "video" did not match "VLM".
        alone = project.page(url).find("article", id="2601.00002")
        assert alone is None or alone.find("mark") is None, url
    assert project.page("/2026/01/26/").find("article", id="2601.00002")


def test_changed_terms_mark_again_on_a_rebuild(tmp_path):
    project = Project(tmp_path / "site", SITE_KEYWORDS)
    project.add_day("2026-01-26", [make_paper(title="A VLM and a Vision Language Model")])
    project.build()
    project.keywords_file.write_text(SITE_KEYWORDS.replace('"Vision Language Model", ', ""))
    project.build()
    article = project.page("/2026/01/26/").find("article")
    assert [m.get_text() for m in article.h4.find_all("mark")] == ["VLM"]
