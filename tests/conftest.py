"""Shared fixtures: real Pelican builds into tmp_path, and a loopback arXiv server."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

from arxiv_digest.fetchlog import LOG_NAME, Run, log_path, read_log
from arxiv_digest.paper import Author, Paper
from arxiv_digest.store import Day, day_path, dump_day
from arxiv_digest.tex import math_markup, split_math
from arxiv_digest_dev.arxiv_server import ArxivServer

ROOT = Path(__file__).resolve().parent.parent

KEYWORDS_YAML = """\
keywords:
  - name: Vision Language Model
    slug: vlm
    terms: ["Vision Language Model", "VLM"]
  - name: Software Testing
    terms: [testing]
"""


def make_paper(paper_id: str = "2601.00001", version: int | None = 1, **fields) -> Paper:
    """A plausible paper; any field can be given."""
    defaults = {
        "title": f"A study of {paper_id}",
        "authors": (Author("Ada Lovelace"), Author("Alan Turing")),
        "abstract": f"We study {paper_id} and find that it holds.",
        "primary_category": "cs.CV",
        "categories": ("cs.CV", "cs.LG"),
        "published": "2026-01-29T15:00:00Z",
        "updated": "2026-01-29T15:00:00Z",
        "keywords": ("vlm",),
    }
    paper = Paper(id=paper_id, version=version, **{**defaults, **fields})
    return replace(paper, keywords=tuple(sorted(paper.keywords)))


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


class Project:
    """A site in a temporary folder: keywords.yaml, a store, the repository's theme."""

    def __init__(self, root: Path, keywords_yaml: str = KEYWORDS_YAML):
        self.root = root
        self.content = root / "content"
        self.store = self.content / "papers"
        self.output = root / "output"
        self.keywords_file = root / "keywords.yaml"
        (self.content / "pages").mkdir(parents=True, exist_ok=True)
        self.store.mkdir(parents=True, exist_ok=True)
        self.keywords_file.write_text(keywords_yaml, encoding="utf-8")

    def add_day(self, day: date | str, papers: Iterable[Paper]) -> Path:
        day = date.fromisoformat(day) if isinstance(day, str) else day
        path = day_path(self.store, day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_day(Day(day, tuple(papers))), encoding="utf-8")
        return path

    def settings(self, **overrides) -> dict:
        return read_settings(
            None,
            override={
                "SITENAME": "Test digest",
                "SITEURL": "",
                "TIMEZONE": "UTC",
                "PATH": str(self.content),
                "OUTPUT_PATH": str(self.output),
                "CACHE_PATH": str(self.root / "cache"),
                "THEME": str(ROOT / "theme"),
                "PLUGINS": ["arxiv_digest"],
                "PAGE_PATHS": ["pages"],
                "STATIC_PATHS": [],
                "FEED_MAX_ITEMS": 10,
                "ARXIV_KEYWORDS_FILE": str(self.keywords_file),
                # Never arXiv: a closed loopback port, so a stray fetch fails at once.
                "ARXIV_API_URL": "http://127.0.0.1:9/api/query",
                "ARXIV_DELAY": 0,
                "ARXIV_TIMEOUT": (2, 2),
                **overrides,
            },
        )

    def build(self, **overrides) -> Path:
        """Build the site; returns the folder it was written to."""
        settings = self.settings(**overrides)
        Pelican(settings).run()
        return Path(settings["OUTPUT_PATH"])

    def page(self, url: str) -> BeautifulSoup:
        """The built page at a site URL such as ``/keywords/vlm/``."""
        path = self.output / url.strip("/")
        if not url.endswith((".html", ".xml")):
            path = path / "index.html"
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def stored(self) -> dict[str, bytes]:
        """Every store file and its exact bytes."""
        return {
            str(p.relative_to(self.store)): p.read_bytes()
            for p in sorted(self.store.rglob("*"))
            if p.is_file()
        }

    def stored_days(self) -> dict[str, bytes]:
        """Every store file but the fetch log, which every fetch extends, and its bytes."""
        return day_files_bytes(self.store)

    def runs(self) -> tuple[Run, ...]:
        """The fetch log: every logged run, oldest first."""
        return read_log(log_path(self.store))

    def stored_papers(self) -> dict[str, list[dict]]:
        return {
            name: json.loads(data)["papers"]
            for name, data in self.stored().items()
            if name.endswith(".json")
        }


@pytest.fixture
def project(tmp_path) -> Project:
    return Project(tmp_path / "site")


@pytest.fixture
def arxiv_server():
    with ArxivServer() as server:
        yield server


def store_files(root: Path) -> dict[str, bytes]:
    """Every file under a store folder, hidden ones included, with its exact bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def day_files_bytes(root: Path) -> dict[str, bytes]:
    """Every file under a store folder but the fetch log, with its exact bytes."""
    return {name: data for name, data in store_files(root).items() if name != LOG_NAME}


def recorded_testing_search() -> list[tuple[str, str]]:
    """(versioned id, updated) of each result of the recorded search ``testing``, pages
    0 to 50 by 10, in the order arXiv gave them."""
    from lxml import etree

    from arxiv_digest_dev.arxiv_server import FIXTURES, NS

    found = []
    for start in range(0, 60, 10):
        (path,) = FIXTURES.glob(f"q_testing_s{start}_m10_*.xml")
        for element in etree.parse(str(path)).getroot().iterfind("atom:entry", NS):
            versioned_id = element.findtext("atom:id", namespaces=NS).rsplit("/abs/", 1)[1]
            found.append((versioned_id, element.findtext("atom:updated", namespaces=NS)))
    return found
