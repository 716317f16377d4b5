"""The reading list's state on the real sample site in Chromium: each saved paper marked read
or not and given a one-line note, kept across reloads, exported (the note as BibTeX ``note``),
carried by the link for another device, and a list saved before notes existed still shown.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest

from arxiv_digest.pages.bibtex import escape_text
from arxiv_digest_dev.harness import PHONE, serious_axe_violations

from ..readers import parse, reader
from .conftest import Tab, overflow

READING_LIST_KEY = "arxiv-digest:reading-list"  # lib.js: the list, an array of ids
READING_STATE_KEY = "arxiv-digest:reading-state"  # reading-list.js: read marks and notes
NOTE_CAP = 140  # the longest note, as the reading list page states
# Text that would end a BibTeX field, start an entry, comment out the rest of the line, run a
# command, or be read as a replacement pattern by String.replace.
HOSTILE_NOTES = [
    "} @misc{evil, title={x}",
    "\\end{document} 100% done @ home",
    "$& and $' and $$ and {unbalanced",
    "#_~^ & \\\\ }}}",
]


def sample_papers(tab: Tab, url: str, count: int) -> list[tuple[str, str]]:
    """(id, title) of the first papers on the newest digest, each once."""
    tab.page.goto(url + "/")
    papers = tab.page.eval_on_selector_all(
        "article.paper", "all => all.map(a => [a.id, a.querySelector('h2, h3, h4').innerText])"
    )
    return list(dict(papers).items())[:count]


def store_old_list(tab: Tab, url: str, ids: list[str]) -> None:
    """The reading list as the version before read marks and notes left it: ids only."""
    tab.page.goto(url + "/")
    tab.page.evaluate(
        "([key, ids]) => localStorage.setItem(key, JSON.stringify(ids))", [READING_LIST_KEY, ids]
    )


def open_list(tab: Tab, url: str = "") -> None:
    if url:
        tab.page.goto(url)
    tab.page.locator("#reading-list[aria-busy=false]").wait_for()


def state_of(tab: Tab, title: str) -> tuple[bool, str]:
    """What the page shows for a paper: ticked read or not, and its note."""
    read = tab.page.get_by_role("checkbox", name=f"Read: {title}", exact=True)
    note = tab.page.get_by_role("textbox", name=f"Note on {title}", exact=True)
    return read.is_checked(), note.input_value()


def titles(tab: Tab) -> list[str]:
    return tab.page.locator("#reading-list-papers h2").all_inner_texts()


def clean(tab: Tab) -> None:
    assert tab.errors == []
    assert tab.outside == []


def download_bib(tab: Tab) -> str:
    with tab.page.expect_download() as download:
        tab.page.get_by_role("button", name="Download BibTeX (.bib)").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_a_read_mark_and_a_note_survive_a_reload(new_tab, sample_url):
    tab = new_tab()
    (first, first_title), (second, second_title) = sample_papers(tab, sample_url, 2)
    for paper_id in (second, first):
        tab.page.locator(f"article[id='{paper_id}']").get_by_role("button", name="Save").click()
    open_list(tab, sample_url + "/reading-list/")
    assert state_of(tab, first_title) == (False, "")

    tab.page.get_by_role("checkbox", name=f"Read: {first_title}").check()
    tab.page.get_by_role("textbox", name=f"Note on {second_title}").fill("compare with §3 of ours")
    tab.page.reload()
    open_list(tab)
    assert state_of(tab, first_title) == (True, "")
    assert state_of(tab, second_title) == (False, "compare with §3 of ours")
    assert tab.page.locator(f"li.read article[id='{first}']").count() == 1

    tab.page.get_by_role("checkbox", name=f"Read: {first_title}").uncheck()
    tab.page.reload()
    open_list(tab)
    assert state_of(tab, first_title) == (False, "")
    clean(tab)


def test_a_list_saved_before_read_marks_existed_is_shown_whole_and_keeps_its_format(
    new_tab, sample_url
):
    tab = new_tab()
    papers = sample_papers(tab, sample_url, 3)
    ids = [paper_id for paper_id, _ in papers]
    store_old_list(tab, sample_url, ids)
    open_list(tab, sample_url + "/reading-list/")
    assert titles(tab) == [title for _, title in papers]
    assert [state_of(tab, title) for _, title in papers] == [(False, "")] * 3

    tab.page.get_by_role("checkbox", name=f"Read: {papers[1][1]}").check()
    tab.page.reload()
    open_list(tab)
    assert titles(tab) == [title for _, title in papers]
    assert state_of(tab, papers[1][1]) == (True, "")
    # The list itself is still what older pages read and write: an array of ids.
    stored = tab.page.evaluate("key => JSON.parse(localStorage.getItem(key))", READING_LIST_KEY)
    assert stored == ids
    clean(tab)


def test_the_bibtex_export_carries_each_note_verbatim_however_hostile(new_tab, sample_url):
    tab = new_tab()
    papers = sample_papers(tab, sample_url, len(HOSTILE_NOTES) + 1)
    store_old_list(tab, sample_url, [paper_id for paper_id, _ in papers])
    open_list(tab, sample_url + "/reading-list/")
    notes = dict(zip([paper_id for paper_id, _ in papers], HOSTILE_NOTES, strict=False))
    for paper_id, title in papers:
        if paper_id in notes:
            tab.page.get_by_role("textbox", name=f"Note on {title}").fill(notes[paper_id])

    bib = download_bib(tab)
    library = bibtexparser.parse_string(bib)
    assert library.failed_blocks == []
    entries = {entry["eprint"]: entry for entry in parse(bib)}
    assert sorted(entries) == sorted(paper_id for paper_id, _ in papers)
    decode = reader().latex_to_text
    assert {i: decode(e["note"]) for i, e in entries.items() if "note" in e} == notes
    for paper_id, title in papers:  # the fields before the note are whole
        assert " ".join(decode(entries[paper_id]["title"]).split()) == " ".join(title.split())
    clean(tab)


def test_a_note_is_escaped_as_bibtex_py_escapes_text(new_tab, sample_url):
    tab = new_tab()
    tab.page.goto(sample_url + "/reading-list/")
    texts = [*HOSTILE_NOTES, "".join(chr(c) for c in range(32, 127))]
    escaped = tab.page.evaluate(
        "async ([url, texts]) => { const { escapeText } = await import(url);"
        " return texts.map(escapeText); }",
        [sample_url + "/theme/js/bibtex.js", texts],
    )
    assert escaped == [escape_text(text) for text in texts]
    clean(tab)


def test_the_link_for_another_device_carries_read_marks_and_notes(new_tab, sample_url):
    tab = new_tab()
    papers = sample_papers(tab, sample_url, 3)
    store_old_list(tab, sample_url, [paper_id for paper_id, _ in papers])
    open_list(tab, sample_url + "/reading-list/")
    (_, first), (_, second), (_, third) = papers
    tab.page.get_by_role("checkbox", name=f"Read: {first}").check()
    tab.page.get_by_role("textbox", name=f"Note on {first}").fill(
        "read it: weak baseline & 50% off"
    )
    tab.page.get_by_role("checkbox", name=f"Read: {third}").check()
    tab.page.get_by_role("textbox", name=f"Note on {second}").fill("#2 } next + then @ lab")
    shown = {title: state_of(tab, title) for _, title in papers}

    tab.page.get_by_role("button", name="Link for another device").click()
    link = tab.page.locator(".share a").get_attribute("href")
    other = new_tab()  # a fresh browser context: another device
    open_list(other, link)
    assert titles(other) == [title for _, title in papers]
    assert {title: state_of(other, title) for _, title in papers} == shown
    assert other.page.locator("#reading-list-status").inner_text() == (
        "3 papers added from the link, 2 marked read, 2 notes."
    )
    clean(tab)
    clean(other)


def test_an_old_link_with_ids_only_still_imports_every_paper_unread(new_tab, sample_url):
    tab = new_tab()
    papers = sample_papers(tab, sample_url, 2)
    ids = ",".join(paper_id for paper_id, _ in papers)
    open_list(tab, sample_url + f"/reading-list/#ids={ids}")
    assert titles(tab) == [title for _, title in papers]
    assert [state_of(tab, title) for _, title in papers] == [(False, "")] * 2
    assert tab.page.locator("#reading-list-status").inner_text() == "2 papers added from the link."
    clean(tab)


def test_a_link_s_notes_are_cut_at_the_cap_and_kept_only_for_papers_it_carries(new_tab, sample_url):
    tab = new_tab()
    (carried, title), (other_id, _) = sample_papers(tab, sample_url, 2)
    long_note = "x" * (NOTE_CAP + 50)
    link = (
        f"/reading-list/#ids={carried},not-an-id&read={other_id},{carried}"
        f"&note={carried}+{long_note}&note={carried}+second&note={other_id}+stray&note=nospace"
    )
    open_list(tab, sample_url + link)
    assert titles(tab) == [title]
    assert state_of(tab, title) == (True, "x" * NOTE_CAP)
    stated = re.search(
        r"note of up to (\d+) characters", tab.page.locator("#reading-list").inner_text()
    )
    assert int(stated[1]) == NOTE_CAP
    stored = tab.page.evaluate("key => JSON.parse(localStorage.getItem(key))", READING_STATE_KEY)
    assert list(stored) == [carried]  # nothing kept for a paper the list does not hold
    clean(tab)


def test_removing_a_paper_forgets_its_note_and_undo_of_remove_all_brings_notes_back(
    new_tab, sample_url
):
    tab = new_tab()
    ((first, first_title),) = sample_papers(tab, sample_url, 1)
    store_old_list(tab, sample_url, [first])
    open_list(tab, sample_url + "/reading-list/")
    tab.page.get_by_role("textbox", name=f"Note on {first_title}").fill("kept")
    tab.page.get_by_role("button", name="Remove all").click()
    tab.page.get_by_role("button", name="Undo").click()
    assert state_of(tab, first_title) == (False, "kept")
    tab.page.reload()
    open_list(tab)
    assert state_of(tab, first_title) == (False, "kept")

    tab.page.get_by_role("button", name=f"Remove {first_title}").click()
    tab.page.locator(f"article[id='{first}']").wait_for(state="detached")
    stored = tab.page.evaluate("key => JSON.parse(localStorage.getItem(key))", READING_STATE_KEY)
    assert stored == {}
    clean(tab)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_phone_shows_the_read_mark_and_note_without_sideways_scroll_or_axe_findings(
    new_tab, sample_url, axe_core_js, scheme
):
    tab = new_tab(viewport=PHONE, color_scheme=scheme)
    papers = sample_papers(tab, sample_url, 3)
    store_old_list(tab, sample_url, [paper_id for paper_id, _ in papers])
    open_list(tab, sample_url + "/reading-list/")
    title = papers[0][1]
    tab.page.get_by_role("checkbox", name=f"Read: {title}").check()
    tab.page.get_by_role("textbox", name=f"Note on {title}").fill("a note " * 20)
    note = tab.page.get_by_role("textbox", name=f"Note on {title}").bounding_box()
    assert note["x"] >= 0
    assert note["x"] + note["width"] <= PHONE["width"]
    assert overflow(tab.page) == 0
    assert serious_axe_violations(tab.page, axe_core_js) == {}
    clean(tab)
