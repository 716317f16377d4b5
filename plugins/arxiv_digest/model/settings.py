"""The plugin's settings: read once from Pelican's settings and the environment, checked once.

Every ``ARXIV_*`` setting has a default here. The environment variables
``ARXIV_API_URL``, ``ARXIV_FETCH`` and ``ARXIV_DELAY`` override the settings of
the same name, so a workflow or a test can point a build elsewhere without
editing ``pelicanconf.py``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
ARXIV_MIN_DELAY = 3.0  # arXiv's terms of use: no more than one request every three seconds

ENVIRONMENT = ("ARXIV_API_URL", "ARXIV_FETCH", "ARXIV_DELAY")


class SettingsError(Exception):
    """An ARXIV_* setting or environment variable has a value that cannot be used."""


@dataclass(frozen=True)
class FetchSettings:
    api_url: str = DEFAULT_API_URL
    delay: float = ARXIV_MIN_DELAY
    timeout: tuple[float, float] = (10.0, 30.0)  # seconds to connect, to wait for an answer
    page_size: int = 100  # results per request
    max_attempts: int = 4  # per request, the first try included
    retry_budget: float = 60.0  # seconds a whole run may spend waiting to retry
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class DigestSettings:
    keywords_file: Path
    store: Path
    fetch: bool
    fetching: FetchSettings
    category_max_papers: int
    feed_max_papers: int
    cache: bool
    search: bool = True
    pagefind_binary: Path | None = None  # None: the one the pagefind[bin] wheel installs
    archive_years: int | None = None  # days published: the newest N years; None: all
    abstract_years: int | None = None  # digests with abstracts: the newest N years; None: all


DEFAULTS = {
    "ARXIV_KEYWORDS_FILE": "keywords.yaml",
    "ARXIV_STORE_PATH": "papers",  # inside Pelican's PATH
    "ARXIV_FETCH": False,
    # The fetch's defaults are FetchSettings' own.
    "ARXIV_API_URL": FetchSettings.api_url,
    "ARXIV_DELAY": FetchSettings.delay,
    "ARXIV_TIMEOUT": FetchSettings.timeout,
    "ARXIV_PAGE_SIZE": FetchSettings.page_size,
    "ARXIV_MAX_ATTEMPTS": FetchSettings.max_attempts,
    "ARXIV_RETRY_BUDGET": FetchSettings.retry_budget,
    "ARXIV_HOLIDAYS": (),  # US Eastern dates on which arXiv announces nothing
    "ARXIV_CATEGORY_MAX_PAPERS": 100,  # newest papers on a category page
    "ARXIV_FEED_MAX_PAPERS": 50,  # newest papers in a keyword feed
    "ARXIV_CACHE": True,  # keep rendered digests in CACHE_PATH between builds
    "ARXIV_SEARCH": True,  # build the search index and show the search box
    "ARXIV_PAGEFIND_BINARY": None,  # None: the binary of the pagefind[bin] wheel
    "ARXIV_ARCHIVE_YEARS": None,  # publish the newest N years of days (None: every day)
    # Older digests list their papers without abstracts, in search too (None: every day).
    "ARXIV_ABSTRACT_YEARS": None,
}


def read(settings: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> DigestSettings:
    """The plugin's settings from Pelican's, with the environment's overrides applied."""
    values = {key: settings.get(key, default) for key, default in DEFAULTS.items()}
    for key in ENVIRONMENT:
        if environ.get(key, "").strip():
            values[key] = environ[key].strip()

    api_url = str(values["ARXIV_API_URL"])
    parts = urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError(f"ARXIV_API_URL={api_url!r} is not an http(s) URL")
    delay = _number("ARXIV_DELAY", values["ARXIV_DELAY"], minimum=0)
    if _is_arxiv_host(parts.hostname) and delay < ARXIV_MIN_DELAY:
        raise SettingsError(
            f"ARXIV_DELAY={delay:g} is under the {ARXIV_MIN_DELAY:g} s that arXiv's terms of use "
            "ask between requests; use 3 or more (shorter delays are only for test servers)"
        )
    timeout = values["ARXIV_TIMEOUT"]
    if not isinstance(timeout, list | tuple):
        timeout = (timeout, timeout)
    if len(timeout) != 2:
        raise SettingsError(
            f"ARXIV_TIMEOUT={timeout!r}: give seconds, or (seconds to connect, seconds to read)"
        )
    connect, read_timeout = (_number("ARXIV_TIMEOUT", t, minimum=0.001) for t in timeout)

    store = Path(values["ARXIV_STORE_PATH"])
    if not store.is_absolute():
        store = Path(settings.get("PATH", "content")) / store
    if isinstance(values["ARXIV_HOLIDAYS"], str):
        raise SettingsError('ARXIV_HOLIDAYS must be a list, e.g. ["2026-12-25"]')
    try:
        holidays = frozenset(date.fromisoformat(str(d)) for d in values["ARXIV_HOLIDAYS"])
    except ValueError as err:
        raise SettingsError(f"ARXIV_HOLIDAYS: {err}; write dates as 'YYYY-MM-DD'") from None

    return DigestSettings(
        keywords_file=Path(values["ARXIV_KEYWORDS_FILE"]),
        store=store,
        fetch=_flag("ARXIV_FETCH", values["ARXIV_FETCH"]),
        fetching=FetchSettings(
            api_url=api_url,
            delay=delay,
            timeout=(connect, read_timeout),
            page_size=int(_number("ARXIV_PAGE_SIZE", values["ARXIV_PAGE_SIZE"], 1, 2000)),
            max_attempts=int(_number("ARXIV_MAX_ATTEMPTS", values["ARXIV_MAX_ATTEMPTS"], 1)),
            retry_budget=_number("ARXIV_RETRY_BUDGET", values["ARXIV_RETRY_BUDGET"], 0),
            holidays=holidays,
        ),
        category_max_papers=int(
            _number("ARXIV_CATEGORY_MAX_PAPERS", values["ARXIV_CATEGORY_MAX_PAPERS"], 1)
        ),
        feed_max_papers=int(_number("ARXIV_FEED_MAX_PAPERS", values["ARXIV_FEED_MAX_PAPERS"], 1)),
        cache=_flag("ARXIV_CACHE", values["ARXIV_CACHE"]),
        search=_flag("ARXIV_SEARCH", values["ARXIV_SEARCH"]),
        pagefind_binary=_optional_path("ARXIV_PAGEFIND_BINARY", values["ARXIV_PAGEFIND_BINARY"]),
        archive_years=_years("ARXIV_ARCHIVE_YEARS", values["ARXIV_ARCHIVE_YEARS"], "publish"),
        abstract_years=_years(
            "ARXIV_ABSTRACT_YEARS", values["ARXIV_ABSTRACT_YEARS"], "show the abstracts of"
        ),
    )


def _years(name: str, value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(
            f"{name}={value!r}: give a whole number of years (1 or more), "
            f"or None to {what} every stored day"
        )
    return value


def _is_arxiv_host(host: str) -> bool:
    host = host.rstrip(".")  # "export.arxiv.org." is the same host, fully qualified
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _flag(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name}={value!r}: use 1 to turn it on or 0 to turn it off")


def _optional_path(name: str, value: object) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str | os.PathLike):
        raise SettingsError(f"{name}={value!r}: give the path of a file, or None")
    return Path(value)


def _number(name: str, value: Any, minimum: float, maximum: float = float("inf")) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise SettingsError(f"{name}={value!r} is not a number") from None
    if not minimum <= number <= maximum:  # also rejects NaN
        bounds = (
            f"from {minimum:g} to {maximum:g}"
            if maximum < float("inf")
            else f"at least {minimum:g}"
        )
        raise SettingsError(f"{name}={value!r} must be {bounds}")
    return number
