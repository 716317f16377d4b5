"""The announcement calendar: which digest day carries a submission.

arXiv announces Sunday to Thursday at 20:00 US Eastern with a 14:00 ET cutoff; the digest
day is the UTC date of that announcement. Times are given in UTC, as arXiv gives them,
so the cases across the daylight-saving changes (US 2026: March 8 and November 1) show
that the cutoff follows Eastern time, not a fixed offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from arxiv_digest.model.schedule import (
    announcement_day,
    announcement_time,
    latest_announcement_day,
    next_announcement_day,
    parse_timestamp,
    stored_day,
    stored_moment,
)


def day_of(utc: str, holidays=()) -> str:
    return announcement_day(parse_timestamp(utc), frozenset(holidays)).isoformat()


# The week of Monday 26 January 2026 (EST, UTC-5: the 14:00 cutoff is 19:00 UTC).
@pytest.mark.parametrize(
    ("submitted", "digest"),
    [
        pytest.param("2026-01-26T18:59:59Z", "2026-01-27", id="monday-before-cutoff-mon-evening"),
        pytest.param("2026-01-26T19:00:00Z", "2026-01-28", id="monday-at-cutoff-tue-evening"),
        pytest.param("2026-01-27T04:30:00Z", "2026-01-28", id="monday-late-night-et-tue-evening"),
        pytest.param("2026-01-28T18:59:59Z", "2026-01-29", id="wednesday-before-cutoff"),
        pytest.param("2026-01-29T18:59:59Z", "2026-01-30", id="thursday-before-cutoff-thu-evening"),
        pytest.param("2026-01-29T19:00:00Z", "2026-02-02", id="thursday-at-cutoff-sunday-evening"),
        pytest.param("2026-01-30T18:59:59Z", "2026-02-02", id="friday-before-cutoff-sunday"),
        pytest.param("2026-01-30T19:00:00Z", "2026-02-03", id="friday-at-cutoff-monday-evening"),
        pytest.param("2026-01-31T12:00:00Z", "2026-02-03", id="saturday-monday-evening"),
        pytest.param("2026-02-01T23:00:00Z", "2026-02-03", id="sunday-evening-monday-evening"),
        pytest.param("2026-02-02T18:59:59Z", "2026-02-03", id="next-monday-before-cutoff"),
    ],
)
def test_the_digest_day_follows_the_14_00_et_cutoff_and_the_weekend(submitted, digest):
    assert day_of(submitted) == digest


@pytest.mark.parametrize(
    ("submitted", "digest"),
    [
        # Friday 6 March is still EST (cutoff 19:00 UTC); Sunday's announcement is in EDT.
        pytest.param("2026-03-06T18:59:59Z", "2026-03-09", id="fri-before-cutoff-est-sunday-edt"),
        pytest.param("2026-03-06T19:00:00Z", "2026-03-10", id="fri-at-cutoff-est-monday-edt"),
        pytest.param("2026-03-07T20:00:00Z", "2026-03-10", id="saturday-before-the-change"),
        # Monday 9 March is EDT: the cutoff is 18:00 UTC, an hour earlier in UTC.
        pytest.param("2026-03-09T17:59:59Z", "2026-03-10", id="mon-before-cutoff-edt"),
        pytest.param("2026-03-09T18:00:00Z", "2026-03-11", id="mon-at-cutoff-edt"),
    ],
)
def test_the_cutoff_moves_with_the_spring_daylight_saving_change(submitted, digest):
    assert day_of(submitted) == digest


@pytest.mark.parametrize(
    ("submitted", "digest"),
    [
        # Thursday 29 and Friday 30 October are EDT (cutoff 18:00 UTC); Sunday 1 November is EST.
        pytest.param("2026-10-29T18:00:00Z", "2026-11-02", id="thu-at-cutoff-edt-sunday-est"),
        pytest.param("2026-10-30T17:59:59Z", "2026-11-02", id="fri-before-cutoff-edt"),
        pytest.param("2026-10-30T18:00:00Z", "2026-11-03", id="fri-at-cutoff-edt"),
        pytest.param("2026-11-01T05:30:00Z", "2026-11-03", id="sunday-during-the-repeated-hour"),
        # Monday 2 November is EST: the cutoff is 19:00 UTC again.
        pytest.param("2026-11-02T18:30:00Z", "2026-11-03", id="mon-before-cutoff-est"),
        pytest.param("2026-11-02T19:00:00Z", "2026-11-04", id="mon-at-cutoff-est"),
    ],
)
def test_the_cutoff_moves_with_the_autumn_daylight_saving_change(submitted, digest):
    assert day_of(submitted) == digest


def test_a_holiday_on_a_thursday_moves_its_papers_to_the_sunday_announcement():
    submitted = "2026-12-23T20:00:00Z"  # Wednesday 15:00 EST, for Thursday's announcement
    assert day_of(submitted) == "2026-12-25"
    assert day_of(submitted, holidays=[date(2026, 12, 24)]) == "2026-12-28"


def test_a_holiday_on_a_monday_moves_the_weekend_papers_to_tuesday():
    submitted = "2026-05-22T19:00:00Z"  # Friday 15:00 EDT, for Monday's announcement
    assert day_of(submitted) == "2026-05-26"
    assert day_of(submitted, holidays=[date(2026, 5, 25)]) == "2026-05-27"


def test_consecutive_holidays_move_papers_past_all_of_them():
    submitted = "2026-12-22T20:00:00Z"  # Tuesday after the cutoff, for Wednesday's announcement
    holidays = [date(2026, 12, 23), date(2026, 12, 24)]
    assert day_of(submitted, holidays) == "2026-12-28"


def test_a_holiday_that_is_not_an_announcement_evening_changes_nothing():
    submitted = "2026-01-30T19:00:00Z"  # Friday after the cutoff, for Monday's announcement
    assert day_of(submitted, holidays=[date(2026, 1, 31), date(2026, 2, 1)]) == "2026-02-03"


def test_the_same_moment_in_another_time_zone_gives_the_same_day():
    moment = datetime(2026, 1, 29, 19, 0, tzinfo=UTC)
    tokyo = moment.astimezone(timezone(timedelta(hours=9)))
    assert announcement_day(tokyo) == announcement_day(moment) == date(2026, 2, 2)


def test_a_submission_time_without_a_time_zone_is_refused():
    with pytest.raises(ValueError, match="time zone"):
        announcement_day(datetime(2026, 1, 29, 12, 0))


def test_arxiv_timestamps_are_read_as_utc():
    assert parse_timestamp("2026-01-30T18:22:05Z") == datetime(2026, 1, 30, 18, 22, 5, tzinfo=UTC)


# When announcements are made: 20:00 Eastern, Sunday to Thursday, the evening before the
# digest day. Monday 26 January 2026 is EST (20:00 is 01:00 UTC the next day).
@pytest.mark.parametrize(
    ("moment", "latest", "following"),
    [
        pytest.param("2026-01-27T00:59:59Z", "2026-01-26", "2026-01-27", id="mon-before-20-et"),
        pytest.param("2026-01-27T01:00:00Z", "2026-01-27", "2026-01-28", id="mon-at-20-et"),
        pytest.param("2026-01-27T01:47:00Z", "2026-01-27", "2026-01-28", id="the-publish-run"),
        pytest.param("2026-01-30T01:47:00Z", "2026-01-30", "2026-02-02", id="thu-evening"),
        pytest.param("2026-01-31T15:00:00Z", "2026-01-30", "2026-02-02", id="saturday"),
        pytest.param("2026-02-02T00:59:59Z", "2026-01-30", "2026-02-02", id="sun-before-20-et"),
        pytest.param("2026-02-02T01:00:00Z", "2026-02-02", "2026-02-03", id="sun-at-20-et"),
        # Sunday 8 March 2026 is EDT: 20:00 is midnight UTC.
        pytest.param("2026-03-09T00:00:00Z", "2026-03-09", "2026-03-10", id="sun-at-20-edt"),
    ],
)
def test_the_latest_and_next_announcements_around_a_moment(moment, latest, following):
    when = parse_timestamp(moment)
    assert latest_announcement_day(when).isoformat() == latest
    assert next_announcement_day(when).isoformat() == following


def test_a_holiday_before_the_moment_is_skipped_looking_back():
    christmas = parse_timestamp("2026-12-25T12:00:00Z")  # Friday; Thursday 24 a holiday
    assert latest_announcement_day(christmas) == date(2026, 12, 25)
    assert latest_announcement_day(christmas, {date(2026, 12, 24)}) == date(2026, 12, 24)


def test_holidays_after_the_moment_are_skipped_looking_forward():
    # Wednesday 07:00 Eastern: that evening's announcement and the next are still ahead.
    wednesday_morning = parse_timestamp("2026-12-23T12:00:00Z")
    assert next_announcement_day(wednesday_morning) == date(2026, 12, 24)
    assert next_announcement_day(wednesday_morning, {date(2026, 12, 23)}) == date(2026, 12, 25)
    both = {date(2026, 12, 23), date(2026, 12, 24)}  # then Friday and Saturday: Sunday's
    assert next_announcement_day(wednesday_morning, both) == date(2026, 12, 28)


def test_an_announcement_is_at_20_00_eastern_the_evening_before_its_digest_day():
    assert announcement_time(date(2026, 1, 27)) == datetime(2026, 1, 27, 1, 0, tzinfo=UTC)
    assert announcement_time(date(2026, 7, 7)) == datetime(2026, 7, 7, 0, 0, tzinfo=UTC)


def test_the_latest_announcement_needs_a_time_zone():
    with pytest.raises(ValueError, match="time zone"):
        latest_announcement_day(datetime(2026, 1, 27, 12, 0))


# -- the years a store can hold ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["1991-01-01", "2999-12-31", "2028-02-29"])
def test_a_stored_day_within_the_stored_years_is_read(text):
    assert stored_day(text) == date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1990-12-31", "year 1990 is outside 1991-2999"),
        ("3000-01-01", "year 3000 is outside 1991-2999"),
        ("9999-12-31", "year 9999 is outside 1991-2999"),
        ("0001-01-01", "year 1 is outside 1991-2999"),
        ("2026-02-29", "is not a real date"),
        ("20260301", "must be a date written 2026-01-30"),
        ("2026-03-01T00:00:00Z", "must be a date written 2026-01-30"),
        ("\u0662\u0660\u0662\u0666-03-01", "must be a date written 2026-01-30"),
    ],
)
def test_a_stored_day_outside_the_stored_years_or_the_calendar_is_refused(text, why):
    with pytest.raises(ValueError, match=why):
        stored_day(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2999-12-31T23:59:60Z", "is not a real date or time"),
        ("2026-03-01T24:00:00Z", "is not a real date or time"),
        ("9999-12-31T23:59:59Z", "year 9999 is outside"),
        ("2026-03-01T10:00:00+05:00", "must be a UTC time written 2026-01-30T18:22:05Z"),
        ("2026-03-01T10:00:00", "must be a UTC time"),
    ],
)
def test_a_stored_time_outside_the_stored_years_or_the_calendar_is_refused(text, why):
    with pytest.raises(ValueError, match=why):
        stored_moment(text)


@pytest.mark.parametrize(
    "moment", [stored_moment("1991-01-01T00:00:00Z"), stored_moment("2999-12-31T23:59:59Z")]
)
def test_the_calendar_reaches_past_either_end_of_the_stored_years_without_overflowing(moment):
    assert next_announcement_day(moment) > latest_announcement_day(moment)
    assert announcement_day(moment) >= latest_announcement_day(moment)
    assert announcement_time(next_announcement_day(moment)) > moment
