"""The last build, remembered: what each day file held and what every page was made with,
kept beside the render cache so that a rebuild writes only the archive pages a change
feeds (``pages.rebuild``), and leaves the rest of ``output/`` as it is.

A rebuild writes every page again when anything besides the days changed: the theme, the
plugin, keywords.yaml or a setting (the render fingerprint), the fetch status the footers
show, the site's own pages, or the output folder. When nothing at all changed (the days,
that, the status page's and the site's own pages' text), it writes no page. A manifest
that cannot be read is a build that writes everything, never an error.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..model.writing import write_atomically
from ..pages.rebuild import DayFeeds

FILE = "arxiv-digest-build.json"  # in CACHE_PATH
FORMAT = 2


@dataclass(frozen=True)
class Manifest:
    """What one build wrote from."""

    output: str  # the output folder, resolved
    key: str  # everything but the days that every page is made with
    summary: str  # what only the pages summing up the site show besides (status, pages)
    days: Mapping[date, DayFeeds]


def read_manifest(cache: Path) -> Manifest | None:
    """The last build's manifest, or None when there is none that can be trusted."""
    try:
        data = json.loads((cache / FILE).read_text(encoding="utf-8"))
        if data["format"] != FORMAT:
            return None
        days = {date.fromisoformat(d): DayFeeds.from_json(v) for d, v in data["days"].items()}
        return Manifest(str(data["output"]), str(data["key"]), str(data["summary"]), days)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # a full build, which writes a good manifest


def write_manifest(cache: Path, manifest: Manifest) -> None:
    data = {
        "format": FORMAT,
        "output": manifest.output,
        "key": manifest.key,
        "summary": manifest.summary,
        "days": {day.isoformat(): manifest.days[day].to_json() for day in sorted(manifest.days)},
    }
    cache.mkdir(parents=True, exist_ok=True)
    write_atomically(cache / FILE, json.dumps(data, sort_keys=True) + "\n")


def forget_manifest(cache: Path) -> None:
    """No manifest: the next build writes every page (this one may stop half-way)."""
    (cache / FILE).unlink(missing_ok=True)
