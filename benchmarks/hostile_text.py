"""Benchmark: how long text built to hurt takes, through every function that reads it.

Every text from arXiv (and keywords.yaml) is untrusted, and a function whose time grows
faster than its input lets one abstract stop the publish job: issue 21 found an abstract of
``see https://x.org/a`` and 100,000 ``)`` taking 11.7 s to build. For each hostile pattern
below this prints the time each function that reads untrusted text takes at 25k, 50k,
100k and 1M characters (the best of ``--repeat`` runs), and the ratio 1M / 100k: about 10
when the time grows linearly, about 100 when it grows with the square. With ``--build`` it
also times a whole site build (``pelican content``, search index included) of one paper
that carries the text.

Run it from the repository, in its virtualenv::

    .venv/bin/python benchmarks/hostile_text.py                     # every pattern, 4 sizes
    .venv/bin/python benchmarks/hostile_text.py --pattern close-paren --build
    .venv/bin/python benchmarks/hostile_text.py --sizes 1000,2000   # a quick look

A function that takes longer than ``--budget`` seconds at one size is not run at the larger
ones (its row shows ``>``), so a quadratic function cannot hold the benchmark for an hour.
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import arxiv._feed
import requests
from lxml import etree

from arxiv_digest.fetching.client import check_response, paper_from_result
from arxiv_digest.model import keywords as keywords_config
from arxiv_digest.model.paper import clean_text
from arxiv_digest.pages import links, richtext, tex
from arxiv_digest.search.records import record_html
from arxiv_digest_dev.arxiv_server import entry, feed, recorded_entries
from arxiv_digest_dev.sites import Project, make_paper

SIZES = (25_000, 50_000, 100_000, 1_000_000)


@dataclass(frozen=True)
class Pattern:
    name: str
    what: str
    make: Callable[[int], str]  # n -> about n characters of it


def _repeat(unit: str, prefix: str = "") -> Callable[[int], str]:
    return lambda n: prefix + unit * max(1, (n - len(prefix)) // len(unit))


def _spans(make: Callable[[int], str]) -> Callable[[int], str]:
    """About n characters of distinct math spans, ``make(i)`` the i-th."""

    def text(n: int) -> str:
        spans, length, index = [], 0, 0
        while length < n:
            span = make(index)
            spans.append(span)
            length += len(span)
            index += 1
        return "".join(spans)

    return text


PATTERNS = (
    Pattern("close-paren", "an address then N ')'", _repeat(")", "see https://x.org/a")),
    Pattern("close-bracket", "an address then N ']'", _repeat("]", "see https://x.org/a")),
    Pattern("trailing-dots", "an address then N '.'", _repeat(".", "see https://x.org/a")),
    Pattern("trailing-mixed", "an address then '.)*' x N", _repeat(".)*", "see https://x.org/a")),
    Pattern("open-paren", "an address then N '('", _repeat("(", "see https://x.org/a")),
    Pattern("address-chain", "'http://' x N", _repeat("http://")),
    Pattern("many-addresses", "'https://x.org/a ' x N", _repeat("https://x.org/a ")),
    Pattern("separators", "'://' x N", _repeat("://")),
    Pattern("dollars", "N '$'", _repeat("$")),
    Pattern("unclosed-inline", "'\\(' x N (each looks 1,000 ahead)", _repeat("\\(")),
    Pattern("unclosed-display", "'\\[' x N", _repeat("\\[")),
    Pattern("dollar-escapes", "'$a' then '\\$' x N", _repeat("\\$", "$a")),
    # Distinct spans: no cache helps, the converter and the allow-list run for each one.
    Pattern("small-spans", "distinct '$x_{i}$' spans", _spans(lambda i: f"$x_{{{i}}}$ ")),
    Pattern(
        "large-spans",
        "distinct 1,000-character matrix spans",
        _spans(lambda i: f"$\\begin{{matrix}} {i} " + "a & " * 240 + "\\end{matrix}$ "),
    ),
    Pattern(
        "open-delimiters",
        "distinct spans of 24 '(' (math-core: exponential)",
        _spans(lambda i: f"$x_{{{i}}}" + "(" * 24 + "$ "),
    ),
    Pattern(
        "open-delimiters-12",
        "distinct spans of 12 '\\lvert' (the most still converted)",
        _spans(lambda i: f"$x_{{{i}}}" + "\\lvert a" * 12 + "$ "),
    ),
    Pattern("open-braces", "'${' x N", _repeat("${")),
    Pattern("backslashes", "N '\\'", _repeat("\\")),
    Pattern("ampersands", "N '&'", _repeat("&")),
    Pattern("controls", "'\\x00 ' x N", _repeat("\x00 ")),
    Pattern("spaces", "N spaces and newlines", _repeat(" \n")),
)


@cache
def _recorded_entry() -> etree._Element:
    return recorded_entries()[0]


def _answer(text: str) -> object:
    """arXiv's answer carrying the text as a summary, read as the fetcher reads it."""
    body = feed([entry(_recorded_entry(), summary=text)])
    response = requests.Response()
    response.status_code, response._content = 200, body
    check_response(response)
    # The arxiv package's own reader, as its client calls it.
    return [paper_from_result(result, "vlm") for result in arxiv._feed.parse(body).results]


def _keywords_file(text: str) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "keywords.yaml"
        quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        path.write_text(
            f'keywords:\n  - name: "{quoted}"\n    terms: ["{quoted}"]\n'
            f'  - name: raw\n    query: "{quoted}"\n',
            encoding="utf-8",
        )
        try:
            return keywords_config.load(path)
        except keywords_config.ConfigError as error:
            return error


def _record(text: str) -> str:
    paper = make_paper(title=text, abstract=text, comment=text)
    return record_html(paper, date(2026, 1, 30), {"vlm": "Vision Language Model"})


# Each function that reads untrusted text, as the build or the fetch calls it.
TRANSFORMS: dict[str, Callable[[str], object]] = {
    "arXiv answer": _answer,
    "clean_text": clean_text,
    "keywords.yaml": _keywords_file,
    "rich_text": richtext.rich_text,
    "rich_title": richtext.rich_title,
    "plain_text": richtext.plain_text,
    "code_links": lambda text: links.code_links(make_paper(abstract=text)),
    "search record": _record,
}


def _clear_caches() -> None:
    links.find_urls.cache_clear()
    tex._mathml.cache_clear()


def _timed(function: Callable[[str], object], text: str, repeat: int) -> float | None:
    """The best of ``repeat`` runs: other work on the machine only ever adds time."""
    best = None
    for _ in range(repeat):
        _clear_caches()
        start = time.perf_counter()
        try:
            function(text)
        except ValueError:  # lxml refuses control characters: no XML can carry them
            return None
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best


def timed(function: Callable[[str], object], repeat: int) -> Callable[[str], float | None]:
    return lambda text: _timed(function, text, repeat)


def _build(text: str) -> float:
    """A whole site build of one paper whose title, abstract and comment hold the text as
    the fetcher stores it."""
    _clear_caches()
    text = clean_text(text)
    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder) / "site")
        project.add_day("2026-01-30", [make_paper(title=text, abstract=text, comment=text)])
        start = time.perf_counter()
        with _quiet():
            project.build()
        return time.perf_counter() - start


@contextmanager
def _quiet() -> Iterator[None]:
    """Pelican's log and summary left out of the table."""
    logging.disable(logging.WARNING)
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            yield
    finally:
        logging.disable(logging.NOTSET)


def _row(name: str, times: list[float | str | None]) -> str:
    cells = [
        f"{t:>8}" if isinstance(t, str) else "     n/a" if t is None else f"{t:8.3f}" for t in times
    ]
    numbers = [t for t in times if isinstance(t, float)]
    ratio = ""
    if len(numbers) == len(times) and len(times) >= 2 and numbers[-2] > 0.001:
        ratio = f"  x{numbers[-1] / numbers[-2]:.1f}"
    return f"  {name:<14}" + "".join(cells) + ratio


def measure(
    function: Callable[[str], float | None], text_at: Callable[[int], str], sizes, budget
) -> list[float | str | None]:
    times: list[float | str | None] = []
    for size in sizes:
        if times and isinstance(times[-1], float) and times[-1] > budget:
            times.append(">")
            continue
        times.append(function(text_at(size)))
    return times


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/hostile_text.py",
        description="Time every function that reads untrusted text on hostile patterns.",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in SIZES),
        help="characters of hostile text, comma-separated (25000,50000,100000,1000000)",
    )
    parser.add_argument(
        "--pattern",
        action="append",
        choices=[p.name for p in PATTERNS],
        help="only this pattern (may be repeated)",
    )
    parser.add_argument("--build", action="store_true", help="also time a whole site build")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each function, the best printed (3)"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=10.0,
        help="seconds after which larger sizes of the same function are skipped (10)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    patterns = [p for p in PATTERNS if not args.pattern or p.name in args.pattern]
    for function in TRANSFORMS.values():  # imports and first-call costs out of the table
        function("see https://x.org/a $x$")
    print("seconds at " + ", ".join(f"{s:,}" for s in sizes) + " characters", end="")
    print(f"; x: time at {sizes[-1]:,} / time at {sizes[-2]:,}" if len(sizes) > 1 else "")
    for pattern in patterns:
        print(f"{pattern.name}: {pattern.what}")
        for name, function in TRANSFORMS.items():
            times = measure(timed(function, args.repeat), pattern.make, sizes, args.budget)
            print(_row(name, times), flush=True)
        if args.build:
            print(_row("site build", measure(_build, pattern.make, sizes, args.budget)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
