"""Sites built from a store written on the spot: plausible papers, and a folder holding a
keywords.yaml, a store and the repository's theme, built by Pelican.

Shared by the tests (through their ``project`` fixture) and the scripts that photograph
such a site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

from arxiv_digest.model.fetchlog import LOG_NAME, Run, log_path, read_log
from arxiv_digest.model.lock import LOCK_NAME
from arxiv_digest.model.paper import Author, Paper
from arxiv_digest.model.store import Day, day_path, dump_day
from arxiv_digest_dev import REPOSITORY

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


def store_files(root: Path) -> dict[str, bytes]:
    """Every file under a store folder, hidden ones included, with its exact bytes; but the
    lock file, which every fetch leaves behind (empty once it has finished)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.relative_to(root) != Path(LOCK_NAME)
    }


def day_files_bytes(root: Path) -> dict[str, bytes]:
    """Every file under a store folder but the fetch log, with its exact bytes."""
    return {name: data for name, data in store_files(root).items() if name != LOG_NAME}


def site_bytes(output: Path) -> dict[str, bytes]:
    """Every output file's bytes, search bundles included (``search.pagefind`` makes them
    the same for the same records)."""
    return {str(p.relative_to(output)): p.read_bytes() for p in output.rglob("*") if p.is_file()}


def written_times(output: Path) -> dict[str, int]:
    """When each output file was last written (ns), by its path in the site."""
    return {str(p.relative_to(output)): p.stat().st_mtime_ns for p in output.rglob("*.html")}


class Project:
    """A site in a folder: keywords.yaml, a store, the repository's theme."""

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
                "THEME": str(REPOSITORY / "theme"),
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
        return store_files(self.store)

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


SUBPROCESS_LIMIT = 120  # seconds a pelican or fetch process in a test may take: a guard only
# A site's own pelicanconf.py, for tests that run pelican or arxiv_digest in its folder.
SETTINGS_FILE = f"""\
from pathlib import Path

SITENAME = "Test digest"
SITEURL = ""
TIMEZONE = "UTC"
PATH = "content"
OUTPUT_PATH = "output"
THEME = {str(REPOSITORY / "theme")!r}
PLUGINS = ["arxiv_digest"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
ARXIV_KEYWORDS_FILE = str(Path(__file__).parent / "keywords.yaml")
ARXIV_FETCH = False
ARXIV_API_URL = "https://export.arxiv.org/api/query"
ARXIV_DELAY = 3
ARXIV_PAGE_SIZE = 10
ARXIV_TIMEOUT = 0.5
ARXIV_MAX_ATTEMPTS = 2
"""


def make_site(root: Path, keywords_yaml: str) -> Project:
    """A site with its own pelicanconf.py, to run ``pelican`` in its folder."""
    project = Project(root, keywords_yaml)
    (project.root / "pelicanconf.py").write_text(SETTINGS_FILE, encoding="utf-8")
    return project


def build_offline(site: Project, columns: int = 200) -> subprocess.CompletedProcess[str]:
    """``pelican content --fatal errors`` in the site's folder, as its owner runs it: no
    ARXIV_* variable from this environment, plain output ``columns`` wide."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("ARXIV_")}
    return subprocess.run(
        [sys.executable, "-m", "pelican", "content", "--fatal", "errors"],
        cwd=site.root,
        env={**env, "NO_COLOR": "1", "COLUMNS": str(columns)},
        capture_output=True,
        text=True,
        timeout=SUBPROCESS_LIMIT,
        check=False,
    )
