"""The benchmark's synthesizer writes a valid, deterministic store that builds; no timings."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from arxiv_digest.store import day_files, load_day
from benchmarks import run as benchmark

SMALL = ["--days", "3", "--papers", "5", "--keywords", "2"]


def synthesize_small(workdir: Path) -> None:
    assert benchmark.main([*SMALL, "--workdir", str(workdir), "--synthesize-only"]) == 0


def store_bytes(workdir: Path) -> dict[str, bytes]:
    store = workdir / "content" / "papers"
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*.json"))}


def test_the_small_store_loads_with_the_right_counts(tmp_path):
    synthesize_small(tmp_path / "site")
    days = [load_day(path) for path in day_files(tmp_path / "site" / "content" / "papers")]
    assert len(days) == 3
    assert all(len(day.papers) == 5 for day in days)
    assert all(day.date.weekday() < 5 for day in days)  # announcement days are Mon-Fri UTC
    slugs = {slug for day in days for paper in day.papers for slug in paper.keywords}
    assert slugs <= {"topic-01", "topic-02"}


def test_the_same_arguments_give_the_same_bytes(tmp_path):
    synthesize_small(tmp_path / "a")
    synthesize_small(tmp_path / "b")
    assert store_bytes(tmp_path / "a") == store_bytes(tmp_path / "b")
    for name in ("keywords.yaml", "pelicanconf.py"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_bigger_sample_has_the_intended_shape(tmp_path):
    site = benchmark.synthesize(tmp_path / "site", days=20, papers=50, keywords=5)
    papers = [p for day in site.days for p in day.papers]
    first = [p for p in papers if p.version == 1]
    assert len({(p.id, p.version) for p in papers}) == len(papers) == 1000
    assert 0.15 <= sum(len(p.keywords) == 2 for p in first) / len(first) <= 0.25
    assert 0.07 <= (len(papers) - len(first)) / len(papers) <= 0.17
    announced = {(p.id, p.version): day.date for day in site.days for p in day.papers}
    for (paper_id, version), day in announced.items():
        assert version <= 3
        if version > 1:
            assert announced[paper_id, version - 1] < day  # a revision comes on a later day


def test_the_work_folder_builds_with_plain_pelican_content(tmp_path):
    workdir = tmp_path / "site"
    synthesize_small(workdir)
    script = Path(sys.executable).with_name("pelican")
    pelican = [str(script)] if script.exists() else [sys.executable, "-m", "pelican"]
    result = subprocess.run(
        [*pelican, "content"],
        cwd=workdir,
        env={**os.environ, "ARXIV_FETCH": "0"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = workdir / "output"
    assert (output / "index.html").exists()
    for slug in ("topic-01", "topic-02"):
        assert (output / "keywords" / slug / "index.html").exists()
    days = day_files(workdir / "content" / "papers")
    for path in days:
        year, month, day = path.stem.split("-")
        assert (output / year / month / day / "index.html").exists()


def test_years_is_365_announcement_days_a_year():
    assert benchmark.parse_args(["--years", "2"]).days == 730
    assert benchmark.parse_args([]).days == 365
