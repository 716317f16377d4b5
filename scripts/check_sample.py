"""Check that the committed sample store is exactly what its seeds make.

    python scripts/check_sample.py [SEEDS] [--store content/papers]

Imports the seeds (default ``tests/fixtures/seeds``, with the repository's keywords.yaml)
into a temporary folder with ``import_seeds.py`` and compares every file with the store,
byte for byte. Exits 1 naming each difference, 0 when they are the same.

A store that is not the sample has nothing to compare: one without day files (a fork
that deleted the sample) or with a fetch log (the sample was never fetched, so a store
that was is the user's own) passes with a note saying so.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from arxiv_digest.model.fetchlog import LOG_NAME
from arxiv_digest.model.store import day_files
from arxiv_digest_dev import REPOSITORY

SEEDS = REPOSITORY / "tests" / "fixtures" / "seeds"
IMPORT = Path(__file__).resolve().parent / "import_seeds.py"


def store_differences(expected: Path, actual: Path) -> list[str]:
    """What differs between two stores, one line per file: missing, extra or changed."""
    want = {path.relative_to(expected): path for path in day_files(expected)}
    have = {path.relative_to(actual): path for path in day_files(actual)}
    lines = [f"{name}: missing (the seeds make it)" for name in sorted(want.keys() - have)]
    lines += [f"{name}: not made by the seeds" for name in sorted(have.keys() - want)]
    for name in sorted(want.keys() & have):
        made, stored = want[name].read_bytes(), have[name].read_bytes()
        if made != stored:
            line = _first_different_line(made, stored)
            lines.append(f"{name}: differs from line {line} on")
    return lines


def _first_different_line(one: bytes, other: bytes) -> int:
    for number, (a, b) in enumerate(
        zip(one.splitlines(), other.splitlines(), strict=False), start=1
    ):
        if a != b:
            return number
    return min(one.count(b"\n"), other.count(b"\n")) + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, nargs="?", default=SEEDS)
    parser.add_argument("--store", type=Path, default=REPOSITORY / "content" / "papers")
    parser.add_argument("--keywords", type=Path, default=REPOSITORY / "keywords.yaml")
    args = parser.parse_args(argv)
    if not day_files(args.store):
        print(f"{args.store}: no day files, so no sample store to check")
        return 0
    if (args.store / LOG_NAME).is_file():
        print(f"{args.store}: has a fetch log, so it is a fetched store, not the sample")
        return 0
    with tempfile.TemporaryDirectory() as made:
        command = [sys.executable, str(IMPORT), str(args.seeds), "--store", made]
        command += ["--keywords", str(args.keywords)]
        imported = subprocess.run(command, capture_output=True, text=True, check=False)
        if imported.returncode:
            print(imported.stderr, end="", file=sys.stderr)
            return imported.returncode
        differences = store_differences(Path(made), args.store)
    for line in differences:
        print(f"{args.store}/{line}", file=sys.stderr)
    if differences:
        print(
            f"the store is not what {args.seeds} make: run "
            f"'python scripts/import_seeds.py {args.seeds} --replace' and commit the result",
            file=sys.stderr,
        )
        return 1
    print(f"{args.store}: exactly what {args.seeds} make")
    return 0


if __name__ == "__main__":
    sys.exit(main())
