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
    # On a scale up to a round number: 4 papers at most, gridlines at 2 and 4.
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
    bars, baseline = svg.iter(f"{SVG}path")
    # 52 bars 3 px apart: the week before last half as tall as the last, full one.
    assert bars.get("d") == "M150 10h2v10h-2zM153 0h2v20h-2z"
    assert baseline.get("d") == "M0 20h156v1h-156z"
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


# Charts you can read: a scale, the tallest week's count, a month axis, one scale on the index.


def texts(svg: ET.Element, kind: str) -> list[str]:
    return [t.text for t in svg.iter(f"{SVG}text") if kind in t.get("class").split()]


def year_of_weeks(newest: date, per_week) -> list[Day]:
    """A day a week for 52 weeks ending on ``newest``, with ``per_week(n)`` papers n weeks back."""
    return [day(newest - timedelta(days=7 * n), *[("a",)] * per_week(n)) for n in range(52)]


def test_the_chart_has_a_round_scale_and_names_the_tallest_weeks_count():
    days = year_of_weeks(NEWEST, lambda n: 17 if n == 10 else n % 4)
    text = chart_svg(trends(days, ["a"])["a"], "A")
    svg = parse_svg(text)
    assert texts(svg, "tick") == ["10", "20"]  # 17 papers at most: gridlines at 10 and 20
    assert texts(svg, "tallest") == ["17"]
    tallest = NEWEST - timedelta(days=70)
    assert f"at most 17 in a week (the week of {tallest - timedelta(days=6)} to {tallest})" in (
        svg.get("aria-label")
    )
    gridlines = [line for line in svg.iter(f"{SVG}line") if line.get("class") == "grid"]
    assert len(gridlines) == 2


def test_the_time_axis_names_the_months_with_the_year_where_it_starts_and_in_january():
    svg = parse_svg(chart_svg(trends(year_of_weeks(NEWEST, lambda n: 1), ["a"])["a"], "A"))
    # 52 weeks to Thursday 29 January 2026 begin on Friday 31 January 2025.
    assert texts(svg, "month") == [
        "Feb 2025", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "2026",
    ]  # fmt: skip
    # A phone names fewer: two months apart at least, none at the very end.
    shown = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "month"]
    assert shown == ["Feb 2025", "May", "Jul", "Sep", "Nov"]
    # Each name stands at its month's first day: 1 February 2025 is day 1 of 364.
    (february,) = [t for t in svg.iter(f"{SVG}text") if t.text == "Feb 2025"]
    assert february.get("x") == f"{100 / 364:.2f}%"


def test_the_small_charts_share_the_scale_they_are_given():
    days = [day(NEWEST, ("a",), ("a",), ("b",))]
    weekly = trends(days, ["a", "b"])
    top = max(t.busiest for t in weekly.values())
    small = [parse_svg(chart_svg(weekly[k], k, small=True, top=top)) for k in "ab"]
    bars = [next(svg.iter(f"{SVG}path")).get("d") for svg in small]
    assert bars == ["M153 0h2v20h-2z", "M153 10h2v10h-2z"]  # b's 1 paper: half of a's 2
    assert {svg.get("viewBox") for svg in small} == {"0 0 156 21"}  # equal widths


def test_charts_are_coloured_by_the_stylesheet_only():
    # A Content-Security-Policy forbids inline styles; dark mode needs CSS colours.
    days = year_of_weeks(NEWEST, lambda n: n % 3)
    for small in (False, True):
        svg = parse_svg(chart_svg(trends(days, ["a"])["a"], "A", small=small))
        for element in svg.iter():
            assert not {"style", "fill", "stroke", "color"} & set(element.attrib), element.tag
