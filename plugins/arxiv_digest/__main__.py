"""Command line: ``python -m arxiv_digest check`` and ``python -m arxiv_digest fetch``.

Both read the ARXIV_* settings from the Pelican settings file (``pelicanconf.py`` by
default), with the same environment overrides as a build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .fetching.query import build_query
from .model import keywords as keywords_config
from .model import settings as digest_settings
from .pages.urls import keyword_url

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m arxiv_digest",
        description="Keep the newest arXiv papers on your topics in a Pelican site's store.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check", help="validate keywords.yaml and print the arXiv query of each keyword"
    )
    check.add_argument(
        "keywords_file",
        nargs="?",
        type=Path,
        help="the file to check (default: ARXIV_KEYWORDS_FILE from the settings)",
    )
    fetch = commands.add_parser(
        "fetch", help="fetch the newest papers into the store, without building the site"
    )
    for command in (check, fetch):
        command.add_argument(
            "-s",
            "--settings",
            default="pelicanconf.py",
            help="the Pelican settings file (default: %(default)s)",
        )
    args = parser.parse_args(argv)

    try:
        settings = digest_settings.read(_pelican_settings(args.settings))
        keywords_file = getattr(args, "keywords_file", None) or settings.keywords_file
        config = keywords_config.load(keywords_file)
    except (keywords_config.ConfigError, digest_settings.SettingsError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT

    if args.command == "check":
        return run_check(config)
    return run_fetch(config, settings)


def run_check(config: keywords_config.Config) -> int:
    count = len(config.keywords)
    print(f"{config.path}: {count} keyword{'s' * (count != 1)}, all valid.\n")
    for keyword in config.keywords:
        print(f"{keyword.name}  [/{keyword_url(keyword.slug)}, newest {keyword.max_papers}]")
        print(f"  {build_query(keyword)}")
    return EXIT_OK


def run_fetch(config: keywords_config.Config, settings: digest_settings.DigestSettings) -> int:
    from .fetching.fetch import fetch
    from .model.store import Store, StoreError
    from .model.writing import StoreWriteError

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    try:
        report = fetch(config, Store(settings.store), settings.fetching, progress=progress)
    except StoreError as err:
        print(f"error: nothing was fetched: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except StoreWriteError as err:  # another fetch holds the store, or the disk is full
        print(f"error: {err}", file=sys.stderr)
        return EXIT_FAILED
    print(report.summary())
    for path in report.changed_files:
        print(f"  wrote {path}")
    if report.failures:
        print(
            f"error: {len(report.failures)} of {len(report.keywords)} keywords failed; "
            "their papers in the store are unchanged",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def _pelican_settings(path: str) -> dict[str, Any]:
    """Pelican's settings from a settings file, or the project's layout when there is none."""
    import logging

    from pelican.settings import DEFAULT_CONFIG, read_settings

    # Pelican's advice about feeds and time zones is for builds, not for this command.
    logging.getLogger("pelican.settings").setLevel(logging.ERROR)
    if Path(path).exists():
        return read_settings(path)
    return {**DEFAULT_CONFIG, "PATH": "content"}


if __name__ == "__main__":
    sys.exit(main())
