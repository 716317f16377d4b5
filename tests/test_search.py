"""The search index: real Pagefind runs on a tiny store, read back as the browser reads it."""

from __future__ import annotations

import gzip
import json
import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from arxiv_digest.model import paper as paper_module
from arxiv_digest.model import settings as digest_settings
from arxiv_digest.model.paper import Author
from arxiv_digest.model.store import Day
from arxiv_digest.pages import links, richtext, tex, urls
from arxiv_digest.pages.listings import Listing
from arxiv_digest.search import records
from arxiv_digest.search.pagefind import Indexer, SearchError, build_index, find_indexer
from arxiv_digest.search.records import bundle_key, record_html, search_page

from .conftest import Project, make_paper

KEYWORDS = {"vlm": "Vision Language Model", "software-testing": "Software Testing"}
HOSTILE = '<script>alert(1)</script> <img src=x onerror="alert(2)"> & "quotes"'


class CountingIndexer(Indexer):
    """The real Pagefind binary, noting which record folders it was run on."""

    def __init__(self, indexer: Indexer):
        object.__setattr__(self, "path", indexer.path)
        object.__setattr__(self, "version", indexer.version)
        object.__setattr__(self, "runs", [])

    def index(self, site: Path, bundle: Path) -> None:
        self.runs.append(sorted(p.stem for p in site.rglob("*.html")))
        super().index(site, bundle)


def fragments(bundle: Path) -> list[dict]:
    """The records of a bundle, as pagefind.js decodes them."""
    found = []
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        found.append(json.loads(data[len(b"pagefind_dcd") :]))
    return found


def two_months() -> list[Day]:
    december = Day(
        date(2025, 12, 18),
        (
            make_paper("2512.00001", 1, title="Revised later", keywords=("vlm",)),
            make_paper(
                "2512.00002",
                1,
                title=HOSTILE,
                authors=(Author("Grace Hopper"), Author('Robert "Bobby" Tables')),
                keywords=("software-testing", "gone-keyword"),
                categories=("cs.SE", "cs.AI"),
            ),
        ),
    )
    january = Day(
        date(2026, 1, 30),
        (
            make_paper("2512.00001", 2, title="Revised later", keywords=("vlm",)),
            make_paper("2601.23281", 1, comment="12 pages, 3 figures"),
        ),
    )
    return [december, january]


@pytest.fixture(scope="module")
def indexer() -> Indexer:
    return find_indexer()


def test_each_month_holds_its_papers_at_the_newest_version_it_announced(tmp_path, indexer):
    report = build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    assert report.bundles == ("2026-01", "2025-12")
    assert report.records == 4  # 2512.00001 in both months: v1 in December, v2 in January
    root = tmp_path / "out" / "search" / "index"
    january = {f["meta"]["id"]: f for f in fragments(root / "2026-01")}
    december = {f["meta"]["id"]: f for f in fragments(root / "2025-12")}
    assert set(january) == {"2512.00001v2", "2601.23281v1"}
    assert set(december) == {"2512.00001v1", "2512.00002v1"}
    revised = january["2512.00001v2"]
    assert revised["meta"]["url"] == "2026/01/30/#2512.00001"
    assert revised["filters"]["status"] == ["revised"]
    assert january["2601.23281v1"]["filters"]["status"] == ["new"]
    assert january["2601.23281v1"]["filters"]["year"] == ["2026"]


def test_bundle_holds_what_the_browser_needs_and_not_the_prebuilt_ui(tmp_path, indexer):
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    bundle = tmp_path / "out" / "search" / "index" / "2026-01"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "wasm.en.pagefind").is_file()
    entry = json.loads((bundle / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 2
    assert not (bundle / "pagefind-ui.js").exists()


def test_records_carry_filters_meta_and_the_id_as_a_filter(tmp_path, indexer):
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    [record] = [
        f
        for f in fragments(tmp_path / "out" / "search" / "index" / "2026-01")
        if f["meta"]["id"] == "2601.23281v1"
    ]
    assert record["filters"]["id"] == ["2601.23281"]  # an id search, and an author's papers
    assert "Ada Lovelace, Alan Turing" in record["content"]  # separated in the text itself
    assert "12 pages, 3 figures" in record["content"]
    assert record["filters"]["keyword"] == ["Vision Language Model"]
    assert sorted(record["filters"]["category"]) == ["cs.CV", "cs.LG"]
    assert json.loads(record["meta"]["authors"]) == ["Ada Lovelace", "Alan Turing"]
    assert record["meta"]["url"] == "2026/01/30/#2601.23281"
    assert record["meta"]["categories"] == "cs.CV cs.LG"  # primary first
    assert "code" not in record["filters"]


def test_an_excerpt_never_shows_the_id(tmp_path, indexer):
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    for record in fragments(tmp_path / "out" / "search" / "index" / "2026-01"):
        content = record["content"]
        paper_id = record["meta"]["url"].split("#")[1]
        assert "arXiv:" not in content
        # The id is no text after the abstract (the test titles hold it): the filter finds it.
        assert not content.endswith(f"{paper_id}."), content[-40:]
        assert record["filters"]["id"] == [paper_id]


def test_hostile_text_reaches_the_index_as_the_same_characters(tmp_path, indexer):
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    [record] = [
        f
        for f in fragments(tmp_path / "out" / "search" / "index" / "2025-12")
        if f["meta"]["id"] == "2512.00002v1"
    ]
    assert record["meta"]["title"] == HOSTILE
    assert json.loads(record["meta"]["authors"])[1] == 'Robert "Bobby" Tables'
    assert record["filters"]["keyword"] == ["Software Testing"]  # known ones only
    assert sorted(record["filters"]["category"]) == ["cs.AI", "cs.SE"]


def test_rebuild_indexes_only_the_month_that_changed(tmp_path, indexer):
    counting = CountingIndexer(indexer)
    days = two_months()
    build_index(days, KEYWORDS, tmp_path / "out", tmp_path / "cache", counting)
    december_cache = next((tmp_path / "cache").glob("2025-12-*"))
    december_files = {p: p.stat().st_mtime_ns for p in december_cache.rglob("*")}

    one_more = Day(date(2026, 1, 31), (make_paper("2601.30000", 1),))
    report = build_index(
        [*days, one_more], KEYWORDS, tmp_path / "out", tmp_path / "cache", counting
    )

    assert counting.runs[2:] == [["2512.00001", "2601.23281", "2601.30000"]]
    assert report.indexed == ("2026-01",)
    assert report.reused == ("2025-12",)
    assert {p: p.stat().st_mtime_ns for p in december_cache.rglob("*")} == december_files
    assert len(fragments(tmp_path / "out" / "search" / "index" / "2025-12")) == 2


def test_a_revision_announced_this_month_leaves_the_older_month_alone(tmp_path, indexer):
    counting = CountingIndexer(indexer)
    days = two_months()
    build_index(days, KEYWORDS, tmp_path / "out", tmp_path / "cache", counting)

    revision = Day(date(2026, 1, 31), (make_paper("2512.00002", 2, title="Revised again"),))
    report = build_index(
        [*days, revision], KEYWORDS, tmp_path / "out", tmp_path / "cache", counting
    )

    assert report.indexed == ("2026-01",)
    january = fragments(tmp_path / "out" / "search" / "index" / "2026-01")
    assert "2512.00002v2" in {f["meta"]["id"] for f in january}


def test_rebuild_with_nothing_changed_leaves_the_output_bundles_alone(tmp_path, indexer):
    counting = CountingIndexer(indexer)
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", counting)
    root = tmp_path / "out" / "search" / "index"
    files = {p: p.stat().st_mtime_ns for p in root.rglob("*")}

    report = build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", counting)

    assert len(counting.runs) == 2
    assert report.reused == ("2026-01", "2025-12")
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*")} == files


def test_renamed_keyword_indexes_again(tmp_path, indexer):
    counting = CountingIndexer(indexer)
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", counting)
    renamed = {**KEYWORDS, "vlm": "Vision-Language Models"}

    report = build_index(two_months(), renamed, tmp_path / "out", tmp_path / "cache", counting)

    assert report.indexed == ("2026-01", "2025-12")
    [record] = [
        f
        for f in fragments(tmp_path / "out" / "search" / "index" / "2026-01")
        if f["meta"]["id"] == "2601.23281v1"
    ]
    assert record["filters"]["keyword"] == ["Vision-Language Models"]


@pytest.mark.parametrize("module", [tex, richtext, links, urls, paper_module, records])
def test_a_change_to_the_code_records_are_made_from_indexes_every_month_again(
    tmp_path, indexer, monkeypatch, module
):
    """Change how math is rendered (or links, or URLs…): no month keeps an old record."""
    build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)
    changed = tmp_path / Path(module.__file__).name
    changed.write_bytes(Path(module.__file__).read_bytes() + b"\n# a change\n")
    monkeypatch.setattr(module, "__file__", str(changed))

    report = build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    assert report.indexed == ("2026-01", "2025-12")


def test_a_month_gone_from_the_store_leaves_the_output(tmp_path, indexer):
    days = two_months()
    build_index(days, KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)
    build_index(days[1:], KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    root = tmp_path / "out" / "search" / "index"
    assert sorted(p.name for p in root.iterdir()) == ["2026-01"]


def test_missing_binary_says_what_to_install(tmp_path):
    with pytest.raises(SearchError, match=r"pip install 'pagefind\[bin\]==") as error:
        find_indexer(tmp_path / "no-such-pagefind")
    assert "ARXIV_SEARCH = False" in str(error.value)


def test_missing_binary_from_the_environment_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "gone"))
    with pytest.raises(SearchError, match=r"Pagefind binary is missing at .*gone"):
        find_indexer()


def test_failing_binary_is_an_error_and_leaves_no_bundle_behind(tmp_path):
    broken = tmp_path / "pagefind"
    broken.write_text(
        '#!/bin/sh\nif [ "$1" = --version ]; then echo "pagefind 0"; exit 0; fi\n'
        'echo "disk on fire" >&2; exit 3\n'
    )
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    indexer = find_indexer(broken)

    with pytest.raises(SearchError, match=r"exit 3\): disk on fire"):
        build_index(two_months(), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)
    assert list((tmp_path / "cache").iterdir()) == []


def test_records_hold_tex_as_written_and_a_has_code_filter(tmp_path, indexer):
    paper = make_paper(
        "2601.00042",
        title=r"Scaling $\alpha$-flows to 50\% fewer steps",
        abstract=r"Code: https://github.com/ada/alpha\_flows and $x^2$.",
    )
    day = Day(date(2026, 1, 30), (paper,))
    build_index([day], KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)

    [record] = fragments(tmp_path / "out" / "search" / "index" / "2026-01")
    assert record["meta"]["title"] == r"Scaling $\alpha$-flows to 50% fewer steps"
    assert "$x^2$" in record["content"]
    assert record["filters"]["code"] == ["has code"]


def test_a_record_has_no_text_twice_but_the_title_pagefind_needs_as_meta():
    html = record_html(make_paper("2601.00007", comment="9 pages"), date(2026, 1, 30), KEYWORDS)

    assert html.count("We study 2601.00007") == 1  # the abstract
    assert html.count("Ada Lovelace") == 2  # searchable body, and the result's author list
    assert "Vision Language Model" in html  # a filter, not meta
    assert 'data-pagefind-meta="keywords' not in html


def test_the_search_page_lists_every_filter_with_its_papers_in_the_archive():
    page = search_page(two_months(), {**KEYWORDS, "unused": "Unused"})

    assert page.bundles == ("2026-01", "2025-12")
    facets = {facet.name: dict(facet.values) for facet in page.facets}
    assert facets["keyword"] == {"Vision Language Model": 2, "Software Testing": 1}
    assert facets["category"] == {"cs.CV": 2, "cs.LG": 2, "cs.AI": 1, "cs.SE": 1}
    assert facets["year"] == {"2026": 2, "2025": 1}
    assert facets["status"] == {"new": 2, "revised": 1}
    assert "code" not in facets  # no paper names its code


def build_two_months(tmp_path: Path, **settings) -> Project:
    project = Project(tmp_path / "site")
    for day in two_months():
        project.add_day(day.date, day.papers)
    project.build(**settings)
    return project


def test_a_build_writes_the_index_the_search_page_and_a_search_box_on_every_page(tmp_path):
    project = build_two_months(tmp_path)

    assert sorted(p.name for p in (project.output / "search" / "index").iterdir()) == [
        "2025-12",
        "2026-01",
    ]
    form = project.page("/search/").select_one("form.search")
    assert form["data-bundles"] == "2026-01 2025-12"
    for url in ("/", "/2026/01/30/", "/keywords/vlm/", "/archive/"):
        box = project.page(url).select_one("header form[role=search]")
        assert box["action"] == "/search/"
        assert box["method"] == "get"
        assert box.select_one("input[type=search][name=q]")["id"] == "site-q"
        assert box.select_one("label[for=site-q]").get_text() == "Search papers"


def test_a_missing_pagefind_is_one_error_saying_what_to_install_and_the_site_is_written(
    tmp_path, caplog
):
    project = build_two_months(tmp_path, ARXIV_PAGEFIND_BINARY=str(tmp_path / "no-pagefind"))

    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1
    assert "pip install 'pagefind[bin]==1.5.2'" in errors[0]
    assert (project.output / "2026" / "01" / "30" / "index.html").is_file()
    assert (project.output / "keywords" / "vlm" / "index.html").is_file()
    assert (project.output / "search" / "index.html").is_file()
    assert not (project.output / "search" / "index").exists()


def test_search_turned_off_writes_no_index_no_search_page_and_no_search_box(tmp_path):
    project = build_two_months(tmp_path, ARXIV_SEARCH=False)

    assert not (project.output / "search").exists()
    assert not (project.root / "cache" / "arxiv-digest-search").exists()
    page = project.page("/2026/01/30/")
    assert page.select("input[type=search]") == []
    assert page.select("script[src$='search-key.js']") == []


def test_search_settings_are_checked_once_with_advice():
    assert digest_settings.read({}, environ={}).search is True
    off = digest_settings.read({"ARXIV_SEARCH": False}, environ={})
    assert off.search is False
    with pytest.raises(digest_settings.SettingsError, match="ARXIV_SEARCH='sometimes'"):
        digest_settings.read({"ARXIV_SEARCH": "sometimes"}, environ={})
    with pytest.raises(digest_settings.SettingsError, match="ARXIV_PAGEFIND_BINARY=3"):
        digest_settings.read({"ARXIV_PAGEFIND_BINARY": 3}, environ={})


def with_changed_paper(days: list[Day], **change) -> list[Day]:
    """The days with January's 2601.23281v1 changed in place, as a fetch of the same version
    can change it (a keyword that now matches it, a corrected comment)."""
    return [
        Day(d.date, tuple(replace(p, **change) if p.id == "2601.23281" else p for p in d.papers))
        for d in days
    ]


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (
            {"keywords": ("software-testing", "vlm")},
            ("filters", "keyword", ["Vision Language Model", "Software Testing"]),
        ),
        ({"comment": "Accepted at ICML"}, ("content", None, "Accepted at ICML")),
        ({"authors": (Author("Emmy Noether"),)}, ("meta", "authors", '["Emmy Noether"]')),
    ],
)
def test_a_paper_changed_in_place_is_indexed_again_not_left_stale(tmp_path, indexer, change, shown):
    days = two_months()
    build_index(days, KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer)
    report = build_index(
        with_changed_paper(days, **change), KEYWORDS, tmp_path / "out", tmp_path / "cache", indexer
    )
    assert report.indexed == ("2026-01",)
    [record] = [
        f
        for f in fragments(tmp_path / "out" / "search" / "index" / "2026-01")
        if f["meta"]["id"] == "2601.23281v1"
    ]
    part, name, value = shown
    if name is None:
        assert value in record[part]
    else:
        assert record[part][name] == value


@pytest.mark.parametrize(
    "change",
    [{"keywords": ("software-testing", "vlm")}, {"doi": "10.1000/x"}, {"journal_ref": "J"}],
)
def test_the_bundle_key_covers_the_whole_paper_not_only_its_day_and_id(change):
    [_, january] = two_months()
    [changed] = with_changed_paper([january], **change)
    month = [Listing(january.date, p) for p in january.papers]
    changed_month = [Listing(changed.date, p) for p in changed.papers]
    assert bundle_key(changed_month, KEYWORDS, "1.5.2") != bundle_key(month, KEYWORDS, "1.5.2")


def search_meta(paper) -> dict[str, str]:
    head = BeautifulSoup(record_html(paper, date(2026, 1, 30), KEYWORDS), "html.parser")
    return {
        tag["data-pagefind-meta"].removesuffix("[content]"): tag["content"]
        for tag in head.find_all("meta", attrs={"data-pagefind-meta": True})
    }


@pytest.mark.parametrize(
    ("count", "truncated", "shown", "more"),
    [
        (2, False, 2, "0"),
        (6, False, 6, "0"),
        (7, False, 6, "1"),
        (9, False, 6, "3"),
        (6, True, 6, "1"),
    ],
)
def test_a_result_lists_the_first_six_authors_and_counts_the_rest(count, truncated, shown, more):
    """As every paper does: the first six authors, then "et al." (seeds cut after six)."""
    authors = tuple(Author(f"Author {n}") for n in range(1, count + 1))
    meta = search_meta(make_paper(authors=authors, authors_truncated=truncated))
    assert json.loads(meta["authors"]) == [a.name for a in authors[:shown]]
    assert meta["more"] == more
