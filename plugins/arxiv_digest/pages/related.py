"""Related papers: each listed paper's most similar stored papers, by title and abstract.

Similarity is the cosine of TF-IDF vectors (``1 + log tf`` times the smoothed IDF,
the title counted twice, each vector cut to its :data:`TERMS_KEPT` heaviest terms).
The days are taken oldest first, and a day's papers are compared with every paper
listed up to and including that day, with the document frequencies of those days: so
a day's related papers depend on that day and the days before it only, and a new day
changes nothing already computed. That is what lets a build compute one new day
against the whole archive (:class:`RelatedIndex` is kept between builds by the glue),
and what keeps a digest page's bytes when newer days come. Newer papers reach an older
one the other way round: a later paper that counts it among its own related papers is in
the data of a later month (:func:`related_data`, for the site's scripts).

Same days in, same lists out: ties are broken by arXiv id, and sums are made in one
fixed order. Pure: no file is read or written here; numpy does the arithmetic.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model.paper import Paper
from ..model.store import Day
from .listings import listed_papers
from .paperdata import shard_key

FORMAT = 1  # of the kept state and of the data files; a new one computes everything again
COUNT = 5  # related papers shown per paper
TERMS_KEPT = 32  # a paper's heaviest terms; the rest add little and cost memory and time
WORDS_REMEMBERED = 500_000  # words already turned into term ids (a decade has ~300,000)

WORD = re.compile(r"[^\W_]+")
# Words too common in any English text to tell papers apart; IDF weighs the rest.
STOP_TEXT = """a about above after again against all also although am among an and any are as
    at be because been before being below between both but by can could did do does doing done
    down during each either et etc few for from further had has have having he her here hers
    him his how however i ie if in into is it its itself just may me might more most much
    must my neither no nor not of off on once only or other our ours out over own per rather
    same she should since so some such than that the their theirs them then there these they
    this those through thus to too under until up upon us very via was we were what when
    where whether which while who whom whose why will with within without would yet you your
    eg vs"""
STOP_WORDS = frozenset(STOP_TEXT.split())


def paper_words(paper: Paper) -> list[str]:
    """The words of a paper, lowercase: its title twice (titles say most), then its abstract."""
    return WORD.findall(f"{paper.title} {paper.title} {paper.abstract}".lower())


def word_term(word: str) -> str:
    """A word as a term: "" for stop words, numbers and single letters; a plural ``s``
    taken off (models -> model; class, focus, analysis stay)."""
    if len(word) < 2 or word in STOP_WORDS or word.isdigit():
        return ""
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "su" and word[-2:] != "is":
        return word[:-1]
    return word


def paper_terms(paper: Paper) -> list[str]:
    """The terms a paper is compared by."""
    return [term for word in paper_words(paper) if (term := word_term(word))]


def day_key(day: Day) -> str:
    """A digest of all that the related papers of ``day`` are made of: its listed papers'
    ids, versions, titles and abstracts (not their keywords, which a later fetch may add)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"related {FORMAT} {day.date}".encode())
    for paper in sorted(listed_papers(day), key=lambda p: p.id):
        for part in (paper.id, str(paper.version), paper.title, paper.abstract):
            data = part.encode()
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def lists_key(related: Mapping[str, Sequence[Neighbour]]) -> str:
    """A digest of a day's related papers: what its page shows of them."""
    text = json.dumps(
        [
            [key, [[n.id, n.day.isoformat()] for n in found]]
            for key, found in sorted(related.items())
        ]
    )
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Neighbour:
    """A related paper, at the day that listed the version it was compared as."""

    id: str
    day: date
    score: float


@dataclass(frozen=True, slots=True)
class DayEntry:
    """A day the index holds: what it was made from, and a digest of the lists it gave."""

    date: date
    source: str  # the day file's digest, as the glue read it
    text: str  # day_key: the part of the day the lists are made of
    lists: str  # a digest of the day's related papers, for the cache key of its page


class Growing:
    """A numpy array that grows at its end in amortised constant time."""

    def __init__(self, dtype: npt.DTypeLike, data: npt.NDArray[Any] | None = None) -> None:
        # ``data`` is taken as it is (a loaded array; it is copied when it first grows).
        self.buffer = data if data is not None and len(data) else np.zeros(1024, dtype)
        self.size = 0 if data is None else len(data)

    def extend(self, values: npt.ArrayLike) -> None:
        values = np.asarray(values, self.buffer.dtype)
        end = self.size + len(values)
        if end > len(self.buffer):
            grown = np.zeros(max(end, 2 * len(self.buffer)), self.buffer.dtype)
            grown[: self.size] = self.buffer[: self.size]
            self.buffer = grown
        self.buffer[self.size : end] = values
        self.size = end

    @property
    def array(self) -> npt.NDArray[Any]:
        return self.buffer[: self.size]


@dataclass
class RelatedIndex:
    """Every paper listed so far as a weighted term vector, and the related papers found for
    each listing. A listing is a row: one paper at one version, on the day that listed it;
    a newer version of a paper takes the place of its older rows as a candidate."""

    vocabulary: dict[str, int] = field(default_factory=dict)
    document_frequency: Growing = field(default_factory=lambda: Growing(np.int32))
    listings: int = 0  # rows so far: IDF's N
    row_ids: list[str] = field(default_factory=list)
    row_days: Growing = field(default_factory=lambda: Growing(np.int32))  # date ordinals
    alive: Growing = field(default_factory=lambda: Growing(np.bool_))
    # The rows' vectors by term (an inverted index): a term's entries are together, in the
    # order of their rows, and postings[t] says how many entries term t has.
    postings: Growing = field(default_factory=lambda: Growing(np.int64))
    entry_rows: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    entry_weights: npt.NDArray[np.float32] = field(default_factory=lambda: np.zeros(0, np.float32))
    # Per row, its related rows (-1: none) and their scores, best first.
    neighbours: Growing = field(default_factory=lambda: Growing(np.int32))
    scores: Growing = field(default_factory=lambda: Growing(np.float32))
    row_shards: Growing = field(default_factory=lambda: Growing(np.int32))  # shard_key, a number
    days: list[DayEntry] = field(default_factory=list)  # oldest first
    current: dict[str, int] = field(default_factory=dict)  # paper id -> its alive row
    _words: dict[str, int] = field(default_factory=dict)  # word -> term id (-1: none)

    def add_day(self, day: Day, source: str = "") -> dict[str, list[Neighbour]]:
        """Add a day (newer than every day added before; ``source``: its file's digest) and
        return its listed papers' related papers, by paper id."""
        if self.days and day.date <= self.days[-1].date:
            raise ValueError(f"{day.date} is not newer than {self.days[-1].date}")
        papers = sorted(listed_papers(day), key=lambda p: p.id)
        first = len(self.row_ids)
        for paper in papers:
            if paper.id in self.current:  # a new version: only the newest is a candidate
                self.alive.array[self.current[paper.id]] = False
            self.current[paper.id] = len(self.row_ids)
            self.row_ids.append(paper.id)
        self.alive.extend(np.ones(len(papers), np.bool_))
        self.row_days.extend(np.full(len(papers), day.date.toordinal()))
        self.row_shards.extend([int(shard_key(paper.id)) for paper in papers])
        rows, terms, weights = self._add_vectors(papers)
        found = self._score(first, rows, terms, weights)
        related = {self.row_ids[first + place]: f for place, f in enumerate(found)}
        self.days.append(DayEntry(day.date, source, day_key(day), lists_key(related)))
        return related

    def still_holds(self, days: Sequence[tuple[Day, str]]) -> int:
        """How many of the index's days, oldest first, are still the first of ``days``
        (each with its file's digest): the same date, and the same file or, when the
        file changed, the same titles and abstracts (a keyword added changes no list)."""
        held = 0
        for entry, (day, source) in zip(self.days, days, strict=False):
            if entry.date != day.date or (entry.source != source and entry.text != day_key(day)):
                break
            held += 1
        return held

    def same_source(self, days: Sequence[tuple[Day, str]]) -> bool:
        """Note the file digests of days that still hold (their files changed, not their
        lists), so that the next build compares digests only; whether any was new."""
        noted = False
        for place, (_, source) in enumerate(days[: len(self.days)]):
            if self.days[place].source != source:
                self.days[place] = replace(self.days[place], source=source)
                noted = True
        return noted

    def _term_ids(self, paper: Paper) -> list[int]:
        """The paper's terms as ids in the vocabulary, which takes in the new ones."""
        words = self._words
        if len(words) > WORDS_REMEMBERED:
            words.clear()
        ids = []
        for word in paper_words(paper):
            term_id = words.get(word)
            if term_id is None:
                term = word_term(word)
                term_id = self.vocabulary.setdefault(term, len(self.vocabulary)) if term else -1
                words[word] = term_id
            if term_id >= 0:
                ids.append(term_id)
        return ids

    def _add_vectors(
        self, papers: Sequence[Paper]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]:
        """The day's papers as rows: counted into the document frequencies first (so that
        IDF counts this day), weighted, cut to their heaviest terms, normalised, and put in
        the index. Returns their entries (row on the day, term, weight) by row, then term."""
        rows: list[int] = []
        terms: list[int] = []
        for place, paper in enumerate(papers):
            ids = self._term_ids(paper)
            terms += ids
            rows += [place] * len(ids)
        size = len(self.vocabulary)
        pairs, counts = np.unique(
            np.asarray(rows, np.int64) * size + np.asarray(terms, np.int64), return_counts=True
        )
        row_of, term_of = pairs // size, pairs % size  # sorted by row, then term
        grow = size - self.document_frequency.size
        self.document_frequency.extend(np.zeros(grow, np.int32))
        self.postings.extend(np.zeros(grow, np.int64))
        frequency = self.document_frequency.array
        frequency += np.bincount(term_of, minlength=size).astype(np.int32)
        self.listings += len(papers)
        weight = (1 + np.log(counts)) * (
            np.log((1 + self.listings) / (1 + frequency[term_of].astype(np.float64))) + 1
        )
        # Each row's TERMS_KEPT heaviest terms (ties: the older term), back in term order.
        order = np.lexsort((term_of, -weight, row_of))
        starts = np.searchsorted(row_of[order], np.arange(len(papers)))
        rank = np.arange(len(order)) - starts[row_of[order]]
        kept = np.sort(order[rank < TERMS_KEPT])  # pairs are in (row, term) order
        row_of, term_of, weight = row_of[kept], term_of[kept], weight[kept]
        norm = np.sqrt(np.bincount(row_of, weight * weight, minlength=len(papers)))
        weight32 = (weight / norm[row_of]).astype(np.float32)
        # Into the index: each entry at the end of its term's entries, so in row order.
        by_term = np.lexsort((row_of, term_of))
        at = np.cumsum(self.postings.array)[term_of[by_term]]
        first = len(self.row_ids) - len(papers)
        self.entry_rows = np.insert(self.entry_rows, at, first + row_of[by_term])
        self.entry_weights = np.insert(self.entry_weights, at, weight32[by_term])
        self.postings.array[:] += np.bincount(term_of, minlength=size)
        return row_of, term_of, weight32.astype(np.float64)

    def _score(
        self,
        first: int,
        rows: npt.NDArray[np.int64],
        terms: npt.NDArray[np.int64],
        weights: npt.NDArray[np.float64],
    ) -> list[list[Neighbour]]:
        """Each new row's best :data:`COUNT` alive rows but itself, by the sum over shared
        terms of the products of their weights (a cosine: the vectors are normalised).

        A row's sums are made term by term, in term order: a term's entries are one slice
        of the index, and each names a row once, so they are added in one step."""
        count = len(self.row_ids)
        postings = self.postings.array
        starts = (np.cumsum(postings) - postings).tolist()
        lengths = postings.tolist()
        entry_rows, entry_weights = self.entry_rows, self.entry_weights
        alive = self.alive.array.astype(np.float64)  # scores of older versions: 0
        bounds = np.searchsorted(rows, np.arange(count - first + 1)).tolist()
        all_terms = terms.tolist()
        found: list[list[Neighbour]] = []
        for place, (low, high) in enumerate(itertools.pairwise(bounds)):
            scores = np.zeros(count)
            # numpy's float64 weights: products in float64 (a Python float would give float32)
            for term, weight in zip(all_terms[low:high], weights[low:high], strict=True):
                start = starts[term]
                end = start + lengths[term]
                scores[entry_rows[start:end]] += weight * entry_weights[start:end]
            scores *= alive
            scores[first + place] = 0.0
            top = np.argpartition(scores, -COUNT)[-COUNT:] if count > COUNT else None
            found.append(self._best(scores, top))
        return found

    def _best(
        self, scores: npt.NDArray[np.float64], top: npt.NDArray[np.intp] | None
    ) -> list[Neighbour]:
        """The :data:`COUNT` best-scored rows (``top``: the argpartition's), ties by arXiv
        id; none that shares no term."""
        if top is None:
            candidates = np.flatnonzero(scores > 0)
        else:
            threshold = max(scores[top].min(), np.nextafter(0.0, 1.0))
            candidates = top[scores[top] > threshold]
            if len(candidates) < len(top):  # ties at the threshold: take them all
                candidates = np.flatnonzero(scores >= threshold)
        # Rounded, so that the order does not hang on the last bits of a sum.
        ranked = sorted((-round(float(scores[c]), 9), self.row_ids[c], int(c)) for c in candidates)[
            :COUNT
        ]
        days = self.row_days.array
        neighbours = [
            Neighbour(self.row_ids[c], date.fromordinal(int(days[c])), -s) for s, _, c in ranked
        ]
        self.neighbours.extend([c for _, _, c in ranked] + [-1] * (COUNT - len(ranked)))
        self.scores.extend([-s for s, _, _ in ranked] + [0.0] * (COUNT - len(ranked)))
        return neighbours

    def related(self, row: int) -> list[Neighbour]:
        """The related papers found for a row when its day was added."""
        found = []
        neighbours = self.neighbours.array[row * COUNT : (row + 1) * COUNT]
        scores = self.scores.array[row * COUNT : (row + 1) * COUNT]
        for other, score in zip(neighbours, scores, strict=True):
            if other >= 0:
                when = date.fromordinal(int(self.row_days.array[other]))
                found.append(Neighbour(self.row_ids[other], when, float(score)))
        return found

    def day_rows(self) -> dict[date, range]:
        """Each day's rows (a day's rows are consecutive)."""
        days = self.row_days.array
        starts = np.flatnonzero(np.diff(days, prepend=-1)).tolist()
        ends = [*starts[1:], len(days)] if starts else []
        return {
            date.fromordinal(int(days[start])): range(start, end)
            for start, end in zip(starts, ends, strict=True)
        }

    # The state as arrays, for the glue to keep between builds.

    def to_arrays(self) -> dict[str, npt.NDArray[Any]]:
        vocabulary = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        return {
            "format": np.array([FORMAT]),
            "vocabulary": _joined(vocabulary),
            "document_frequency": self.document_frequency.array,
            "listings": np.array([self.listings]),
            "row_ids": _joined(self.row_ids),
            "row_days": self.row_days.array,
            "alive": self.alive.array,
            "postings": self.postings.array,
            "entry_rows": self.entry_rows,
            "entry_weights": self.entry_weights,
            "neighbours": self.neighbours.array,
            "scores": self.scores.array,
            "row_shards": self.row_shards.array,
            "days": np.array([d.date.toordinal() for d in self.days], dtype=np.int32),
            "day_keys": np.array(
                [[d.source, d.text, d.lists] for d in self.days], dtype=np.str_
            ).reshape(-1, 3),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> RelatedIndex:
        """The state :meth:`to_arrays` gave; ValueError when it is of another format."""
        if int(arrays["format"][0]) != FORMAT:
            raise ValueError(f"related papers state of format {arrays['format'][0]}")
        row_ids = _split(arrays["row_ids"])
        alive = arrays["alive"]
        index = cls(
            vocabulary={term: i for i, term in enumerate(_split(arrays["vocabulary"]))},
            document_frequency=Growing(np.int32, arrays["document_frequency"]),
            listings=int(arrays["listings"][0]),
            row_ids=row_ids,
            row_days=Growing(np.int32, arrays["row_days"]),
            alive=Growing(np.bool_, alive),
            postings=Growing(np.int64, arrays["postings"]),
            entry_rows=arrays["entry_rows"],
            entry_weights=arrays["entry_weights"],
            neighbours=Growing(np.int32, arrays["neighbours"]),
            scores=Growing(np.float32, arrays["scores"]),
            row_shards=Growing(np.int32, arrays["row_shards"]),
            days=[
                DayEntry(date.fromordinal(d), *keys)
                for d, keys in zip(
                    arrays["days"].tolist(), arrays["day_keys"].tolist(), strict=True
                )
            ],
        )
        index.current = {row_ids[row]: row for row in np.flatnonzero(alive).tolist()}
        return index


def _joined(texts: Sequence[str]) -> npt.NDArray[np.uint8]:
    # One line each, as bytes: numpy's strings take four bytes a character of the longest.
    return np.frombuffer("\n".join(texts).encode(), np.uint8)


def _split(data: npt.NDArray[np.uint8]) -> list[str]:
    return data.tobytes().decode().split("\n") if len(data) else []


def related_data(index: RelatedIndex, shards: Iterable[int] | None = None) -> dict[str, str]:
    """The site's scripts' data, ``/data/related/<shard>.json`` by shard (the month in the
    id, as ``/data/papers/``): each stored paper's related papers at its newest version, as
    its digest page shows them, by id. Only the ``shards`` asked for (default: every one).
    A paper's entry changes only with a new version of it, so a new day changes its own
    papers' shards only; newer papers that count a paper among theirs are found in the
    shards after its own. Same index, same bytes."""
    alive = index.alive.array
    row_shards = index.row_shards.array
    wanted = np.zeros(10_000, np.bool_)  # shard keys are YYMM numbers
    wanted[row_shards if shards is None else list(shards)] = True
    ids = index.row_ids
    rows = np.flatnonzero(alive & wanted[row_shards])
    neighbours = index.neighbours.array.reshape(-1, COUNT)[rows].tolist()
    by_shard: dict[str, dict[str, list[str]]] = {}
    for row, named_rows in zip(rows.tolist(), neighbours, strict=True):
        papers = by_shard.setdefault(shard_key(ids[row]), {})  # written even if it names none
        named = [ids[other] for other in named_rows if other >= 0]
        if named:
            papers[ids[row]] = named
    return {
        key: json.dumps(
            {"format": FORMAT, "papers": dict(sorted(papers.items()))},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\n"
        for key, papers in sorted(by_shard.items())
    }
