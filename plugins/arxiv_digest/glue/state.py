"""What a build knows before it reads the store (and the days it read), kept in Pelican's
settings.

Pelican hands its settings to every signal and generator, so the checked plugin
settings, the keywords and the fetch's outcome travel there, under one key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import keywords as keywords_config
from ..model import settings as digest_settings
from ..model.store import Day

if TYPE_CHECKING:
    from pelican.settings import Settings

    from ..fetching.fetch import FetchReport  # the arxiv package is imported only when fetching

STATE = "ARXIV_DIGEST"  # the settings key holding this build's Run


@dataclass(frozen=True)
class Run:
    """What this build knows before it reads the store."""

    settings: digest_settings.DigestSettings
    config: keywords_config.Config
    fetch_report: FetchReport | None = None
    fetch_error: str | None = None  # the fetch could not start (e.g. a store file is broken)
    log_error: str | None = None  # the fetch log cannot be read (reported after the build)
    # What the reader left out of the store and why (reported after the build); the reader
    # adds to it, so it is shared by every copy of this Run.
    store_problems: list[str] = field(default_factory=list)
    # The days the generator read, for the search index built after the site is written.
    days: tuple[Day, ...] = ()


def run_of(settings: Settings) -> Run:
    """This build's Run; the plugin stores it when Pelican is initialised."""
    run: Run = settings[STATE]
    return run
