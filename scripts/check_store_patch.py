"""Refuse a store patch that touches anything but the store, before it is applied.

    python3 scripts/check_store_patch.py store.patch

The publish workflow's build job fetches and builds with read access only, and hands the
store's changes to the store job as a patch; the store job, which can write the repository,
runs this from its own checkout of the trusted commit before applying the patch. So a build
job that was made to do something else can add papers, but cannot change code, workflows or
anything outside ``content/papers/``.

Exits 0, naming the files, when git can apply the patch and every file it names (both sides of
a rename or copy included) is a plain path under ``content/papers/`` with the mode of a regular
file, 100644: no symbolic link, no submodule. Otherwise exits 1 and names each path or mode it
refuses. Standard library and git only: it runs before anything is installed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

STORE = "content/papers/"
# Folders and files of letters, digits, dots, hyphens and underscores, none hidden: what the
# store holds (YYYY/YYYY-MM-DD.json, fetch-log.jsonl), and never "..".
STORE_PATH = re.compile(r"content/papers/(?:[A-Za-z0-9][\w.-]*/)*[A-Za-z0-9][\w.-]*", re.ASCII)
# The lines git takes a file's name from (git's apply.c, parse_git_diff_header), and those
# that set its mode. A hunk's lines start with " ", "+", "-" or "\\": where one reads like a
# header it is refused, never let through.
NAME_LINE = re.compile(
    r"(diff --git|---|\+\+\+|rename from|rename to|rename old|rename new|copy from|copy to) (.*)"
)
GIT_HEADER = re.compile(r"a/(\S+) b/(\S+)")
MODE_LINE = re.compile(r"(?:new file mode|deleted file mode|old mode|new mode|index \S+) (\d+)")
REGULAR_FILE = "100644"


def named_paths(text: str) -> tuple[list[str], list[str]]:
    """Every path the patch names, and the name lines it cannot read."""
    paths, unreadable = [], []
    for line in text.split("\n"):  # as git splits it: splitlines() cuts at more
        match = NAME_LINE.fullmatch(line)
        if not match:
            continue
        kind, name = match.groups()
        if kind == "diff --git":
            header = GIT_HEADER.fullmatch(name)
            if header:
                paths += header.groups()
            else:
                unreadable.append(line)
        elif kind in ("---", "+++"):
            if name == "/dev/null":
                continue
            if name[:2] in ("a/", "b/"):
                paths.append(name[2:])
            else:
                unreadable.append(line)
        else:
            paths.append(name)
    return paths, unreadable


def refusals(patch: Path) -> list[str]:
    """What is wrong with the patch, one line each; none when it may be applied."""
    try:
        text = patch.read_text(encoding="utf-8")
        # git's own reading of it: it must be a patch git applies, and its paths count too.
        listing = subprocess.run(
            ["git", "apply", "--numstat", "-z", str(patch)],
            check=True,
            capture_output=True,
            encoding="utf-8",
        ).stdout
    except (OSError, UnicodeDecodeError, subprocess.CalledProcessError) as err:
        reason = getattr(err, "stderr", None) or str(err)
        return [f"not a patch git can read: {reason.strip()}"]
    paths, unreadable = named_paths(text)
    paths += [entry.split("\t")[-1] for entry in listing.split("\0") if "\t" in entry]
    wrong = [f"{line!r}: a file name that is not a plain path" for line in unreadable]
    wrong += [
        f"{path}: outside {STORE}"
        for path in dict.fromkeys(paths)
        if not STORE_PATH.fullmatch(path)
    ]
    found_modes = {m.group(1) for m in map(MODE_LINE.fullmatch, text.split("\n")) if m}
    wrong += [
        f"mode {mode}: not a regular file (the store holds only mode {REGULAR_FILE})"
        for mode in sorted(found_modes - {REGULAR_FILE})
    ]
    return wrong


def store_paths(patch: Path) -> list[str]:
    return list(dict.fromkeys(named_paths(patch.read_text(encoding="utf-8"))[0]))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: check_store_patch.py PATCH", file=sys.stderr)
        return 2
    patch = Path(args[0])
    wrong = refusals(patch)
    if wrong:
        print(
            f"error: {patch} is refused: the store job commits only files under {STORE}, "
            "and nothing was applied or committed:",
            *(f"  {line}" for line in wrong),
            sep="\n",
            file=sys.stderr,
        )
        return 1
    print(f"{patch} changes only the store:", *(f"  {p}" for p in store_paths(patch)), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
