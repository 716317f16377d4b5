"""Fetching into the store, in process, through the ``arxiv`` package against the loopback server.

Every wait is recorded instead of waited: the fetcher's own (backoff, Retry-After) through
its ``sleep=`` argument, and the ``arxiv`` client's pause between requests by standing in
for that package's clock. Each test says what the store holds afterwards.
"""

from __future__ import annotations

import email.utils
import logging
import socket
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import arxiv
import pytest
import requests
from lxml import etree

from arxiv_digest.fetching import client as arxiv_client
from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model import settings as digest_settings
from arxiv_digest.model.fetchlog import FetchLogError, KeywordRun, Outcome, log_path, read_log
from arxiv_digest.model.keywords import Config, parse
from arxiv_digest.model.schedule import announcement_day, parse_timestamp
from arxiv_digest.model.settings import FetchSettings, SettingsError
from arxiv_digest.model.store import Store, StoreError
from arxiv_digest_dev.arxiv_server import (
    ANSWER,
    CUT_SHORT,
    EMPTY,
    EMPTY_COUNTED,
    HANG,
    MALFORMED,
    NS,
    entry,
    error_entry,
    recorded_entries,
    status,
)

from .conftest import day_files_bytes, make_paper, recorded_testing_search

BASE = recorded_entries()  # real entries of the recorded `testing` search, to edit
TESTING = """\
  - name: Software Testing
    slug: testing
    query: testing
    max_papers: 60
"""
ANOMALY = """\
  - name: Video Anomaly Detection
    slug: vad
    terms: ["video anomaly detection"]
"""
VLM = """\
  - name: Vision Language Model
    slug: vlm
    terms: [VLM]
"""
MONDAY, TUESDAY, WEDNESDAY = "2026-03-02", "2026-03-03", "2026-03-04"
# When a test's fetch runs, unless it says: after Thursday 5 March's announcement (the
# digest of 2026-03-06), later than every paper these tests serve, so none is late.
FETCHED = datetime(2026, 3, 6, 3, 0, tzinfo=UTC)


def topic(number: int) -> str:
    """A keyword block of its own: Topic <number>, slug topic<number>."""
    return f"  - name: Topic {number}\n    slug: topic{number}\n    terms: [topic{number}]\n"


def keywords(*blocks: str) -> Config:
    return parse("keywords:\n" + "".join(blocks))


def query(config: Config, slug: str) -> str:
    return build_query(config.keyword(slug))


def paper(number: int, day: str, version: int = 1, **fields) -> bytes:
    """A real entry as paper 2603.<number> v<version>, submitted at 10:00 EST on ``day``."""
    return entry(
        BASE[number % len(BASE)],
        arxiv_id=f"2603.{number:05d}",
        version=version,
        updated=f"{day}T15:00:00Z",
        published=f"{day}T15:00:00Z",
        **fields,
    )


def recorded_summary(versioned_id: str) -> str:
    """The abstract of a recorded entry, as arXiv sent it."""
    (element,) = [e for e in BASE if e.findtext("atom:id", namespaces=NS).endswith(versioned_id)]
    return element.findtext("atom:summary", namespaces=NS)


def stored_versions(store: Store) -> dict[str, list[str]]:
    """Day -> versioned ids stored on it."""
    return {day.date.isoformat(): [p.versioned_id for p in day.papers] for day in store.days()}


def stored_paper(store: Store, versioned_id: str):
    (found,) = [p for d in store.days() for p in d.papers if p.versioned_id == versioned_id]
    return found


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "content" / "papers")


@pytest.fixture
def waits() -> list[float]:
    """What the fetcher chose to wait (backoff, Retry-After), recorded instead of waited."""
    return []


@pytest.fixture(autouse=True)
def arxiv_pauses(monkeypatch) -> list[float]:
    """The ``arxiv`` client's pauses between requests, recorded instead of waited."""
    pauses: list[float] = []
    monkeypatch.setattr(arxiv, "time", SimpleNamespace(sleep=pauses.append))
    return pauses


@pytest.fixture
def timeouts(monkeypatch) -> list[object]:
    """The timeout each request was sent with, as the ``requests`` transport received it."""
    sent: list[object] = []
    send = requests.adapters.HTTPAdapter.send

    def recording_send(adapter, request, **options):
        sent.append(options.get("timeout"))
        return send(adapter, request, **options)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", recording_send)
    return sent


@pytest.fixture
def still_clock(monkeypatch, arxiv_pauses) -> None:
    """The clock of the pause between requests moves only by the ``arxiv`` client's pauses:
    requests take no time on it, so the recorded pauses are the whole gaps between them."""
    moved = timedelta()
    start = datetime(2026, 3, 5, 12)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return start + moved

    def pause(seconds: float) -> None:
        nonlocal moved
        arxiv_pauses.append(seconds)
        moved += timedelta(seconds=seconds)

    # Both keep the pause with a naive datetime.now().
    monkeypatch.setattr(arxiv, "datetime", Clock)
    monkeypatch.setattr(arxiv_client, "datetime", Clock)
    monkeypatch.setattr(arxiv, "time", SimpleNamespace(sleep=pause))


@pytest.fixture
def run(arxiv_server, store, waits):
    """Fetch ``config`` into the store from the loopback server; returns the report."""

    def run(config: Config, progress=lambda line: None, clock=lambda: FETCHED, **settings):
        options = {"api_url": arxiv_server.url, "delay": 0, "timeout": (2, 2), **settings}
        settings = FetchSettings(**options)
        return fetch(config, store, settings, progress=progress, sleep=waits.append, clock=clock)

    return run


@pytest.fixture
def refused_url() -> str:
    """An API URL on a loopback port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/query"


@pytest.fixture
def unaccepting_url():
    """An API URL on a loopback port that accepts no connection: its queue is full."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        queued = [socket.socket() for _ in range(3)]
        for sock in queued:
            sock.setblocking(False)
            sock.connect_ex(("127.0.0.1", port))
        yield f"http://127.0.0.1:{port}/api/query"
        for sock in queued:
            sock.close()


# -- the query -----------------------------------------------------------------------------


def test_a_keyword_asks_for_its_query_newest_updated_first_up_to_max_papers(
    arxiv_server, run, store
):
    config = keywords(ANOMALY.replace("terms:", "max_papers: 3\n    terms:"))
    arxiv_server.serve(query(config, "vad"), [paper(n, MONDAY) for n in range(1, 6)])
    run(config)
    (request,) = arxiv_server.requests
    assert request == {
        "search_query": '(ti:"video anomaly detection" OR abs:"video anomaly detection")',
        "id_list": "",
        "sortBy": "lastUpdatedDate",
        "sortOrder": "descending",
        "start": "0",
        "max_results": "3",
    }
    assert stored_versions(store) == {TUESDAY: ["2603.00001v1", "2603.00002v1", "2603.00003v1"]}


# -- what a stored paper holds ---------------------------------------------------------------


def test_a_stored_paper_holds_every_field_arxiv_sent(run, store):
    run(keywords(TESTING), page_size=10)
    stored = stored_paper(store, "2202.12139v1")
    assert stored.to_json() == {
        "id": "2202.12139",
        "version": 1,
        "title": "Testing Deep Learning Models: "
        "A First Comparative Study of Multiple Testing Techniques",
        "authors": ["Mohit Kumar Ahuja", "Arnaud Gotlieb", "Helge Spieker"],
        "affiliations": {},
        "authors_truncated": False,
        "abstract": " ".join(recorded_summary("2202.12139v1").split()),
        "comment": "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022",
        "journal_ref": "Artificial Intelligence in Software Testing @ 2022 IEEE International "
        "Conference on Software Testing, Verification and Validation Workshops (ICSTW)",
        "doi": "10.1109/ICSTW55395.2022.00035",
        "primary_category": "cs.SE",
        "categories": ["cs.SE", "cs.LG"],
        "published": "2022-02-24T15:05:19Z",
        "updated": "2022-02-24T15:05:19Z",
        "keywords": ["testing"],
    }
    assert (stored.abs_url, stored.pdf_url) == (
        "https://arxiv.org/abs/2202.12139v1",
        "https://arxiv.org/pdf/2202.12139v1",
    )


def test_authors_keep_their_affiliations_and_old_style_ids_lose_only_the_version(
    arxiv_server, run, store
):
    config = keywords(ANOMALY)
    (astro,) = recorded_entries("id_astro-ph_0601001_*.xml")
    arxiv_server.serve(query(config, "vad"), [etree.tostring(astro)])
    run(config)
    stored = stored_paper(store, "astro-ph/0601001v1")
    assert (stored.id, stored.version) == ("astro-ph/0601001", 1)
    assert [(a.name, a.affiliations) for a in stored.authors] == [
        ("Andrew Gould", ("Ohio State",)),
        ("Susan Dorsher", ("Ohio State",)),
        ("B. Scott Gaudi", ("CfA",)),
        ("Andrzej Udalski", ("Warsaw University Observatory",)),
    ]
    assert stored.journal_ref == "ActaAstron.56:1-50,2006"


def test_titles_and_abstracts_are_stored_on_one_line(arxiv_server, run, store):
    config = keywords(ANOMALY)
    arxiv_server.serve(
        query(config, "vad"),
        [paper(1, MONDAY, title="  Testing\n    the   tests ", summary="\n  We\n  test.\n")],
    )
    run(config)
    stored = stored_paper(store, "2603.00001v1")
    assert (stored.title, stored.abstract) == ("Testing the tests", "We test.")


# -- paging and the store --------------------------------------------------------------------


def test_a_keyword_pages_through_the_recorded_search_into_announcement_days(
    arxiv_server, run, store
):
    report = run(keywords(TESTING), page_size=10)
    assert [(r["start"], r["max_results"]) for r in arxiv_server.requests] == [
        ("0", "10"),
        ("10", "10"),
        ("20", "10"),
        ("30", "10"),
        ("40", "10"),
        ("50", "10"),
    ]
    expected: dict[str, list[str]] = {}
    for versioned_id, updated in recorded_testing_search():
        day = announcement_day(parse_timestamp(updated)).isoformat()
        expected.setdefault(day, []).append(versioned_id)
    assert stored_versions(store) == {day: sorted(ids) for day, ids in sorted(expected.items())}
    # All 60 papers of the six pages are counted: 43 first versions, 17 later ones (v2+).
    assert (report.keywords[0].new, report.keywords[0].revised) == (43, 17)
    assert not report.failures


def test_paging_stops_at_max_papers(arxiv_server, run, store):
    run(keywords(TESTING.replace("60", "25")), page_size=10)
    assert [r["start"] for r in arxiv_server.requests] == ["0", "10", "20"]
    assert sum(len(ids) for ids in stored_versions(store).values()) == 25


def test_each_keyword_pages_by_its_own_page_size(arxiv_server, run):
    config = keywords(ANOMALY.replace("terms:", "max_papers: 3\n    terms:"), TESTING, VLM)
    arxiv_server.serve(query(config, "vad"), [paper(n, MONDAY) for n in range(1, 6)])
    arxiv_server.serve(query(config, "vlm"), [paper(n, MONDAY) for n in range(11, 14)])
    run(config, page_size=10)
    asked = [(r["search_query"], r["max_results"]) for r in arxiv_server.requests]
    assert asked == [
        (query(config, "vad"), "3"),
        *[("testing", "10")] * 6,
        (query(config, "vlm"), "10"),
    ]


def test_a_paper_found_by_two_keywords_is_stored_once_with_both(arxiv_server, run, store):
    config = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY), paper(2, MONDAY)])
    arxiv_server.serve(query(config, "vlm"), [paper(1, MONDAY), paper(3, MONDAY)])
    run(config)
    (day,) = store.days()
    assert [(p.versioned_id, p.keywords) for p in day.papers] == [
        ("2603.00001v1", ("vad", "vlm")),
        ("2603.00002v1", ("vad",)),
        ("2603.00003v1", ("vlm",)),
    ]


def test_a_keyword_added_later_joins_the_papers_already_stored(arxiv_server, run, store):
    vad = keywords(ANOMALY)
    arxiv_server.serve(query(vad, "vad"), [paper(1, MONDAY)])
    run(vad)
    both = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(both, "vlm"), [paper(1, MONDAY)])
    run(both)
    (day,) = store.days()
    assert [(p.versioned_id, p.keywords) for p in day.papers] == [("2603.00001v1", ("vad", "vlm"))]


def test_a_new_version_is_stored_on_its_own_day_and_the_old_day_keeps_v1(arxiv_server, run, store):
    config = keywords(ANOMALY)
    older = [paper(2, MONDAY), paper(3, MONDAY)]
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY, title="First take"), *older])
    run(config)
    announced = day_files_bytes(store.root)
    arxiv_server.serve(
        query(config, "vad"), [paper(1, WEDNESDAY, version=2, title="Second take"), *older]
    )
    report = run(config)
    assert day_files_bytes(store.root)["2026/2026-03-03.json"] == announced["2026/2026-03-03.json"]
    assert stored_versions(store) == {
        TUESDAY: ["2603.00001v1", "2603.00002v1", "2603.00003v1"],
        "2026-03-05": ["2603.00001v2"],
    }
    revised = stored_paper(store, "2603.00001v2")
    assert (revised.title, revised.is_revision) == ("Second take", True)
    assert (report.keywords[0].new, report.keywords[0].revised) == (0, 1)


def test_v1_and_v2_of_one_paper_fetched_in_one_run_land_on_their_own_days(arxiv_server, run, store):
    config = keywords(ANOMALY, VLM)
    # arXiv's search index lags for one query: it still lists v1 while the other lists v2.
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY, title="First take")])
    arxiv_server.serve(query(config, "vlm"), [paper(1, WEDNESDAY, version=2, title="Second take")])
    report = run(config)
    assert stored_versions(store) == {TUESDAY: ["2603.00001v1"], "2026-03-05": ["2603.00001v2"]}
    first, second = stored_paper(store, "2603.00001v1"), stored_paper(store, "2603.00001v2")
    assert (first.title, first.keywords) == ("First take", ("vad",))
    assert (second.title, second.keywords) == ("Second take", ("vlm",))
    assert [(k.new, k.revised) for k in report.keywords] == [(1, 0), (0, 1)]


def test_one_keyword_listing_both_versions_stores_each_on_its_day(arxiv_server, run, store):
    config = keywords(ANOMALY)
    arxiv_server.serve(
        query(config, "vad"), [paper(1, WEDNESDAY, version=2), paper(2, MONDAY), paper(1, MONDAY)]
    )
    report = run(config)
    assert stored_versions(store) == {
        TUESDAY: ["2603.00001v1", "2603.00002v1"],
        "2026-03-05": ["2603.00001v2"],
    }
    assert (report.keywords[0].new, report.keywords[0].revised) == (2, 1)


def test_holidays_from_the_settings_move_papers_to_the_next_announcement(
    arxiv_server, store, waits
):
    config = keywords(ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    settings = digest_settings.read(
        {"ARXIV_API_URL": arxiv_server.url, "ARXIV_DELAY": 0, "ARXIV_HOLIDAYS": [MONDAY]},
        environ={},
    )
    fetch(config, store, settings.fetching, sleep=waits.append)
    assert stored_versions(store) == {WEDNESDAY: ["2603.00001v1"]}


# -- incremental -----------------------------------------------------------------------------


def serve_three_keywords(arxiv_server) -> Config:
    config = keywords(TESTING, ANOMALY, VLM)
    arxiv_server.serve(query(config, "vad"), [paper(n, MONDAY) for n in range(1, 4)])
    arxiv_server.serve(query(config, "vlm"), [paper(n, MONDAY) for n in range(11, 14)])
    return config


def test_an_unchanged_server_costs_one_request_per_keyword_and_changes_no_byte(
    arxiv_server, run, store
):
    config = serve_three_keywords(arxiv_server)
    run(config, page_size=10)
    before = day_files_bytes(store.root)
    arxiv_server.requests.clear()
    report = run(config, page_size=10)
    assert len(arxiv_server.requests) == 3
    assert day_files_bytes(store.root) == before
    assert report.changed_files == []


def test_one_new_day_costs_one_request_per_keyword_and_touches_only_that_day(
    arxiv_server, run, store
):
    config = serve_three_keywords(arxiv_server)
    run(config, page_size=10)
    before = day_files_bytes(store.root)
    arxiv_server.requests.clear()
    news = {"vad": [paper(4, WEDNESDAY)], "vlm": [paper(14, WEDNESDAY), paper(15, WEDNESDAY)]}
    for slug, new in news.items():
        arxiv_server.serve(query(config, slug), new + arxiv_server.catalogue[query(config, slug)])
    run(config, page_size=10)
    assert len(arxiv_server.requests) == 3
    after = day_files_bytes(store.root)
    assert {name: after[name] for name in before} == before
    assert set(after) - set(before) == {"2026/2026-03-05.json"}
    assert stored_versions(store)["2026-03-05"] == ["2603.00004v1", "2603.00014v1", "2603.00015v1"]


def test_paging_stops_at_the_first_paper_already_stored(arxiv_server, run, store):
    config = keywords(ANOMALY)
    old = [paper(n, MONDAY) for n in range(100, 115)]
    arxiv_server.serve(query(config, "vad"), old)
    run(config, page_size=10)
    arxiv_server.requests.clear()
    arxiv_server.serve(query(config, "vad"), [paper(n, WEDNESDAY) for n in range(1, 13)] + old)
    report = run(config, page_size=10)
    assert [r["start"] for r in arxiv_server.requests] == ["0", "10"]
    assert len(stored_versions(store)["2026-03-05"]) == 12
    assert report.keywords[0].new == 12


# -- politeness ------------------------------------------------------------------------------


def test_requests_are_at_least_the_delay_apart(arxiv_server, run, arxiv_pauses, still_clock):
    run(keywords(TESTING), page_size=10, delay=3.0)
    assert len(arxiv_server.requests) == 6
    # Before each of the five pages after the first: the full delay, as no time passed.
    assert arxiv_pauses == [3.0] * 5


def test_the_pause_spans_keywords_because_one_client_serves_the_run(
    arxiv_server, run, arxiv_pauses, still_clock
):
    config = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    arxiv_server.serve(query(config, "vlm"), [paper(2, MONDAY)])
    run(config, delay=3.0)
    assert len(arxiv_server.requests) == 2
    assert arxiv_pauses == [3.0]


def test_every_request_of_a_run_goes_over_one_connection(arxiv_server, run):
    run(serve_three_keywords(arxiv_server), page_size=10)
    assert len(arxiv_server.requests) == 8
    assert len(arxiv_server.connections) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://export.arxiv.org/api/query",
        "http://arxiv.org/api/query",
        "https://EXPORT.arXiv.org/api/query",
        "https://export.arxiv.org./api/query",
    ],
)
def test_a_delay_under_three_seconds_is_refused_for_arxiv_hosts(url):
    with pytest.raises(SettingsError, match=r"ARXIV_DELAY=2\.9 is under the 3 s"):
        digest_settings.read({"ARXIV_API_URL": url, "ARXIV_DELAY": 2.9}, environ={})


def test_the_environment_cannot_lower_the_delay_for_arxiv():
    with pytest.raises(SettingsError, match="ARXIV_DELAY=0 is under the 3 s"):
        digest_settings.read({}, environ={"ARXIV_DELAY": "0"})


def test_a_loopback_server_may_be_asked_without_delay():
    settings = digest_settings.read(
        {"ARXIV_API_URL": "http://127.0.0.1:8080/api/query", "ARXIV_DELAY": 0}, environ={}
    )
    assert settings.fetching.delay == 0


def test_the_environment_overrides_the_url_the_delay_and_fetching():
    settings = digest_settings.read(
        {"ARXIV_FETCH": False, "ARXIV_DELAY": 5},
        environ={
            "ARXIV_API_URL": "http://127.0.0.1:9/api/query",
            "ARXIV_DELAY": "0.5",
            "ARXIV_FETCH": "1",
        },
    )
    assert (settings.fetch, settings.fetching.api_url, settings.fetching.delay) == (
        True,
        "http://127.0.0.1:9/api/query",
        0.5,
    )


def test_the_environment_can_turn_fetching_off():
    assert not digest_settings.read({"ARXIV_FETCH": True}, environ={"ARXIV_FETCH": "0"}).fetch


def test_a_single_timeout_setting_bounds_both_connecting_and_reading():
    settings = digest_settings.read({"ARXIV_TIMEOUT": 0.5}, environ={})
    assert settings.fetching.timeout == (0.5, 0.5)


# -- arXiv failing ---------------------------------------------------------------------------


def fetch_once_then(arxiv_server, run, store) -> tuple[Config, dict[str, bytes]]:
    """A store filled by one good run, and news waiting on the server for the next."""
    config = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    arxiv_server.serve(query(config, "vlm"), [paper(2, MONDAY)])
    run(config)
    arxiv_server.serve(query(config, "vad"), [paper(3, WEDNESDAY), paper(1, MONDAY)])
    arxiv_server.serve(query(config, "vlm"), [paper(4, WEDNESDAY), paper(2, MONDAY)])
    arxiv_server.requests.clear()
    return config, day_files_bytes(store.root)


def test_a_503_is_retried_and_the_papers_arrive(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(status(503))
    report = run(config)
    assert [r["start"] for r in arxiv_server.requests] == ["0", "0", "0"]
    assert not report.failures
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_a_failure_in_the_middle_of_paging_resumes_at_the_page_reached(arxiv_server, run, store):
    arxiv_server.fail_next(ANSWER, status(503))
    report = run(keywords(TESTING), page_size=10)
    assert [r["start"] for r in arxiv_server.requests] == ["0", "10", "10", "20", "30", "40", "50"]
    assert not report.failures
    assert sum(len(ids) for ids in stored_versions(store).values()) == 60


def test_an_empty_page_in_the_middle_of_paging_is_retried(arxiv_server, run, store):
    arxiv_server.fail_next(ANSWER, EMPTY)
    report = run(keywords(TESTING), page_size=10)
    assert [r["start"] for r in arxiv_server.requests] == ["0", "10", "10", "20", "30", "40", "50"]
    assert not report.failures
    assert sum(len(ids) for ids in stored_versions(store).values()) == 60


def test_a_429_retry_after_in_seconds_is_honoured(arxiv_server, run, store, waits):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(status(429, "7"))
    report = run(config)
    assert waits == [7.0]
    assert not report.failures
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_a_retry_after_given_as_an_http_date_is_honoured(arxiv_server, run, store, waits):
    config, _ = fetch_once_then(arxiv_server, run, store)
    when = datetime.now(UTC) + timedelta(seconds=30)
    arxiv_server.fail_next(status(503, email.utils.format_datetime(when, usegmt=True)))
    run(config)
    (wait,) = waits
    assert 25 < wait <= 30


def test_backoff_doubles_the_delay_between_attempts(arxiv_server, run, store, waits):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(status(503), status(503), status(503))
    report = run(config, delay=3.0)
    assert waits == [3.0, 6.0, 12.0]
    assert not report.failures


def test_retrying_stops_within_the_retry_budget_and_the_store_is_unchanged(
    arxiv_server, run, store, waits
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(status(503, "20"))
    report = run(config, retry_budget=30.0, max_attempts=10)
    assert waits == [20.0]
    assert "HTTP 503" in report.keywords[0].error
    assert day_files_bytes(store.root) == before


def test_a_retry_after_longer_than_the_run_may_wait_gives_up_without_asking_sooner(
    arxiv_server, run, store, waits
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(status(429, "3600"))
    report = run(config)
    assert len(arxiv_server.requests) == 1
    assert waits == []
    assert "HTTP 429" in report.keywords[0].error
    assert day_files_bytes(store.root) == before


def test_a_keyword_that_keeps_failing_leaves_the_store_as_it_was_and_others_go_on(
    arxiv_server, run, store
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(*[status(503)] * 4)  # every attempt of the first keyword
    report = run(config)
    assert [(k.keyword.slug, k.requests, bool(k.error)) for k in report.keywords] == [
        ("vad", 4, True),
        ("vlm", 1, False),
    ]
    after = day_files_bytes(store.root)
    assert {name: after[name] for name in before} == before
    assert stored_versions(store)["2026-03-05"] == ["2603.00004v1"]


def test_a_keyword_failing_after_some_pages_stores_none_of_them(arxiv_server, run, store):
    arxiv_server.fail_next(ANSWER, *[status(503)] * 4)
    report = run(keywords(TESTING), page_size=10)
    assert "HTTP 503" in report.keywords[0].error
    assert day_files_bytes(store.root) == {}


def test_a_server_that_never_answers_times_out_and_the_run_gives_up(
    arxiv_server, run, store, waits, arxiv_pauses, timeouts
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(HANG)
    timeouts.clear()
    report = run(config, timeout=(0.3, 0.3))
    # The run costs two 0.3 s timeouts and one retry's backoff (none with no delay).
    assert len(arxiv_server.requests) == 2
    assert timeouts == [(0.3, 0.3)] * 2
    assert (waits, arxiv_pauses) == ([0.0], [])
    first, second = report.keywords
    assert "did not answer within 0.3 s" in first.error
    assert second.skipped
    assert second.line().endswith(f"skipped: {first.error}")
    assert day_files_bytes(store.root) == before


def test_one_answer_that_never_comes_is_retried(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(HANG)
    report = run(config, timeout=(0.3, 0.3))
    assert not report.failures
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_malformed_xml_is_retried(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(MALFORMED)
    report = run(config)
    assert not report.failures
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_malformed_xml_every_time_fails_the_keyword_and_changes_nothing(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(*[MALFORMED] * 4)
    report = run(config)
    assert "not valid XML" in report.keywords[0].error
    assert report.keywords[0].requests == 4
    assert "2603.00003v1" not in stored_versions(store).get("2026-03-05", [])


def test_a_page_cut_short_inside_a_paper_is_retried_and_the_paper_stored_whole(
    arxiv_server, run, store
):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(CUT_SHORT)
    report = run(config)
    assert report.keywords[0].requests == 2
    authors = [a.name for a in stored_paper(store, "2603.00003v1").authors]
    assert authors == BASE[3].xpath("atom:author/atom:name/text()", namespaces=NS)


def test_a_success_that_is_not_a_feed_is_retried_not_taken_for_no_papers(arxiv_server, run, store):
    config = keywords(ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    arxiv_server.fail_next(status(200), status(200))  # an HTML page sent as a success
    report = run(config)
    (vad,) = report.keywords
    assert (vad.requests, vad.error, vad.note, vad.new) == (3, None, None, 1)


def test_an_empty_first_page_is_retried_not_taken_for_no_papers(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(EMPTY)
    report = run(config)
    assert report.keywords[0].requests == 2
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_an_empty_page_that_counts_papers_is_retried_until_they_come(arxiv_server, run, store):
    config = keywords(ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    arxiv_server.fail_next(EMPTY_COUNTED, EMPTY_COUNTED)
    report = run(config)
    (vad,) = report.keywords
    assert (vad.requests, vad.error, vad.note, vad.new) == (3, None, None, 1)


def test_empty_pages_every_time_fail_the_keyword_and_change_nothing(arxiv_server, run, store):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(EMPTY)
    report = run(config)
    assert all("empty page" in k.error for k in report.keywords)
    assert day_files_bytes(store.root) == before


def test_an_error_entry_with_http_200_is_retried(arxiv_server, run, store):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(error_entry(200, "the search index is being rebuilt"))
    report = run(config)
    assert report.keywords[0].requests == 2
    assert stored_versions(store)["2026-03-05"] == ["2603.00003v1", "2603.00004v1"]


def test_an_error_entry_with_http_200_every_time_fails_with_arxivs_message(
    arxiv_server, run, store
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(error_entry(200, "the search index is being rebuilt"))
    report = run(config)
    assert report.keywords[0].error == (
        "arXiv answered with an error: the search index is being rebuilt"
    )
    assert day_files_bytes(store.root) == before


def test_an_error_entry_after_the_first_page_is_logged_in_arxivs_words_and_retried(
    arxiv_server, run, store, caplog
):
    arxiv_server.fail_next(ANSWER, error_entry(200, "the search index is being rebuilt"))
    with caplog.at_level(logging.INFO):
        report = run(keywords(TESTING), page_size=10)
    assert not report.failures
    assert sum(len(ids) for ids in stored_versions(store).values()) == 60
    (retry,) = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert "arXiv answered with an error: the search index is being rebuilt" in retry
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_http_400_is_reported_with_arxivs_message_and_not_retried(arxiv_server, run, store, waits):
    config, _ = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_next(error_entry(400, "unbalanced parentheses in query"))
    report = run(config)
    vad, vlm = report.keywords
    assert (vad.requests, waits) == (1, [])
    assert vad.error == "arXiv rejected the request (HTTP 400): unbalanced parentheses in query"
    assert (vlm.requests, vlm.error, vlm.new) == (1, None, 1)
    assert "2603.00003v1" not in stored_versions(store)["2026-03-05"]


def test_connection_refused_gives_up_the_whole_run_within_seconds(
    refused_url, store, waits, arxiv_pauses
):
    store.merge({date(2026, 3, 3): [make_paper("2603.00001", keywords=("vad",))]})
    before = day_files_bytes(store.root)
    settings = FetchSettings(api_url=refused_url, delay=3.0, timeout=(2, 2))
    report = fetch(keywords(ANOMALY, VLM, TESTING), store, settings, sleep=waits.append)
    # A refused connection fails at once: the run costs what it waits, one 3 s backoff.
    assert (waits, arxiv_pauses) == ([3.0], [])
    first, *rest = report.keywords
    assert first.requests == 2
    assert first.error.startswith(f"cannot connect to {urlsplit(refused_url).netloc}")
    assert all(k.requests == 0 and k.skipped and k.error == first.error for k in rest)
    assert day_files_bytes(store.root) == before


def test_a_server_that_accepts_no_connection_times_out_and_the_run_gives_up(
    unaccepting_url, store, waits, arxiv_pauses, timeouts
):
    store.merge({date(2026, 3, 3): [make_paper("2603.00001", keywords=("vad",))]})
    before = day_files_bytes(store.root)
    settings = FetchSettings(api_url=unaccepting_url, delay=0, timeout=(0.3, 5))
    report = fetch(keywords(ANOMALY, VLM), store, settings, sleep=waits.append)
    first, second = report.keywords
    # Two 0.3 s connect timeouts and one retry's backoff (none with no delay), not minutes.
    assert (first.requests, second.requests, waits, arxiv_pauses) == (2, 0, [0.0], [])
    assert timeouts == [(0.3, 5)] * 2
    assert first.error == f"no connection to {urlsplit(unaccepting_url).netloc} within 0.3 s"
    assert second.skipped
    assert day_files_bytes(store.root) == before


def test_a_store_file_that_does_not_parse_stops_the_fetch_before_any_request(
    arxiv_server, run, store
):
    config, _ = fetch_once_then(arxiv_server, run, store)
    broken = store.root / "2026" / "2026-03-03.json"
    broken.write_text("{not json", encoding="utf-8")
    before = day_files_bytes(store.root)
    with pytest.raises(StoreError, match=str(broken)):
        run(config)
    assert arxiv_server.requests == []
    assert day_files_bytes(store.root) == before


def test_three_keywords_failing_in_a_row_skip_the_rest_of_the_run(arxiv_server, run, store):
    config = keywords(*(topic(n) for n in range(1, 6)))
    for n in range(1, 6):
        arxiv_server.serve(query(config, f"topic{n}"), [paper(n, MONDAY)])
    arxiv_server.fail_always(status(503, "0"))
    report = run(config)
    assert len(arxiv_server.requests) == 3 * 4  # every attempt of the first three keywords
    assert [(k.requests, k.skipped) for k in report.keywords] == [
        (4, False),
        (4, False),
        (4, False),
        (0, True),
        (0, True),
    ]
    assert report.keywords[3].line() == "Topic 4: skipped: 3 keywords in a row failed"
    assert day_files_bytes(store.root) == {}


def test_a_keyword_that_completes_starts_the_count_of_failing_keywords_again(
    arxiv_server, run, store
):
    config = keywords(*(topic(n) for n in range(1, 7)))
    for n in range(1, 7):
        arxiv_server.serve(query(config, f"topic{n}"), [paper(n, MONDAY)])
    rejected = error_entry(400, "unbalanced parentheses in query")  # one request, no retry
    arxiv_server.fail_next(rejected, rejected, ANSWER, rejected, rejected)
    report = run(config)
    assert len(arxiv_server.requests) == 6
    assert [bool(k.error) for k in report.keywords] == [True, True, False, True, True, False]
    assert not any(k.skipped for k in report.keywords)
    assert stored_versions(store) == {TUESDAY: ["2603.00003v1", "2603.00006v1"]}


# -- progress --------------------------------------------------------------------------------


def test_progress_names_the_keyword_k_of_n_and_the_papers_so_far(arxiv_server, run):
    config = keywords(TESTING, ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    lines: list[str] = []
    run(config, progress=lines.append, page_size=10)
    assert lines[0] == "[1/2] Software Testing: asking arXiv"
    assert "[1/2] Software Testing: 30 papers so far" in lines
    revised = sum(not versioned.endswith("v1") for versioned, _ in recorded_testing_search())
    assert f"[1/2] Software Testing: 6 requests, {60 - revised} new, {revised} revised" in lines
    assert lines[-1] == "[2/2] Video Anomaly Detection: 1 request, 1 new, 0 revised"


# -- found in review -------------------------------------------------------------------------


def test_a_failed_request_still_keeps_the_delay_before_the_next_keyword(
    arxiv_server, run, store, arxiv_pauses
):
    config = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(config, "vlm"), [paper(2, MONDAY)])
    arxiv_server.fail_next(error_entry(400))
    report = run(config, delay=3.0)
    assert "arXiv rejected the request" in report.keywords[0].error
    assert len(arxiv_server.requests) == 2
    assert len(arxiv_pauses) == 1  # before the second keyword's request
    assert arxiv_pauses[0] >= 2.9
    assert stored_versions(store) == {TUESDAY: ["2603.00002v1"]}


def test_an_entry_arxiv_cannot_parse_fails_its_keyword_and_the_others_go_on(
    arxiv_server, run, store
):
    config = keywords(ANOMALY, VLM)
    broken = paper(1, MONDAY).replace(b"2026-03-02T15:00:00Z</updated>", b"yesterday</updated>")
    arxiv_server.serve(query(config, "vad"), [broken])
    arxiv_server.serve(query(config, "vlm"), [paper(2, MONDAY)])
    report = run(config, max_attempts=2)
    vad, vlm = report.keywords
    assert "cannot be read" in vad.error
    assert vlm.error is None
    assert stored_versions(store) == {TUESDAY: ["2603.00002v1"]}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"], ids=["year-9999", "year-1"])
def test_an_entry_dated_outside_the_stored_years_is_skipped_and_the_rest_stored(
    arxiv_server, run, store, caplog, day
):
    config = keywords(ANOMALY)
    impossible = paper(1, day)
    arxiv_server.serve(query(config, "vad"), [paper(2, MONDAY), impossible, paper(3, MONDAY)])
    with caplog.at_level(logging.WARNING):
        report = run(config)
    assert report.keywords[0].error is None
    assert stored_versions(store) == {TUESDAY: ["2603.00002v1", "2603.00003v1"]}
    assert f"2603.00001: its published date {day} is impossible" in caplog.text


def test_a_new_keyword_arxiv_twice_says_has_no_papers_is_noted_not_failed(arxiv_server, run, store):
    report = run(keywords(ANOMALY))
    (vad,) = report.keywords
    assert vad.error is None
    assert vad.note == "arXiv has no paper for it yet; check its terms"
    assert len(arxiv_server.requests) == 2
    assert day_files_bytes(store.root) == {}


def test_an_empty_answer_for_a_keyword_with_stored_papers_is_a_failure(arxiv_server, run, store):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(EMPTY)
    report = run(config)
    assert all("empty page" in k.error for k in report.keywords if not k.skipped)
    assert day_files_bytes(store.root) == before


def test_the_rest_of_the_page_is_read_for_papers_announced_late(arxiv_server, run, store):
    config = keywords(ANOMALY)
    vad = query(config, "vad")
    arxiv_server.serve(vad, [paper(3, MONDAY), paper(2, MONDAY)])
    run(config)
    # Paper 1 was held in moderation: it appears below the stored ones, updated earlier.
    arxiv_server.serve(
        vad, [paper(4, TUESDAY), paper(3, MONDAY), paper(2, MONDAY), paper(1, "2026-02-27")]
    )
    requests_before = len(arxiv_server.requests)
    report = run(config)
    assert len(arxiv_server.requests) - requests_before == 1
    assert report.keywords[0].new == 2
    assert "2603.00001v1" in [v for day in stored_versions(store).values() for v in day]


def test_a_keyword_whose_newest_papers_are_all_new_warns_of_a_gap(arxiv_server, run, store):
    config = keywords(ANOMALY.replace("terms:", "max_papers: 2\n    terms:"))
    vad = query(config, "vad")
    arxiv_server.serve(vad, [paper(1, MONDAY)])
    run(config)
    arxiv_server.serve(vad, [paper(n, TUESDAY) for n in (4, 3, 2)] + [paper(1, MONDAY)])
    report = run(config)
    assert "older ones may be missing" in report.keywords[0].note
    assert "older ones may be missing" in report.summary()


# -- filing: a published digest never gains a paper ------------------------------------------

# Tuesday 3 March 21:00 EST, after the evening's announcement: the digest of 2026-03-04.
TUESDAY_EVENING = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
# Thursday 5 March 22:00 EST, after the evening's announcement: the digest of 2026-03-06.
THURSDAY_EVENING = datetime(2026, 3, 6, 3, 0, tzinfo=UTC)


def clock(*moments: datetime):
    """A clock that tells the given moments, one per reading, then the last one again."""
    readings = list(moments)

    def read() -> datetime:
        return readings.pop(0) if len(readings) > 1 else readings[0]

    return read


def filed(store: Store) -> dict[str, list[tuple[str, str]]]:
    """Day -> (versioned id, announced mark) of each paper stored on it."""
    return {
        day.date.isoformat(): [(p.versioned_id, p.announced) for p in day.papers]
        for day in store.days()
    }


def logged(store: Store):
    return read_log(log_path(store.root))


def fetch_then_list_one_late(arxiv_server, run, store) -> Config:
    """A first fetch on Tuesday evening; then, on Thursday evening, arXiv lists paper 9
    (announced Monday evening, in the digest of 2026-03-03) below the stored papers."""
    config = keywords(ANOMALY)
    vad = query(config, "vad")
    arxiv_server.serve(vad, [paper(2, TUESDAY), paper(1, MONDAY)])
    run(config, clock=lambda: TUESDAY_EVENING)
    arxiv_server.serve(
        vad, [paper(3, WEDNESDAY), paper(2, TUESDAY), paper(1, MONDAY), paper(9, MONDAY)]
    )
    return config


def test_a_first_fetch_files_each_paper_on_its_announcement_day_and_logs_the_run(
    arxiv_server, run, store
):
    config = keywords(ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(2, TUESDAY), paper(1, MONDAY)])
    finished = TUESDAY_EVENING + timedelta(seconds=42)

    run(config, clock=clock(TUESDAY_EVENING, finished))

    assert filed(store) == {
        "2026-03-03": [("2603.00001v1", "")],
        "2026-03-04": [("2603.00002v1", "")],
    }
    (logged_run,) = logged(store)
    assert (logged_run.started, logged_run.finished) == (TUESDAY_EVENING, finished)
    assert logged_run.keywords == (KeywordRun("vad", Outcome.OK, new=2),)
    assert logged_run.changed_days == (date(2026, 3, 3), date(2026, 3, 4))
    assert not logged_run.failed


def test_a_paper_listed_after_a_newer_digest_goes_into_the_current_one_marked_late(
    arxiv_server, run, store
):
    config = fetch_then_list_one_late(arxiv_server, run, store)
    published = day_files_bytes(store.root)

    report = run(config, clock=lambda: THURSDAY_EVENING)

    # Paper 3 is on time (Wednesday's digest); paper 9 goes into the digest current on
    # Thursday evening, not into Tuesday's, which its readers have already read.
    assert filed(store) == {
        "2026-03-03": [("2603.00001v1", "")],
        "2026-03-04": [("2603.00002v1", "")],
        "2026-03-05": [("2603.00003v1", "")],
        "2026-03-06": [("2603.00009v1", "2026-03-03")],
    }
    after = day_files_bytes(store.root)
    assert {name: after[name] for name in published} == published
    assert (report.keywords[0].new, report.keywords[0].revised) == (2, 0)
    assert logged(store)[-1].changed_days == (date(2026, 3, 5), date(2026, 3, 6))


def test_fetching_the_same_answers_again_changes_no_day_file_and_logs_one_more_run(
    arxiv_server, run, store
):
    config = fetch_then_list_one_late(arxiv_server, run, store)
    run(config, clock=lambda: THURSDAY_EVENING)
    days = day_files_bytes(store.root)
    log_before = log_path(store.root).read_text(encoding="utf-8")

    # Again the same evening, and again a day later: the late paper stays where it is.
    run(config, clock=lambda: THURSDAY_EVENING + timedelta(minutes=5))
    run(config, clock=lambda: THURSDAY_EVENING + timedelta(days=4))

    assert day_files_bytes(store.root) == days
    runs = logged(store)
    assert len(runs) == 4
    assert log_path(store.root).read_text(encoding="utf-8").startswith(log_before)
    for again in runs[2:]:
        assert again.keywords == (KeywordRun("vad", Outcome.OK),)
        assert again.changed_days == ()


def test_a_new_keywords_first_fetch_files_its_history_on_its_announcement_days(
    arxiv_server, run, store
):
    config = fetch_then_list_one_late(arxiv_server, run, store)
    run(config, clock=lambda: THURSDAY_EVENING)
    both = keywords(ANOMALY, VLM)
    arxiv_server.serve(query(both, "vad"), arxiv_server.catalogue[query(config, "vad")])
    # VLM is new: its papers from Monday and Tuesday are its history, not late news.
    arxiv_server.serve(query(both, "vlm"), [paper(21, TUESDAY), paper(20, MONDAY)])

    run(both, clock=lambda: THURSDAY_EVENING + timedelta(days=1))

    assert filed(store) == {
        "2026-03-03": [("2603.00001v1", ""), ("2603.00020v1", "")],
        "2026-03-04": [("2603.00002v1", ""), ("2603.00021v1", "")],
        "2026-03-05": [("2603.00003v1", "")],
        "2026-03-06": [("2603.00009v1", "2026-03-03")],
    }
    assert logged(store)[-1].keywords == (
        KeywordRun("vad", Outcome.OK),
        KeywordRun("vlm", Outcome.OK, new=2),
    )


def test_a_failed_run_is_logged_with_its_reason_and_every_day_file_is_unchanged(
    arxiv_server, run, store
):
    config, before = fetch_once_then(arxiv_server, run, store)
    arxiv_server.fail_always(status(503, "0"))

    run(config, clock=lambda: THURSDAY_EVENING)

    assert day_files_bytes(store.root) == before
    first, failed = logged(store)
    assert not first.failed
    assert failed.started == THURSDAY_EVENING
    assert failed.failed
    assert failed.keywords == (
        KeywordRun("vad", Outcome.FAILED, reason="HTTP 503 from arXiv"),
        KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv"),
    )
    assert failed.changed_days == ()


def test_keywords_skipped_after_arxiv_failed_are_logged_as_skipped_with_why(
    arxiv_server, run, store
):
    config = keywords(*(topic(n) for n in range(1, 5)))
    arxiv_server.fail_always(status(503, "0"))
    run(config)
    (logged_run,) = logged(store)
    assert [(k.slug, k.outcome, k.reason) for k in logged_run.keywords] == [
        ("topic1", Outcome.FAILED, "HTTP 503 from arXiv"),
        ("topic2", Outcome.FAILED, "HTTP 503 from arXiv"),
        ("topic3", Outcome.FAILED, "HTTP 503 from arXiv"),
        ("topic4", Outcome.SKIPPED, "3 keywords in a row failed"),
    ]


def test_a_keyword_arxiv_has_no_paper_for_is_logged_as_no_match(arxiv_server, run, store):
    run(keywords(ANOMALY))
    (logged_run,) = logged(store)
    assert logged_run.keywords == (KeywordRun("vad", Outcome.NO_MATCH),)
    assert not logged_run.failed


def test_a_broken_day_file_is_logged_as_the_runs_error_and_no_day_file_is_touched(
    arxiv_server, run, store
):
    config, _ = fetch_once_then(arxiv_server, run, store)
    broken = store.root / "2026" / "2026-03-03.json"
    broken.write_text("{not json", encoding="utf-8")
    before = day_files_bytes(store.root)

    with pytest.raises(StoreError):
        run(config, clock=lambda: THURSDAY_EVENING)

    assert day_files_bytes(store.root) == before
    last = logged(store)[-1]
    assert last.started == THURSDAY_EVENING
    assert str(broken) in last.error
    assert last.keywords == ()


def test_a_broken_fetch_log_stops_the_fetch_before_any_request_and_is_kept(
    arxiv_server, run, store
):
    config, before = fetch_once_then(arxiv_server, run, store)
    log = log_path(store.root)
    with log.open("a", encoding="utf-8") as handle:
        handle.write('{"format": 1, "started": \n')
    broken = log.read_bytes()

    with pytest.raises(FetchLogError) as raised:
        run(config)

    message = str(raised.value)
    assert message.startswith(f"{log}: line 2: ")
    assert f"git checkout -- {log}" in message
    assert isinstance(raised.value, StoreError)  # both callers report it as a broken store
    assert arxiv_server.requests == []
    assert log.read_bytes() == broken
    assert day_files_bytes(store.root) == before


def test_a_clock_set_back_during_the_run_still_logs_it(arxiv_server, run, store):
    config = keywords(ANOMALY)
    arxiv_server.serve(query(config, "vad"), [paper(1, MONDAY)])
    run(config, clock=clock(THURSDAY_EVENING, THURSDAY_EVENING - timedelta(seconds=2)))
    (logged_run,) = logged(store)
    assert logged_run.finished == logged_run.started == THURSDAY_EVENING
