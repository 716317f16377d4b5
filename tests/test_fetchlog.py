"""The fetch log: one line per run beside the store, bounded, stable, and read strictly."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta, timezone

import pytest

from arxiv_digest.model.fetchlog import (
    KEEP_RUNS,
    FetchLogError,
    KeywordRun,
    Outcome,
    Run,
    dump_log,
    log_path,
    read_log,
    record_run,
)
from arxiv_digest.model.store import Store

from .conftest import make_paper, store_files
from .runs import FINISHED, RUN, STARTED


def test_a_run_reads_back_exactly_as_it_was_recorded(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    record_run(path, RUN)
    assert read_log(path) == (RUN,)


def test_each_run_is_one_line_with_sorted_keys_and_whole_utc_seconds(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    moment = datetime(2026, 11, 29, 20, 47, 5, 123456, tzinfo=timezone(timedelta(hours=-5)))
    record_run(path, Run(started=moment, finished=moment))
    (line,) = path.read_text(encoding="utf-8").splitlines()
    data = json.loads(line)
    assert list(data) == sorted(data)
    assert data["started"] == "2026-11-30T01:47:05Z"


def test_a_new_run_adds_one_line_at_the_end_and_leaves_the_others_as_they_were(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    record_run(path, RUN)
    before = path.read_text(encoding="utf-8")
    later = Run(started=STARTED + timedelta(days=1), finished=FINISHED + timedelta(days=1))
    record_run(path, later)
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert len(after.splitlines()) == 2
    assert read_log(path)[-1] == later


def test_the_log_keeps_only_the_newest_runs(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    runs = [
        Run(started=STARTED + timedelta(days=n), finished=FINISHED + timedelta(days=n))
        for n in range(KEEP_RUNS + 5)
    ]
    for run in runs:
        record_run(path, run)
    assert read_log(path) == tuple(runs[-KEEP_RUNS:])


def test_the_same_runs_give_the_same_bytes():
    assert dump_log([RUN]) == dump_log([Run.from_json(RUN.to_json())])


def test_no_log_yet_is_no_run_yet(tmp_path):
    assert read_log(tmp_path / "fetch-log.jsonl") == ()


def test_the_log_beside_the_store_is_not_taken_for_a_day_file(tmp_path):
    store = Store(tmp_path / "papers")
    store.merge({date(2026, 11, 30): [make_paper("2611.00001")]})
    record_run(log_path(store.root), RUN)
    assert [day.date for day in store.days()] == [date(2026, 11, 30)]
    # Pelican reads every .json under the store as a digest: the log must not be one.
    assert [name for name in store_files(store.root) if name.endswith(".json")] == [
        "2026/2026-11-30.json"
    ]


def test_a_reason_is_kept_to_one_clean_line_of_bounded_length():
    ugly = "arXiv said:\n\x00" + "no " * 500
    run = Run(started=STARTED, finished=FINISHED, error=ugly)
    assert run.error.startswith("arXiv said: no no")
    assert len(run.error) <= 300


def test_a_run_fails_when_a_keyword_failed_or_was_skipped_or_the_run_stopped():
    ok = KeywordRun("vad", Outcome.OK, new=1)
    no_match = KeywordRun("narrow", Outcome.NO_MATCH)
    assert not Run(STARTED, FINISHED, keywords=(ok, no_match)).failed
    assert Run(STARTED, FINISHED, keywords=(ok, KeywordRun("vlm", Outcome.SKIPPED))).failed
    assert Run(STARTED, FINISHED, keywords=(ok, KeywordRun("vlm", Outcome.FAILED))).failed
    assert Run(STARTED, FINISHED, error="the store cannot be read").failed


def test_a_run_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        Run(started=datetime(2026, 11, 30, 1, 47), finished=FINISHED)


def test_a_run_cannot_finish_before_it_started():
    with pytest.raises(ValueError, match="before it started"):
        Run(started=FINISHED, finished=STARTED)


def good_line() -> dict:
    return RUN.to_json()


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda d: "{not json", r"line 2: Expecting property name"),
        (lambda d: [d], "a run must be a JSON object"),
        (lambda d: d | {"format": 2}, "'format' is 2, but this reads log format 1"),
        (lambda d: {k: v for k, v in d.items() if k != "started"}, "'started' is missing"),
        (
            lambda d: d | {"started": "2026-11-30T01:47:05"},
            "'started' must be a UTC time written 2026-01-30T18:22:05Z, "
            r"not \"2026-11-30T01:47:05\"",
        ),
        (lambda d: d | {"finished": "yesterday"}, "'finished' must be a UTC time .*yesterday"),
        (lambda d: d | {"finished": "2026-11-30T01:47:04Z"}, "'finished' is before 'started'"),
        (lambda d: d | {"started": 1764467225}, "'started' must be text, not 1764467225"),
        (
            lambda d: d | {"keywords": [{"slug": "vad", "outcome": "great"}]},
            "'keywords' item 1: 'outcome' must be one of ok, failed, no-match, skipped, "
            'not "great"',
        ),
        (
            lambda d: d | {"keywords": [{"slug": "vad", "outcome": "ok", "new": -1}]},
            "'keywords' item 1: 'new' must be a whole number of papers, not -1",
        ),
        (
            lambda d: d | {"keywords": [{"slug": "vad", "outcome": "ok", "new": True}]},
            "'keywords' item 1: 'new' must be a whole number of papers, not true",
        ),
        (
            lambda d: d | {"keywords": [{"slug": 7, "outcome": "ok"}]},
            "'keywords' item 1: 'slug' must be text, not 7",
        ),
        (lambda d: d | {"keywords": "vad"}, "'keywords' must be a list, not \"vad\""),
        (lambda d: d | {"changed_days": ["30 November"]}, "'changed_days' .*30 November"),
        (lambda d: d | {"changed_days": ["20261130"]}, "'changed_days' must be a date written"),
        (lambda d: d | {"error": ["arXiv failed"]}, "'error' must be text"),
        (
            lambda d: d | {"started": "9999-12-31T23:59:59Z", "finished": "9999-12-31T23:59:59Z"},
            "'started' year 9999 is outside 1991-2999",
        ),
        (lambda d: d | {"started": "0001-01-01T00:00:00Z"}, "'started' year 1 is outside"),
        (lambda d: d | {"changed_days": ["9999-12-31"]}, "'changed_days' year 9999 is outside"),
        (lambda d: d | {"finished": "2026-11-30T24:00:00Z"}, "'finished' is not a real date"),
    ],
)
def test_a_malformed_log_is_refused_naming_the_file_and_line(tmp_path, spoil, message):
    path = tmp_path / "fetch-log.jsonl"
    record_run(path, RUN)
    spoilt = spoil(good_line())
    bad = spoilt if isinstance(spoilt, str) else json.dumps(spoilt)
    path.write_text(path.read_text(encoding="utf-8") + bad + "\n", encoding="utf-8")
    with pytest.raises(FetchLogError, match=message) as raised:
        read_log(path)
    assert str(raised.value).startswith(f"{path}: line 2:")
    assert "git checkout" in str(raised.value)


def test_a_log_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(FetchLogError, match="cannot be read"):
        read_log(path)


def test_recording_onto_a_malformed_log_leaves_it_as_it_was(tmp_path):
    path = tmp_path / "fetch-log.jsonl"
    path.write_text("{broken\n", encoding="utf-8")
    with pytest.raises(FetchLogError):
        record_run(path, RUN)
    assert path.read_text(encoding="utf-8") == "{broken\n"


def test_a_site_builds_with_the_log_in_its_store_and_does_not_publish_it(project, caplog):
    project.add_day("2026-11-30", [make_paper("2611.00001")])
    record_run(log_path(project.store), RUN)
    with caplog.at_level(logging.WARNING):
        output = project.build()
    assert [r.getMessage() for r in caplog.records if "fetch-log" in r.getMessage()] == []
    assert (output / "2026" / "11" / "30" / "index.html").is_file()
    assert not [p for p in output.rglob("*") if p.name.startswith("fetch-log")]


def test_a_log_line_dated_9999_is_one_error_after_the_site_is_written(project, caplog):
    project.add_day("2026-11-30", [make_paper("2611.00001")])
    path = log_path(project.store)
    record_run(path, RUN)
    far = RUN.to_json() | {"started": "9999-12-31T23:59:59Z", "finished": "9999-12-31T23:59:59Z"}
    path.write_text(path.read_text("utf-8") + json.dumps(far) + "\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        output = project.build()
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert f"{path}: line 2: 'started' year 9999 is outside 1991-2999" in error
    assert (output / "2026" / "11" / "30" / "index.html").is_file()
    assert not (output / "status.json").exists()
