"""The status: what the last fetch did and when arXiv announces next, from the log alone."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import jsonschema
import pytest

from arxiv_digest.model.fetchlog import KeywordRun, Outcome, Run
from arxiv_digest.model.keywords import Keyword
from arxiv_digest.pages.status import badge_json, json_text, site_status, status_json

from .conftest import elsewhere
from .readers import BADGE_SCHEMA

KEYWORDS = (
    Keyword("Video Anomaly Detection", "vad"),
    Keyword("Vision Language Model", "vlm"),
    Keyword("Narrow topic", "narrow"),
)
SUNDAY_EVENING = datetime(2026, 11, 30, 1, 47, 31, tzinfo=UTC)  # Sunday 20:47 EST


def run(finished: datetime, *keywords: KeywordRun, changed=(), error="") -> Run:
    started = finished - timedelta(seconds=26)
    return Run(started, finished, tuple(keywords), tuple(changed), error)


OK_RUN = run(
    SUNDAY_EVENING,
    KeywordRun("vad", Outcome.OK, new=3, revised=1),
    KeywordRun("vlm", Outcome.OK),
    KeywordRun("narrow", Outcome.NO_MATCH),
    changed=[date(2026, 11, 30)],
)
FAILED_RUN = run(
    SUNDAY_EVENING + timedelta(days=1),
    KeywordRun("vad", Outcome.OK, new=2),
    KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv"),
    KeywordRun("narrow", Outcome.SKIPPED, reason="arXiv cannot be reached"),
)


def test_the_last_fetch_and_what_it_did_for_each_keyword_in_keywords_yaml_order():
    status = site_status([OK_RUN], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert status.fetched == SUNDAY_EVENING
    assert status.headline == "ok"
    assert [(k.name, k.text) for k in status.keywords] == [
        ("Video Anomaly Detection", "ok: 3 new, 1 revised"),
        ("Vision Language Model", "ok: 0 new, 0 revised"),
        ("Narrow topic", "no match yet"),
    ]


def test_a_failed_fetch_says_which_keywords_failed_and_why():
    status = site_status([OK_RUN, FAILED_RUN], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert status.failed
    assert status.headline == "failed: 2 of 3 keywords"
    assert [k.text for k in status.keywords] == [
        "ok: 2 new, 0 revised",
        "failed: HTTP 503 from arXiv",
        "skipped: arXiv cannot be reached",
    ]


def test_a_fetch_that_stopped_as_a_whole_says_why_and_keeps_each_keywords_last_fetch():
    stopped = run(SUNDAY_EVENING + timedelta(days=1), error="the store cannot be read")
    status = site_status([OK_RUN, stopped], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert status.headline == "failed: the store cannot be read"
    assert status.keywords[0].text == "ok: 3 new, 1 revised"
    assert status.keywords[0].fetched == SUNDAY_EVENING


def test_a_keyword_no_run_has_asked_for_yet_says_so():
    added = Keyword("Added since", "added")
    (status,) = site_status([OK_RUN], [added], newest_digest=None).keywords
    assert (status.text, status.fetched) == ("not fetched yet", None)


def test_the_newest_digest_was_fetched_by_the_last_run_that_changed_it():
    quiet = run(SUNDAY_EVENING + timedelta(days=1), KeywordRun("vad", Outcome.OK))
    status = site_status([OK_RUN, quiet], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert status.newest_digest_fetched == SUNDAY_EVENING
    older_than_the_log = site_status([quiet], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert older_than_the_log.newest_digest_fetched is None


def test_the_next_announcement_after_a_sunday_evening_fetch_is_monday_evening():
    status = site_status([OK_RUN], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert status.next_digest == date(2026, 12, 1)
    assert status.next_announcement == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert status.note == ""


def test_after_a_thursday_evening_fetch_the_note_says_nothing_comes_on_friday_and_saturday():
    thursday_evening = run(datetime(2026, 12, 4, 1, 47, tzinfo=UTC), KeywordRun("vad", "ok"))
    status = site_status([thursday_evening], KEYWORDS, newest_digest=date(2026, 12, 4))
    assert status.next_digest == date(2026, 12, 7)
    assert status.note == "arXiv announces nothing on Friday and Saturday nights."


def test_a_listed_holiday_before_the_weekend_is_named_too():
    wednesday_evening = run(datetime(2026, 12, 24, 1, 47, tzinfo=UTC), KeywordRun("vad", "ok"))
    status = site_status(
        [wednesday_evening], KEYWORDS, date(2026, 12, 24), holidays={date(2026, 12, 24)}
    )
    assert status.next_digest == date(2026, 12, 28)
    assert status.note == (
        "arXiv announces nothing on Friday and Saturday nights, "
        "nor on Thursday 24 December (a holiday)."
    )


def test_a_holiday_on_a_weekday_alone_is_named_alone():
    sunday_evening = run(datetime(2026, 5, 25, 1, 47, tzinfo=UTC), KeywordRun("vad", "ok"))
    status = site_status(
        [sunday_evening], KEYWORDS, date(2026, 5, 25), holidays={date(2026, 5, 25)}
    )
    assert status.next_digest == date(2026, 5, 27)
    assert status.note == "arXiv announces nothing on Monday 25 May (a holiday)."


def test_holidays_in_a_row_are_listed_together():
    tuesday_evening = run(datetime(2026, 12, 23, 1, 47, tzinfo=UTC), KeywordRun("vad", "ok"))
    holidays = {date(2026, 12, 23), date(2026, 12, 24)}
    status = site_status([tuesday_evening], KEYWORDS, date(2026, 12, 23), holidays=holidays)
    assert status.next_digest == date(2026, 12, 28)
    assert status.note == (
        "arXiv announces nothing on Friday and Saturday nights, "
        "nor on Wednesday 23 December and Thursday 24 December (holidays)."
    )


def test_a_site_never_fetched_says_so():
    status = site_status([], KEYWORDS, newest_digest=date(2026, 11, 30))
    assert (status.fetched, status.next_digest, status.headline) == (None, None, "never fetched")
    assert badge_json(status)["message"] == "not fetched yet"
    data = status_json(status)
    assert (data["ok"], data["summary"], data["fetched"]) == (False, "never fetched", None)


def test_status_json_carries_the_same_facts():
    data = status_json(site_status([OK_RUN, FAILED_RUN], KEYWORDS, date(2026, 11, 30)))
    assert data["fetched"] == "2026-12-01T01:47:31Z"
    assert (data["ok"], data["summary"]) == (False, "failed: 2 of 3 keywords")
    assert data["keywords"][1] == {
        "slug": "vlm",
        "name": "Vision Language Model",
        "outcome": "failed",
        "new": 0,
        "revised": 0,
        "reason": "HTTP 503 from arXiv",
        "fetched": "2026-12-01T01:47:31Z",
    }
    assert data["newest_digest"] == {"day": "2026-11-30", "fetched": "2026-11-30T01:47:31Z"}
    assert data["next_announcement"] == {"day": "2026-12-02", "time": "2026-12-02T01:00:00Z"}


def test_status_json_lists_the_evenings_without_an_announcement():
    thursday_evening = run(datetime(2026, 12, 4, 1, 47, tzinfo=UTC), KeywordRun("vad", "ok"))
    data = status_json(site_status([thursday_evening], KEYWORDS, date(2026, 12, 4)))
    assert data["no_announcement"] == [
        {"evening": "2026-12-04", "reason": "weekend"},
        {"evening": "2026-12-05", "reason": "weekend"},
    ]


HOLIDAYS = [date(2026, 12, 23), date(2026, 12, 24), date(2026, 12, 31), date(2027, 1, 1)]
TUESDAY_EVENING = run(
    datetime(2026, 12, 23, 1, 47, tzinfo=UTC),
    KeywordRun("vad", Outcome.OK, new=1),
    KeywordRun("vlm", Outcome.FAILED, reason="HTTP 503 from arXiv"),
    changed=[date(2026, 12, 23), date(2026, 12, 22)],
)


def status_text(holidays) -> str:
    runs = [OK_RUN, FAILED_RUN, TUESDAY_EVENING]
    return json_text(status_json(site_status(runs, KEYWORDS, date(2026, 12, 23), holidays)))


def test_the_same_log_and_store_give_the_same_bytes_whatever_the_clock_seed_and_order():
    here = status_text(HOLIDAYS)
    there = elsewhere(
        """
        import sys
        from tests.test_status import HOLIDAYS, status_text
        sys.stdout.write(status_text(set(reversed(HOLIDAYS))))
        """
    )
    assert there == here
    data = json.loads(here)
    assert data["keywords"][0]["slug"] == "vad"
    assert data["note"].endswith("Wednesday 23 December and Thursday 24 December (holidays).")


@pytest.mark.parametrize(
    ("runs", "message", "color"),
    [
        ([OK_RUN], "updated 2026-11-30", "green"),
        ([OK_RUN, FAILED_RUN], "fetch failed", "red"),
        ([], "not fetched yet", "lightgrey"),
    ],
)
def test_the_badge_is_a_valid_shields_endpoint_saying_how_the_last_fetch_went(runs, message, color):
    badge = badge_json(site_status(runs, KEYWORDS, newest_digest=None))
    jsonschema.validate(badge, BADGE_SCHEMA, cls=jsonschema.Draft202012Validator)
    assert (badge["label"], badge["message"], badge["color"]) == ("arXiv digest", message, color)


def test_the_badge_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(BADGE_SCHEMA)


@pytest.mark.parametrize(
    "badge",
    [
        {"label": "arXiv digest", "message": "ok"},
        {"schemaVersion": 2, "label": "arXiv digest", "message": "ok"},
        {"schemaVersion": 1, "message": "ok"},
        {"schemaVersion": 1, "label": "arXiv digest", "message": ""},
        {"schemaVersion": 1, "label": "arXiv digest", "message": "ok", "colour": "red"},
        {"schemaVersion": 1, "label": "x", "message": "ok", "logoColor": "red"},
        {"schemaVersion": 1, "label": "x", "message": "ok", "cacheSeconds": -1},
    ],
)
def test_the_badge_schema_refuses_what_shields_refuses(badge):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(badge, BADGE_SCHEMA, cls=jsonschema.Draft202012Validator)
