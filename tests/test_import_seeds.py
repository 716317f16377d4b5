"""scripts/import_seeds.py makes the sample store from the real old digests in
tests/fixtures/seeds (copies of the seeds), and scripts/check_sample.py compares a store
with what they make. Both run here on temporary stores, never on the repository's own."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from arxiv_digest.model.fetchlog import LOG_NAME
from arxiv_digest.model.store import Store

from .conftest import ROOT, SAMPLE_SITE, day_files_bytes

SEEDS = ROOT / "tests" / "fixtures" / "seeds"
KEYWORDS = SEEDS / "keywords.yaml"
IMPORT = ROOT / "scripts" / "import_seeds.py"
CHECK = ROOT / "scripts" / "check_sample.py"
# arXiv's published holidays (US Eastern evenings without an announcement) in the seeds'
# months, and the digest days they leave out: the UTC date after each.
NO_DIGEST_ON = {date(2025, 12, 26), date(2025, 12, 31), date(2026, 1, 2), date(2026, 1, 20)}


def run(script: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(script), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def import_into(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(IMPORT, SEEDS, "--keywords", KEYWORDS, "--store", store, *args)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("sample") / "papers"
    result = import_into(store)
    assert result.returncode == 0, result.stderr
    return store


def seed_text(name: str) -> str:
    (path,) = SEEDS.glob(f"{name}_*.txt")
    return path.read_text(encoding="utf-8")


def seed_ids(name: str) -> set[str]:
    return set(re.findall(r"arxiv\.org/abs/(\d{4}\.\d{5})", seed_text(name)))


def stored(store: Path) -> dict[str, list[tuple[date, object]]]:
    """Each stored id with the (day, paper) of every version stored."""
    found: dict[str, list[tuple[date, object]]] = {}
    for day in Store(store).days():
        for paper in day.papers:
            found.setdefault(paper.id, []).append((day.date, paper))
    return found


def test_every_seed_paper_is_in_the_store(imported):
    ids = seed_ids("000") | seed_ids("003") | seed_ids("004")

    assert len(ids) == 158
    assert set(stored(imported)) == ids
    # The three the old import left out: the old digest found them through "LVLMs",
    # "SMLM" and "BabyVLM", which none of our keywords' phrases match.
    papers = dict(stored(imported))
    for paper_id in ("2512.10683", "2512.10805", "2512.10932"):
        [(day, paper)] = papers[paper_id]
        assert day == date(2025, 12, 12)
        assert paper.keywords == ()


def test_no_digest_is_on_a_day_arxiv_does_not_announce(imported):
    days = [day.date for day in Store(imported).days()]

    assert days
    assert [day for day in days if day.weekday() >= 5] == []  # no Saturday, no Sunday
    assert NO_DIGEST_ON.isdisjoint(days)


def test_a_per_day_digest_is_filed_on_the_announcement_its_list_shows(imported):
    papers = stored(imported)
    # Headed 2025-12-13 (a Saturday), run on the 14th: arXiv's list of Thursday 11 December,
    # digest day Friday 12 December; headed 2025-12-03, run on the 4th: Wednesday's list.
    for seed, day in (("003", date(2025, 12, 12)), ("004", date(2025, 12, 4))):
        for paper_id in seed_ids(seed):
            assert day in [d for d, _ in papers[paper_id]], paper_id


def test_a_table_row_is_filed_by_its_submission_day_on_arxivs_calendar(imported):
    papers = {(p.id, p.version): d for versions in stored(imported).values() for d, p in versions}

    assert papers["2601.22675", 1] == date(2026, 2, 2)  # submitted Friday: Sunday's mailing
    assert papers["2510.20268", 2] == date(2025, 12, 16)  # Saturday: Monday's
    assert papers["2510.22693", 3] == date(2026, 1, 1)  # Tuesday 30 December was a holiday
    assert papers["2601.18135", 1] == date(2026, 1, 27)  # Monday, before the cutoff: Monday's


def test_authors_and_abstracts_are_those_the_seeds_give(imported):
    papers = {paper_id: versions[-1][1] for paper_id, versions in stored(imported).items()}
    weng = papers["2512.10805"]
    assert [a.name for a in weng.authors] == [
        "Akshay Kulkarni",
        "Tsui-Wei Weng",
        "Vivek Narayanaswamy",
        "Shusen Liu",
        "Wesam A. Sakla",
        "Kowshik Thopalli",
    ]
    assert not weng.authors_truncated
    assert weng.abstract.startswith("Sparse autoencoders (SAEs) promise a unified approach")
    assert papers["2512.03874"].authors_truncated  # "..., Zhaopeng Chen, et al."
    # UTF-8 that an editor had read as Mac Roman, repaired.
    names = {a.name for paper in papers.values() for a in paper.authors}
    assert {"Jürgen Graf", "Krisztián Boros", "João Daniel Silva", "Florian Hönicke"} <= names

    seeds = " ".join(" ".join(seed_text(name).split()) for name in ("000", "003", "004"))
    for paper in papers.values():
        assert paper.abstract in seeds, paper.id
        for name in (a.name for a in paper.authors):
            assert name in seeds or name.encode().decode("mac_roman") in seeds, name


def test_importing_again_writes_the_same_bytes(imported, tmp_path):
    again = tmp_path / "papers"
    assert import_into(again).returncode == 0

    assert day_files_bytes(again) == day_files_bytes(imported)
    assert not (again / LOG_NAME).exists()  # imported, never fetched


def test_the_tests_sample_site_is_what_the_seeds_make(imported):
    """The sample site every other test builds is the seeds' import, byte for byte."""
    assert day_files_bytes(SAMPLE_SITE / "content" / "papers") == day_files_bytes(imported)


def test_a_store_made_otherwise_is_refused_unless_replaced(imported, tmp_path):
    store = tmp_path / "papers"
    stale = store / "2025" / "2025-12-13.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    (store / LOG_NAME).write_text("{}\n", encoding="utf-8")

    refused = import_into(store)
    assert refused.returncode != 0
    assert "pass --replace" in refused.stderr
    assert stale.exists()

    assert import_into(store, "--replace").returncode == 0
    assert not stale.exists()
    assert not (store / LOG_NAME).exists()
    assert day_files_bytes(store) == day_files_bytes(imported)


def check(store: Path) -> subprocess.CompletedProcess[str]:
    return run(CHECK, SEEDS, "--keywords", KEYWORDS, "--store", store)


def test_check_sample_passes_the_seeds_store_and_names_each_difference(imported, tmp_path):
    assert check(imported).returncode == 0

    store = tmp_path / "papers"
    assert import_into(store).returncode == 0
    changed = store / "2025" / "2025-12-12.json"
    changed.write_text(changed.read_text("utf-8").replace("Weng", "Wang"), encoding="utf-8")
    (store / "2025" / "2025-12-04.json").unlink()
    extra = store / "2025" / "2025-12-13.json"
    extra.write_bytes((store / "2025" / "2025-12-12.json").read_bytes())

    result = check(store)
    assert result.returncode == 1
    assert "2025/2025-12-12.json: differs" in result.stderr
    assert "2025/2025-12-04.json: missing" in result.stderr
    assert "2025/2025-12-13.json: not made by the seeds" in result.stderr


def test_check_sample_has_nothing_to_compare_in_a_fork(tmp_path):
    assert "no sample store" in check(tmp_path / "deleted").stdout
    fetched = tmp_path / "fetched"
    assert import_into(fetched).returncode == 0
    (fetched / LOG_NAME).write_text("", encoding="utf-8")
    result = check(fetched)
    assert result.returncode == 0
    assert "a fetched store" in result.stdout
