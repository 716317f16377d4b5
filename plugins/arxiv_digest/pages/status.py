"""The site's status: what the last fetch did and when arXiv announces next.

Everything here is computed from the fetch log and the store, never from the clock of the
build: the published site, an offline rebuild and a rebuild from the same store say the
same thing, byte for byte. The "next announcement" is the next one after the last fetch.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..model.fetchlog import KeywordRun, Outcome, Run
from ..model.keywords import Keyword
from ..model.schedule import (
    FRIDAY,
    SATURDAY,
    announcement_time,
    latest_announcement_day,
    next_announcement_day,
)

BADGE_LABEL = "arXiv digest"
NOT_FETCHED = "not-fetched"  # a keyword no logged run has asked for yet


@dataclass(frozen=True)
class KeywordStatus:
    """What the last fetch of one keyword did."""

    slug: str
    name: str
    outcome: str  # an Outcome value, or NOT_FETCHED
    new: int = 0
    revised: int = 0
    reason: str = ""
    fetched: datetime | None = None  # when the run that last asked for it finished

    @property
    def failed(self) -> bool:
        return self.outcome in (Outcome.FAILED, Outcome.SKIPPED)

    @property
    def text(self) -> str:
        """``ok: 3 new, 1 revised``, ``failed: HTTP 503 from arXiv``, ``no match yet``."""
        if self.outcome == Outcome.OK:
            return f"ok: {self.new} new, {self.revised} revised"
        if self.outcome == Outcome.NO_MATCH:
            return "no match yet"
        if self.outcome == NOT_FETCHED:
            return "not fetched yet"
        return f"{self.outcome}: {self.reason}" if self.reason else str(self.outcome)


@dataclass(frozen=True)
class QuietEvening:
    """A US Eastern evening on which arXiv announces nothing, before the next announcement."""

    evening: date
    holiday: bool  # a listed holiday on a weekday evening arXiv would otherwise announce


@dataclass(frozen=True)
class Status:
    fetched: datetime | None  # when the last fetch finished; None: never fetched
    failed: bool  # the last fetch failed, for a keyword or as a whole
    error: str  # why the last fetch failed as a whole, if it did
    keywords: tuple[KeywordStatus, ...]
    newest_digest: date | None
    newest_digest_fetched: datetime | None  # the last run that changed the newest digest
    next_digest: date | None  # the next announcement after the last fetch
    quiet: tuple[QuietEvening, ...]  # evenings without an announcement until then
    first_fetch: bool = False  # the last fetch is the only one logged: it filled the pages

    @property
    def next_announcement(self) -> datetime | None:
        """When the next announcement is made (UTC)."""
        return announcement_time(self.next_digest) if self.next_digest else None

    @property
    def failures(self) -> tuple[KeywordStatus, ...]:
        return tuple(k for k in self.keywords if k.failed and k.fetched == self.fetched)

    @property
    def headline(self) -> str:
        """One line: ``ok``, ``failed: 2 of 5 keywords``, ``failed: <why>``, ``never fetched``."""
        if self.fetched is None:
            return "never fetched"
        if self.error:
            return f"failed: {self.error}"
        if self.failed:
            failed, total = len(self.failures), len(self.keywords)
            return f"failed: {failed} of {total} keyword{'s' * (total != 1)}"
        return "ok"

    @property
    def note(self) -> str:
        """Why the next announcement is more than a day away, when it is."""
        if not self.quiet:
            return ""
        weekend = any(not q.holiday for q in self.quiet)
        holidays = [q.evening for q in self.quiet if q.holiday]
        listed = _and(f"{d:%A} {d.day} {d:%B}" for d in holidays)
        listed += " (holidays)" if len(holidays) > 1 else " (a holiday)"
        if weekend and holidays:
            return f"arXiv announces nothing on Friday and Saturday nights, nor on {listed}."
        if weekend:
            return "arXiv announces nothing on Friday and Saturday nights."
        return f"arXiv announces nothing on {listed}."


def site_status(
    runs: Sequence[Run],
    keywords: Iterable[Keyword],
    newest_digest: date | None,
    holidays: Collection[date] = (),
) -> Status:
    """The status facts from the logged runs (oldest first), the configured keywords (in
    keywords.yaml's order) and the newest digest day in the store."""
    last = runs[-1] if runs else None
    fetched = last.finished if last else None
    next_digest = next_announcement_day(fetched, holidays) if fetched else None
    quiet: tuple[QuietEvening, ...] = ()
    if fetched and next_digest:
        last_evening = latest_announcement_day(fetched, holidays) - timedelta(days=1)
        quiet = _quiet_evenings(last_evening, next_digest - timedelta(days=1), holidays)
    return Status(
        fetched=fetched,
        failed=bool(last and last.failed),
        error=last.error if last else "",
        keywords=tuple(_keyword_status(keyword, runs) for keyword in keywords),
        newest_digest=newest_digest,
        newest_digest_fetched=next(
            (run.finished for run in reversed(runs) if newest_digest in run.changed_days),
            None,
        ),
        next_digest=next_digest,
        quiet=quiet,
        first_fetch=len(runs) == 1,
    )


def _keyword_status(keyword: Keyword, runs: Sequence[Run]) -> KeywordStatus:
    for run in reversed(runs):
        entry: KeywordRun | None = run.keyword(keyword.slug)
        if entry is not None:
            return KeywordStatus(
                keyword.slug,
                keyword.name,
                str(entry.outcome),
                entry.new,
                entry.revised,
                entry.reason,
                run.finished,
            )
    return KeywordStatus(keyword.slug, keyword.name, NOT_FETCHED)


def _quiet_evenings(
    after: date, before: date, holidays: Collection[date]
) -> tuple[QuietEvening, ...]:
    """The evenings strictly between two announcement evenings: none of them announces."""
    quiet = []
    evening = after + timedelta(days=1)
    while evening < before:
        weekend = evening.weekday() in (FRIDAY, SATURDAY)
        quiet.append(QuietEvening(evening, holiday=not weekend and evening in holidays))
        evening += timedelta(days=1)
    return tuple(quiet)


def status_json(status: Status) -> dict[str, object]:
    """``/status.json``: the same facts as the status page, for machines."""
    next_time = status.next_announcement
    return {
        "fetched": _timestamp(status.fetched),
        "ok": status.fetched is not None and not status.failed,
        "summary": status.headline,
        "error": status.error,
        "keywords": [
            {
                "slug": k.slug,
                "name": k.name,
                "outcome": k.outcome,
                "new": k.new,
                "revised": k.revised,
                "reason": k.reason,
                "fetched": _timestamp(k.fetched),
            }
            for k in status.keywords
        ],
        "newest_digest": {
            "day": status.newest_digest.isoformat() if status.newest_digest else None,
            "fetched": _timestamp(status.newest_digest_fetched),
        },
        "next_announcement": {
            "day": status.next_digest.isoformat() if status.next_digest else None,
            "time": _timestamp(next_time),
        },
        "no_announcement": [
            {"evening": q.evening.isoformat(), "reason": "holiday" if q.holiday else "weekend"}
            for q in status.quiet
        ],
        "note": status.note,
    }


def badge_json(status: Status) -> dict[str, object]:
    """``/status-badge.json``: a shields.io endpoint badge (https://shields.io/badges/endpoint-badge)."""
    if status.fetched is None:
        message, color = "not fetched yet", "lightgrey"
    elif status.failed:
        message, color = "fetch failed", "red"
    else:
        message, color = f"updated {status.fetched:%Y-%m-%d}", "green"
    return {"schemaVersion": 1, "label": BADGE_LABEL, "message": message, "color": color}


def json_text(data: dict[str, object]) -> str:
    """The bytes to publish: keys sorted, so the same status gives the same file."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _and(items: Iterable[str]) -> str:
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
