"""Filing: a published digest never gains a paper; a late one goes into today's, marked.

The week of Monday 26 January 2026 (EST): a submission before 19:00 UTC on a weekday is
announced that evening, in the next UTC day's digest. The store holds Wednesday 28's
digest; the run starts on Wednesday evening after the announcement of Thursday 29's.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from arxiv_digest.fetching.filing import StoreBefore, file_papers
from arxiv_digest.model.store import Day, Store, StoreError

from .conftest import make_paper, store_files

TUE_27, WED_28, THU_29, FRI_30 = (date(2026, 1, d) for d in (27, 28, 29, 30))
FOR_TUE_27 = "2026-01-26T18:00:00Z"  # Monday before the cutoff
FOR_WED_28 = "2026-01-27T18:00:00Z"
FOR_THU_29 = "2026-01-28T18:00:00Z"
RUN = datetime(2026, 1, 29, 1, 47, tzinfo=UTC)  # Wednesday 20:47 EST: Thursday's digest is out


def stored(*days: tuple[date, list]) -> StoreBefore:
    return StoreBefore.of(Day(day, tuple(papers)) for day, papers in days)


BEFORE = stored((WED_28, [make_paper("2601.00001", updated=FOR_WED_28, keywords=("vad",))]))


def ids(filed) -> dict[str, list[str]]:
    return {str(day): sorted(p.versioned_id for p in papers) for day, papers in filed.items()}


def test_a_paper_announced_after_the_newest_digest_goes_to_its_own_day():
    paper = make_paper("2601.00002", updated=FOR_THU_29, keywords=("vad",))
    filed = file_papers([paper], BEFORE, RUN)
    assert filed == {THU_29: [paper]}


def test_a_paper_older_than_the_newest_digest_goes_into_todays_marked_with_its_own_day():
    paper = make_paper("2601.00003", updated=FOR_TUE_27, keywords=("vad",))
    filed = file_papers([paper], BEFORE, RUN)
    assert ids(filed) == {"2026-01-29": ["2601.00003v1"]}
    assert filed[THU_29][0].announced == "2026-01-27"


def test_a_paper_announced_on_the_newest_digests_day_joins_that_digest_unmarked():
    paper = make_paper("2601.00004", updated=FOR_WED_28, keywords=("vad",))
    assert file_papers([paper], BEFORE, RUN) == {WED_28: [paper]}


def test_a_revision_older_than_the_newest_digest_is_late_too():
    revision = make_paper("2601.00001", version=2, updated=FOR_TUE_27, keywords=("vad",))
    filed = file_papers([revision], BEFORE, RUN)
    assert ids(filed) == {"2026-01-29": ["2601.00001v2"]}
    assert filed[THU_29][0].announced == "2026-01-27"


def test_a_new_keywords_first_fetch_files_its_history_by_announcement_day():
    old = make_paper("2601.00005", updated=FOR_TUE_27, keywords=("vlm",))
    assert file_papers([old], BEFORE, RUN) == {TUE_27: [old]}


def test_a_paper_that_a_known_keyword_also_matched_is_late_for_both():
    # Readers of 'vad' saw Wednesday's digest: the paper is news to them, so it cannot
    # hide in Tuesday's, and it is stored once, on one day, for both keywords.
    for_vad = make_paper("2601.00006", updated=FOR_TUE_27, keywords=("vad",))
    for_vlm = make_paper("2601.00006", updated=FOR_TUE_27, keywords=("vlm",))
    filed = file_papers([for_vad, for_vlm], BEFORE, RUN)
    assert ids(filed) == {"2026-01-29": ["2601.00006v1", "2601.00006v1"]}
    assert {p.announced for p in filed[THU_29]} == {"2026-01-27"}


def test_a_version_already_stored_stays_on_its_day_whichever_keyword_brings_it():
    again = make_paper("2601.00001", updated=FOR_WED_28, keywords=("vlm",))
    assert file_papers([again], BEFORE, RUN) == {WED_28: [again]}


def test_a_late_paper_stored_on_a_later_day_stays_there_when_fetched_again():
    before = stored(
        (THU_29, [make_paper("2601.00007", updated=FOR_TUE_27, announced="2026-01-27")])
    )
    again = make_paper("2601.00007", updated=FOR_TUE_27, keywords=("vad",))
    later_run = datetime(2026, 1, 30, 1, 47, tzinfo=UTC)
    assert file_papers([again], before, later_run) == {THU_29: [again]}


def test_with_nothing_stored_every_paper_goes_to_its_own_day():
    old = make_paper("2601.00008", updated=FOR_TUE_27, keywords=("vad",))
    new = make_paper("2601.00009", updated=FOR_THU_29, keywords=("vad",))
    assert file_papers([old, new], StoreBefore.of([]), RUN) == {TUE_27: [old], THU_29: [new]}


def test_a_run_on_saturday_files_late_papers_into_fridays_digest():
    # Thursday evening's announcement (Friday's digest) is the last one before Sunday's.
    before = stored((THU_29, [make_paper("2601.00001", updated=FOR_THU_29, keywords=("vad",))]))
    late = make_paper("2601.00010", updated=FOR_TUE_27, keywords=("vad",))
    saturday = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)
    assert ids(file_papers([late], before, saturday)) == {"2026-01-30": ["2601.00010v1"]}


def test_a_run_clock_behind_the_store_files_late_papers_into_the_newest_digest():
    before = stored((FRI_30, [make_paper("2601.00001", keywords=("vad",))]))
    late = make_paper("2601.00011", updated=FOR_TUE_27, keywords=("vad",))
    assert ids(file_papers([late], before, RUN)) == {"2026-01-30": ["2601.00011v1"]}


def test_the_current_announcement_follows_the_holidays():
    # Wednesday 28 is a holiday: on Thursday morning the last announcement is Tuesday's
    # (Wednesday 28's digest), and a late paper goes there.
    before = stored((WED_28, [make_paper("2601.00001", updated=FOR_WED_28, keywords=("vad",))]))
    late = make_paper("2601.00012", updated=FOR_TUE_27, keywords=("vad",))
    thursday_morning = datetime(2026, 1, 29, 14, 0, tzinfo=UTC)
    filed = file_papers([late], before, thursday_morning, holidays={WED_28})
    assert ids(filed) == {"2026-01-28": ["2601.00012v1"]}
    assert filed[WED_28][0].announced == "2026-01-27"


def test_a_run_time_without_a_time_zone_is_refused():
    paper = make_paper("2601.00002", updated=FOR_THU_29)
    with pytest.raises(ValueError, match="time zone"):
        file_papers([paper], BEFORE, datetime(2026, 1, 29, 1, 47))


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store(tmp_path / "papers")
    store.merge({WED_28: [make_paper("2601.00001", updated=FOR_WED_28, keywords=("vad",))]})
    return store


def test_every_paper_is_stored_in_exactly_one_digest(store):
    fetched = [
        make_paper("2601.00002", updated=FOR_THU_29, keywords=("vad",)),
        make_paper("2601.00003", updated=FOR_TUE_27, keywords=("vad",)),
        make_paper("2601.00003", updated=FOR_TUE_27, keywords=("vlm",)),
        make_paper("2601.00005", updated=FOR_TUE_27, keywords=("vlm",)),
        make_paper("2601.00001", updated=FOR_WED_28, keywords=("vlm",)),
    ]
    store.merge(file_papers(fetched, StoreBefore.of(store.days()), RUN))
    where = {
        p.versioned_id: (str(day.date), p.keywords, p.announced)
        for day in store.days()
        for p in day.papers
    }
    assert sum(len(day.papers) for day in store.days()) == len(where) == 4
    assert where == {
        "2601.00001v1": ("2026-01-28", ("vad", "vlm"), ""),
        "2601.00002v1": ("2026-01-29", ("vad",), ""),
        "2601.00003v1": ("2026-01-29", ("vad", "vlm"), "2026-01-27"),
        "2601.00005v1": ("2026-01-27", ("vlm",), ""),
    }


def test_a_second_fetch_of_the_same_answers_changes_no_byte(store):
    fetched = [
        make_paper("2601.00002", updated=FOR_THU_29, keywords=("vad",)),
        make_paper("2601.00003", updated=FOR_TUE_27, keywords=("vad",)),
    ]
    store.merge(file_papers(fetched, StoreBefore.of(store.days()), RUN))
    first = store_files(store.root)
    next_day = datetime(2026, 1, 30, 1, 47, tzinfo=UTC)
    changed = store.merge(file_papers(fetched, StoreBefore.of(store.days()), next_day))
    assert changed == []
    assert store_files(store.root) == first


def test_a_late_paper_is_stored_with_the_day_it_was_announced(store):
    late = make_paper("2601.00003", updated=FOR_TUE_27, keywords=("vad",))
    (path,) = store.merge(file_papers([late], StoreBefore.of(store.days()), RUN))
    (stored_paper,) = json.loads(path.read_text(encoding="utf-8"))["papers"]
    assert path.name == "2026-01-29.json"
    assert stored_paper["announced"] == "2026-01-27"


def test_a_paper_on_time_is_stored_without_the_field_so_old_files_keep_their_bytes(store):
    (path,) = store.root.glob("*/*.json")
    (stored_paper,) = json.loads(path.read_text(encoding="utf-8"))["papers"]
    assert "announced" not in stored_paper


@pytest.mark.parametrize("bad", ["27 January 2026", "20260127", 20260127, None])
def test_a_stored_announcement_day_that_is_not_a_date_is_refused(store, bad):
    (path,) = store.root.glob("*/*.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["papers"][0]["announced"] = bad
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreError, match="announced"):
        store.days()
