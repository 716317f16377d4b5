"""The pure layer's rules, fed plain dataclasses: what each page lists, and the cache's keys.

No Pelican here: these pin the rules `site.py` and `cache.py` promise, so a broken rule
fails in milliseconds with the rule's name, not somewhere in a built page.
"""

from __future__ import annotations

import os
from datetime import date

from arxiv_digest.glue.render_cache import BodyCache, fingerprint, stable_repr
from arxiv_digest.model.keywords import Keyword
from arxiv_digest.model.store import Day
from arxiv_digest.pages.listings import (
    archive_months,
    category_listings,
    keyword_listings,
    keyword_totals,
    newest_listings,
    sections,
)
from arxiv_digest.pages.richtext import plain_text

from .conftest import make_paper

VLM = Keyword(name="Vision Language Model", slug="vlm")
TESTING = Keyword(name="Software Testing", slug="software-testing")
KEYWORDS = (VLM, TESTING)
MON, TUE, WED = date(2026, 1, 26), date(2026, 1, 27), date(2026, 1, 28)


def at(hour: int, day: int = 26) -> str:
    return f"2026-01-{day:02}T{hour:02}:00:00Z"


def ids(papers) -> list[str]:
    return [p.id for p in papers]


def listed(listings) -> list[tuple[date, str, int | None]]:
    return [(item.day, item.paper.id, item.paper.version) for item in listings]


# --- sections: one day's digest -------------------------------------------------------------


def test_a_paper_of_two_keywords_is_shown_under_the_first_and_named_under_the_second():
    both = make_paper("2601.00001", keywords=("vlm", "software-testing"))
    day = Day(MON, (both,))
    vlm, testing = sections(day, KEYWORDS)
    assert (vlm.keyword, ids(vlm.new), ids(vlm.elsewhere)) == (VLM, ["2601.00001"], [])
    assert (testing.keyword, ids(testing.new), ids(testing.elsewhere)) == (
        TESTING,
        [],
        ["2601.00001"],
    )
    assert (vlm.count, testing.count) == (1, 1)


def test_the_first_keyword_is_the_first_in_keywords_yaml_not_in_the_paper():
    # keywords on a paper are sorted slugs: "software-testing" < "vlm"; the yaml order wins.
    both = make_paper("2601.00001", keywords=("software-testing", "vlm"))
    reordered = sections(Day(MON, (both,)), (TESTING, VLM))
    assert [(s.keyword.slug, ids(s.new), ids(s.elsewhere)) for s in reordered] == [
        ("software-testing", ["2601.00001"], []),
        ("vlm", [], ["2601.00001"]),
    ]
    default = sections(Day(MON, (both,)), KEYWORDS)
    assert [s.keyword.slug for s in default] == ["vlm", "software-testing"]
    assert ids(default[0].new) == ["2601.00001"]


def test_new_papers_and_revisions_are_apart_each_newest_first():
    day = Day(
        MON,
        (
            make_paper("2601.00001", version=1, updated=at(9)),
            make_paper("2601.00002", version=3, updated=at(12)),
            make_paper("2601.00003", version=1, updated=at(11)),
            make_paper("2601.00004", version=2, updated=at(8)),
            make_paper("2601.00005", version=None, updated=at(10)),  # no version: new
        ),
    )
    (vlm,) = sections(day, KEYWORDS)
    assert ids(vlm.new) == ["2601.00003", "2601.00005", "2601.00001"]
    assert ids(vlm.revised) == ["2601.00002", "2601.00004"]
    assert vlm.count == 5


def test_v1_and_v2_announced_the_same_day_list_only_v2():
    v1 = make_paper("2601.00001", version=1, updated=at(9), keywords=("vlm", "software-testing"))
    v2 = make_paper("2601.00001", version=2, updated=at(15), keywords=("vlm", "software-testing"))
    for order in ((v1, v2), (v2, v1)):
        vlm, testing = sections(Day(MON, order), KEYWORDS)
        assert [(p.id, p.version) for p in vlm.new + vlm.revised] == [("2601.00001", 2)]
        assert vlm.new == ()
        assert [(p.id, p.version) for p in testing.elsewhere] == [("2601.00001", 2)]
        assert vlm.count + testing.count == 2


def test_papers_of_keywords_gone_from_keywords_yaml_go_to_other_topics_last():
    day = Day(
        MON,
        (
            make_paper("2601.00001", keywords=("gone",)),
            make_paper("2601.00002", keywords=("software-testing",)),
            make_paper("2601.00003", version=2, keywords=()),
        ),
    )
    result = sections(day, KEYWORDS)
    assert [s.name for s in result] == ["Software Testing", "Other topics"]
    assert [s.anchor for s in result] == ["kw-software-testing", "other-topics"]
    other = result[-1]
    assert (other.keyword, ids(other.new), ids(other.revised), other.elsewhere) == (
        None,
        ["2601.00001"],
        ["2601.00003"],
        (),
    )


def test_a_keyword_with_nothing_that_day_has_no_section():
    day = Day(MON, (make_paper("2601.00001", keywords=("software-testing",)),))
    assert [s.keyword for s in sections(day, KEYWORDS)] == [TESTING]
    assert sections(Day(MON, ()), KEYWORDS) == []


# --- listings across days -------------------------------------------------------------------


def test_newest_listings_walk_days_newest_first_and_keep_each_paper_once_at_its_newest():
    days = [
        Day(WED, (make_paper("2601.00001", version=2, updated=at(9, 28)),)),
        Day(
            TUE,
            (
                make_paper("2601.00002", updated=at(9, 27)),
                make_paper("2601.00003", updated=at(10, 27)),
            ),
        ),
        Day(MON, (make_paper("2601.00001", version=1), make_paper("2601.00004"))),
    ]
    everything = newest_listings(days, lambda p: True, 10)
    assert listed(everything) == [
        (WED, "2601.00001", 2),
        (TUE, "2601.00003", 1),
        (TUE, "2601.00002", 1),
        (MON, "2601.00004", 1),
    ]
    assert listed(newest_listings(days, lambda p: True, 2)) == listed(everything[:2])
    odd = newest_listings(days, lambda p: p.id.endswith(("1", "3")), 10)
    assert listed(odd) == [(WED, "2601.00001", 2), (TUE, "2601.00003", 1)]


def test_a_keyword_page_is_capped_at_max_papers_with_each_paper_once_at_its_newest_version():
    capped = Keyword(name="VLM", slug="vlm", max_papers=3)
    days = [
        Day(TUE, (make_paper("2601.00001", version=2, updated=at(9, 27)),)),
        Day(
            MON,
            tuple(
                make_paper(f"2601.0000{i}", updated=at(i), keywords=keywords)
                for i, keywords in [
                    (1, ("vlm",)),
                    (2, ("vlm",)),
                    (3, ("software-testing",)),
                    (4, ("vlm",)),
                    (5, ("vlm", "software-testing")),
                ]
            ),
        ),
    ]
    assert listed(keyword_listings(days, capped)) == [
        (TUE, "2601.00001", 2),
        (MON, "2601.00005", 1),
        (MON, "2601.00004", 1),
    ]
    assert listed(keyword_listings(days, TESTING)) == [
        (MON, "2601.00005", 1),
        (MON, "2601.00003", 1),
    ]


def test_a_category_page_is_capped_and_unknown_categories_are_dropped():
    days = [
        Day(TUE, (make_paper("2601.00001", version=2, categories=("cs.CV", "cs.LG")),)),
        Day(
            MON,
            (
                *(
                    make_paper(f"2601.0000{i}", updated=at(i), categories=("cs.CV", "xx.NOPE"))
                    for i in range(1, 6)
                ),
                make_paper("2601.00009", categories=("math.AG",)),
            ),
        ),
    ]
    pages = category_listings(days, 3)
    assert list(pages) == ["cs.CV", "cs.LG", "math.AG"]  # sorted; xx.NOPE has no page
    assert listed(pages["cs.CV"]) == [
        (TUE, "2601.00001", 2),
        (MON, "2601.00005", 1),
        (MON, "2601.00004", 1),
    ]
    assert listed(pages["cs.LG"]) == [(TUE, "2601.00001", 2)]
    assert listed(pages["math.AG"]) == [(MON, "2601.00009", 1)]
    assert [len(v) for v in category_listings(days, 100).values()] == [5, 1, 1]


def test_keyword_totals_count_distinct_papers_not_versions():
    days = [
        Day(TUE, (make_paper("2601.00001", version=2, keywords=("vlm",)),)),
        Day(
            MON,
            (
                make_paper("2601.00001", keywords=("vlm",)),
                make_paper("2601.00002", keywords=("vlm", "software-testing")),
                make_paper("2601.00003", keywords=()),
            ),
        ),
    ]
    assert keyword_totals(days) == {"vlm": 2, "software-testing": 1}


# --- the archive calendar -------------------------------------------------------------------


def test_archive_months_are_newest_first_monday_first_with_papers_per_day():
    days = [
        Day(date(2026, 2, 2), (make_paper("2602.00001"), make_paper("2602.00002"))),
        Day(date(2026, 1, 30), (make_paper("2601.00009"),)),
        Day(date(2026, 1, 1), tuple(make_paper(f"2601.0000{n}") for n in (1, 2, 3))),
    ]
    february, january = archive_months(days)
    assert (february.name, february.papers) == ("February 2026", 2)
    assert (january.name, january.papers) == ("January 2026", 4)
    # 1 January 2026 is a Thursday: three blank cells (Mon-Wed) come first.
    first_week = january.weeks[0]
    assert first_week[:3] == (None, None, None)
    assert first_week[3] == (date(2026, 1, 1), 3)
    assert first_week[4] == (date(2026, 1, 2), 0)
    assert all(len(week) == 7 for month in (february, january) for week in month.weeks)
    for month in (february, january):
        for week in month.weeks:
            for cell in week:
                assert cell is None or cell[0].month == month.month
    counted = {cell[0]: cell[1] for week in january.weeks for cell in week if cell and cell[1]}
    assert counted == {date(2026, 1, 1): 3, date(2026, 1, 30): 1}
    # 1 February 2026 is a Sunday: the last cell of a week of January blanks.
    assert february.weeks[0] == (None,) * 6 + ((date(2026, 2, 1), 0),)
    assert february.weeks[1][0] == (date(2026, 2, 2), 2)
    assert sum(cell is not None for week in february.weeks for cell in week) == 28


# --- cache keys and the body cache ----------------------------------------------------------


def test_stable_repr_is_the_same_for_equal_values_built_in_another_order():
    one = {"b": [1, {"y": 2, "x": 1}], "a": {3, 1, 2}}
    two = {"a": {2, 3, 1}, "b": [1, {"x": 1, "y": 2}]}
    assert list(one) != list(two)
    assert stable_repr(one) == stable_repr(two)
    assert stable_repr(one) != stable_repr({**one, "a": {1, 2}})
    assert stable_repr([1, 2]) != stable_repr([2, 1])  # order of a list is meaning


def test_stable_repr_names_functions_by_code_not_by_address():
    def make(offset):
        return lambda value: value + offset

    first, second = make(1), make(1)
    assert first is not second
    assert stable_repr(first) == stable_repr(second)
    assert "0x" not in stable_repr(first)

    def other(value):
        return value * 2

    assert stable_repr(first) != stable_repr(other)


def test_stable_repr_of_a_function_holding_a_generator_expression_names_no_address():
    def joined(values):
        return "".join(str(value) for value in values)

    assert "0x" not in stable_repr(joined)
    assert "0x" not in stable_repr({"JINJA_FILTERS": {"plain_text": plain_text}})


def test_fingerprint_changes_with_any_part_and_with_where_parts_split():
    base = fingerprint(["theme", b"keywords", "https://example.org"])
    assert base == fingerprint(["theme", b"keywords", "https://example.org"])
    assert base == fingerprint([b"theme", "keywords", b"https://example.org"])
    assert base != fingerprint(["theme", b"keywords", "https://example.com"])
    assert fingerprint(["ab", "c"]) != fingerprint(["a", "bc"])
    assert len(base) == 64


def test_body_cache_gives_back_what_it_was_given_under_the_same_key_only(tmp_path):
    folder = tmp_path / "bodies"
    cache = BodyCache(folder, "fp-one")
    body = "<section>Überschrift ‏שלום 🧪</section>"
    assert cache.get(MON, "src-1") is None
    cache.put(MON, "src-1", body)
    cache.close([(MON, "src-1")])

    again = BodyCache(folder, "fp-one")
    assert again.get(MON, "src-1") == body
    assert again.get(MON, "src-2") is None  # the day file changed
    assert again.get(TUE, "src-1") is None  # another day
    assert BodyCache(folder, "fp-two").get(MON, "src-1") is None  # theme/keywords changed
    again.close([(MON, "src-1")])


def test_closing_the_body_cache_removes_every_stale_file(tmp_path):
    folder = tmp_path / "bodies"
    old = BodyCache(folder, "fp-old")
    old.put(MON, "src", "old monday")
    old.put(TUE, "src", "old tuesday")
    old.close([(MON, "src"), (TUE, "src")])
    (folder / "stray.tmp").write_text("a torn write")

    cache = BodyCache(folder, "fp-new")
    cache.put(MON, "src", "new monday")
    cache.put(WED, "src-a", "wednesday, first")
    cache.put(WED, "src-b", "wednesday, changed")
    cache.close([(MON, "src"), (WED, "src-b")])

    assert sorted(os.listdir(folder)) == sorted(
        [cache.path(MON, "src").name, cache.path(WED, "src-b").name]
    )
    reread = BodyCache(folder, "fp-new")
    assert reread.get(MON, "src") == "new monday"
    assert reread.get(WED, "src-b") == "wednesday, changed"
    assert reread.get(WED, "src-a") is None
    assert BodyCache(folder, "fp-old").get(TUE, "src") is None
    reread.close([])
    assert os.listdir(folder) == []
