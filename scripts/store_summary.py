"""The commit message for the store changes staged in git: which days, how many papers.

    git add content/papers && python scripts/store_summary.py > message

It needs only the standard library and ``arxiv_digest`` importable: installed, or
``PYTHONPATH=plugins`` as in the publish workflow's store job, which installs nothing.

The publish workflow commits what a fetch did to the store with this message::

    arXiv 2026-02-03: 12 new papers, 3 revised

    2026-02-03: 12 new, 3 revised

Each staged day file is compared with the same file in HEAD, paper by paper (id and
version): a paper that was not there is new, or revised when its version is above 1; one
that was there but changed (it matched one more keyword) is updated.

Every fetch adds a run to the fetch log, so a run that found nothing is committed too,
named by the UTC date it started on: ``arXiv 2026-12-01: nothing new``. A run that failed
says so after the counts, ``; fetch failed for 2 of 5 keywords``, and the body names each
failed keyword and why. Exits 1 when no day file is staged and the log gained no run, so
that a commit with nothing in it is never made.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from arxiv_digest.model.fetchlog import LOG_NAME, Run, parse_log
from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import DAY_FILE, StoreError, parse_day

STORE = "content/papers"


@dataclass(frozen=True)
class DayChange:
    """What one day file gained (or lost) between HEAD and the index."""

    day: date
    new: int = 0
    revised: int = 0
    updated: int = 0
    removed: int = 0

    def counts(self, noun: str = "") -> str:
        """``12 new, 3 revised``; with noun="paper", ``12 new papers, 3 revised``."""
        new = f"{self.new} new" + (f" {noun}{'s' * (self.new != 1)}" if noun else "")
        parts = [new, f"{self.revised} revised"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.removed:  # a fetch never removes a paper: worth seeing in the log
            parts.append(f"{self.removed} removed")
        return ", ".join(parts)


def staged_changes(repo: Path, store: str = STORE) -> list[DayChange]:
    """The staged changes to the store's day files, newest day first."""
    listing = _git(repo, "diff", "--cached", "--name-status", "--no-renames", "-z", "--", store)
    fields = listing.split("\0")[:-1]
    changes = []
    for status, path in zip(fields[::2], fields[1::2], strict=True):
        if not DAY_FILE.match(Path(path).name):
            continue
        before = _papers(repo, f"HEAD:{path}", path) if status != "A" else {}
        after = _papers(repo, f":{path}", path) if status != "D" else {}
        added = [after[key] for key in after.keys() - before.keys()]
        revised = sum(paper.is_revision for paper in added)
        changes.append(
            DayChange(
                day=date.fromisoformat(Path(path).stem),
                new=len(added) - revised,
                revised=revised,
                updated=sum(after[key] != before[key] for key in after.keys() & before.keys()),
                removed=len(before.keys() - after.keys()),
            )
        )
    return sorted(changes, key=lambda change: change.day, reverse=True)


def staged_runs(repo: Path, store: str = STORE) -> tuple[Run, ...]:
    """The runs the staged fetch log adds to the one in HEAD, oldest first."""
    path = f"{store}/{LOG_NAME}"
    listing = _git(repo, "diff", "--cached", "--name-status", "--no-renames", "-z", "--", path)
    status = listing.split("\0")[0]
    if status not in ("A", "M"):
        return ()
    before = _runs(repo, f"HEAD:{path}", path) if status == "M" else ()
    after = _runs(repo, f":{path}", path)
    last = before[-1].started if before else None
    return tuple(run for run in after if last is None or run.started > last)


def commit_message(changes: list[DayChange], runs: tuple[Run, ...] = ()) -> str:
    """A subject naming the day (or the first and last days) and the counts, or "nothing
    new" and the day the run started; whether the last run failed; a line per day and per
    failed keyword."""
    lines = [f"{c.day}: {c.counts()}" for c in changes]
    if not changes:
        days, news = runs[-1].started.date().isoformat(), "nothing new"
    else:
        total = DayChange(
            day=changes[0].day,
            new=sum(c.new for c in changes),
            revised=sum(c.revised for c in changes),
            updated=sum(c.updated for c in changes),
            removed=sum(c.removed for c in changes),
        )
        news = total.counts("paper")
        if len(changes) == 1:
            days = changes[0].day.isoformat()
        else:
            days = f"{changes[-1].day} to {changes[0].day} ({len(changes)} days)"
    subject = f"arXiv {days}: {news}"
    if runs and runs[-1].failed:
        run = runs[-1]  # the one the store now reflects
        failed = [k for k in run.keywords if k.failed]
        if run.error:
            subject += "; fetch failed"
            lines.append(f"fetch failed: {run.error}")
        else:
            count = len(run.keywords)
            subject += f"; fetch failed for {len(failed)} of {count} keyword{'s' * (count != 1)}"
        lines += [f"{k.slug}: {k.outcome}: {k.reason}" for k in failed]
    return subject + "\n" + "".join(f"\n{line}" for line in lines) + "\n" * bool(lines)


def _runs(repo: Path, blob: str, path: str) -> tuple[Run, ...]:
    return parse_log(_git(repo, "show", blob), Path(path))


def _papers(repo: Path, blob: str, path: str) -> dict[tuple[str, int | None], Paper]:
    day = parse_day(_git(repo, "show", blob), Path(path))
    return {(paper.id, paper.version): paper for paper in day.papers}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, encoding="utf-8"
    ).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", default=STORE, help="the store folder (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        changes = staged_changes(Path.cwd(), args.store)
        runs = staged_runs(Path.cwd(), args.store)
    except StoreError as err:  # a day file or the fetch log that does not parse
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not changes and not runs:
        print(
            f"error: no day file under {args.store} is staged, and its fetch log gained no run",
            file=sys.stderr,
        )
        return 1
    sys.stdout.write(commit_message(changes, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
