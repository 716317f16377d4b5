"""Every generated page and stylesheet passes the Nu HTML Checker (vnu.jar, on local Java)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from arxiv_digest_dev import REPOSITORY

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


def stylesheets(output: Path) -> list[Path]:
    return sorted(output.rglob("*.css"))


def test_every_sample_page_passes_the_nu_html_checker(sample_output):
    files = html_files(sample_output)
    assert len(files) >= 30
    assert nu_errors(files) == []


def test_every_stylesheet_passes_the_nu_css_checker(sample_output):
    files = stylesheets(sample_output)
    assert files
    assert nu_errors(files, css=True) == []


def test_every_page_built_from_hostile_input_passes_the_nu_html_checker(hostile_output):
    assert nu_errors(html_files(hostile_output)) == []


def test_the_pages_of_a_failed_fetch_with_a_late_paper_pass_the_nu_html_checker(
    failed_fetch_output,
):
    assert nu_errors(html_files(failed_fetch_output)) == []
