"""Markup, broken quotes, a 100 kB abstract, right-to-left text and emoji from arXiv,
fetched from the loopback arXiv server and built: text on every page and in every feed,
nothing runs in the browser, and the layout holds."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from arxiv_digest.model.paper import Author
from arxiv_digest_dev.harness import DESKTOP, PHONE, serve
from arxiv_digest_dev.sites import Project, make_paper

from .conftest import open_every_details, open_tab, overflow, page_urls
from .hostile import PAPERS

ATOM = "{http://www.w3.org/2005/Atom}"
# Elements the payloads try to create; the theme itself uses none of them but its own
# scripts (an empty <script src="/theme/js/…">) and trend charts, see theme_made.
INJECTED = ["script", "img", "svg", "iframe", "style", "textarea", "b", "i"]
HOSTILE = PAPERS[0]


def theme_made(tag) -> bool:
    """The theme's own scripts (empty, from its js folder) and build-time trend charts."""
    if tag.name == "script":
        return tag.get("src", "").startswith("/theme/js/") and not tag.string
    is_chart = tag.get("class") in (["trend"], ["trend", "small"])
    return tag.name == "svg" and is_chart and not tag.find_parent("article")


def injected_markup(html: str) -> list[str]:
    """Every element or attribute in ``html`` that came from a payload."""
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all(INJECTED) if not theme_made(tag)]
    for tag in soup.find_all(True):
        found += [f"<{tag.name} {a}>" for a in tag.attrs if a.startswith("on")]
        found += [
            f"<{tag.name} {a}={v}>"
            for a, v in tag.attrs.items()
            if a in ("href", "src") and v.strip().lower().startswith("javascript:")
        ]
    return found


def test_the_hostile_papers_are_listed_where_readers_look(hostile_output):
    ids = sorted(p["id"] for p in PAPERS)
    for url in ["index.html", "2026/01/30/index.html", "keywords/vlm/index.html"]:
        soup = BeautifulSoup((hostile_output / url).read_bytes(), "html.parser")
        assert sorted(a["id"] for a in soup.select("article.paper")) == ids, url


def test_no_page_carries_injected_markup(hostile_output):
    pages = sorted(hostile_output.rglob("*.html"))
    assert len(pages) >= 5
    found = {
        str(p.relative_to(hostile_output)): injected_markup(p.read_text("utf-8")) for p in pages
    }
    assert {page: tags for page, tags in found.items() if tags} == {}


@pytest.mark.parametrize("url", ["2026/01/30/index.html", "keywords/vlm/index.html"])
@pytest.mark.parametrize("paper", PAPERS, ids=["hostile", "long-title"])
def test_every_hostile_string_is_shown_as_text(hostile_output, url, paper):
    soup = BeautifulSoup((hostile_output / url).read_bytes(), "html.parser")
    article = soup.find("article", attrs={"id": paper["id"]})
    assert article.find(["h2", "h4"]).get_text() == paper["title"]
    assert article.select_one("details.abstract p").get_text() == paper["abstract"]
    authors = article.select_one(".authors").get_text()
    assert all(name in authors for name in paper["authors"])
    assert paper["comment"] in article.select_one(".comment").get_text()


def test_no_feed_carries_injected_markup(hostile_output):
    found = {}
    for path in sorted((hostile_output / "feeds").glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        foreign = [el.tag for el in root.iter() if not str(el.tag).startswith(ATOM)]
        contents = [el.text or "" for el in root.iter(ATOM + "content")]
        found[path.name] = foreign + [m for html in contents for m in injected_markup(html)]
    assert found == {"all.atom.xml": [], "vlm.atom.xml": []}


def test_a_feed_reader_gets_the_hostile_text_as_text(hostile_output):
    feed = feedparser.parse(
        (hostile_output / "feeds" / "vlm.atom.xml").read_bytes(), sanitize_html=False
    )
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.id for e in feed.entries] == [f"https://arxiv.org/abs/{p['id']}" for p in PAPERS]
    for entry, paper in zip(feed.entries, PAPERS, strict=True):
        assert entry.title == paper["title"]
        # the abstract is in the entry's HTML content once, as text: no element of its own
        content = BeautifulSoup(entry.content[0].value, "html.parser")
        assert paper["abstract"] in content.get_text()
        assert not content.find_all(["script", "img", "details"])
        assert [a.name for a in entry.authors] == paper["authors"]


def test_the_site_feed_parses_without_a_bozo_flag(hostile_output):
    feed = feedparser.parse((hostile_output / "feeds" / "all.atom.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 1


@pytest.fixture(scope="module")
def hostile_visits(browser, hostile_output, hostile_url) -> dict:
    """Every hostile page on a phone and a desktop, every details opened."""
    visits: dict = {"overflow": {}, "errors": [], "dialogs": [], "outside": []}
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        tab = open_tab(browser, viewport=viewport)
        for url in page_urls(hostile_output):
            tab.page.goto(hostile_url + url)
            open_every_details(tab.page)
            visits["overflow"][f"{name} {url}"] = overflow(tab.page)
        for key in ("errors", "dialogs", "outside"):
            visits[key] += getattr(tab, key)
        tab.page.context.close()
    return visits


def test_nothing_from_arxiv_runs_in_the_browser(hostile_visits):
    assert hostile_visits["dialogs"] == []


def test_hostile_pages_log_no_console_error_and_request_nothing_outside(hostile_visits):
    assert hostile_visits["errors"] == []
    assert hostile_visits["outside"] == []


def test_the_layout_holds_with_a_100_kb_abstract_and_a_300_character_word(hostile_visits):
    measured = hostile_visits["overflow"]
    # The pages that show both papers in full were measured, on a phone and a desktop.
    for viewport in ("phone", "desktop"):
        assert {f"{viewport} /2026/01/30/", f"{viewport} /keywords/vlm/"} <= measured.keys()
    assert {page: px for page, px in measured.items() if px > 0} == {}


NAME_BOXES = """
([article, names]) => {
  const root = document.querySelector(`article[id="${article}"] .authors`);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  return names.map(name => {
    const node = nodes.find(n => n.data.includes(name));
    const range = document.createRange();
    range.setStart(node, node.data.indexOf(name));
    range.setEnd(node, node.data.indexOf(name) + name.length);
    const box = range.getClientRects()[0];
    return [Math.round(box.top), box.left];
  });
}
"""


def test_right_to_left_author_names_keep_their_order(new_tab, hostile_url):
    page = new_tab().page
    page.goto(hostile_url + "/keywords/vlm/")
    hebrew, arabic = HOSTILE["authors"][3:5]
    (hebrew_top, hebrew_left), (arabic_top, arabic_left) = page.evaluate(
        NAME_BOXES, [HOSTILE["id"], [hebrew, arabic]]
    )
    assert hebrew_top == arabic_top  # on one line, as a 1280 px page lays them out
    assert hebrew_left < arabic_left  # listed first, shown first (left of the next name)


# --- direction controls: an unclosed override reverses what follows it, up to the end of
# the paragraph; each field from arXiv is isolated, so it reaches nothing after the field.

RLO = "\u202e"  # right-to-left override
SPOOFED = make_paper(
    "2601.00801",
    title=f"Harmless title {RLO}fdp.exe",
    authors=(Author(f"Ada {RLO}Lovelace"), Author("SecondAuthor")),
    comment=f"Code {RLO}at" + " and more words to pass the cut" * 5,
    journal_ref=f"J. Spoof {RLO}12 (2026)",
    doi="10.1000/spoofed",
    keywords=("vlm", "software-testing"),  # named again under the second keyword
    updated="2026-01-29T16:00:00Z",
)
PLAIN = make_paper("2601.00802", title="PlainSecondTitle", keywords=("vlm", "software-testing"))
BIDI_DAY_URL = "/2026/01/30/"

# Each character the element at `selector` shows, in reading order, with its left edge.
CHARACTERS = """
selector => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const found = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      found.push([node.data[i], range.getBoundingClientRect().left]);
    }
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def bidi_url(tmp_path_factory) -> Iterator[str]:
    project = Project(tmp_path_factory.mktemp("bidi") / "site")
    project.add_day(BIDI_DAY_URL.strip("/").replace("/", "-"), [SPOOFED, PLAIN])
    with serve(project.build()) as url:
        yield url


def lefts(page, selector: str) -> tuple[str, list[float]]:
    """The text shown at ``selector`` and the left edge of each of its characters."""
    characters = page.evaluate(CHARACTERS, selector)
    return "".join(c for c, _ in characters), [left for _, left in characters]


def reads_left_to_right(page, selector: str, text: str) -> bool:
    shown, edges = lefts(page, selector)
    at = shown.index(text)
    part = edges[at : at + len(text)]
    return all(a < b for a, b in pairwise(part))


def test_a_direction_override_in_a_field_reverses_nothing_after_it(new_tab, bidi_url):
    page = new_tab().page
    page.goto(bidi_url + BIDI_DAY_URL)
    paper = f'article[id="{SPOOFED.id}"]'
    # The title named again under "Also matched", then the next title on that line.
    assert reads_left_to_right(page, "p.elsewhere", PLAIN.title)
    # The journal reference, then its DOI; the first author, then the next.
    assert reads_left_to_right(page, f"{paper} p.ref", f"DOI {SPOOFED.doi}")
    assert reads_left_to_right(page, f"{paper} ul.authors", "SecondAuthor")
    # A folded comment's preview, then the "…" that says it goes on: rightmost.
    shown, edges = lefts(page, f"{paper} .preview")
    assert shown.endswith("…")
    assert edges[-1] == max(edges)
    # Each field still holds its text as arXiv sent it, the control included.
    assert page.locator(f"{paper} h4").inner_text() == SPOOFED.title
    assert page.locator(f"{paper} p.ref").inner_text().startswith(SPOOFED.journal_ref)
