"""How the outside world reads what the site writes, for tests of any layer: a BibTeX parser
and a reader of the typeset bibliography, the Nu HTML checker."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from arxiv_digest.model.paper import Paper
from arxiv_digest.pages.bibtex import arxiv_name, tex_field
from arxiv_digest.pages.tex import ALLOWED
from arxiv_digest_dev import REPOSITORY


def reader() -> LatexNodes2Text:
    """LaTeX as a reader sees it: text decoded, math kept as TeX. pylatexenc lacks a few
    standard LaTeX text commands; they are given their LaTeX meaning here."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "latex-text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciitilde", "~"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(math_mode="verbatim", latex_context=context)


def parse(bib: str) -> list[dict]:
    """Each entry as a BibTeX parser reads it: key, type and fields as written (no decoding),
    authors as a list."""
    library = bibtexparser.parse_string(bib, append_middleware=[middlewares.SeparateCoAuthors()])
    assert library.failed_blocks == []
    return [
        {"key": entry.key, "type": entry.entry_type, **{f.key: f.value for f in entry.fields}}
        for entry in library.entries
    ]


def read_back(bib: str) -> list[dict]:
    """Each entry's fields as a reader of the typeset bibliography sees them: TeX decoded."""
    decode = reader().latex_to_text
    entries = parse(bib)
    for entry in entries:
        entry["author"] = [decode(name) for name in entry.get("author", [])]
        entry["title"] = decode(entry["title"])
    return entries


def assert_entry_matches(entry: dict, paper: Paper) -> None:
    """The entry holds the stored paper as arXiv's export writes it (test_bibtex checks that
    form against real exports)."""
    assert entry["type"] == "misc"
    assert entry["eprint"] == paper.id
    assert entry["title"] == tex_field(paper.title)
    assert entry["author"] == [tex_field(arxiv_name(a.name)) for a in paper.authors]
    assert entry["year"] == paper.updated[:4]
    assert entry["archivePrefix"] == "arXiv"
    assert entry["primaryClass"] == paper.primary_category
    assert entry.get("doi", "") == (f"https://doi.org/{paper.doi}" if paper.doi else "")
    assert entry["url"] == f"https://arxiv.org/abs/{paper.id}"


# scripts/install-test-tools puts the checker there (npm's vnu-jar, pinned).
VNU_JAR = Path(
    os.environ.get("VNU_JAR", REPOSITORY / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar")
)
# The checker holds each resource against the page's Content-Security-Policy. Read from disk,
# a page's origin is file:, which 'self' never matches, so the site's own files (linked by
# their path on the site) are reported; anything inline or from elsewhere still is.
OWN_FILE_REFUSED = re.compile(
    r"^Resource violates Content Security Policy \(meta tag\): [a-z ]+ '/(?!/)[^']*' blocked"
)


def nu_errors(files: list[Path], *, css: bool = False) -> list[str]:
    """The checker's errors and warnings for ``files`` (read as CSS with ``css``), one line each."""
    if shutil.which("java") is None:
        pytest.fail(
            "java is missing: install a Java runtime (`apt-get install default-jre-headless`)"
        )
    if not VNU_JAR.is_file():
        pytest.fail(f"the Nu HTML Checker is missing at {VNU_JAR}: run scripts/install-test-tools")
    checked = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            "--stdout",
            "--asciiquotes",
            *(["--css"] if css else []),
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(
            f"the Nu HTML Checker did not report (exit {checked.returncode}): "
            f"{checked.stdout[-2000:]}{checked.stderr[-2000:]}"
        )
    return [
        f"{m.get('url', '').rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if (m["type"] != "info" or m.get("subType") == "warning")
        and not OWN_FILE_REFUSED.match(m["message"])
    ]


def html_files(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


# The attributes MathML on a page may carry: the allow-list's and what math-core writes.
MATH_ATTRIBUTES = {name for rules in ALLOWED.values() for name in rules} | {
    "displaystyle",
    "scriptlevel",
    "dir",
    "display",
    "alttext",
}
BADGE_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "shields-endpoint.schema.json").read_text("utf-8")
)
