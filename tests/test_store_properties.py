"""Properties of the readers of the store's files, which are untrusted input: whatever JSON
a day file or a fetch-log line holds, it is read into well-typed values or refused with
an error that names the field, and never raises anything else.

The example budget is fixed and the examples derandomized, so a run is the same every
time; a failure found here becomes a regular test in test_store.py or test_fetchlog.py.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from arxiv_digest.model.fetchlog import KeywordRun, Outcome, Run, parse_log
from arxiv_digest.model.paper import TEXT_FIELDS, Author, Paper
from arxiv_digest.model.schedule import is_storable_time, stored_day, stored_moment
from arxiv_digest.model.store import StoreError, dump_day, parse_day

from .conftest import make_paper
from .runs import RUN

BUDGET = settings(max_examples=200, deadline=None, derandomize=True, database=None)
DAY_FILE = Path("papers/2026/2026-03-02.json")
LOG = Path("papers/fetch-log.jsonl")

# Text as a UTF-8 file can hold it: any character but the halves of surrogate pairs.
texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)
# Values near the ones a field holds, where a reader is likeliest to slip.
near_values = st.sampled_from(
    [
        "",
        "Ada Lovelace",
        "false",
        "2026-03-02",
        "2026-03-02T15:00:00Z",
        "9999-12-31",
        "0001-01-01T00:00:00Z",
        "2026-02-30",
        "2603.00001",
        "2603.00001v2",
        "cs.CV",
        "ok",
        "\u0007",
        0,
        1,
        -1,
        True,
        [],
        ["Ada Lovelace"],
        [1],
        {},
        {"0": ["MIT"]},
        {"0": "MIT"},
        {"5": ["MIT"]},
    ]
)
any_value = near_values | json_values

PAPER = make_paper(
    "2603.00001",
    authors=(Author("Ada Lovelace", ("MIT",)), Author("Alan Turing")),
    announced="2026-02-27",
    comment="12 pages",
).to_json()


def assert_well_typed(paper: Paper) -> None:
    for name in TEXT_FIELDS:
        assert type(getattr(paper, name)) is str
    assert paper.version is None or (type(paper.version) is int and paper.version >= 1)
    assert type(paper.authors_truncated) is bool
    for author in paper.authors:
        assert type(author.name) is str
        assert all(type(a) is str for a in author.affiliations)
    assert all(type(c) is str for c in paper.categories)
    assert all(type(k) is str for k in paper.keywords)
    assert type(paper.announced) is str
    assert Paper.from_json(paper.to_json()) == paper


def read(parse, text: str, path: Path) -> tuple[object, str | None]:
    """What a reader makes of ``text``: its result, or the message it refused it with (only
    the store's own errors count: any other exception fails the test)."""
    try:
        return parse(text, path), None
    except StoreError as err:  # FetchLogError is one
        return None, str(err)


def day_file_text(papers: object) -> str:
    data = {"format": 1, "day": "2026-03-02", "papers": papers}
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


@BUDGET
@given(field=st.sampled_from([*sorted(PAPER), "unknown"]), value=any_value)
def test_any_value_in_any_field_of_a_paper_is_read_well_typed_or_refused_naming_it(field, value):
    day, refused = read(parse_day, day_file_text([PAPER | {field: value}]), DAY_FILE)
    if refused:
        assert refused.startswith(f"{DAY_FILE}: paper 1 (")
        assert f"'{field}' " in refused
        return
    (paper,) = day.papers
    assert_well_typed(paper)
    assert_read_as_stored(paper, field, value)


def assert_read_as_stored(paper: Paper, field: str, value: object) -> None:
    """A value that is read is read as it is: it is written back the same, never coerced."""
    written = paper.to_json()
    if field == "affiliations":  # an author without affiliations is written without any
        value = {position: listed for position, listed in value.items() if listed}
    if field in written:
        assert written[field] == value


@BUDGET
@given(field=st.sampled_from(sorted(PAPER)))
def test_a_paper_without_a_field_is_read_well_typed_or_refused_naming_it(field):
    day, refused = read(
        parse_day, day_file_text([{k: v for k, v in PAPER.items() if k != field}]), DAY_FILE
    )
    if refused:
        assert f"'{field}' is missing" in refused
        return
    assert_well_typed(day.papers[0])


@BUDGET
@given(papers=st.lists(any_value | st.just(PAPER), max_size=4))
def test_any_list_of_papers_is_read_well_typed_or_refused(papers):
    day, refused = read(parse_day, day_file_text(papers), DAY_FILE)
    if refused:
        assert refused.startswith(f"{DAY_FILE}: ")
        return
    for paper in day.papers:
        assert_well_typed(paper)
    assert parse_day(dump_day(day), DAY_FILE) == day


@BUDGET
@given(text=st.text() | any_value.map(json.dumps))
def test_any_text_as_a_day_file_is_a_day_or_refused_by_name(text):
    _, refused = read(parse_day, text, DAY_FILE)
    assert refused is None or refused.startswith(f"{DAY_FILE}: ")


# -- the fetch log ----------------------------------------------------------------------------

LINE = RUN.to_json() | {"error": "arXiv failed"}
KEYWORD = LINE["keywords"][0]


def log_text(line: object) -> str:
    return json.dumps(RUN.to_json()) + "\n" + json.dumps(line) + "\n"


def assert_runs_well_typed(runs: tuple[Run, ...]) -> None:
    for run in runs:
        assert run.started.tzinfo is not None
        assert run.finished >= run.started
        assert type(run.error) is str
        for keyword in run.keywords:
            assert isinstance(keyword, KeywordRun)
            assert isinstance(keyword.outcome, Outcome)
            assert type(keyword.slug) is str
            assert type(keyword.reason) is str
            assert type(keyword.new) is int
            assert type(keyword.revised) is int
    assert parse_log("".join(json.dumps(r.to_json()) + "\n" for r in runs), LOG) == runs


@BUDGET
@given(field=st.sampled_from([*sorted(LINE), "unknown"]), value=any_value)
def test_any_value_in_any_field_of_a_log_line_is_read_well_typed_or_refused_naming_it(field, value):
    runs, refused = read(parse_log, log_text(LINE | {field: value}), LOG)
    if refused:
        assert refused.startswith(f"{LOG}: line 2: '{field}' ")
        return
    assert_runs_well_typed(runs)


@BUDGET
@given(field=st.sampled_from([*sorted(KEYWORD), "unknown"]), value=any_value)
def test_any_value_in_any_field_of_a_logged_keyword_is_read_well_typed_or_refused_naming_it(
    field, value
):
    line = LINE | {"keywords": [KEYWORD | {field: value}]}
    runs, refused = read(parse_log, log_text(line), LOG)
    if refused:
        assert refused.startswith(f"{LOG}: line 2: 'keywords' item 1: '{field}' ")
        return
    assert_runs_well_typed(runs)


@BUDGET
@given(text=st.text() | st.lists(any_value).map(lambda lines: "\n".join(map(json.dumps, lines))))
def test_any_text_as_a_fetch_log_is_runs_or_refused_naming_a_line(text):
    runs, refused = read(parse_log, text, LOG)
    if refused:
        assert refused.startswith(f"{LOG}: line ")
        return
    assert_runs_well_typed(runs)


# -- dates --------------------------------------------------------------------------------------

date_like = st.from_regex(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?", fullmatch=True
)


@BUDGET
@given(text=date_like | st.from_regex(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?", fullmatch=True))
def test_the_quick_check_of_a_stored_time_agrees_with_the_one_that_says_why(text):
    explain = stored_day if len(text) == 10 else stored_moment
    try:
        explain(text)
    except ValueError:
        assert not is_storable_time(text)
    else:
        assert is_storable_time(text)
