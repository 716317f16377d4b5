"""Math in arXiv text: which spans are math, and that what reaches the page is safe MathML."""

from __future__ import annotations

import random
import warnings
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from hypothesis import given
from hypothesis import strategies as st

from arxiv_digest.pages.richtext import plain_text, rich_text, rich_title
from arxiv_digest.pages.tex import _COMMON, ALLOWED, Math, math_markup, safe_mathml, split_math
from arxiv_digest_dev.hostile_tex import HOSTILE_TEX, TEX_DELIMITERS
from arxiv_digest_dev.recorded import recorded_papers

from .conftest import as_shown, shown_text
from .readers import MATH_ATTRIBUTES


def parsed(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # A text that is just an address is what some tests render.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(str(markup), "html.parser")


def maths(markup: str) -> list[Tag]:
    return parsed(markup).find_all("math")


def assert_only_safe_markup(markup: str) -> None:
    """Every element is math from the allow-list (or a link outside math), and no element in
    math carries a link, a script, an event handler, a style or a class."""
    for element in parsed(markup).find_all(True):
        if element.name == "a":
            assert element.find_parent("math") is None, markup
            assert set(element.attrs) == {"href", "rel"}, markup
            assert element["href"].startswith(("http://", "https://")), markup
            continue
        assert element.name == "math" or element.name in ALLOWED, markup
        assert element.name == "math" or element.find_parent("math") is not None, markup
        assert set(element.attrs) <= MATH_ATTRIBUTES, markup


def test_inline_dollar_math_becomes_mathml_with_its_tex_in_alttext():
    markup = rich_text(r"a rate of $O(n^{2})$ in theory")
    [math] = maths(markup)
    assert math["alttext"] == "O(n^{2})"
    assert "display" not in math.attrs
    assert math.find("msup") is not None
    assert parsed(markup).get_text().startswith("a rate of ")
    assert parsed(markup).get_text().endswith(" in theory")


@pytest.mark.parametrize(
    ("text", "tex"),
    [(r"see $$\sum_i x_i$$ here", r"\sum_i x_i"), (r"see \[\sum_i x_i\] here", r"\sum_i x_i")],
)
def test_display_math_is_a_block_that_can_scroll_in_its_own_box(text, tex):
    [math] = maths(rich_text(text))
    assert math["display"] == "block"
    assert math["alttext"] == tex


def test_backslash_parentheses_are_inline_math():
    [math] = maths(rich_text(r"with \(\alpha = 1\) fixed"))
    assert math["alttext"] == r"\alpha = 1"
    assert math.find("mi").get_text() == "\N{GREEK SMALL LETTER ALPHA}"


@pytest.mark.parametrize(
    "text",
    [
        "costs $5 and $10 a day",
        "from $5-$10 each",
        "between $ 5 and 10 $",
        "a lone $ sign",
        "unclosed $x + y",
        r"an escaped \$x\$ pair",
        "empty $$ $$ display",
        r"unclosed \(x",
        r"unclosed \[x",
    ],
)
def test_prices_escaped_and_unbalanced_dollars_are_text(text):
    markup = rich_text(text)
    assert maths(markup) == []
    assert parsed(markup).get_text() == text.replace("\\$", "$")


def test_text_escapes_outside_math_show_the_character():
    assert str(rich_text(r"improves by 5\% \& costs \$3")) == "improves by 5% &amp; costs $3"
    assert plain_text(r"improves by 5\% \& costs \$3") == "improves by 5% & costs $3"


def test_text_outside_math_is_escaped():
    markup = rich_text("<script>alert(1)</script> & $x$ <b>")
    assert parsed(markup).find("script") is None
    assert parsed(markup).find("b") is None
    assert parsed(markup).get_text() == "<script>alert(1)</script> & x <b>"


def test_unsupported_tex_stays_as_its_source_text():
    text = r"with $\unknowncommand{x}$ inside"
    markup = rich_text(text)
    assert maths(markup) == []
    assert parsed(markup).get_text() == text


@pytest.mark.parametrize("tex", HOSTILE_TEX)
@pytest.mark.parametrize("delimiters", TEX_DELIMITERS)
def test_hostile_tex_never_reaches_the_page_as_markup(tex, delimiters):
    opening, closing = delimiters
    text = f"before {opening}{tex}{closing} after"
    markup = str(rich_text(text))
    assert_only_safe_markup(markup)
    assert "javascript:" not in "".join(a.get("href", "") for a in parsed(markup).find_all("a"))
    for space in parsed(markup).find_all("mspace"):
        width = space.get("width", "0em")
        assert float(width.rstrip("emxrpt%u")) <= 10, markup
    document = parsed(markup)
    # The TeX stays readable: as the formula's alttext, or as the source text itself.
    shown = "".join(math["alttext"] for math in document.find_all("math")) + document.get_text()
    assert tex in shown


def test_deep_nesting_falls_back_to_text():
    tex = "x^{" * 200 + "1" + "}" * 200
    markup = rich_text(f"${tex}$")
    assert maths(markup) == []
    assert parsed(markup).get_text() == f"${tex}$"


def test_closing_math_tag_inside_tex_cannot_end_the_formula():
    markup = rich_text(r"$a</math><script>alert(1)</script>$ tail")
    document = parsed(markup)
    assert document.find("script") is None
    assert len(document.find_all("math")) <= 1
    assert document.get_text().endswith(" tail")


def test_title_math_is_rendered_but_addresses_are_not_links():
    markup = rich_title(r"$\alpha$-Nets, see https://example.org")
    assert len(maths(markup)) == 1
    assert parsed(markup).find("a") is None


def test_plain_text_keeps_the_tex_source_for_feeds_and_search():
    text = r"We bound $\|x\|_2$ and \(y\) at 5\% cost"
    assert plain_text(text) == r"We bound $\|x\|_2$ and \(y\) at 5% cost"


def test_split_math_returns_sources_in_order():
    parts = split_math(r"a $x$ b $$y$$ c")
    assert parts == ["a ", Math("x", "$x$", False), " b ", Math("y", "$$y$$", True), " c"]


def test_text_without_math_escapes_or_addresses_is_only_escaped():
    assert str(rich_text("Plain words & <more>")) == "Plain words &amp; &lt;more&gt;"


FRAGMENTS = [
    "$",
    "$$",
    "\\(",
    "\\)",
    "\\[",
    "\\]",
    "\\$",
    "{",
    "}",
    "^",
    "_",
    "x",
    "1",
    " ",
    "\\frac",
    "\\sqrt",
    "\\text{",
    "\\href{javascript:alert(1)}",
    "\\style{color:red}",
    "\\class{a}",
    "\\unicode{60}",
    "\\rule{9999em}{1em}",
    "\\color{red}",
    "<",
    ">",
    "&",
    '"',
    "'",
    "</math>",
    "<script>",
    "<a href=x>",
    " onclick=",
    "https://github.com/a/b",
    "http://x.org/?a=1&b=<2>",
    "javascript:alert(1)",
    "\\begin{pmatrix}",
    "\\end{pmatrix}",
    "\\\\",
    "&amp;",
    "&ApplyFunction;",
    "\\mathbb{R}",
    "\\alpha",
]


def test_random_tex_and_html_fragments_never_escape_the_allow_list():
    generator = random.Random(12)
    for _ in range(600):
        text = "".join(generator.choices(FRAGMENTS, k=generator.randint(1, 25)))
        assert_only_safe_markup(str(rich_text(text)))
        assert_only_safe_markup(str(rich_title(text)))


# What latex2mathml 3.81 made of hostile TeX (measured): a converter's output is never trusted.
CONVERTER_OUTPUTS = [
    '<math><mrow href="javascript:alert(1)"><mi>x</mi></mrow></math>',
    '<math><mrow style="color:red" class="evil" id="a" onclick="alert(1)"><mi>x</mi></mrow></math>',
    '<math><mspace mathbackground="black" width="100000cm" height="1cm" /></math>',
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '<math><mi mathvariant="x&quot; onload=&quot;alert(1)">x</mi></math>',
    '<math><mo lspace="expression(alert(1))">+</mo></math>',
    '<math><a href="https://evil.example/"><mi>x</mi></a></math>',
    '<math><semantics><mi>x</mi><annotation-xml encoding="text/html"><b>x</b>'
    "</annotation-xml></semantics></math>",
    '<math><maction actiontype="toggle"><mi>x</mi></maction></math>',
    '<math><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg></math>',
    "<math><mi>x</mi></math><script>alert(1)</script>",
    "<!DOCTYPE math [<!ENTITY a 'x'>]><math><mi>&a;</mi></math>",
    "<math><mi>&unknownentity;</mi></math>",
    "<math>" + "<mrow>" * 40 + "<mi>x</mi>" + "</mrow>" * 40 + "</math>",
    "<math>" + "<mi>x</mi>" * 5000 + "</math>",
]


@pytest.mark.parametrize("converted", CONVERTER_OUTPUTS)
def test_converter_output_is_rebuilt_from_the_allow_list(converted):
    rebuilt = safe_mathml(converted, "x", display=False)
    if rebuilt is None:
        return  # refused: the span is shown as its TeX source
    assert_only_safe_markup(rebuilt)
    document = parsed(rebuilt)
    assert document.find("script") is None
    for element in document.find_all(True):
        assert not any(name.startswith("on") for name in element.attrs)
        assert "style" not in element.attrs
        assert "class" not in element.attrs
        assert "href" not in element.attrs


def test_unsafe_attributes_are_dropped_and_the_formula_kept():
    rebuilt = safe_mathml(
        '<math><mrow href="javascript:alert(1)" style="color:red"><mi>x</mi></mrow></math>',
        "x",
        display=False,
    )
    assert rebuilt == '<math alttext="x"><mrow><mi>x</mi></mrow></math>'


def test_a_huge_space_loses_its_size():
    rebuilt = safe_mathml('<math><mspace width="100000cm"/><mspace width="1em"/></math>', "", False)
    assert rebuilt == '<math alttext=""><mspace></mspace><mspace width="1em"></mspace></math>'


def test_math_is_written_in_ascii_and_read_as_its_letters():
    markup = str(rich_text(r"in $\mathcal{O}(n)$ with $\alpha \le 1$"))
    assert markup.isascii()  # a body holding it stays one byte a character in memory
    calligraphic, alpha = (m.get_text() for m in maths(markup))
    assert calligraphic.startswith("\U0001d4aa")  # (then a variation selector: chancery)
    assert alpha == "\u03b1\u22641"


def test_markup_inside_a_token_is_shown_as_text():
    rebuilt = safe_mathml("<math><mtext><script>alert(1)</script></mtext></math>", "", False)
    assert rebuilt == '<math alttext=""><mtext>alert(1)</mtext></math>'


def test_namespaced_mathml_is_read_and_other_namespaces_refused():
    namespaced = '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>'
    assert safe_mathml(namespaced, "x", False) == '<math alttext="x"><mi>x</mi></math>'
    svg = '<math><svg xmlns="http://www.w3.org/2000/svg"><mi>x</mi></svg></math>'
    assert safe_mathml(svg, "x", False) is None


def test_math_of_recorded_arxiv_papers_converts():
    spans = [
        part
        for paper in recorded_papers()
        for text in (paper.title, paper.abstract, paper.comment)
        for part in split_math(text)
        if isinstance(part, Math)
    ]
    failed = [span.source for span in spans if math_markup(span) is None]
    assert len(spans) > 50
    assert failed == []


def test_more_than_1500_elements_in_a_formula_is_text():
    """The README's bound: a formula that expands to more than 1,500 elements stays text."""
    at_bound = "<math>" + "<mi>x</mi>" * 1500 + "</math>"
    assert safe_mathml(at_bound, "x", display=False) is not None
    assert safe_mathml(at_bound.replace("<math>", "<math><mi>x</mi>"), "x", False) is None


def test_more_than_24_levels_of_nesting_is_text():
    def nested(depth: int) -> str:
        return (
            "<math>" + "<mrow>" * (depth - 1) + "<mi>x</mi>" + "</mrow>" * (depth - 1) + "</math>"
        )

    assert safe_mathml(nested(24), "x", display=False) is not None
    assert safe_mathml(nested(25), "x", display=False) is None


# math-core 0.9 takes time exponential in the opening delimiters a formula leaves open: 30
# take 47 s, 40 would take hours. These finish at once only because such a span is text.
@pytest.mark.parametrize(
    "tex",
    [
        "(" * 40,
        r"\langle a" * 40,
        "x_{" + "[" * 40 + "}",
        r"\mathopen{(}" * 40,
        "\N{MATHEMATICAL LEFT ANGLE BRACKET}" * 40,
        r"\lvert" * 13,
        r"\def\a{(}" + r"\a" * 40,
    ],
)
def test_a_formula_holding_many_opening_delimiters_stays_text(tex):
    text = f"see ${tex}$ here"
    markup = rich_text(text)
    assert maths(markup) == []
    assert parsed(markup).get_text() == text


def test_twelve_opening_delimiters_still_make_a_formula():
    """The README's bound: up to 12 opening delimiters in one formula are math."""
    [math] = maths(rich_text(f"see ${'(' * 6}x{')' * 6}{'[' * 6}y$ here"))
    assert math["alttext"] == "((((((x))))))[[[[[[y"
    assert maths(rich_text(f"see ${'(' * 7}x{')' * 7}{'[' * 6}y$ here")) == []


# Property-based (Hypothesis, profile in conftest.py): any text, however it mixes math,
# markup and addresses, renders as well-formed markup of the allow-list, and never raises.

_TEX_PIECES = [
    *FRAGMENTS,
    "(",
    ")",
    "[",
    "]",
    "\\langle",
    "\\left(",
    "\\right)",
    "\\\\",
    "&",
    "\\begin{matrix}",
    "\\end{matrix}",
    "\\mathopen{",
    "\\def\\a{(}\\a",
    "%",
    "#",
    "~",
    "\\_",
    "\\%",
    "\n",
    "\N{MATHEMATICAL SCRIPT CAPITAL O}",
    "\N{RIGHT-TO-LEFT OVERRIDE}",
    "é",
]
# Text as the store holds it: no surrogates and no control characters (the fetcher drops them).
_CHARACTERS = st.characters(exclude_categories=("Cs", "Cc"))
ARXIV_TEXTS = st.one_of(
    st.lists(st.sampled_from(_TEX_PIECES), max_size=40).map("".join),
    st.text(_CHARACTERS, max_size=120),
    st.lists(
        st.one_of(st.sampled_from(_TEX_PIECES), st.text(_CHARACTERS, max_size=5)), max_size=30
    ).map("".join),
)
_MATH_ATTRIBUTES = frozenset({"alttext", "display"})


def assert_allow_listed_tree(root: ET.Element) -> None:
    """Every element of a parsed rendering is a link outside math, or math of the allow-list
    whose every attribute passes its check."""
    for element in root:
        if element.tag == "a":
            assert set(element.attrib) == {"href", "rel"}
            assert element.get("rel") == "nofollow"
            assert element.get("href", "").lower().startswith(("http://", "https://"))
            assert len(element) == 0
        else:
            assert element.tag == "math"
            assert set(element.attrib) <= _MATH_ATTRIBUTES
            assert element.get("display", "block") == "block"
            for inner in element.iter():
                if inner is element:
                    continue
                assert inner.tag in ALLOWED
                for name, value in inner.attrib.items():
                    check = ALLOWED[inner.tag].get(name) or _COMMON.get(name)
                    assert check is not None, (inner.tag, name)
                    assert check(value), (inner.tag, name, value)


@given(ARXIV_TEXTS)
def test_any_text_renders_as_well_formed_allow_listed_markup(text):
    for render in (rich_text, rich_title):
        markup = str(render(text))
        root = ET.fromstring(f"<p>{markup}</p>")  # raises unless well-formed
        assert_allow_listed_tree(root)
        if render is rich_title:
            assert root.find("a") is None


@pytest.mark.filterwarnings("ignore::bs4.MarkupResemblesLocatorWarning")
@given(ARXIV_TEXTS)
def test_a_title_shows_all_its_text_and_nothing_more(text):
    assert shown_text(rich_title(text)) == as_shown(text)


@given(st.lists(st.sampled_from(_TEX_PIECES), max_size=40).map("".join), st.booleans())
def test_any_tex_becomes_allow_listed_mathml_or_stays_text(tex, display):
    markup = math_markup(Math(tex, f"${tex}$", display))
    if markup is None:
        return
    root = ET.fromstring(f"<p>{markup}</p>")
    [math] = list(root)
    # (An XML parser reads a line break in an attribute as a space; a browser keeps it.)
    assert math.get("alttext") == " ".join(tex.split("\n"))
    assert_allow_listed_tree(root)


_TAGS = [*ALLOWED, "math", "a", "script", "svg", "semantics", "annotation-xml", "maction", "x"]
_ATTRIBUTE_NAMES = sorted(
    {name for rules in ALLOWED.values() for name in rules} | {*_COMMON, "href", "style", "onclick"}
)
_ATTRIBUTE_VALUES = st.one_of(
    st.sampled_from(["1em", "100000cm", "-3.5ex", "true", "bold", "javascript:alert(1)", "2"]),
    st.text(_CHARACTERS, max_size=8),
)


def _element(tag: str, attributes: dict[str, str], text: str, children) -> ET.Element:
    element = ET.Element(tag, attributes)
    element.text = text
    element.extend(children)
    return element


def _elements(children: st.SearchStrategy[list[ET.Element]]) -> st.SearchStrategy[ET.Element]:
    return st.builds(
        _element,
        st.sampled_from(_TAGS),
        st.dictionaries(st.sampled_from(_ATTRIBUTE_NAMES), _ATTRIBUTE_VALUES, max_size=3),
        st.text(_CHARACTERS, max_size=6),
        children,
    )


# What a converter might write: trees of MathML, foreign and unknown elements and attributes.
CONVERTER_TREES = st.recursive(
    _elements(st.just([])), lambda inner: _elements(st.lists(inner, max_size=3)), max_leaves=12
)


@given(CONVERTER_TREES)
def test_any_converter_output_is_rebuilt_from_the_allow_list_or_refused(tree):
    converted = "<math>" + ET.tostring(tree, encoding="unicode") + "</math>"
    rebuilt = safe_mathml(converted, "x", display=False)
    if rebuilt is not None:
        assert_allow_listed_tree(ET.fromstring(f"<p>{rebuilt}</p>"))
