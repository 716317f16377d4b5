"""The build's time by phase, where the publish workflow shows it: GitHub's step summary.

GitHub Actions names a file in ``GITHUB_STEP_SUMMARY`` whose Markdown it shows on the run's
page; a build that finds the variable adds a table of its phases to it, so the time the
daily publish takes on GitHub's runners is read there, not guessed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PHASES = {  # phase -> what the table calls it
    "fetch": "fetch from arXiv",
    "build": "build (read the store, write the pages)",
    "index": "search index",
}


def phase_table(seconds: Mapping[str, float]) -> str:
    """The phases this build went through, in Markdown."""
    rows = [
        f"| {name} | {seconds[phase]:.1f} s |" for phase, name in PHASES.items() if phase in seconds
    ]
    total = sum(seconds.get(phase, 0.0) for phase in PHASES)
    return "\n".join(
        ["| arxiv-digest | time |", "| --- | --- |", *rows, f"| total | {total:.1f} s |", ""]
    )


def report_phases(seconds: Mapping[str, float], environ: Mapping[str, str] = os.environ) -> None:
    """Add the phase table to the workflow step's summary, when there is one."""
    summary = environ.get("GITHUB_STEP_SUMMARY")
    if not summary:
        return
    with Path(summary).open("a", encoding="utf-8") as handle:
        handle.write(phase_table(seconds) + "\n")
