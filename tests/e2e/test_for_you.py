"""For you, in Chromium on the sample site: with a reading list, "For you first" puts a page's
papers related to the saved ones first, marks say how many saved papers each is related to,
and the reading list offers "More like these". What each should show is computed here from
the site's own data files (/data/related/*.json), never written down; the saved papers are
picked from the data too, as those most related to the page's papers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
from playwright.sync_api import Route, expect

from arxiv_digest_dev.harness import DESKTOP, PHONE, serious_axe_violations

from .conftest import Tab, overflow
from .pages import FULL_DAY, NEWEST, RECORD_SHIFTS, TWO_FRAMES, day_url

READING_LIST_KEY = "arxiv-digest:reading-list"
FIRST_KEY = "arxiv-digest:for-you-first"
PAGES = {
    "digest": day_url(NEWEST),
    "keyword": "/keywords/vlm/",
    "category": "/categories/cs.CV/",
    "index": "/",
}
NEWEST_MONTHS = 3  # the newest months "More like these" reads besides the saved papers'
SHOWN_AT_ONCE = 10  # "More like these" papers shown at first, and per "Show more"

# The page's papers in page order, each with the number of its list: a list is papers that
# follow each other (a heading or a paragraph ends it).
PAPERS_IN_LISTS = """() => {
  let list = -1;
  return [...document.querySelectorAll("main article.paper[id]")].map(a => {
    if (!a.previousElementSibling?.matches("article.paper")) list += 1;
    return [a.id, list];
  });
}"""


# Each paper's id and the text of its marks.
MARKS = """all => all.map(a =>
  [a.id, [...a.querySelectorAll(".for-you-mark")].map(m => m.innerText)])"""


def related_data(output: Path) -> dict[str, list[str]]:
    """Every paper's related papers, from every shard the site has."""
    related: dict[str, list[str]] = {}
    for path in sorted((output / "data" / "related").glob("*.json")):
        related.update(json.loads(path.read_text(encoding="utf-8"))["papers"])
    return related


def shard(paper_id: str) -> str:
    return paper_id.split("/")[-1].split(".")[0][:4]


def score(paper_id: str, saved: Iterable[str], related: dict[str, list[str]]) -> int:
    """How many saved papers ``paper_id`` is related to: it lists them, or they list it."""
    return sum(
        other != paper_id
        and (paper_id in related.get(other, []) or other in related.get(paper_id, []))
        for other in saved
    )


def most_related(page_ids: list[str], related: dict[str, list[str]], count: int = 3) -> list[str]:
    """The ``count`` stored papers related to the most papers of a page (ties: by id)."""
    return sorted(related, key=lambda other: (-score(other, page_ids, related), other))[:count]


def around_one(page_ids: list[str], related: dict[str, list[str]], count: int = 3) -> list[str]:
    """``count`` papers related to one paper of a page (the one with the most relatives, ties
    by id), so that this paper is related to several saved ones."""

    def relatives(paper_id: str) -> list[str]:
        return sorted(
            set(related.get(paper_id, []))
            | {other for other, papers in related.items() if paper_id in papers}
        )

    best = min(page_ids, key=lambda paper_id: (-len(relatives(paper_id)), paper_id))
    return relatives(best)[:count]


def set_reading_list(tab: Tab, url: str, ids: list[str], *, first: bool | None = None) -> None:
    """The reading list (and the "For you first" choice) as an earlier visit left them."""
    tab.page.goto(url + "/status.json")
    tab.page.evaluate(
        """([listKey, ids, firstKey, first]) => {
             localStorage.setItem(listKey, JSON.stringify(ids));
             if (first !== null) localStorage.setItem(firstKey, JSON.stringify(first));
           }""",
        [READING_LIST_KEY, ids, FIRST_KEY, first],
    )


def open_ready(tab: Tab, url: str) -> None:
    tab.page.goto(url)
    tab.page.locator("html.for-you-ready").wait_for(state="attached")


def page_order(tab: Tab) -> list[str]:
    return tab.page.eval_on_selector_all("main article.paper[id]", "all => all.map(a => a.id)")


def for_you_order(papers: list[list], saved, related) -> list[str]:
    """Each list of papers sorted by how many saved papers each is related to, stably."""
    order: list[str] = []
    for number in dict.fromkeys(list_number for _, list_number in papers):
        in_list = [paper_id for paper_id, at in papers if at == number]
        order += sorted(in_list, key=lambda paper_id: -score(paper_id, saved, related))
    return order


def data_requests(tab: Tab, kind: str) -> list[str]:
    requests: list[str] = []
    tab.page.on("request", lambda r: f"/data/{kind}/" in r.url and requests.append(r.url))
    return requests


@pytest.mark.parametrize("name", PAGES)
def test_for_you_first_puts_the_papers_related_to_saved_ones_first_and_off_restores_the_order(
    new_tab, sample_url, sample_output, name
):
    related = related_data(sample_output)
    tab = new_tab()
    requested = data_requests(tab, "related")
    tab.page.goto(sample_url + PAGES[name])
    papers = tab.page.evaluate(PAPERS_IN_LISTS)
    built = [paper_id for paper_id, _ in papers]
    saved = most_related(built, related)
    set_reading_list(tab, sample_url, saved)
    expected = for_you_order(papers, saved, related)
    assert expected != built, "the saved papers picked reorder nothing: this would prove nothing"

    open_ready(tab, sample_url + PAGES[name])
    toggle = tab.page.locator(".page-tools").get_by_role("button", name="For you first")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page_order(tab) == built
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page_order(tab) == expected

    open_ready(tab, sample_url + PAGES[name])  # the choice is remembered
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page_order(tab) == expected
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page_order(tab) == built
    open_ready(tab, sample_url + PAGES[name])
    assert page_order(tab) == built

    # Only the months of the saved papers and of the page's papers, each once a page view.
    months = sorted({shard(paper_id) for paper_id in saved + built})
    assert sorted(requested) == sorted(
        f"{sample_url}/data/related/{month}.json" for month in months * 3
    )
    assert tab.errors == tab.outside == []


@pytest.mark.parametrize("name", ["digest", "keyword"])
def test_a_paper_related_to_saved_ones_says_how_many(new_tab, sample_url, sample_output, name):
    related = related_data(sample_output)
    tab = new_tab()
    tab.page.goto(sample_url + PAGES[name])
    built = page_order(tab)
    saved = around_one(built, related)
    expected = {paper_id: score(paper_id, saved, related) for paper_id in built}
    assert max(expected.values()) >= 2, "no paper here is related to two saved ones"
    set_reading_list(tab, sample_url, saved)
    open_ready(tab, sample_url + PAGES[name])
    shown = tab.page.eval_on_selector_all("main article.paper[id]", MARKS)
    assert dict(shown) == {
        paper_id: [f"Related to {n} paper{'s' if n != 1 else ''} you saved"] if n else []
        for paper_id, n in expected.items()
    }
    assert tab.errors == []


def more_like_these(
    saved: list[str], output: Path, related: dict[str, list[str]]
) -> list[tuple[str, int]]:
    """What the reading list should offer, with how many saved papers each is related to:
    papers related to a saved one (as the saved papers' months and the newest months tell),
    not saved, the most related first, then the newest id."""
    recent = json.loads((output / "data" / "recent.json").read_text(encoding="utf-8"))
    months = {shard(paper_id) for paper_id in saved} | set(
        sorted(recent["shards"])[-NEWEST_MONTHS:]
    )
    read = {paper_id: papers for paper_id, papers in related.items() if shard(paper_id) in months}
    found = {other for paper_id in saved for other in read.get(paper_id, [])} | {
        paper_id for paper_id, papers in read.items() if set(papers) & set(saved)
    }
    candidates = sorted(found - set(saved), reverse=True)
    ranked = sorted(candidates, key=lambda paper_id: -score(paper_id, saved, read))
    return [(paper_id, score(paper_id, saved, read)) for paper_id in ranked]


def offered(entries) -> list[str]:
    return entries.evaluate_all("all => all.map(a => a.id)")


def test_more_like_these_lists_related_papers_not_saved_and_saves_one(
    new_tab, sample_url, sample_output
):
    related = related_data(sample_output)
    tab = new_tab()
    tab.page.goto(sample_url + PAGES["digest"])
    saved = most_related(page_order(tab), related)
    expected = more_like_these(saved, sample_output, related)
    ids = [paper_id for paper_id, _ in expected]
    assert len(expected) > SHOWN_AT_ONCE, "too few related papers to show more"
    assert len({n for _, n in expected}) > 1, "every paper as related: the ranking is not tested"
    set_reading_list(tab, sample_url, saved)
    tab.page.goto(sample_url + "/reading-list/")
    section = tab.page.get_by_role("region", name="More like these")
    entries = section.locator("ol > li > article.paper")
    expect(entries).to_have_count(SHOWN_AT_ONCE)
    assert offered(entries) == ids[:SHOWN_AT_ONCE]
    # Each as the reading list shows a paper, with why it is offered and a Save button.
    for entry, (paper_id, n) in zip(entries.all(), expected, strict=False):
        expect(entry.locator(".for-you-mark")).to_have_text(
            f"Related to {n} paper{'s' if n != 1 else ''} you saved"
        )
        expect(entry.locator("h3 a").first).to_have_attribute(
            "href", re.compile(rf"^https://arxiv\.org/abs/{re.escape(paper_id)}(v\d+)?$")
        )
        expect(entry.get_by_role("link", name="announced")).to_be_visible()
        expect(entry.get_by_role("button", name="Save")).to_have_attribute("aria-pressed", "false")
    # The saved papers are in the list above, all of them.
    expect(tab.page.locator("#reading-list-papers > li")).to_have_count(len(saved))

    section.get_by_role("button", name="Show more").click()
    expect(entries).to_have_count(min(2 * SHOWN_AT_ONCE, len(expected)))
    assert offered(entries) == ids[: 2 * SHOWN_AT_ONCE]

    first = entries.first.get_by_role("button", name="Save")
    first.click()
    expect(first).to_have_attribute("aria-pressed", "true")
    stored = tab.page.evaluate("key => JSON.parse(localStorage.getItem(key))", READING_LIST_KEY)
    assert stored == [ids[0], *saved]
    tab.page.reload()  # on the list now, and no longer offered
    expect(tab.page.locator("#reading-list-papers > li")).to_have_count(len(saved) + 1)
    expect(entries).to_have_count(SHOWN_AT_ONCE)
    now = more_like_these(stored, sample_output, related)
    assert ids[0] not in offered(entries)
    assert offered(entries) == [paper_id for paper_id, _ in now[:SHOWN_AT_ONCE]]
    assert tab.errors == tab.outside == []


@pytest.mark.parametrize("path", [*PAGES.values(), "/reading-list/"])
def test_an_empty_reading_list_asks_for_nothing_and_shows_nothing(new_tab, sample_url, path):
    tab = new_tab()
    scripts: list[str] = []
    tab.page.on("request", lambda r: r.url.endswith("/for-you.js") and scripts.append(r.url))
    related = data_requests(tab, "related")
    open_ready(tab, sample_url + path)
    assert scripts, "the page does not load for-you.js: this test would prove nothing"
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    assert related == []
    assert tab.page.get_by_role("button", name="For you first").count() == 0
    assert tab.page.locator(".for-you-mark").count() == 0
    expect(tab.page.get_by_role("region", name="More like these")).to_have_count(0)
    assert tab.errors == []


@pytest.mark.parametrize(
    ("viewport", "scheme"), [(DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")]
)
@pytest.mark.parametrize("path", [PAGES["digest"], PAGES["keyword"], "/reading-list/"])
def test_axe_passes_with_for_you_shown_in_dark_mode_and_on_a_phone(
    new_tab, sample_url, sample_output, axe_core_js, path, viewport, scheme
):
    related = related_data(sample_output)
    tab = new_tab(viewport=viewport, color_scheme=scheme)
    tab.page.goto(sample_url + PAGES["digest"])
    set_reading_list(tab, sample_url, most_related(page_order(tab), related), first=True)
    open_ready(tab, sample_url + path)
    if path == "/reading-list/":
        expect(tab.page.get_by_role("button", name="Show more")).to_be_visible()
    else:
        expect(tab.page.get_by_role("button", name="For you first")).to_be_visible()
    assert tab.page.locator(".for-you-mark").first.is_visible()
    assert serious_axe_violations(tab.page, axe_core_js) == {}
    assert overflow(tab.page) == 0
    assert tab.errors == []


# Where each paper in view is, for the papers a reader can see.
PAPERS_IN_VIEW = """() => Object.fromEntries(
  [...document.querySelectorAll("main article.paper[id]")]
    .filter(a => a.checkVisibility({ visibilityProperty: true }))
    .map(a => [a.id, Math.round(a.getBoundingClientRect().top)])
    .filter(([, top]) => top > -100 && top < innerHeight))"""


def hold_until_drawn(tab: Tab, url: str, pattern: str) -> Callable[[], int]:
    """Opens ``url`` with the files ``pattern`` names held back, as on a slow network, until
    the page is drawn; returns what lets them go (and says how many there were)."""
    held: list[Route] = []
    holding = True

    def hold(route: Route) -> None:
        if holding:
            held.append(route)
        else:
            route.fallback()

    def release() -> int:
        nonlocal holding
        holding = False
        for route in held:
            route.fallback()
        return len(held)

    tab.page.route(pattern, hold)
    tab.page.goto(url, wait_until="commit")
    tab.page.locator("footer.site").wait_for(state="attached")
    tab.page.evaluate(TWO_FRAMES)
    return release


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("first", [False, True], ids=["page order", "for you first"])
@pytest.mark.parametrize("path", [PAGES["index"], day_url(FULL_DAY), PAGES["keyword"]])
def test_nothing_seen_moves_while_the_toggle_marks_and_order_come(
    new_tab, sample_url, sample_output, path, first, viewport
):
    related = related_data(sample_output)
    tab = new_tab(viewport=viewport)
    tab.page.goto(sample_url + path)
    papers = tab.page.evaluate(PAPERS_IN_LISTS)
    built = [paper_id for paper_id, _ in papers]
    saved = most_related(built, related)
    # The place to look at: the first paper that will move, or be marked.
    if first:
        order = for_you_order(papers, saved, related)
        (watched, *_) = [a for a, b in zip(built, order, strict=True) if a != b]
    else:
        (watched, *_) = [paper_id for paper_id in built if score(paper_id, saved, related)]
    # A screen tall enough to show it from the top of the page: what is above it in view too,
    # and none of the browser's scroll anchoring, which hides shifts above where one reads.
    bottom = tab.page.locator(f'article[id="{watched}"]').evaluate(
        "a => a.getBoundingClientRect().bottom + scrollY"
    )
    tab.page.set_viewport_size(
        {"width": viewport["width"], "height": max(viewport["height"], round(bottom) + 200)}
    )
    set_reading_list(tab, sample_url, saved, first=first)
    tab.page.context.add_init_script(RECORD_SHIFTS)
    # The fallback that shows papers held for their order after 2 s must not end while the
    # data is held here, however slow this machine is: animations stand still.
    devtools = tab.page.context.new_cdp_session(tab.page)
    devtools.send("Animation.enable")
    devtools.send("Animation.setPlaybackRate", {"playbackRate": 0})
    # for-you.js and the data come once the page is drawn.
    release = hold_until_drawn(tab, sample_url + path, "**/{data/**,theme/js/for-you.js}")
    seen = tab.page.evaluate(PAPERS_IN_VIEW)
    assert first or watched in seen
    assert release(), "nothing was held: the page was drawn with everything"
    tab.page.locator("html.for-you-ready").wait_for(state="attached")
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    expect(tab.page.get_by_role("button", name="For you first")).to_have_attribute(
        "aria-pressed", str(first).lower()
    )
    tab.page.evaluate(TWO_FRAMES)
    assert tab.page.locator(".for-you-mark").count() > 0
    now = tab.page.evaluate(PAPERS_IN_VIEW)
    assert {paper_id: now.get(paper_id) for paper_id in seen} == seen
    assert tab.page.evaluate("window.shiftScore()") <= 0.05
    assert tab.errors == []


def test_papers_held_for_their_order_show_even_if_the_script_never_comes(new_tab, sample_url):
    tab = new_tab()
    tab.page.goto(sample_url + PAGES["digest"])
    set_reading_list(tab, sample_url, page_order(tab)[:1], first=True)
    tab.page.route("**/theme/js/for-you.js", lambda route: route.abort())
    devtools = tab.page.context.new_cdp_session(tab.page)
    devtools.send("Animation.enable")
    devtools.send("Animation.setPlaybackRate", {"playbackRate": 100})  # 2 s in 20 ms
    tab.page.goto(sample_url + PAGES["digest"])
    expect(tab.page.locator("main article.paper").first).to_be_visible()
    assert tab.page.locator("html.for-you-ready").count() == 0
