"""The benchmark's synthesizer writes a valid, deterministic store that builds; no timings."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from arxiv_digest.model.keywords import load
from arxiv_digest.model.store import day_files, load_day
from arxiv_digest.pages.listings import listed_papers, long_date
from arxiv_digest_dev.benchmark import profiling
from arxiv_digest_dev.benchmark.baseline import write_baseline
from arxiv_digest_dev.benchmark.build import Build, Runs
from arxiv_digest_dev.benchmark.markup import PaperMarkup, pages_markup, paper_markup
from arxiv_digest_dev.benchmark.profiling import phases
from arxiv_digest_dev.benchmark.report import Output, target_lines, verdict
from arxiv_digest_dev.benchmark.scale import (
    ScalePoint,
    fixed_bytes,
    growth_per_year,
    marginal_bytes_per_paper,
    parse_years,
    projected_output,
    years_that_fit,
)
from arxiv_digest_dev.benchmark.targets import issue_targets
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


# --- the pure pieces of the report: markup, scale, targets, baseline, phases ----------------


def a_build(seconds: float, rss_mb: int = 100) -> Build:
    return Build(seconds, seconds, rss_mb * 2**20, None, None)


def a_point(years: int, seconds: float, output: int, papers_per_year: int = 1000) -> ScalePoint:
    return ScalePoint(
        years, 365 * years, papers_per_year * years, a_build(seconds), a_build(1.0), output
    )


PAGE = (
    '<html><head><title>t</title></head><body><h2 id="kw-a">A</h2>'
    '<article class="paper" id="1"><h4><a href="https://arxiv.org/abs/1">T &amp; x</a></h4>'
    "<p>ab <math><mi>x</mi></math> cd</p></article>"
    '<article class="paper" id="2"><h4>U</h4></article></body></html>'
)


def test_markup_per_paper_leaves_out_chrome_text_and_mathml():
    found = paper_markup(PAGE)
    first = '<article class="paper" id="1"><h4><a href="https://arxiv.org/abs/1">'
    tags_1 = len(first) + len("</a></h4><p></p></article>")
    tags_2 = len('<article class="paper" id="2"><h4></h4></article>')
    assert found.papers == 2
    assert found.math == len("<math><mi>x</mi></math>")
    assert found.text == len("T &amp; x") + len("ab  cd") + len("U")
    assert found.markup == tags_1 + tags_2
    assert found.markup_per_paper == (tags_1 + tags_2) / 2
    assert found.chrome == len(PAGE) - found.markup - found.text - found.math


def test_markup_sums_over_pages_and_counts_utf8_bytes():
    total = pages_markup([PAGE, PAGE.replace("U", "Ü")])
    assert (total.pages, total.papers) == (2, 4)
    assert total.text == 2 * paper_markup(PAGE).text + 1  # Ü is two bytes
    assert pages_markup([]).markup_per_paper == 0.0


def test_scale_years_parse_sorted_and_none_skips():
    assert parse_years("10,1,3,3") == (1, 3, 10)
    assert parse_years("none") == ()
    with pytest.raises(ValueError, match="1 or more"):
        parse_years("0,3")
    assert benchmark.parse_args(["--scale", "1,10"]).scale == (1, 10)
    assert benchmark.parse_args([]).scale == (1, 3)


def test_growth_per_year_is_one_for_linear_growth():
    points = [a_point(1, 10.0, 0), a_point(3, 30.0, 0), a_point(10, 120.0, 0)]
    assert growth_per_year(points) == pytest.approx([1.0, 1.0, 1.2])


def test_years_that_fit_follow_the_marginal_bytes_per_paper():
    # 2,000 B per paper on top of 5 MB that stays: 1,000 papers a year add 2 MB.
    points = [a_point(1, 1.0, 5_000_000 + 2_000_000), a_point(3, 3.0, 5_000_000 + 6_000_000)]
    assert marginal_bytes_per_paper(points) == 2000
    assert fixed_bytes(points) == 5_000_000
    assert projected_output(points, 10) == pytest.approx(25_000_000)
    # 100 papers a day, 365 days: 73 MB a year; 995 MB left: 13.6 years
    fits = years_that_fit(2000, 100, fixed=5_000_000)
    assert fits == pytest.approx(995_000_000 / 73_000_000)
    assert years_that_fit(2000, 300, fixed=5_000_000) == pytest.approx(fits / 3)


def test_targets_not_measured_say_so_and_ratios_are_judged():
    output = Output((("feeds/all.atom.xml", 200 * 1024), ("feeds/vlm.atom.xml", 151 * 1024)))
    targets = issue_targets(
        full=Runs((a_build(10.0),)),
        unchanged=Runs((a_build(1.0),)),
        one_day=Runs((a_build(3.0),)),
        baseline=None,
        output=output,
        markup=PaperMarkup(1, 10, 5000, 0, 0, 0),
        scale=[],
    )
    verdicts = {t.name: verdict(t.ok) for t in targets}
    assert verdicts["1. full build / naive baseline"] == "not measured"
    assert verdicts["2. rebuild after one new day / full build"] == "MISSED"  # 0.30
    assert verdicts["2. rebuild, nothing changed / full build"] == "OK"  # 0.10
    assert verdicts["3. peak RSS at 10 years"] == "not measured"
    assert verdicts["4. site feed"] == "OK"
    assert verdicts["4. largest keyword feed (vlm.atom.xml)"] == "MISSED"
    assert verdicts["5. markup per paper outside MathML"] == "OK"
    assert all(len(line.split("   ")) > 1 for line in target_lines(targets))


def test_a_decade_in_the_scale_is_judged_on_rss_and_size():
    points = [a_point(1, 10.0, 10**8), a_point(3, 33.0, 3 * 10**8), a_point(10, 90.0, 9 * 10**8)]
    targets = issue_targets(
        full=Runs((a_build(10.0),)),
        unchanged=Runs((a_build(1.0),)),
        one_day=Runs((a_build(2.0),)),
        baseline=Runs((a_build(100.0),)),
        output=Output(()),
        markup=PaperMarkup(0, 0, 0, 0, 0, 0),
        scale=points,
    )
    verdicts = {t.name: verdict(t.ok) for t in targets}
    assert verdicts["1. full build / naive baseline"] == "OK"  # 0.10
    assert verdicts["2. one-new-day rebuild at 3 years / at 1 year"] == "OK"  # 1 s both
    assert verdicts["3. peak RSS at 10 years"] == "OK"
    assert verdicts["3. full build per year, 3 vs 1 years"] == "MISSED"  # 1.1
    assert verdicts["3. full build per year, 10 vs 1 years"] == "OK"  # 0.9
    assert verdicts["3. output at 10 years"] == "OK"
    assert verdicts["5. markup per paper outside MathML"] == "not measured"


def test_the_baseline_day_carries_every_listed_paper_once(tmp_path):
    site = benchmark.synthesize(tmp_path / "site", days=3, papers=20, keywords=3)
    keywords = load(tmp_path / "site" / "keywords.yaml").keywords
    folder = write_baseline(tmp_path / "site", site.days, keywords)
    (settings,) = folder.glob("*.py")
    assert "PLUGINS" not in settings.read_text()  # a default Pelican: no plugin, its theme
    assert "THEME" not in settings.read_text()
    for day in site.days:
        text = (folder / "content" / f"{day.date.isoformat()}.md").read_text(encoding="utf-8")
        assert text.startswith(f"Title: arXiv digest, {long_date(day.date)}\nDate: {day.date}")
        for paper in listed_papers(day):
            assert text.count(f"### [{paper.title}]({paper.abs_url})") == 1
            assert paper.abstract in text


def test_a_timed_call_inside_another_counts_in_its_own_phase_only(monkeypatch):
    now = [0.0]
    monkeypatch.setattr(profiling, "_now", lambda: now[0])
    clock: dict[str, float] = defaultdict(float)

    def render_body():
        now[0] += 2.0

    def write_day_page():
        now[0] += 1.0
        render()
        now[0] += 3.0

    render = profiling.timed(clock, lambda: "bodies", render_body)
    profiling.timed(clock, lambda: "day pages", write_day_page)()
    render()
    assert clock == {"day pages": 4.0, "bodies": 4.0}


def test_phases_add_up_to_the_build():
    clock = {
        "reading": 1.0,
        "context": 3.0,
        "bodies": 1.5,
        "feed lists": 0.2,
        "cache": 0.3,
        "keyword feeds": 0.5,
        "site feed": 0.1,
        "keyword pages": 0.4,
    }
    found = {p.name: p.seconds for p in phases(clock, total=10.0)}
    assert found["listings, archive and context"] == pytest.approx(3.0)
    assert found["feeds (site feed lists + Pelican's writer, keyword feeds)"] == pytest.approx(0.8)
    assert sum(found.values()) == pytest.approx(10.0)
    assert found["Pelican's own (settings, finding content, theme files)"] == pytest.approx(3.0)
