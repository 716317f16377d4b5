"""Addresses in abstracts and comments become links; code and project pages are lifted out."""

from __future__ import annotations

import random
import re
import warnings
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from hypothesis import given
from hypothesis import strategies as st

from arxiv_digest.model.paper import Paper
from arxiv_digest.pages.links import (
    URL,
    CodeLink,
    _url_matches,
    code_links,
    find_urls,
    has_code,
    link_kind,
    linkify,
)
from arxiv_digest.pages.richtext import rich_text


def parsed(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(str(markup), "html.parser")


def links(text: str) -> list[str]:
    return [a["href"] for a in parsed(rich_text(text)).find_all("a")]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Code: https://github.com/a/b.", "https://github.com/a/b"),
        ("at https://github.com/a/b, and", "https://github.com/a/b"),
        ("at https://github.com/a/b; and", "https://github.com/a/b"),
        ("at https://github.com/a/b: and", "https://github.com/a/b"),
        ("(code at https://github.com/a/b)", "https://github.com/a/b"),
        ("(code at https://github.com/a/b).", "https://github.com/a/b"),
        (
            "see https://en.wikipedia.org/wiki/Set_(mathematics).",
            "https://en.wikipedia.org/wiki/Set_(mathematics)",
        ),
        ("[https://x.org/a]", "https://x.org/a"),
        ("'https://x.org/a'", "https://x.org/a"),
        ("is https://x.org/a?b=1&c=2!", "https://x.org/a?b=1&c=2"),
        ("the code (https://github.com/a/b)*", "https://github.com/a/b"),
        ("see https://x.org/a*", "https://x.org/a"),
        ("see https://x.org/a*.", "https://x.org/a"),
        (r"at https://github.com/a/my\_repo.", "https://github.com/a/my_repo"),
        ("HTTPS://EXAMPLE.ORG/x", "HTTPS://EXAMPLE.ORG/x"),
    ],
)
def test_address_loses_the_punctuation_after_it(text, url):
    assert links(text) == [url]


def test_link_is_lean_and_opens_nothing_of_ours():
    markup = str(rich_text("Code: https://github.com/a/b"))
    assert markup == (
        'Code: <a href="https://github.com/a/b" rel="nofollow">https://github.com/a/b</a>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "click javascript://x.org/%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://x.org/file",
        "xhttps://x.org/a",
        "https://",
        "https:// x.org",
        "https://localhost/a",
        "see http://[ here",  # found by Hypothesis: urlsplit raised, and so did the build
        "see http://[x.org/a here",
        "see https://[::1]/a here",
    ],
)
def test_only_web_addresses_with_a_host_are_links(text):
    markup = rich_text(text)
    assert parsed(markup).find("a") is None
    assert parsed(markup).get_text() == text


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ('see https://x.org/a"onmouseover="alert(1) here', "https://x.org/a"),
        ("see https://x.org/a<script>alert(1)</script>", "https://x.org/a"),
        ("see https://x.org/a>b", "https://x.org/a"),
        ("see https://x.org/{a}", "https://x.org/"),
    ],
)
def test_address_ends_where_it_could_leave_its_attribute(text, url):
    document = parsed(rich_text(text))
    [link] = document.find_all("a")
    assert link["href"] == url
    assert set(link.attrs) == {"href", "rel"}
    assert document.find("script") is None
    assert document.get_text() == text


def test_math_is_never_made_a_link_and_an_address_never_math():
    text = r"$\text{https://x.org/a}$ then https://x.org/b$c$d and $y$"
    document = parsed(rich_text(text))
    assert [a["href"] for a in document.find_all("a")] == ["https://x.org/b$c$d"]
    assert [m["alttext"] for m in document.find_all("math")] == [r"\text{https://x.org/a}", "y"]
    for math in document.find_all("math"):
        assert math.find("a") is None


def test_find_urls_gives_positions_in_the_text():
    text = "a https://x.org/b. c"
    assert find_urls(text) == ((2, 17, "https://x.org/b"),)
    assert text[2:17] == "https://x.org/b"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com/owner/repo", "Code"),
        ("https://www.github.com/owner/repo/tree/main", "Code"),
        ("https://gitlab.com/group/project", "Code"),
        ("https://codeberg.org/owner/repo", "Code"),
        ("https://bitbucket.org/owner/repo", "Code"),
        ("https://huggingface.co/org/model", "Code"),
        ("https://sourceforge.net/projects/x", "Code"),
        ("https://owner.github.io/project/", "Project"),
        ("https://github.com/owner", None),
        ("https://github.com", None),
        ("https://example.org/code", None),
        ("https://github.com.evil.example/a/b", None),
        ("https://notgithub.com/a/b", None),
    ],
)
def test_link_kind(url, kind):
    assert link_kind(url) == kind


def paper(abstract: str = "", comment: str = "") -> Paper:
    return Paper(id="2601.00001", version=1, title="T", abstract=abstract, comment=comment)


def test_code_and_project_are_lifted_from_abstract_then_comment():
    found = code_links(
        paper(
            abstract="We release https://example.org/data and https://github.com/a/b.",
            comment="Project page: https://a.github.io/b/. Also https://gitlab.com/c/d",
        )
    )
    assert found == (
        CodeLink("Code", "https://github.com/a/b"),
        CodeLink("Project", "https://a.github.io/b/"),
    )
    assert has_code(paper(comment="code: https://github.com/a/b)"))


def test_a_paper_without_code_has_no_code_links():
    assert code_links(paper(abstract="See https://example.org and https://github.com/a")) == ()
    assert not has_code(paper(comment="Project page https://a.github.io"))


def test_addresses_are_found_exactly_where_the_url_pattern_finds_them():
    """find_urls looks only around each "://"; it must find what a full scan finds."""
    rng = random.Random(12)
    pieces = ["http", "https", "HTTPS", "://", "x", "/", ".", "a.b", " ", "@", "h", ":", "(", "\\_"]
    texts = ["".join(rng.choice(pieces) for _ in range(20)) for _ in range(5000)]
    for text in texts:
        assert [m.span() for m in _url_matches(text)] == [m.span() for m in URL.finditer(text)]


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/a?b=1&amp;c=2",
        "https://x.org/a?b=1&lt;c",
        "https://x.org/?x&copy/y",
        "https://x.org/a?q=%22&amp=1",
    ],
)
def test_an_address_with_an_ampersand_links_to_exactly_what_it_shows(url):
    [link] = parsed(rich_text(f"see {url} here")).find_all("a")
    assert link["href"] == url
    assert link.get_text() == url


# An address followed by many closing brackets or full stops: each is trimmed in one pass
# (the trim was quadratic: 100,000 ")" took 12 s to build, these would take a minute each).
@pytest.mark.parametrize("tail", [")", "]", ".", ".)*", "')"])
def test_200_000_trailing_characters_are_trimmed_from_an_address(tail):
    text = "see https://x.org/a" + tail * (200_000 // len(tail))
    assert find_urls(text) == ((4, 19, "https://x.org/a"),)


def test_brackets_an_address_opens_are_kept_however_many_follow():
    text = "see https://x.org/" + "(" * 5000 + "a" + ")" * 10_000
    [(_, _, url)] = find_urls(text)
    assert url == "https://x.org/" + "(" * 5000 + "a" + ")" * 5000


# Property-based (Hypothesis, profile in conftest.py): for any text, every link is an
# http(s) address of the text, shown as it links, and the text reads as it was written.

_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTPS://",
        "hTTp://",
        "x.org",
        "a.b.c",
        "github.com/a/b",
        "localhost",
        "/",
        ".",
        ",",
        ";",
        ":",
        "!",
        "?",
        "*",
        "'",
        '"',
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "<",
        ">",
        "&",
        "&amp;",
        "&copy",
        "&#",
        "\\_",
        "\\%",
        "\\",
        "%20",
        "#",
        "=",
        "@",
        "|",
        "`",
        "^",
        "~",
        "$",
        " ",
        "\n",
        "é",
        "x",
    ]
)
_CHARACTERS = st.characters(exclude_categories=("Cs", "Cc"))
# An address most of the time, with anything after its host.
_ADDRESSES = st.tuples(
    st.sampled_from(["see ", "", "(", "x"]),
    st.sampled_from(["http://", "https://", "HTTPS://"]),
    st.sampled_from(["x.org/", "a.b.c", "github.com/a/b"]),
    st.lists(_PIECES, max_size=12).map("".join),
).map("".join)
LINK_TEXTS = st.one_of(
    _ADDRESSES,
    st.lists(_PIECES, max_size=30).map("".join),
    st.lists(st.one_of(_PIECES, st.text(_CHARACTERS, max_size=4)), max_size=20).map("".join),
)


@given(LINK_TEXTS)
def test_every_link_is_an_escaped_web_address_of_the_text(text):
    root = ET.fromstring(f"<p>{linkify(text)}</p>")  # raises unless well-formed
    found = find_urls(text)
    links = list(root)
    assert [a.tag for a in links] == ["a"] * len(found)
    shown, position = [], 0
    for link, (start, end, url) in zip(links, found, strict=True):
        assert link.get("href") == url
        assert link.text == url
        assert url.lower().startswith(("http://", "https://"))
        # The address as written, a TeX escape (\_) read as its character.
        assert re.sub(r"\\([_%&#~])", r"\1", text[start:end]) == url
        shown += [text[position:start], url]
        position = end
    shown.append(text[position:])
    assert "".join(root.itertext()) == "".join(shown)
