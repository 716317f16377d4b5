"""Related papers: each listed paper's most similar stored papers, by title and abstract.

Similarity is the cosine of weighted term vectors (``1 + log tf`` times the square root
of the smoothed IDF, the title counted twice, each vector cut to its :data:`TERMS_KEPT`
heaviest terms), plus :data:`CATEGORY_BONUS` for the same primary category. Weights are
integers (:data:`SCALE`), so sums are exact in any order, and days can be compared in
blocks (:meth:`RelatedIndex.add_days`) with the lists of one day at a time.
The days are taken oldest first, and a day's papers are compared with every paper
listed up to and including that day, with the document frequencies of those days: so
a day's related papers depend on that day and the days before it only, and a new day
changes nothing already computed. That is what lets a build compute one new day
against the whole archive (:class:`RelatedIndex` is kept between builds by the glue),
and what keeps a digest page's bytes when newer days come. Newer papers reach an older
one the other way round: a later paper that counts it among its own related papers is in
the data of a later month (:func:`related_data`, for the site's scripts).

Same days in, same lists out: ties are broken by arXiv id, and the sums are exact.
Pure: no file is read or written here; numpy does the arithmetic.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from ..model.paper import Paper
from ..model.store import Day
from .listings import listed_papers
from .paperdata import shard_key

FORMAT = 1  # of the data files (the scripts read it); a new one computes everything again
COUNT = 3  # related papers per paper (each costs a digest page ~90 B a paper)
LINK_CHARS = 50  # a related paper's title, cut at a word boundary to about this length
TERMS_KEPT = 24  # a paper's heaviest terms: 32 or 48 find no more on real entries, cost more
WORDS_REMEMBERED = 500_000  # words already turned into term ids (a decade has ~300,000)
SCALE = 1 << 14  # a weight (at most 1) as an integer: sums of products are exact and fit int32
NEVER = np.iinfo(np.int32).max  # a row no newer version has replaced
BLOCK_SCORES = 1 << 24  # scores computed at once (64 MB): new rows x rows compared
LONG_PAIRS = 4096  # a term meeting new rows in more pairs is added in a step of its own
CHUNK_PAIRS = 1 << 20  # the other terms' pairs added at once (bounds the memory)
CATEGORY_BONUS = 0.05  # added to the score of a paper of the same primary category

WORD = re.compile(r"[^\W_]+")
ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
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
    text = f"{paper.title} {paper.title} {paper.abstract}".lower()
    # ASCII text (most is) splits into the same words faster than the pattern finds them.
    return text.translate(ASCII_SPACES).split() if text.isascii() else WORD.findall(text)


def word_term(word: str) -> str:
    """A word as a term: "" for stop words, numbers and single letters; a plural ``s``
    taken off (models -> model; class, focus, analysis stay)."""
    if len(word) < 2 or word in STOP_WORDS or word.isdigit():
        return ""
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "su" and word[-2:] != "is":
        return word[:-1]
    return word


def short_title(title: str) -> str:
    """A title as a related paper's link shows it: cut after the last whole word that ends
    within :data:`LINK_CHARS` characters, with "…"; whole if it is short, or if TeX comes
    before the cut (no math is cut in two)."""
    if len(title) <= LINK_CHARS + 1:
        return title
    cut = title.rfind(" ", 0, LINK_CHARS + 1)  # the space after the last whole word
    head = title[:cut].rstrip(" ,:;.-\u2013\u2014") if cut > 0 else ""  # and dashes
    if not head or "$" in head or "\\" in head:
        return title
    return f"{head}…"


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


Entries = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]


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
    # The day (ordinal) a newer version of the row's paper was listed; NEVER: none yet.
    replaced: Growing = field(default_factory=lambda: Growing(np.int32))
    # The rows' vectors by term (an inverted index): a term's entries are together, in the
    # order of their rows, and postings[t] says how many entries term t has.
    postings: Growing = field(default_factory=lambda: Growing(np.int64))
    entry_rows: npt.NDArray[np.int32] = field(default_factory=lambda: np.zeros(0, np.int32))
    entry_weights: npt.NDArray[np.int16] = field(default_factory=lambda: np.zeros(0, np.int16))
    # Per row, its related rows (-1: none) and their scores (in SCALE**2), best first.
    neighbours: Growing = field(default_factory=lambda: Growing(np.int32))
    scores: Growing = field(default_factory=lambda: Growing(np.int32))
    row_shards: Growing = field(default_factory=lambda: Growing(np.int32))  # shard_key, a number
    # The primary category, as a term of the vocabulary (no word has a dot: none is taken).
    row_categories: Growing = field(default_factory=lambda: Growing(np.int32))
    days: list[DayEntry] = field(default_factory=list)  # oldest first
    current: dict[str, int] = field(default_factory=dict)  # paper id -> its newest row
    _words: dict[str, int] = field(default_factory=dict)  # word -> term id (-1: none)

    @property
    def alive(self) -> npt.NDArray[np.bool_]:
        """Per row, whether it is its paper's newest version."""
        result: npt.NDArray[np.bool_] = self.replaced.array == NEVER
        return result

    def add_day(self, day: Day, source: str = "") -> dict[str, list[Neighbour]]:
        """Add a day (newer than every day added before; ``source``: its file's digest) and
        return its listed papers' related papers, by paper id."""
        first = len(self.row_ids)
        self.add_days([(day, source)])
        return {self.row_ids[row]: self.related(row) for row in range(first, len(self.row_ids))}

    def add_days(self, days: Sequence[tuple[Day, str]]) -> None:
        """Add days, oldest first, each newer than every day added before (with its file's
        digest). Whole days are compared at once, as many as :data:`BLOCK_SCORES` allows:
        the lists are those of adding them one at a time (the sums are exact)."""
        last = self.days[-1].date if self.days else date.min
        for day, _ in days:
            if day.date <= last:
                raise ValueError(f"{day.date} is not newer than {last}")
            last = day.date
        listed = [
            (day, source, sorted(listed_papers(day), key=lambda p: p.id)) for day, source in days
        ]
        while listed:
            rows = len(self.row_ids)
            block = 1  # days: at least one, and more while their scores fit
            size = len(listed[0][2])
            while block < len(listed):
                more = size + len(listed[block][2])
                if more * (rows + more) > BLOCK_SCORES:
                    break
                size, block = more, block + 1
            taken, listed = listed[:block], listed[block:]
            first = len(self.row_ids)
            parts = [self._add_rows(day, papers) for day, _, papers in taken]
            entries = cast(
                Entries, tuple(np.concatenate(part) for part in zip(*parts, strict=True))
            )
            self._insert(*entries)
            self._score(first, *entries)
            for (day, source, papers), start in zip(
                taken, itertools.accumulate([first, *(len(p) for _, _, p in taken)]), strict=False
            ):
                related = {
                    paper.id: self.related(start + place) for place, paper in enumerate(papers)
                }
                self.days.append(DayEntry(day.date, source, day_key(day), lists_key(related)))

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

    def _add_rows(self, day: Day, papers: Sequence[Paper]) -> Entries:
        """A day's papers as new rows; returns their vectors' entries."""
        when = day.date.toordinal()
        first = len(self.row_ids)
        for paper in papers:
            if paper.id in self.current:  # a new version: only the newest is a candidate
                self.replaced.array[self.current[paper.id]] = when
            self.current[paper.id] = len(self.row_ids)
            self.row_ids.append(paper.id)
        self.replaced.extend(np.full(len(papers), NEVER, np.int32))
        self.row_days.extend(np.full(len(papers), when, np.int32))
        self.row_shards.extend([int(shard_key(paper.id)) for paper in papers])
        vocabulary = self.vocabulary
        self.row_categories.extend(
            [
                vocabulary.setdefault(p.primary_category, len(vocabulary))
                if p.primary_category
                else -1
                for p in papers
            ]
        )
        return self._vectors(papers, first)

    def _term_ids(self, papers: Sequence[Paper]) -> tuple[list[int], list[int], list[int]]:
        """Each paper's distinct words as term ids in the vocabulary (which takes in the new
        ones; -1: no term), how often each comes, and how many words each paper has."""
        words = self._words
        if len(words) > WORDS_REMEMBERED:
            words.clear()
        known = words.get
        ids: list[int] = []
        times: list[int] = []
        counts = []
        for paper in papers:
            counted = Counter(paper_words(paper))
            found = list(map(known, counted))
            if None in found:  # words not seen before: their terms, once
                for place, word in enumerate(counted):
                    if found[place] is None:
                        term = word_term(word)
                        term_id = (
                            self.vocabulary.setdefault(term, len(self.vocabulary)) if term else -1
                        )
                        words[word] = found[place] = term_id
            ids += found  # type: ignore[arg-type]
            times += counted.values()
            counts.append(len(found))
        return ids, times, counts

    def _vectors(self, papers: Sequence[Paper], first: int) -> Entries:
        """The day's papers' vectors, counted into the document frequencies first (so that
        IDF counts this day), weighted, cut to their heaviest terms and normalised.
        Returns their entries (row, term, weight in SCALE) by row, then term."""
        ids, times, counts = self._term_ids(papers)
        terms = np.asarray(ids, np.int64)
        rows = np.repeat(np.arange(len(papers), dtype=np.int64), counts)
        known = terms >= 0
        size = len(self.vocabulary)
        # Words of one term (a plural and its singular) add up.
        pairs, inverse = np.unique(rows[known] * size + terms[known], return_inverse=True)
        tf = np.bincount(inverse, np.asarray(times, np.float64)[known])
        row_of, term_of = pairs // size, pairs % size  # sorted by row, then term
        self.document_frequency.extend(np.zeros(size - self.document_frequency.size, np.int32))
        frequency = self.document_frequency.array
        frequency += np.bincount(term_of, minlength=size).astype(np.int32)
        self.listings += len(papers)
        # IDF's square root: rare words count less than in TF-IDF, which on real arXiv
        # entries finds more of a paper's topic (scripts/related_quality.py).
        idf = np.log((1 + self.listings) / (1 + frequency[term_of].astype(np.float64))) + 1
        weight = (1 + np.log(tf)) * np.sqrt(idf)
        # Each row's TERMS_KEPT heaviest terms (ties: the older term), back in term order.
        order = np.lexsort((term_of, -weight, row_of))
        starts = np.searchsorted(row_of[order], np.arange(len(papers)))
        rank = np.arange(len(order)) - starts[row_of[order]]
        kept = np.sort(order[rank < TERMS_KEPT])  # pairs are in (row, term) order
        row_of, term_of, weight = row_of[kept], term_of[kept], weight[kept]
        norm = np.sqrt(np.bincount(row_of, weight * weight, minlength=len(papers)))
        scaled = np.rint(weight / norm[row_of] * SCALE).astype(np.int32)
        nonzero = scaled > 0
        return first + row_of[nonzero], term_of[nonzero], scaled[nonzero]

    def _insert(
        self,
        rows: npt.NDArray[np.int64],
        terms: npt.NDArray[np.int64],
        weights: npt.NDArray[np.int32],
    ) -> None:
        """New rows' entries into the index: each at the end of its term's entries, so in
        row order."""
        size = len(self.vocabulary)
        self.postings.extend(np.zeros(size - self.postings.size, np.int64))
        by_term = np.lexsort((rows, terms))
        at = np.cumsum(self.postings.array)[terms[by_term]]
        self.entry_rows = np.insert(self.entry_rows, at, rows[by_term].astype(np.int32))
        self.entry_weights = np.insert(self.entry_weights, at, weights[by_term].astype(np.int16))
        self.postings.array[:] += np.bincount(terms, minlength=size)

    def _score(
        self,
        first: int,
        rows: npt.NDArray[np.int64],
        terms: npt.NDArray[np.int64],
        weights: npt.NDArray[np.int32],
    ) -> None:
        """Each new row's best :data:`COUNT` rows, by the sum over shared terms of the
        products of their weights (a cosine: the vectors are normalised), among the rows
        listed up to its day, newest versions (as of its day) only, itself left out.

        The sums are of integers, so exact whatever their order: a term whose entries meet
        many new rows is added in one step of its own, the others many terms at a time."""
        end = len(self.row_ids)
        score = np.zeros((end - first, end), np.int32)
        order = np.lexsort((rows, terms))
        terms, local, weights = terms[order], rows[order] - first, weights[order]
        postings = self.postings.array
        starts = np.cumsum(postings) - postings
        groups = np.flatnonzero(np.diff(terms, prepend=-1))  # each term's first entry
        sizes = np.diff(groups, append=len(terms))
        long = sizes * postings[terms[groups]] >= LONG_PAIRS
        sums = score.reshape(-1)
        for low, size in zip(groups[long].tolist(), sizes[long].tolist(), strict=True):
            start = starts[terms[low]]
            found = slice(start, start + postings[terms[low]])
            keys = local[low : low + size, None] * end + self.entry_rows[found]
            products = np.outer(weights[low : low + size], self.entry_weights[found])
            np.add.at(sums, keys.reshape(-1), products.reshape(-1))
        short = np.flatnonzero(~np.repeat(long, sizes))
        lengths = postings[terms[short]]
        bounds = np.searchsorted(np.cumsum(lengths), np.arange(0, lengths.sum(), CHUNK_PAIRS))
        for low, high in itertools.pairwise([*bounds.tolist(), len(short)]):
            chunk = short[low:high]
            length = lengths[low:high]
            at = np.arange(int(length.sum())) + np.repeat(
                starts[terms[chunk]] - (np.cumsum(length) - length), length
            )
            keys = np.repeat(local[chunk] * end, length) + self.entry_rows[at]
            np.add.at(sums, keys, np.repeat(weights[chunk], length) * self.entry_weights[at])
        self._leave_out(first, score)
        self._best(score)

    def _leave_out(self, first: int, score: npt.NDArray[np.int32]) -> None:
        """Zero what a new row may not name: rows of later days, itself, and rows a newer
        version had replaced by its day."""
        count, end = score.shape
        days = self.row_days.array[first:end]
        for low, high in itertools.pairwise(
            [*np.flatnonzero(np.diff(days, prepend=-1)).tolist(), count]
        ):
            score[low:high, first + high :] = 0
        score[np.arange(count), first + np.arange(count)] = 0
        replaced = self.replaced.array[:end]
        score[:, replaced <= days[0]] = 0  # replaced before the first of these days
        later = np.flatnonzero((replaced > days[0]) & (replaced <= days[-1]))
        if len(later):
            score[:, later] *= days[:, None] < replaced[later][None, :]

    def _best(self, score: npt.NDArray[np.int32]) -> None:
        """Each row's :data:`COUNT` best-scored candidates (with the bonus of the same
        category), ties by arXiv id; none that shares no term.

        The least of the best scores of COUNT + 1 interleaved sets of columns is reached by
        COUNT + 1 scores at least: a bound below which no row's best are, found in one
        pass, that leaves few candidates to sort (every one tied with the last kept)."""
        count, end = score.shape
        need = COUNT + 1
        bound = np.ones(count, np.int32)
        if end >= need:
            bound = np.minimum.reduce([score[:, k::need].max(axis=1) for k in range(need)])
        bonus = round(CATEGORY_BONUS * SCALE**2)
        flat = np.flatnonzero(score >= np.maximum(bound - bonus, 1)[:, None])
        owner, column = np.divmod(flat, end)
        values = score.reshape(-1)[flat]
        categories = self.row_categories.array
        mine = categories[end - count + owner]
        same = (categories[column] == mine) & (mine >= 0)
        # Below the bound, only a candidate of the same category may pass it with its bonus.
        passing = same | (values >= bound[owner])
        owner, column, values = owner[passing], column[passing], values[passing]
        values += bonus * same[passing]
        order = np.lexsort((-values, owner))
        owner, column, values = owner[order], column[order], values[order]
        firsts = np.searchsorted(owner, np.arange(count))
        rank = np.arange(len(owner)) - firsts[owner]
        # The COUNT-th best (of a row with fewer, anything: its candidates are all kept).
        last = values[np.minimum(firsts + COUNT - 1, len(values) - 1)] if len(values) else firsts
        kept = (rank < COUNT) | (values == last[owner])
        ids = self.row_ids
        candidates: list[list[tuple[int, str, int]]] = [[] for _ in range(count)]
        for row, other, value in zip(
            owner[kept].tolist(), column[kept].tolist(), values[kept].tolist(), strict=True
        ):
            candidates[row].append((-value, ids[other], other))
        found: list[int] = []
        found_scores: list[int] = []
        for listed in candidates:
            ranked = sorted(listed)[:COUNT] if len(listed) > 1 else listed
            found += [c for _, _, c in ranked] + [-1] * (COUNT - len(ranked))
            found_scores += [-s for s, _, _ in ranked] + [0] * (COUNT - len(ranked))
        self.neighbours.extend(found)
        self.scores.extend(found_scores)

    def related(self, row: int) -> list[Neighbour]:
        """The related papers found for a row when its day was added."""
        found = []
        neighbours = self.neighbours.array[row * COUNT : (row + 1) * COUNT]
        scores = self.scores.array[row * COUNT : (row + 1) * COUNT]
        for other, score in zip(neighbours.tolist(), scores.tolist(), strict=True):
            if other >= 0:
                when = date.fromordinal(int(self.row_days.array[other]))
                found.append(Neighbour(self.row_ids[other], when, score / SCALE**2))
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
            "replaced": self.replaced.array,
            "postings": self.postings.array,
            "entry_rows": self.entry_rows,
            "entry_weights": self.entry_weights,
            "neighbours": self.neighbours.array,
            "scores": self.scores.array,
            "row_shards": self.row_shards.array,
            "row_categories": self.row_categories.array,
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
        index = cls(
            vocabulary={term: i for i, term in enumerate(_split(arrays["vocabulary"]))},
            document_frequency=Growing(np.int32, arrays["document_frequency"]),
            listings=int(arrays["listings"][0]),
            row_ids=row_ids,
            row_days=Growing(np.int32, arrays["row_days"]),
            replaced=Growing(np.int32, arrays["replaced"]),
            postings=Growing(np.int64, arrays["postings"]),
            entry_rows=arrays["entry_rows"],
            entry_weights=arrays["entry_weights"],
            neighbours=Growing(np.int32, arrays["neighbours"]),
            scores=Growing(np.int32, arrays["scores"]),
            row_shards=Growing(np.int32, arrays["row_shards"]),
            row_categories=Growing(np.int32, arrays["row_categories"]),
            days=[
                DayEntry(date.fromordinal(d), *keys)
                for d, keys in zip(
                    arrays["days"].tolist(), arrays["day_keys"].tolist(), strict=True
                )
            ],
        )
        alive = np.flatnonzero(index.alive).tolist()
        index.current = dict(zip([row_ids[row] for row in alive], alive, strict=True))
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
    alive = index.alive
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
