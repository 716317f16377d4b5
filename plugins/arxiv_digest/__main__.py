"""Command line: ``python -m arxiv_digest`` (or ``arxiv-digest``) ``init``, ``check`` and
``fetch``.

Each reads the ARXIV_* settings from the Pelican settings file (``pelicanconf.py`` by
default), with the same environment overrides as a build.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .fetching.query import build_query
from .model import keywords as keywords_config
from .model import settings as digest_settings
from .model.fetchlog import LOG_NAME
from .model.store import day_files
from .model.taxonomy import is_known_category, suggest_category
from .pages.urls import keyword_url

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m arxiv_digest",
        description="Keep the newest arXiv papers on your topics in a Pelican site's store.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    init = commands.add_parser(
        "init",
        help="start your own site: write keywords.yaml from your topics, empty the sample store",
        description="Write keywords.yaml with one keyword per topic, show the arXiv query of "
        "each, offer to empty the store of the sample papers, and say what to do next.",
    )
    init.add_argument(
        "topics", nargs="+", metavar="TOPIC", help='a topic, e.g. "video anomaly detection"'
    )
    init.add_argument(
        "--categories",
        default="",
        metavar="CODES",
        help="only papers in these arXiv categories, comma-separated, e.g. cs.CV,cs.LG",
    )
    store_choice = init.add_mutually_exclusive_group()
    store_choice.add_argument("--yes", action="store_true", help="empty the store without asking")
    store_choice.add_argument(
        "--keep-store", action="store_true", help="keep the papers in the store"
    )
    init.add_argument("--force", action="store_true", help="replace an existing keywords.yaml")
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
    for command in (init, check, fetch):
        command.add_argument(
            "-s",
            "--settings",
            default="pelicanconf.py",
            help="the Pelican settings file (default: %(default)s)",
        )
    args = parser.parse_args(argv)

    if args.command == "init":
        try:
            settings = digest_settings.read(_pelican_settings(args.settings))
        except digest_settings.SettingsError as err:
            print(f"error: {err}", file=sys.stderr)
            return EXIT_BAD_INPUT
        return run_init(args, settings)

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


def run_init(
    args: argparse.Namespace,
    settings: digest_settings.DigestSettings,
    ask: Callable[[str], str] = input,
) -> int:
    """Write keywords.yaml from the topics, show their queries, offer to empty the store."""
    path = settings.keywords_file
    if path.exists() and not args.force:
        print(
            f"error: {_shown(path)} exists; edit it, or run init with --force to replace it",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    categories = [code.strip() for code in args.categories.split(",") if code.strip()]
    for code in categories:
        if not is_known_category(code):
            guess = suggest_category(code)
            hint = f"did you mean {guess!r}?" if guess else "see arxiv.org/category_taxonomy"
            print(f"error: unknown arXiv category {code!r}; {hint}", file=sys.stderr)
            return EXIT_BAD_INPUT
    text = keywords_yaml(args.topics, categories)
    try:  # checked as a build checks it, before anything is written
        config = keywords_config.parse(text, _shown(path))
    except keywords_config.ConfigError as err:
        print(f"error: these topics do not make a valid keywords file: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {_shown(path)}.")
    run_check(config)
    print()
    empty_store(settings.store, args, ask)
    print(next_steps(path))
    return EXIT_OK


def keywords_yaml(topics: list[str], categories: list[str]) -> str:
    """A keywords file with one keyword per topic, its name its only phrase."""
    lines = [
        "# The topics this site follows (written by `arxiv-digest init`). Edit this file;",
        '# everything else is optional. Schema and examples: README.md, "Editing keywords.yaml".',
        "# Check it (and see the exact arXiv queries) with:  python -m arxiv_digest check",
        "",
        "defaults:",
        "  max_papers: 100            # newest papers kept on a keyword page",
        "  fields: [title, abstract]  # where a phrase must appear",
    ]
    if categories:
        codes = ", ".join(categories)
        lines.append(f"  categories: [{codes}]  # only papers in one of these arXiv categories")
    lines += ["", "keywords:"]
    for topic in topics:
        quoted = json.dumps(" ".join(topic.split()), ensure_ascii=False)  # a YAML string too
        lines += [f"  - name: {quoted}", f"    terms: [{quoted}]", ""]
    return "\n".join(lines)


def empty_store(store: Path, args: argparse.Namespace, ask: Callable[[str], str]) -> None:
    """Remove the store's day files and fetch log, when the user says so."""
    days = day_files(store)
    log = store / LOG_NAME
    files = days + [log] * log.exists()
    if not files:
        print(f"The store ({_shown(store)}) is empty: the first fetch fills it.")
        return
    held = f"The store ({_shown(store)}) holds {len(days)} day{'s' * (len(days) != 1)} of papers"
    if args.keep_store:
        print(f"{held}: kept.")
        return
    if not args.yes:
        try:
            answer = ask(f"{held}. Empty it, so the site shows only your topics? [y/N] ")
        except EOFError:  # no one to ask
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print(f"Kept the store. To empty it later, delete {_shown(store)}.")
            return
    for path in files:
        path.unlink()
    for folder in {path.parent for path in days}:
        if not any(folder.iterdir()):
            folder.rmdir()
    print(f"Emptied the store ({_shown(store)}): the first fetch fills each keyword's page.")


def next_steps(keywords_file: Path) -> str:
    return f"""
Next:
  1. Look at your site (it says nothing is fetched yet):
       pelican content && pelican --listen      then open http://127.0.0.1:8000/
  2. Fetch your topics' newest papers on this computer (optional):
       ARXIV_FETCH=1 pelican content
  3. Publish it on GitHub: commit and push,
       git add --all {_shown(keywords_file)} content && git commit -m "My topics" && git push
     then in the repository's Settings > Pages choose "GitHub Actions" as the source, and
     run the "publish" workflow from the Actions tab. Its first run fills each keyword's
     page with its newest papers (up to max_papers); then it runs every evening after
     arXiv announces."""


def _shown(path: Path) -> str:
    """A path as short as it can be said from here."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


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
