"""The fetch log: what the last fetches did, kept beside the store and committed with it.

The status page, ``status.json`` and the badge are built from this file, not from the
clock or the build machine, so the published site, an offline rebuild and a rebuild from
the same store all say the same thing.

It lives at ``<store>/fetch-log.jsonl``: Pelican reads every ``.json`` under the store as a
digest, and the store reads only ``YYYY/YYYY-MM-DD.json``, so neither misreads a ``.jsonl``.
One line per run, oldest first, keys sorted: a run adds one line at the end and, past
:data:`KEEP_RUNS`, drops the first, so ``git diff`` shows just the run. Written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

from .paper import FieldError, clean_text, shown
from .schedule import stored_day, stored_moment
from .store import StoreError
from .writing import write_atomically

FORMAT = 1
LOG_NAME = "fetch-log.jsonl"
KEEP_RUNS = 30  # six weeks of weekday runs: enough to find when the newest digest was fetched
MAX_REASON = 300  # characters; a reason is one line on the status page


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"  # its papers in the store are unchanged
    NO_MATCH = "no-match"  # arXiv has no paper for it yet
    SKIPPED = "skipped"  # not asked, because arXiv had already failed in this run


OUTCOMES = tuple(str(outcome) for outcome in Outcome)


@dataclass(frozen=True)
class KeywordRun:
    """What one run's fetch of one keyword did."""

    slug: str
    outcome: Outcome
    new: int = 0
    revised: int = 0
    reason: str = ""  # why it failed or was skipped

    @property
    def failed(self) -> bool:
        return self.outcome in (Outcome.FAILED, Outcome.SKIPPED)


@dataclass(frozen=True)
class Run:
    """One fetch: when it ran, what it did per keyword, which day files it changed."""

    started: datetime  # aware, UTC, whole seconds
    finished: datetime
    keywords: tuple[KeywordRun, ...] = ()
    changed_days: tuple[date, ...] = ()  # the digest days whose files this run changed
    error: str = ""  # the run stopped as a whole (e.g. a store file does not parse)

    def __post_init__(self) -> None:
        for name in ("started", "finished"):
            moment = getattr(self, name)
            if moment.tzinfo is None:
                raise ValueError(f"{name} must carry a time zone")
            object.__setattr__(self, name, moment.astimezone(UTC).replace(microsecond=0))
        if self.finished < self.started:
            raise ValueError("a run cannot finish before it started")
        object.__setattr__(self, "changed_days", tuple(sorted(set(self.changed_days))))
        object.__setattr__(self, "error", _reason(self.error))
        reasons = [_reason(k.reason) for k in self.keywords]
        object.__setattr__(
            self,
            "keywords",
            tuple(
                KeywordRun(k.slug, Outcome(k.outcome), k.new, k.revised, reason)
                for k, reason in zip(self.keywords, reasons, strict=True)
            ),
        )

    @property
    def failed(self) -> bool:
        return bool(self.error) or any(k.failed for k in self.keywords)

    def keyword(self, slug: str) -> KeywordRun | None:
        return next((k for k in self.keywords if k.slug == slug), None)

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "format": FORMAT,
            "started": _timestamp(self.started),
            "finished": _timestamp(self.finished),
            "changed_days": [day.isoformat() for day in self.changed_days],
            "keywords": [
                {"slug": k.slug, "outcome": str(k.outcome), "new": k.new, "revised": k.revised}
                | ({"reason": k.reason} if k.reason else {})
                for k in self.keywords
            ],
        }
        if self.error:
            data["error"] = self.error
        return data

    @classmethod
    def from_json(cls, data: object) -> Run:
        """A run from its logged form; raises :class:`FieldError` naming the wrong field."""
        if type(data) is not dict:
            raise FieldError("", f"a run must be a JSON object, not {shown(data)}")
        if data.get("format") != FORMAT:
            raise FieldError(
                "format", f"is {shown(data.get('format'))}, but this reads log format {FORMAT}"
            )
        keywords = []
        for number, item in enumerate(_list(data.get("keywords", []), "keywords"), start=1):
            try:
                keywords.append(_keyword_run(item))
            except FieldError as err:
                raise FieldError("keywords", f"item {number}: {err}") from None
        started, finished = _moment(data, "started"), _moment(data, "finished")
        if finished < started:
            raise FieldError("finished", "is before 'started'")
        return cls(
            started=started,
            finished=finished,
            keywords=tuple(keywords),
            changed_days=tuple(
                _day(d) for d in _list(data.get("changed_days", []), "changed_days")
            ),
            error=_text(data.get("error", ""), "error"),
        )


class FetchLogError(StoreError):
    """The fetch log cannot be read; the message names it and says what to do.

    The log is part of the store: whoever handles a store file that does not parse
    (stop the fetch before any request, report it) handles this too."""


def log_path(store_root: Path) -> Path:
    return store_root / LOG_NAME


def read_log(path: Path) -> tuple[Run, ...]:
    """Every logged run, oldest first; no file is no run yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as err:
        raise FetchLogError(f"{path}: cannot be read ({err})") from None
    return parse_log(text, path)


def parse_log(text: str, path: Path) -> tuple[Run, ...]:
    advice = (
        f"fix it, restore it with 'git checkout -- {path}', or delete it "
        "(it only holds what past fetches did)"
    )
    runs = []
    # Lines end at "\n" only: a line may hold U+2028 or U+0085, which JSON leaves as they are.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            runs.append(Run.from_json(json.loads(line)))
        except json.JSONDecodeError as err:
            raise FetchLogError(f"{path}: line {number}: {err.msg}; {advice}") from None
        except RecursionError:
            raise FetchLogError(f"{path}: line {number}: nested too deeply; {advice}") from None
        except FieldError as err:
            raise FetchLogError(f"{path}: line {number}: {err}; {advice}") from None
    return tuple(runs)


def dump_log(runs: Iterable[Run]) -> str:
    """The exact text of the log: the same runs give the same bytes."""
    return "".join(
        json.dumps(run.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for run in runs
    )


def record_run(path: Path, run: Run, keep: int = KEEP_RUNS) -> tuple[Run, ...]:
    """Append ``run`` to the log, keeping the newest ``keep`` runs; returns them."""
    runs = (*read_log(path), run)[-keep:]
    write_atomically(path, dump_log(runs))
    return runs


def _reason(text: str) -> str:
    text = clean_text(text)
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _keyword_run(item: object) -> KeywordRun:
    if type(item) is not dict:
        raise FieldError("", f"a keyword's outcome must be a JSON object, not {shown(item)}")
    if "slug" not in item:
        raise FieldError("slug", "is missing")
    outcome = item.get("outcome")
    if outcome not in OUTCOMES:
        raise FieldError("outcome", f"must be one of {', '.join(OUTCOMES)}, not {shown(outcome)}")
    return KeywordRun(
        slug=_text(item["slug"], "slug"),
        outcome=Outcome(outcome),
        new=_count(item.get("new", 0), "new"),
        revised=_count(item.get("revised", 0), "revised"),
        reason=_text(item.get("reason", ""), "reason"),
    )


def _moment(data: dict[str, object], name: str) -> datetime:
    if name not in data:
        raise FieldError(name, "is missing")
    value = _text(data[name], name)
    try:
        return stored_moment(value)
    except ValueError as err:
        raise FieldError(name, f"{err}, not {shown(value)}") from None


def _day(value: object) -> date:
    text = _text(value, "changed_days")
    try:
        return stored_day(text)
    except ValueError as err:
        raise FieldError("changed_days", f"{err}, not {shown(text)}") from None


def _text(value: object, name: str) -> str:
    if type(value) is not str:
        raise FieldError(name, f"must be text, not {shown(value)}")
    return value


def _count(value: object, name: str) -> int:
    if type(value) is not int or value < 0:
        raise FieldError(name, f"must be a whole number of papers, not {shown(value)}")
    return value


def _list(value: object, name: str) -> list[object]:
    if type(value) is not list:
        raise FieldError(name, f"must be a list, not {shown(value)}")
    return value
