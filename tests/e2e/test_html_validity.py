"""Every generated page and stylesheet passes the Nu HTML Checker (vnu.jar, on local Java)."""

from __future__ import annotations

from pathlib import Path

from ..readers import html_files, nu_errors


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
