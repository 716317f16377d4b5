"""arXiv's announcement calendar: on which digest day a submission appears.

arXiv announces Sunday to Thursday at 20:00 US Eastern time. A submission made
before the 14:00 cutoff of a weekday is announced that evening (Thursday's
cutoff to Friday's is announced on Sunday; Friday's to Monday's on Monday). The
digest day is the UTC date of the announcement, which is the date the mailing
carries: 20:00 Eastern is already the next day in UTC.

Holidays are the US Eastern dates of evenings on which arXiv announces nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")
CUTOFF = time(14, 0)
ANNOUNCEMENT = time(20, 0)
ONE_DAY = timedelta(days=1)
FRIDAY, SATURDAY = 4, 5
ANNOUNCING_WEEKDAYS = {6, 0, 1, 2, 3}  # Sunday to Thursday evenings
# Every date read from the store or the fetch log lies in these years: arXiv began in 1991,
# and the calendar's arithmetic (a day or a year away) must never leave Python's years 1-9999.
FIRST_YEAR, LAST_YEAR = 1991, 2999
STORED_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
STORED_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z", re.ASCII)
# Either form within those years and the ranges of each number: the quick check of the
# ~70,000 times a year of history holds (stored_day and stored_moment say what is wrong).
STORABLE_TIME = re.compile(
    r"(?:199[1-9]|2\d{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\dZ)?",
    re.ASCII,
)


def announcement_day(submitted: datetime, holidays: Collection[date] = ()) -> date:
    """The digest day (UTC date) of the announcement that carries ``submitted``.

    ``holidays`` are US Eastern dates on which arXiv announces nothing, as its
    schedule lists them; what would have been announced then waits for the next
    announcement.
    """
    if submitted.tzinfo is None:
        raise ValueError("submission time must carry a time zone")
    local = submitted.astimezone(EASTERN)
    deadline = local.date()
    if local.time() >= CUTOFF:
        deadline += timedelta(days=1)
    while deadline.weekday() >= SATURDAY:
        deadline += timedelta(days=1)

    evening = deadline + timedelta(days=2) if deadline.weekday() == FRIDAY else deadline
    while not announces_on(evening, holidays):
        evening += ONE_DAY
    return evening + ONE_DAY


def announces_on(evening: date, holidays: Collection[date] = ()) -> bool:
    """Whether arXiv announces on this US Eastern evening."""
    return evening.weekday() in ANNOUNCING_WEEKDAYS and evening not in holidays


def announcement_time(day: date) -> datetime:
    """When arXiv announces digest day ``day``: 20:00 Eastern the evening before, in UTC."""
    return datetime.combine(day - ONE_DAY, ANNOUNCEMENT, EASTERN).astimezone(UTC)


def latest_announcement_day(moment: datetime, holidays: Collection[date] = ()) -> date:
    """The digest day of the last announcement made at or before ``moment``."""
    local = _eastern(moment)
    evening = local.date() if local.time() >= ANNOUNCEMENT else local.date() - ONE_DAY
    while not announces_on(evening, holidays):
        evening -= ONE_DAY
    return evening + ONE_DAY


def next_announcement_day(moment: datetime, holidays: Collection[date] = ()) -> date:
    """The digest day of the first announcement made after ``moment``."""
    local = _eastern(moment)
    evening = local.date() if local.time() < ANNOUNCEMENT else local.date() + ONE_DAY
    while not announces_on(evening, holidays):
        evening += ONE_DAY
    return evening + ONE_DAY


def _eastern(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("the time must carry a time zone")
    return moment.astimezone(EASTERN)


def parse_timestamp(value: str) -> datetime:
    """arXiv's ``2026-01-30T18:22:05Z`` as an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def stored_day(text: str) -> date:
    """A day as the store writes it, ``2026-01-30``, within the years a store can hold;
    raises ValueError saying what is wrong."""
    return _bounded(STORED_DAY.fullmatch(text), "a date written 2026-01-30").date()


def stored_moment(text: str) -> datetime:
    """A UTC time as the store and the fetch log write it, ``2026-01-30T18:22:05Z``, within
    the years a store can hold; raises ValueError saying what is wrong."""
    return _bounded(STORED_MOMENT.fullmatch(text), "a UTC time written 2026-01-30T18:22:05Z")


def is_storable_time(text: str) -> bool:
    """Whether ``text`` is a day or a UTC time as the store writes them, in its years."""
    if STORABLE_TIME.fullmatch(text) is None:
        return False
    if text[8:10] <= "28":
        return True
    try:
        date(int(text[:4]), int(text[5:7]), int(text[8:10]))  # 29 February, 31 April...
    except ValueError:
        return False
    return True


def in_stored_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _bounded(match: re.Match[str] | None, form: str) -> datetime:
    if match is None:
        raise ValueError(f"must be {form}")
    year, month, day, *clock = [int(number) for number in match.groups()]
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    hour, minute, second = clock or (0, 0, 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise ValueError(f"is not a real date or time (must be {form})") from None
