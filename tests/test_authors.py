"""The author index (pages/authors.py): a surname, a name or arXiv's "F. Surname" finds
that author's papers, measured on real corpora (the recorded arXiv answers and the seed
digests), read back from the files a build writes, as the search page reads them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from datetime import date

import pytest

from arxiv_digest.model.paper import Author
from arxiv_digest.model.store import Day, Store
from arxiv_digest.pages import authors, urls
from arxiv_digest.pages.authors import find_papers, index_files, name_matches, name_words
from arxiv_digest_dev.recorded import recorded_papers

from .conftest import ROOT, Project, make_paper

SEEDS = ROOT / "tests" / "fixtures" / "seeds"


class SearchPage:
    """The author look-up as the search page does it: the files, parsed from their text."""

    def __init__(self, days: Iterable[Day]):
        days = list(days)
        self.files = {url: json.loads(text) for url, text in index_files(days).items()}
        self.papers = {paper.id: paper for day in days for paper in day.papers}
        self.fetched: list[str] = []

    def shard(self, number: int) -> dict:
        url = urls.author_shard_url(number)
        self.fetched.append(url)
        return self.files[url]["surnames"]

    def find(self, query: str) -> list[str]:
        """The ids of the papers found, in the order found."""
        shards = self.files[urls.AUTHORS_INDEX]["shards"]
        return [url.split("#", 1)[1] for url in find_papers(query, shards, self.shard)]

    def by(self, written: str) -> set[str]:
        """The ids of the papers with an author whose name, as written, ends ``written``."""
        return {
            paper_id
            for paper_id, paper in self.papers.items()
            if any(a.name == written or a.name.endswith(f" {written}") for a in paper.authors)
        }


def recorded_corpus() -> SearchPage:
    # Real arXiv entries (60 papers, 225 names): the recorded answers of a search.
    return SearchPage([Day(date(2026, 1, 5), recorded_papers())])


@pytest.fixture(scope="module")
def seed_corpus(tmp_path_factory) -> SearchPage:
    # The seed digests' 158 papers (81 with authors, cut after six), as the sample is made.
    store = tmp_path_factory.mktemp("seeds") / "papers"
    command = [sys.executable, str(ROOT / "scripts" / "import_seeds.py"), str(SEEDS)]
    command += ["--keywords", str(SEEDS / "keywords.yaml"), "--store", str(store)]
    subprocess.run(command, check=True, capture_output=True)
    return SearchPage(Store(store).days())


@pytest.fixture(params=["recorded", "seeds"])
def corpus(request, seed_corpus) -> SearchPage:
    return recorded_corpus() if request.param == "recorded" else seed_corpus


def surnames(corpus: SearchPage) -> set[str]:
    """Every surname of the corpus as a reader takes it: the last word of a name."""
    return {a.name.split()[-1] for paper in corpus.papers.values() for a in paper.authors}


def test_a_surname_finds_every_paper_by_that_author_and_little_else(corpus):
    found = expected = right = 0
    for surname in sorted(surnames(corpus)):
        results = corpus.find(surname)
        by_author = corpus.by(surname)
        assert by_author <= set(results), surname  # recall: 100% for every surname
        found += len(results)
        expected += len(by_author)
        right += len(by_author & set(results))
    assert expected > 200
    assert right / found >= 0.95  # precision


def test_a_full_name_or_an_initial_and_surname_finds_that_authors_papers(corpus):
    for name in sorted({a.name for p in corpus.papers.values() for a in p.authors}):
        words = name.split()
        queries = [name]
        if len(words) > 1:
            queries.append(f"{words[0][0]}. {words[-1]}")  # arXiv's form: "A. Ramírez"
        for query in queries:
            results = set(corpus.find(query))
            assert corpus.by(name) <= results, query
            for paper_id in results:  # nothing by another surname, or another first name
                assert any(
                    same_surname_and_initial(a.name, name) for a in corpus.papers[paper_id].authors
                ), (query, paper_id)


def same_surname_and_initial(one: str, other: str) -> bool:
    one_words, other_words = name_words(one), name_words(other)
    return one_words[-1] == other_words[-1] and one_words[0][0] == other_words[0][0]


def test_a_name_no_stored_paper_has_finds_nothing(corpus):
    present = {key for s in surnames(corpus) for key in authors.surname_keys(name_words(s))}
    for query in ("Lovelace", "Ada Lovelace", "A. Lovelace", "Zyxwvut"):
        assert corpus.find(query) == [], query
    # A prefix of a surname is not that surname (Pagefind's text search would say it is).
    prefixes = {s[:-1] for s in surnames(corpus) if len(s) > 2}
    absent = [p for p in sorted(prefixes) if name_words(p)[-1] not in present]
    assert len(absent) > 50
    for prefix in absent:
        assert corpus.find(prefix) == [], prefix


def test_the_recorded_corpus_finds_its_authors_by_real_names():
    corpus = recorded_corpus()
    ahuja = corpus.find("Ahuja")
    assert ahuja
    assert ahuja == sorted(corpus.by("Ahuja"), reverse=True)
    assert set(corpus.find("M. K. Ahuja")) == corpus.by("Mohit Kumar Ahuja")
    assert set(corpus.find("Ahuja, Mohit")) == corpus.by("Mohit Kumar Ahuja")
    assert set(corpus.find("Aurora Ramirez")) == corpus.by("Aurora Ramírez")  # accents optional
    assert set(corpus.find("ramírez")) == corpus.by("Ramírez")
    assert corpus.find("2202.12139") == []  # not a name


def test_seed_names_with_accents_and_hyphens_are_found(seed_corpus):
    assert seed_corpus.find("Tsui-Wei Weng") == ["2512.10805"]
    assert seed_corpus.find("T.-W. Weng") == ["2512.10805"]
    assert seed_corpus.find("T. Weng") == ["2512.10805"]
    assert seed_corpus.find("Weng, Tsui-Wei") == ["2512.10805"]
    assert seed_corpus.find("W. Weng") == []  # another first name
    assert set(seed_corpus.find("Jurgen Graf")) == seed_corpus.by("Jürgen Graf")
    assert set(seed_corpus.find("Hönicke")) == seed_corpus.by("Florian Hönicke")


def letters(number: int) -> str:
    """A made-up word for a number, as spreadsheet columns: 0 -> "a", 26 -> "aa"."""
    word = ""
    while number >= 0:
        word = chr(ord("a") + number % 26) + word
        number = number // 26 - 1
    return word


def test_one_look_up_fetches_one_shard():
    papers = [
        make_paper(f"2601.{n:05d}", authors=(Author(f"Ada Sur{letters(n)}"),))
        for n in range(1, 3000)
    ]
    page = SearchPage([Day(date(2026, 1, 30), tuple(papers))])
    shards = page.files[urls.AUTHORS_INDEX]["shards"]

    assert shards > 1
    assert shards & (shards - 1) == 0  # a power of two
    assert len(page.files) == shards + 1
    assert page.find(f"Sur{letters(1234)}") == ["2601.01234"]
    assert page.fetched == [urls.author_shard_url(authors.shard_of(f"sur{letters(1234)}", shards))]
    for number in range(shards):
        surnames = page.files[urls.author_shard_url(number)]["surnames"]
        assert all(authors.shard_of(s, shards) == number for s in surnames)
        assert len(json.dumps(surnames)) < 2 * authors.SHARD_BYTES


def test_the_shard_hash_is_fnv_1a_as_search_js_computes_it():
    # The published FNV-1a 32-bit test vectors; search.js must give the same.
    assert authors.shard_of("", 2**32) == 0x811C9DC5
    assert authors.shard_of("a", 2**32) == 0xE40C292C
    assert authors.shard_of("foobar", 2**32) == 0xBF9CF968


def test_a_paper_is_found_at_its_newest_version_under_its_newest_authors():
    first = make_paper("2512.00001", 1, authors=(Author("Grace Hopper"),))
    second = make_paper("2512.00001", 2, authors=(Author("Grace Hopper"), Author("Ada Lovelace")))
    page = SearchPage([Day(date(2025, 12, 18), (first,)), Day(date(2026, 1, 30), (second,))])
    shards = page.files[urls.AUTHORS_INDEX]["shards"]

    assert find_papers("Hopper", shards, page.shard) == ["2026/01/30/#2512.00001"]
    assert find_papers("Lovelace", shards, page.shard) == ["2026/01/30/#2512.00001"]


def test_names_are_matched_as_arxiv_writes_them():
    assert name_words("T.-W. Weng") == ["t", "w", "weng"]
    assert name_words("Weng, T.") == ["t", "weng"]
    assert name_words("Martin Luther King, Jr.") == ["martin", "luther", "king"]
    assert name_words("Ørjan O\u2019Brien") == ["orjan", "obrien"]
    assert name_matches(name_words("van Beethoven"), "Ludwig van Beethoven")
    assert name_matches(name_words("L. van Beethoven"), "Ludwig van Beethoven")
    assert name_matches(name_words("Jones"), "Ann Smith-Jones")
    assert not name_matches(name_words("John Smith"), "Mary John Smith")  # a middle name
    assert not name_matches(name_words("Wei Weng"), "Tsui-Wei Weng")


def test_a_build_writes_the_index_and_links_every_author_to_their_papers(tmp_path):
    project = Project(tmp_path / "site")
    many = (*(Author(f"Author {n}") for n in range(7)), Author("Jürgen Graf"))
    project.add_day("2026-01-30", [make_paper("2601.00001", authors=many)])
    project.build()

    index = json.loads((project.output / urls.AUTHORS_INDEX).read_text("utf-8"))
    shard = json.loads((project.output / urls.author_shard_url(0)).read_text("utf-8"))
    assert index == {"format": 1, "shards": 1}
    assert shard["surnames"]["graf"] == {"Jürgen Graf": ["2026/01/30/#2601.00001"]}
    article = project.page("/2026/01/30/").select_one("article.paper")
    links = article.select("ul.authors a[href]")
    assert [a.get_text() for a in links] == [a.name for a in many]  # "et al." ones too
    assert links[-1]["href"] == "/search/?author=J%C3%BCrgen%20Graf"


def test_without_search_authors_are_text_and_no_index_is_written(tmp_path):
    project = Project(tmp_path / "site")
    project.add_day("2026-01-30", [make_paper("2601.00001")])
    project.build(ARXIV_SEARCH=False)

    assert not (project.output / urls.AUTHORS_INDEX).parent.exists()
    article = project.page("/2026/01/30/").select_one("article.paper")
    assert article.select("ul.authors li")
    assert article.select("ul.authors a") == []
