"""keywords.yaml: what loads, and every rejection naming the file, the line and the fix."""

from __future__ import annotations

import subprocess
import sys
from textwrap import dedent

import pytest

from arxiv_digest.fetching.query import build_query
from arxiv_digest.model.keywords import ConfigError, load, parse

from .conftest import SAMPLE_SITE


def rejection(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse(dedent(text), "keywords.yaml")
    return caught.value


def test_defaults_apply_and_a_keyword_overrides_them():
    config = parse(
        dedent("""\
        defaults:
          max_papers: 30
          categories: [cs.CV]
        keywords:
          - name: Video Anomaly Detection
            terms: ["video anomaly detection"]
          - name: Vision Language Model
            slug: vlm
            terms: [VLM]
            max_papers: 5
            categories: [cs.CL, cs.AI]
            exclude: [survey]
        """)
    )
    first, second = config.keywords
    assert (first.slug, first.max_papers, first.categories) == (
        "video-anomaly-detection",
        30,
        ("cs.CV",),
    )
    assert (second.slug, second.max_papers, second.categories, second.exclude) == (
        "vlm",
        5,
        ("cs.CL", "cs.AI"),
        ("survey",),
    )
    assert second.line == 7


def test_query_has_every_phrase_quoted_and_every_or_group_parenthesised():
    config = parse(
        dedent("""\
        keywords:
          - name: VLM
            terms: [VLM, "Vision Language Model"]
            categories: [cs.CV, cs.CL]
            exclude: [survey]
        """)
    )
    assert build_query(config.keywords[0]) == (
        '(ti:"VLM" OR abs:"VLM" OR ti:"Vision Language Model" OR abs:"Vision Language Model")'
        ' AND (cat:cs.CV OR cat:cs.CL) ANDNOT (ti:"survey" OR abs:"survey")'
    )


def test_a_raw_query_is_sent_as_written():
    config = parse(
        dedent("""\
        keywords:
          - name: Diffusion theory
            query: 'ti:"diffusion model" AND cat:stat.ML'
        """)
    )
    assert build_query(config.keywords[0]) == 'ti:"diffusion model" AND cat:stat.ML'


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM
              - name: other
            """,
            4,
            "YAML syntax error",
            id="yaml-syntax-error",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                term: [VLM]
            """,
            3,
            "unknown key 'term' in a keyword; did you mean 'terms'?",
            id="unknown-keyword-key",
        ),
        pytest.param(
            """\
            defaults:
              max_paper: 10
            keywords:
              - name: VLM
                terms: [VLM]
            """,
            2,
            "unknown key 'max_paper' in 'defaults'; did you mean 'max_papers'?",
            id="unknown-defaults-key",
        ),
        pytest.param(
            """\
            keyword:
              - name: VLM
                terms: [VLM]
            """,
            1,
            "unknown key 'keyword' in the top level; did you mean 'keywords'?",
            id="unknown-top-level-key",
        ),
        pytest.param(
            """\
            keywords:
              - terms: [VLM]
            """,
            2,
            "keyword without 'name:'",
            id="keyword-without-name",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                slug: vlm
            """,
            2,
            "keyword 'VLM' has no 'terms:'",
            id="keyword-without-terms",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: []
            """,
            3,
            "'terms' is empty",
            id="empty-terms-list",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms:
                  - VLM
                  - "  "
            """,
            5,
            "a phrase in keyword 'VLM': 'terms' is empty",
            id="empty-phrase",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                exclude: [""]
            """,
            4,
            "'exclude' is empty",
            id="empty-exclude-phrase",
        ),
        pytest.param(
            """\
            keywords:
              - name: Vision Language Model
                terms: [VLM]
              - name: Vision-Language Model
                terms: [MLLM]
            """,
            4,
            "slug 'vision-language-model', already used by 'Vision Language Model' on line 2",
            id="duplicate-derived-slug",
        ),
        pytest.param(
            """\
            keywords:
              - name: A
                slug: same
                terms: [a]
              - name: B
                slug: same
                terms: [b]
            """,
            5,
            "already used by 'A' on line 2",
            id="duplicate-explicit-slug",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                categories: [cs.CV, cs.cv]
            """,
            4,
            "unknown arXiv category 'cs.cv'; did you mean 'cs.CV'?",
            id="malformed-category",
        ),
        pytest.param(
            """\
            defaults:
              categories: [computer-vision]
            keywords:
              - name: VLM
                terms: [VLM]
            """,
            2,
            "unknown arXiv category 'computer-vision'",
            id="bad-category-in-defaults",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                max_papers: 0
            """,
            4,
            "'max_papers' must be a whole number from 1 to 2000, not '0'",
            id="zero-max-papers",
        ),
        pytest.param(
            """\
            defaults:
              max_papers: -5
            keywords:
              - name: VLM
                terms: [VLM]
            """,
            2,
            "'max_papers' must be a whole number",
            id="negative-max-papers",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                max_papers: many
            """,
            4,
            "'max_papers' must be a whole number from 1 to 2000, not 'many'",
            id="text-max-papers",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                max_papers: !!int [100]
            """,
            4,
            "'max_papers' must be a whole number from 1 to 2000",
            id="list-tagged-as-an-integer-max-papers",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: VLM
            """,
            3,
            "'terms' must be a list",
            id="terms-not-a-list",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                fields: [title, body]
            """,
            4,
            "unknown field 'body'",
            id="unknown-field",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                slug: Vision Models!
                terms: [VLM]
            """,
            3,
            "must be lowercase letters, digits and single hyphens",
            id="unsafe-slug",
        ),
        pytest.param(
            """\
            keywords:
              - name: All
                terms: [everything]
            """,
            2,
            "reserved for the site feed",
            id="reserved-slug",
        ),
        pytest.param(
            """\
            keywords:
              - name: Diffusion
                query: 'ti:"diffusion'
            """,
            3,
            "unclosed '\"'",
            id="raw-query-unclosed-quote",
        ),
        pytest.param(
            """\
            keywords:
              - name: Diffusion
                query: 'ti:diffusion'
                terms: [diffusion]
            """,
            3,
            "'query' replaces terms",
            id="raw-query-with-terms",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: ['say "hi"']
            """,
            3,
            "which arXiv cannot search",
            id="phrase-with-double-quote",
        ),
        pytest.param(
            """\
            keywords:
              - name: VLM
                terms: [VLM]
                terms: [MLLM]
            """,
            4,
            "'terms' appears twice",
            id="duplicate-key",
        ),
        pytest.param(
            """\
            keywords:
              - name: "Bad\\x01Name"
                terms: [a]
            """,
            2,
            "'name' holds a control character",
            id="control-character",
        ),
        pytest.param("", 1, "the file is empty", id="empty-file"),
        pytest.param("keywords: []\n", 1, "at least one keyword", id="no-keywords"),
    ],
)
def test_rejection_names_the_file_the_line_and_the_fix(text, line, says):
    error = rejection(text)
    assert error.line == line
    assert str(error).startswith(f"keywords.yaml:{line}: ")
    assert says in str(error)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"missing\.yaml: file not found"):
        load(tmp_path / "missing.yaml")


def check(*args: str, cwd=SAMPLE_SITE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "arxiv_digest", "check", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def test_check_prints_each_keywords_exact_query_and_exits_0():
    result = check()
    assert result.returncode == 0, result.stderr
    assert "4 keywords, all valid" in result.stdout
    assert '(ti:"video anomaly detection" OR abs:"video anomaly detection")' in result.stdout
    assert '(ti:"Vision Language Model" OR abs:"Vision Language Model"' in result.stdout


def test_check_exits_2_naming_the_line_of_a_broken_file(tmp_path):
    broken = tmp_path / "keywords.yaml"
    broken.write_text("keywords:\n  - name: VLM\n    terms: [VLM]\n    categories: [cs.XX]\n")
    result = check(str(broken))
    assert result.returncode == 2
    assert f"{broken}:4: keyword" not in result.stderr  # the message is about the value
    assert f"{broken}:4: unknown arXiv category 'cs.XX'" in result.stderr
    assert result.stdout == ""
