"""keepup.js and reading-list.js in Chromium, on a small site in the markup they expect:
new since the last visit, the reading list, the compact view, and the phone navigation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bibtexparser
import pytest

from arxiv_digest_dev.harness import PHONE, serve

from .conftest import Tab, open_every_details, overflow
from .keepup_site import AFTER, BEFORE, PREFIX, write_site
from .test_html_validity import nu_errors

T0 = datetime(2026, 1, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[Path, str]]:
    """The site as built before the third day, served; tests rebuild it to announce that day."""
    write_site(tmp_path, BEFORE, T0 - timedelta(hours=12))
    with serve(tmp_path) as url:
        yield tmp_path, url + PREFIX


def clean(tab: Tab) -> None:
    assert tab.errors == []
    assert tab.outside == []


def unseen_ids(tab: Tab) -> list[str]:
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    return tab.page.eval_on_selector_all("article[data-unseen]", "all => all.map(a => a.id)")


def nav_counts(tab: Tab) -> dict[str, str]:
    """Each keyword's count of new papers in the navigation, once keepup.js is done."""
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    return tab.page.eval_on_selector_all(
        "a[data-keyword]",
        "all => Object.fromEntries(all.map(a => "
        "[a.dataset.keyword, a.querySelector('.unseen-count')?.textContent ?? '']))",
    )


def reading_list_titles(tab: Tab) -> list[str]:
    """The titles on the reading list page, once it has drawn them."""
    tab.page.locator("#reading-list:not([aria-busy=true])").wait_for()
    return tab.page.locator("#reading-list-papers h2").all_inner_texts()


def visit_then_announce(tab: Tab, output: Path, url: str) -> None:
    """A first visit to the index, the third day built, and a page opened two hours later."""
    tab.page.clock.install(time=T0)
    tab.page.goto(url)
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    write_site(output, AFTER, T0 + timedelta(hours=1))
    tab.page.clock.set_system_time(T0 + timedelta(hours=2))


def test_a_first_visit_marks_nothing(new_tab, site):
    tab = new_tab()
    tab.page.goto(site[1])
    tab.page.goto(site[1] + "keywords/vlm/")
    assert unseen_ids(tab) == []
    assert nav_counts(tab) == {"vlm": "", "vad": ""}
    assert tab.page.locator(".mark-seen").count() == 0
    assert tab.page.locator(".keepup-tools").inner_text() == "Compact list"
    clean(tab)


def test_papers_announced_since_the_last_visit_are_marked_throughout_the_next_visit(new_tab, site):
    tab = new_tab()
    visit_then_announce(tab, *site)
    tab.page.goto(site[1])
    assert unseen_ids(tab) == ["2601.20001", "2601.20002", "2601.20003"]
    marks = tab.page.locator("article[data-unseen] .unseen-mark")
    assert marks.count() == 3
    assert marks.first.is_visible()
    assert tab.page.locator("#\\32 601\\.20001 h2").inner_text().startswith("New ")
    assert nav_counts(tab) == {"vlm": "2 new", "vad": "1 new"}

    # Half an hour later, still the same visit: the keyword page marks the same papers.
    tab.page.clock.set_system_time(T0 + timedelta(hours=2, minutes=30))
    tab.page.goto(site[1] + "keywords/vlm/")
    assert unseen_ids(tab) == ["2601.20001", "2601.20002"]
    tab.page.goto(site[1])
    assert unseen_ids(tab) == ["2601.20001", "2601.20002", "2601.20003"]
    clean(tab)


def test_a_visit_after_an_hour_away_marks_nothing_already_seen(new_tab, site):
    tab = new_tab()
    visit_then_announce(tab, *site)
    tab.page.goto(site[1])
    tab.page.clock.set_system_time(T0 + timedelta(hours=4))
    tab.page.goto(site[1])
    assert unseen_ids(tab) == []
    clean(tab)


def test_mark_all_as_seen_clears_marks_and_counts_for_the_rest_of_the_visit(new_tab, site):
    tab = new_tab()
    visit_then_announce(tab, *site)
    tab.page.goto(site[1] + "keywords/vlm/")
    tab.page.get_by_role("button", name="Mark all as seen").click()
    assert unseen_ids(tab) == []
    assert nav_counts(tab) == {"vlm": "", "vad": ""}
    assert tab.page.get_by_role("status").first.inner_text() == "All marked as seen."
    tab.page.goto(site[1])
    assert unseen_ids(tab) == []
    assert nav_counts(tab) == {"vlm": "", "vad": ""}
    clean(tab)


def test_a_star_is_a_keyboard_toggle_that_fills_the_reading_list(new_tab, site):
    tab = new_tab()
    tab.page.goto(site[1] + "keywords/vlm/")
    star = tab.page.locator("#\\32 601\\.10003 button.star")
    assert star.get_attribute("aria-pressed") == "false"
    star.focus()
    tab.page.keyboard.press("Space")
    assert star.get_attribute("aria-pressed") == "true"
    tab.page.reload()
    assert star.get_attribute("aria-pressed") == "true"

    tab.page.get_by_role("link", name="Reading list (1)").click()
    assert reading_list_titles(tab) == ["Second day both"]
    entry = tab.page.locator("#reading-list-papers article")
    entry.locator("details.abstract summary").click()
    assert entry.locator("h2").inner_text() == "Second day both"
    assert entry.locator("ul.authors li").all_inner_texts() == ["Ada Lovelace", "Alan Turing"]
    assert entry.locator("details.abstract p").inner_text() == "The abstract of Second day both."
    assert entry.locator("a", has_text="PDF").get_attribute("href") == (
        "https://arxiv.org/pdf/2601.10003v1"
    )
    assert not tab.page.locator("#reading-list-nojs").is_visible()
    clean(tab)


def test_a_link_carries_the_list_to_another_device(new_tab, site):
    output, url = site
    write_site(output, AFTER, T0)  # the first paper has left every keyword page by now
    phone = new_tab()
    phone.page.goto(url + "reading-list/#ids=2512.01234,2601.20001,not-an-id,2601.99999")
    status = phone.page.locator("#reading-list-status")
    assert status.inner_text() == "3 papers added from the link, 1 not arXiv ids, left out."
    titles = [
        "A paper that left every page",
        "Third day vision {with braces",
        "arXiv:2601.99999",
    ]
    assert reading_list_titles(phone) == titles
    assert "not in this site's store" in phone.page.locator("#\\32 601\\.99999").inner_text()
    assert phone.page.evaluate("location.hash") == ""

    phone.page.get_by_role("button", name="Link for another device").click()
    link = phone.page.locator(".share a").get_attribute("href")
    assert (
        link
        == url.replace("/site/", "") + "/site/reading-list/#ids=2512.01234,2601.20001,2601.99999"
    )
    desktop = new_tab()
    desktop.page.goto(link)
    assert reading_list_titles(desktop) == titles
    clean(phone)
    clean(desktop)


def test_entries_are_removed_one_by_one_or_all_at_once_with_undo(new_tab, site):
    tab = new_tab()
    tab.page.goto(site[1] + "reading-list/#ids=2601.10001,2601.10002,2601.10003")
    assert len(reading_list_titles(tab)) == 3
    tab.page.get_by_role("button", name="Remove First day anomaly").click()
    assert reading_list_titles(tab) == ["First day vision", "Second day both"]
    tab.page.reload()
    assert reading_list_titles(tab) == ["First day vision", "Second day both"]

    tab.page.get_by_role("button", name="Remove all").click()
    assert reading_list_titles(tab) == []
    assert "empty" in tab.page.locator("#reading-list-papers").inner_text()
    tab.page.get_by_role("button", name="Undo").click()
    assert reading_list_titles(tab) == ["First day vision", "Second day both"]
    tab.page.get_by_role("button", name="Remove all").click()
    tab.page.reload()
    assert reading_list_titles(tab) == []
    clean(tab)


def test_the_bibtex_export_is_arxivs_misc_style(new_tab, site):
    output, url = site
    write_site(output, AFTER, T0)
    tab = new_tab()
    tab.page.goto(url + "reading-list/#ids=2601.20001,2601.20002")
    assert len(reading_list_titles(tab)) == 2
    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Download BibTeX (.bib)").click()
    assert download.value.suggested_filename == "reading-list.bib"
    library = bibtexparser.parse_string(Path(download.value.path()).read_text(encoding="utf-8"))
    assert library.failed_blocks == []
    first, second = library.entries
    assert (first.entry_type, first.key, second.key) == (
        "misc",
        "bronte2026third",
        "lovelace2026third",
    )
    assert first["title"] == "Third day vision with braces"  # an unbalanced brace would break it
    assert first["author"] == "Émile Zoë Brontë and Li Wei"
    assert (first["eprint"], first["archivePrefix"], first["primaryClass"]) == (
        "2601.20001",
        "arXiv",
        "cs.CV",
    )
    assert first["url"] == "https://arxiv.org/abs/2601.20001"
    assert first["doi"] == "10.1000/xyz"
    clean(tab)


def test_the_compact_view_is_one_line_a_paper_and_remembered(new_tab, site):
    tab = new_tab()
    tab.page.goto(site[1] + "keywords/vlm/")
    paper = tab.page.locator("#\\32 601\\.10003")
    full = paper.bounding_box()["height"]
    toggle = tab.page.get_by_role("button", name="Compact list")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    line = tab.page.locator("#\\32 601\\.10003 h2").bounding_box()["height"]
    compact = paper.bounding_box()["height"]
    assert compact < full / 2
    assert compact < line * 2.5  # one line and its padding
    assert paper.inner_text().split("\n")[:2] == ["Second day both", "Save"]

    tab.page.goto(site[1])
    assert tab.page.evaluate("document.documentElement.classList.contains('compact')")
    summary = tab.page.locator("#\\32 601\\.10003 details.abstract summary")
    summary.click()
    assert tab.page.locator("#\\32 601\\.10003 details.abstract p").is_visible()
    clean(tab)


def test_without_javascript_pages_are_as_built(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site[1] + "keywords/vlm/")
    assert page.locator("button").count() == 0
    assert page.locator("[data-unseen]").count() == 0
    page.goto(site[1] + "reading-list/")
    assert page.locator("#reading-list-nojs").is_visible()
    assert not page.locator("#reading-list").is_visible()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_every_nav_item_is_reachable_and_the_page_does_not_scroll_sideways(
    new_tab, site, scheme
):
    tab = new_tab(viewport=PHONE, color_scheme=scheme)
    visit_then_announce(tab, *site)
    tab.page.goto(site[1] + "keywords/vlm/")
    open_every_details(tab.page)
    assert overflow(tab.page) == 0
    nav = tab.page.locator("header.site nav ul")
    assert nav.evaluate("ul => ul.scrollWidth > ul.clientWidth")  # more than fits: it scrolls
    about = tab.page.get_by_role("link", name="About")
    about.focus()  # tabbing along the nav brings each item into view
    box = about.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    clean(tab)


AXE_PAGES = {
    "index, compact": ("", True),
    "keyword": ("keywords/vlm/", False),
    "reading list": ("reading-list/#ids=2601.20001,2601.99999", False),
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", AXE_PAGES)
def test_axe_finds_nothing_serious_in_what_the_scripts_add(
    new_tab, site, axe_core_js, name, scheme
):
    path, compact = AXE_PAGES[name]
    tab = new_tab(color_scheme=scheme)
    visit_then_announce(tab, *site)  # new marks and counts on every page
    tab.page.goto(site[1] + path)
    tab.page.locator("html[data-keepup=ready]").wait_for(state="attached")
    if compact:
        tab.page.get_by_role("button", name="Compact list").click()
    if "reading-list" in path:
        reading_list_titles(tab)
    open_every_details(tab.page)
    tab.page.add_script_tag(path=axe_core_js)
    results = tab.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = {
        v["id"]: [node["target"] for node in v["nodes"]][:3]
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    }
    assert serious == {}
    clean(tab)


def test_the_pages_with_trends_and_the_reading_list_pass_the_nu_html_checker(tmp_path):
    write_site(tmp_path, AFTER, T0)
    root = tmp_path / PREFIX.strip("/")
    pages = [root / "index.html", root / "keywords/vlm/index.html"]
    pages.append(root / "reading-list/index.html")
    assert nu_errors([*pages, root / "theme/css/keepup.css"]) == []
