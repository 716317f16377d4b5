"""What a reviewer's one-line bugs in the model would break, pinned at the documented values.

Each test here failed with a bug planted by hand (issue 21): the fetch log keeping 31 runs,
a merge keeping old values over a version's new DOI or journal reference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from arxiv_digest.model.fetchlog import Run, read_log, record_run
from arxiv_digest.model.store import Store

from .conftest import make_paper

FIRST = datetime(2026, 1, 5, 1, 47, tzinfo=UTC)
DAY = date(2026, 1, 27)


def test_the_fetch_log_keeps_the_last_30_runs_as_the_readme_says(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    runs = [
        Run(FIRST + timedelta(days=n), FIRST + timedelta(days=n, seconds=20)) for n in range(31)
    ]
    for run in runs[:30]:
        record_run(path, run)
    assert read_log(path) == tuple(runs[:30])  # 30 runs: nothing dropped yet
    record_run(path, runs[30])
    assert read_log(path) == tuple(runs[1:])  # the 31st drops the oldest
    assert len(path.read_text(encoding="utf-8").splitlines()) == 30


def stored(store: Store, paper_id: str):
    [paper] = [p for day in store.days() for p in day.papers if p.id == paper_id]
    return paper


def test_a_version_fetched_again_with_a_new_doi_and_journal_reference_takes_them(tmp_path):
    store = Store(tmp_path)
    store.merge({DAY: [make_paper("2601.00001", version=1)]})
    store.merge(
        {DAY: [make_paper("2601.00001", version=1, doi="10.1000/a", journal_ref="J. Tests 1")]}
    )
    paper = stored(store, "2601.00001")
    assert (paper.doi, paper.journal_ref) == ("10.1000/a", "J. Tests 1")


def test_a_corrected_doi_and_journal_reference_replace_the_stored_ones(tmp_path):
    store = Store(tmp_path)
    store.merge({DAY: [make_paper("2601.00001", doi="10.1000/old", journal_ref="J. Old 1")]})
    store.merge({DAY: [make_paper("2601.00001", doi="10.1000/new", journal_ref="J. New 2")]})
    paper = stored(store, "2601.00001")
    assert (paper.doi, paper.journal_ref) == ("10.1000/new", "J. New 2")


def test_a_field_arxiv_now_leaves_empty_keeps_its_stored_value(tmp_path):
    store = Store(tmp_path)
    store.merge({DAY: [make_paper("2601.00001", doi="10.1000/a", journal_ref="J. Tests 1")]})
    store.merge({DAY: [make_paper("2601.00001", doi="", journal_ref="")]})
    paper = stored(store, "2601.00001")
    assert (paper.doi, paper.journal_ref) == ("10.1000/a", "J. Tests 1")
