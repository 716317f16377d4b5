"""Shared fixtures: real Pelican builds into tmp_path, and a loopback arXiv server."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings

from arxiv_digest.pages.tex import math_markup, split_math
from arxiv_digest_dev import REPOSITORY as ROOT
from arxiv_digest_dev.arxiv_server import ArxivServer
from arxiv_digest_dev.recorded import recorded_testing_search
from arxiv_digest_dev.sites import KEYWORDS_YAML, Project, day_files_bytes, make_paper, store_files

# Property-based tests (Hypothesis): a fixed budget of the same examples on every run, so a
# failure in CI fails again on a laptop; no deadline (no test is timed) and no example
# database written into the checkout. HYPOTHESIS_PROFILE=explore looks further, at random.
settings.register_profile("ci", max_examples=200, derandomize=True, database=None, deadline=None)
settings.register_profile("explore", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# The test files import these from here; they live in arxiv_digest_dev, which scripts use too.
__all__ = [
    "KEYWORDS_YAML",
    "ROOT",
    "Project",
    "as_shown",
    "day_files_bytes",
    "make_paper",
    "recorded_testing_search",
    "shown_text",
    "store_files",
]


def shown_text(element) -> str:
    """An element's text as a reader gets it, each formula as its TeX (the math's alttext)."""
    copy = BeautifulSoup(str(element), "html.parser")
    for math in copy.find_all("math"):
        math.replace_with(math.get("alttext", ""))
    return copy.get_text()


def as_shown(text: str) -> str:
    """What :func:`shown_text` gives for a stored arXiv text: TeX text escapes (``\\%``) as
    their character, each formula as its TeX without delimiters, and the TeX that cannot
    be a formula as its source."""
    return "".join(
        part
        if isinstance(part, str)
        else part.tex
        if math_markup(part) is not None
        else part.source
        for part in split_math(text)
    )


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "site")


@pytest.fixture
def arxiv_server():
    with ArxivServer() as server:
        yield server
