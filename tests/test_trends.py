"""Trends: papers per week ending on the newest digest day, and their SVG chart."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import jinja2
from bs4 import BeautifulSoup

from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import Day
from arxiv_digest.pages.trends import HEIGHT, chart_svg, trends

from .conftest import elsewhere

NEWEST = date(2026, 1, 29)  # a Thursday
SVG = "{http://www.w3.org/2000/svg}"


def day(when: date, *keyword_sets: tuple[str, ...]) -> Day:
    papers = tuple(
        Paper(f"2601.{index:05d}", 1, f"Paper {index}", keywords=keywords)
        for index, keywords in enumerate(keyword_sets)
    )
    return Day(when, papers)


def parse_svg(text: str) -> ET.Element:
    # Inline SVG in HTML needs no namespace; an XML parser does, to read it.
    return ET.fromstring(text.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def test_the_last_week_ends_on_the_newest_day_and_counts_its_papers():
    days = [day(NEWEST, ("vlm",), ("vlm", "vad")), day(NEWEST - timedelta(days=6), ("vlm",))]
    trend = trends(days, ["vlm"])["vlm"]
    assert len(trend.weeks) == 52
    assert trend.weeks[-1].last == NEWEST
    assert trend.weeks[-1].first == NEWEST - timedelta(days=6)
    assert trend.weeks[-1].papers == 3
    assert trend.weeks[0].first == NEWEST - timedelta(days=7 * 52 - 1)


def test_a_day_seven_days_back_falls_in_the_week_before():
    days = [day(NEWEST, ("vlm",)), day(NEWEST - timedelta(days=7), ("vlm",), ("vlm",))]
    weeks = trends(days, ["vlm"])["vlm"].weeks
    assert [w.papers for w in weeks[-2:]] == [2, 1]


def test_papers_older_than_the_window_and_other_keywords_are_not_counted():
    days = [
        day(NEWEST, ("vad",)),
        day(NEWEST - timedelta(days=7 * 52), ("vlm",)),  # one day before the first week
    ]
    result = trends(days, ["vlm", "vad"])
    assert result["vlm"].total == 0
    assert result["vad"].total == 1


def test_no_days_gives_no_weeks_and_an_empty_named_chart():
    trend = trends([], ["vlm"])["vlm"]
    assert trend.weeks == ()
    svg = parse_svg(chart_svg(trend, "VLM"))
    assert svg.get("aria-label") == "VLM: papers per week"
    assert svg.findall(f"{SVG}rect") == []


def test_the_busiest_week_fills_the_chart_and_others_scale():
    days = [day(NEWEST, *[("vlm",)] * 4), day(NEWEST - timedelta(days=7), ("vlm",), ("vlm",))]
    svg = parse_svg(chart_svg(trends(days, ["vlm"])["vlm"], "VLM"))
    heights = [int(rect.get("height")) for rect in svg.iter(f"{SVG}rect")]
    assert heights == [HEIGHT // 2, HEIGHT]
    assert [rect.find(f"{SVG}title").text for rect in svg.iter(f"{SVG}rect")][-1].endswith(": 4")


def test_the_chart_names_itself_and_escapes_the_keyword_name():
    days = [day(NEWEST, ("x",))]
    text = chart_svg(trends(days, ["x"])["x"], '<script>alert("&")</script>')
    svg = parse_svg(text)
    assert "<script>" not in text
    assert svg.get("role") == "img"
    label = svg.get("aria-label")
    assert label.startswith('<script>alert("&")</script>: papers per week, 52 weeks')
    assert "1 paper, at most 1 in a week" in label


def test_the_small_chart_is_one_path_of_bars_without_tooltips():
    days = [day(NEWEST, ("x",), ("x",)), day(NEWEST - timedelta(days=7), ("x",))]
    svg = parse_svg(chart_svg(trends(days, ["x"])["x"], "X", small=True))
    assert "small" in svg.get("class")
    (path,) = svg.iter(f"{SVG}path")
    # 52 bars 2 units apart: the week before last half as tall as the last, full one.
    assert path.get("d") == "M100 10h1v10h-1zM102 0h1v20h-1z"
    assert list(svg.iter(f"{SVG}title")) == []


def trend_charts(reverse: bool) -> str:
    """Each keyword's chart over 400 days, built from the days in one order or the other."""
    days = [
        day(NEWEST - timedelta(days=n), *[("a",), ("b", "a"), ("c",)][: n % 4])
        for n in range(0, 400, 3)
    ]
    weekly = trends(reversed(days) if reverse else days, ["a", "b", "c"])
    return "".join(chart_svg(weekly[slug], slug.upper()) for slug in ("a", "b", "c"))


def test_same_days_give_the_same_bytes_whatever_the_clock_seed_and_order():
    here = trend_charts(reverse=False)
    there = elsewhere(
        """
        import sys
        from tests.test_trends import trend_charts
        sys.stdout.write(trend_charts(reverse=True))
        """
    )
    assert there == here
    assert here.count("<svg") == 3


def test_the_macro_gives_the_numbers_as_a_table_newest_first():
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parents[1] / "theme" / "templates"),
        autoescape=True,
    )
    macros = env.get_template("trends.html").module
    trend = trends([day(NEWEST, ("a",), ("a",))], ["a"])["a"]
    html = str(macros.trend_chart(trend, chart_svg(trend, "A <b>"), "A <b>"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("figure svg[role=img]") is not None
    assert soup.select_one("table caption").get_text() == "A <b>: papers per week"
    rows = soup.select("tbody tr")
    assert len(rows) == 52
    assert rows[0].th.get_text() == f"{NEWEST - timedelta(days=6)} to {NEWEST}"
    assert rows[0].td.get_text() == "2"
