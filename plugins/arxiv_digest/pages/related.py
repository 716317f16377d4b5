"""Related papers: each listed paper's most similar stored papers, by title and abstract.

A paper is a weighted term vector (``1 + log tf`` times the square root of the smoothed
IDF, the title counted twice, cut to its :data:`TERMS_KEPT` heaviest terms), and
similarity is measured after latent semantic analysis: the vectors are projected on the
:data:`DIMENSIONS` directions that explain most of the store's vectors (a truncated SVD,
found by randomized range finding), where papers of one topic meet even when they name it
in different words. Similarity is the cosine of the projections, rounded to integers
(:data:`NORM`): their products add up exactly in float32, in any order, so scores are
exact and days can be compared in blocks (:meth:`RelatedIndex.add_days`).

The days are taken oldest first, and a day's papers are compared with every paper listed up
to and including that day, with the document frequencies of those days: so a day's related
papers depend on that day and the days before it only, and a new day changes nothing already
computed. The directions are found again when the store has doubled since they were last
found, from the newest :data:`FIT_ROWS` papers up to that day (whose term vectors are kept):
those are projected on them again, and older papers' points are carried over (the part of
their vector on the old directions, projected on the new ones). Between, a new day's papers
are projected on the directions in force. A build that adds days one at a time finds them
again at the same days as one that adds them all at once, so both give the same lists. That
is what lets a build compute one new day against the whole archive (:class:`RelatedIndex` is
kept between builds by the glue), and what keeps a digest page's bytes when newer days come.
Newer papers reach an older one the other way round: a later paper that counts it among its
own related papers is in the data of a later month (:func:`related_data`, for the site's
scripts).

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
from typing import Any

import numpy as np
import numpy.typing as npt

from ..model.paper import Paper
from ..model.store import Day
from .listings import listed_papers
from .paperdata import shard_key

FORMAT = 1  # of the data files (the scripts read it)
STATE = 2  # of the kept index: a new one computes everything again
COUNT = 3  # related papers per paper (each costs a digest page ~90 B a paper)
LINK_CHARS = 50  # a related paper's title, cut at a word boundary to about this length
TERMS_KEPT = 100  # a paper's heaviest terms (64 find less on real entries; more, no more)
WORDS_REMEMBERED = 500_000  # words already turned into term ids (a decade has ~300,000)
SCALE = 1 << 14  # a term weight (at most 1) as an integer
DIMENSIONS = 48  # of the projections (32 to 96 score alike on real stores; 48 costs less)
FIT_ROWS = 1 << 12  # the newest papers the directions are found from (8,192: no better)
OVERSAMPLE = 10  # directions found beyond DIMENSIONS, for the range finder's accuracy
POWER_STEPS = 2  # of the range finder (1 finds less, 4 no more)
SEED = 20261207  # of the range finder's random start: fixed, so the same store, same bytes
# A projection's length as an integer: rounded, a sum of products is at most (NORM +
# sqrt(DIMENSIONS) / 2)**2, below 2**24, so float32 adds it up exactly, whatever the order.
NORM = 1 << 11
NEVER = np.iinfo(np.int32).max  # a row no newer version has replaced
BLOCK_SCORES = 1 << 24  # new rows x rows compared in one block of days (one day at least)
COLUMNS = 1 << 13  # rows a block's new rows are compared with at once (scores stay in cache)
CHUNK_ENTRIES = 1 << 12  # entries of a sparse product gathered at once (stays in cache)

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


@dataclass(frozen=True, slots=True)
class Vectors:
    """A sparse matrix: its entries (row, column, weight), by row."""

    rows: npt.NDArray[np.int64]  # from 0, ascending
    columns: npt.NDArray[Any]
    weights: npt.NDArray[np.float32]
    count: int  # rows

    def times(self, matrix: npt.NDArray[Any]) -> npt.NDArray[np.float32]:
        """This matrix times ``matrix`` (a row per column of this one)."""
        return _sums(self.rows, self.columns, self.weights, matrix, self.count)

    def transposed(self, columns: int) -> Vectors:
        """This matrix, transposed (this one has ``columns`` columns)."""
        order = np.argsort(self.columns, kind="stable")
        return Vectors(self.columns[order], self.rows[order], self.weights[order], columns)


def _orthonormal(
    matrix: npt.NDArray[np.float32], most: int | None = None
) -> npt.NDArray[np.float32]:
    """Orthonormal columns spanning ``matrix``'s columns, those of its ``most`` largest
    singular values (default: all but the null ones), largest first: from the
    eigenvectors of its small Gram matrix (LAPACK's QR of a tall matrix costs ten times
    more here). None when ``matrix`` is all zeros (papers without a term)."""
    values, vectors = np.linalg.eigh((matrix.T @ matrix).astype(np.float64))
    if not len(values) or values[-1] <= 0:
        return np.zeros((len(matrix), 0), np.float32)
    keep = np.flatnonzero(values > values[-1] * 1e-6)[::-1][:most]  # float32's noise
    change = (vectors[:, keep] / np.sqrt(values[keep])).astype(np.float32)
    result: npt.NDArray[np.float32] = matrix @ change
    return result


def _rounded(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """Each row made of length :data:`NORM` and rounded to integers (zero stays zero), in
    place: ``vectors`` is a float32 array of the caller's own."""
    length = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    vectors *= (NORM / np.where(length > 0, length, np.inf)).astype(np.float32)[:, None]
    return np.rint(vectors, out=vectors)


def _sums(
    keys: npt.NDArray[Any],
    picks: npt.NDArray[Any],
    weights: npt.NDArray[np.float32],
    matrix: npt.NDArray[Any],
    size: int,
) -> npt.NDArray[np.float32]:
    """Per key (``keys`` ascending, ``size`` of them), the sum of its entries' ``weight *
    matrix[pick]``: a key's entries are added up in one piece, in their order, so each
    sum is the same however many keys are added up with it. In float32: memory is the
    cost."""
    matrix = matrix.astype(np.float32, copy=False)
    out = np.zeros((size, matrix.shape[1]), np.float32)
    cuts = np.unique(np.searchsorted(keys, keys[::CHUNK_ENTRIES]))  # at the start of a key
    for low, high in itertools.pairwise([*cuts.tolist(), len(keys)]):
        these = keys[low:high]
        starts = np.flatnonzero(np.diff(these, prepend=-1))
        gathered = matrix[picks[low:high]]
        gathered *= weights[low:high, None]
        out[these[starts]] = np.add.reduceat(gathered, starts, axis=0)
    return out


@dataclass
class RelatedIndex:
    """Every paper listed so far as a point (its projection on the directions), the term
    vectors of the newest ones, and the related papers found for each listing. A listing
    is a row: one paper at one version, on the day that listed it; a newer version of a
    paper takes the place of its older rows as a candidate."""

    vocabulary: dict[str, int] = field(default_factory=dict)
    document_frequency: Growing = field(default_factory=lambda: Growing(np.int32))
    listings: int = 0  # rows so far: IDF's N
    row_ids: list[str] = field(default_factory=list)
    row_days: Growing = field(default_factory=lambda: Growing(np.int32))  # date ordinals
    # The day (ordinal) a newer version of the row's paper was listed; NEVER: none yet.
    replaced: Growing = field(default_factory=lambda: Growing(np.int32))
    # The vectors of the newest FIT_ROWS rows (from row ``window`` on: the directions are
    # found from them), row after row: each row's terms (in term order) and weights (in
    # SCALE), and where each row's entries end. Older rows keep their points only.
    window: int = 0
    entry_terms: Growing = field(default_factory=lambda: Growing(np.int32))
    entry_weights: Growing = field(default_factory=lambda: Growing(np.int16))
    row_ends: Growing = field(default_factory=lambda: Growing(np.int64))
    # The terms that have a direction (ascending; the others have none), their directions
    # (a row of DIMENSIONS each), and how many rows there were when they were found (0: not
    # yet, or none could be: no row had a term).
    direction_terms: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    directions: npt.NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, DIMENSIONS), np.float32)
    )
    fitted: int = 0
    # Per row, its projection on the directions, of length NORM (all zero: none), flat; made
    # float32 a slice at a time to be multiplied (their products are exact there).
    points: Growing = field(default_factory=lambda: Growing(np.int16))
    # Per row, its related rows (-1: none) and their scores (in NORM**2), best first.
    neighbours: Growing = field(default_factory=lambda: Growing(np.int32))
    scores: Growing = field(default_factory=lambda: Growing(np.int32))
    row_shards: Growing = field(default_factory=lambda: Growing(np.int32))  # shard_key, a number
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
        digest). Whole days are compared at once, as many as :data:`BLOCK_SCORES` allows,
        and a day that finds the directions again begins a block: the lists are those of
        adding the days one at a time (the sums are exact)."""
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
                if more * (rows + more) > BLOCK_SCORES or self._finds_directions(rows + more):
                    break
                size, block = more, block + 1
            taken, listed = listed[:block], listed[block:]
            first = len(self.row_ids)
            for day, _, papers in taken:
                self._add_rows(day, papers)
            if taken[0][2] and self._finds_directions(first + len(taken[0][2])):
                self._find_directions(first + len(taken[0][2]))
            self._project(self.points.size // DIMENSIONS, len(self.row_ids))
            self._score(first)
            for (day, source, papers), start in zip(
                taken, itertools.accumulate([first, *(len(p) for _, _, p in taken)]), strict=False
            ):
                related = {
                    paper.id: self.related(start + place) for place, paper in enumerate(papers)
                }
                self.days.append(DayEntry(day.date, source, day_key(day), lists_key(related)))
            self._forget()

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

    def _add_rows(self, day: Day, papers: Sequence[Paper]) -> None:
        """A day's papers as new rows, with their vectors."""
        when = day.date.toordinal()
        for paper in papers:
            if paper.id in self.current:  # a new version: only the newest is a candidate
                self.replaced.array[self.current[paper.id]] = when
            self.current[paper.id] = len(self.row_ids)
            self.row_ids.append(paper.id)
        self.replaced.extend(np.full(len(papers), NEVER, np.int32))
        self.row_days.extend(np.full(len(papers), when, np.int32))
        self.row_shards.extend([int(shard_key(paper.id)) for paper in papers])
        rows, terms, weights = self._vectors(papers)
        end = self.row_ends.array[-1] if self.row_ends.size else 0
        self.row_ends.extend(end + np.cumsum(np.bincount(rows, minlength=len(papers))))
        self.entry_terms.extend(terms)
        self.entry_weights.extend(weights)

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

    def _vectors(self, papers: Sequence[Paper]) -> Entries:
        """The day's papers' vectors, counted into the document frequencies first (so that
        IDF counts this day), weighted, cut to their heaviest terms and normalised.
        Returns their entries (row among ``papers``, term, weight in SCALE) by row, then
        term."""
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
        # IDF's square root: rare words count less than in TF-IDF (on real stores, see
        # scripts/related_quality.py: 0.831 and 0.759; with the whole IDF 0.834 and 0.748).
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
        return row_of[nonzero], term_of[nonzero], scaled[nonzero]

    def _finds_directions(self, rows: int) -> bool:
        """Whether the day whose rows end at ``rows`` finds the directions again: the first
        day, and each day by which the store has doubled since they were found."""
        return self.fitted == 0 or rows >= 2 * self.fitted

    def _find_directions(self, end: int) -> None:
        """The directions from the rows before ``end`` (the newest :data:`FIT_ROWS`), by
        a randomized truncated SVD (Halko, Martinsson and Tropp's range finder with power
        steps). Those rows are projected on them again; older ones, whose vectors are not
        kept, have their points carried over: the old directions' part of their vector,
        projected on the new ones."""
        start = max(0, end - FIT_ROWS)
        every = self._matrix(start, end)
        # The terms these rows have, numbered from 0: the others get no direction.
        present, local = np.unique(every.columns, return_inverse=True)
        matrix = Vectors(every.rows, local, every.weights, every.count)
        across = matrix.transposed(len(present))
        width = min(DIMENSIONS + OVERSAMPLE, end - start)
        start_vectors = np.random.default_rng(SEED).standard_normal((len(present), width))
        basis = _orthonormal(matrix.times(start_vectors))
        for _ in range(POWER_STEPS):
            basis = _orthonormal(matrix.times(_orthonormal(across.times(basis))))
        found = _orthonormal(across.times(basis), DIMENSIONS)
        old_terms, old = self.direction_terms, self.directions
        self.direction_terms = present
        self.directions = np.zeros((len(present), DIMENSIONS), np.float32)
        self.directions[:, : found.shape[1]] = found
        self.fitted = end if found.shape[1] else 0  # no term yet: the next day tries again
        _, in_old, in_new = np.intersect1d(old_terms, present, return_indices=True)
        turn = old[in_old].T @ self.directions[in_new]  # old -> new, in float32
        carry = min(start, self.points.size // DIMENSIONS)  # rows with a point, not fitted
        points = self.points.array[: carry * DIMENSIONS].reshape(carry, DIMENSIONS)
        carried = points.astype(np.float32) @ turn
        self.points = Growing(np.int16)
        self.points.extend(_rounded(carried).reshape(-1))
        self._project(carry, end)

    def _forget(self) -> None:
        """Drop the vectors of the rows before the newest :data:`FIT_ROWS`."""
        window = max(self.window, len(self.row_ids) - FIT_ROWS)
        if window > self.window:
            ends = self.row_ends.array
            cut = int(ends[window - self.window - 1])
            self.entry_terms = Growing(np.int32, self.entry_terms.array[cut:].copy())
            self.entry_weights = Growing(np.int16, self.entry_weights.array[cut:].copy())
            self.row_ends = Growing(np.int64, ends[window - self.window :] - cut)
            self.window = window

    def _matrix(self, start: int, end: int) -> Vectors:
        """The vectors of rows ``start`` to ``end`` (kept ones), as weights (not in SCALE)."""
        if start < self.window:
            raise ValueError(f"row {start}'s vector is not kept (from {self.window} on)")
        ends = self.row_ends.array
        start, end = start - self.window, end - self.window
        low = int(ends[start - 1]) if start else 0
        sizes = np.diff(ends[start:end], prepend=low)
        return Vectors(
            np.repeat(np.arange(end - start), sizes),
            self.entry_terms.array[low : ends[end - 1]],
            self.entry_weights.array[low : ends[end - 1]] * np.float32(1 / SCALE),
            end - start,
        )

    def _project(self, start: int, end: int) -> None:
        """The points of rows ``start`` to ``end`` (the rows before have theirs): each
        row's vector on the directions, of length NORM, rounded."""
        step = max(1, CHUNK_ENTRIES // max(TERMS_KEPT, 1))
        for low in range(start, end, step):
            high = min(end, low + step)
            vectors = self._matrix(low, high)
            known = np.isin(vectors.columns, self.direction_terms)  # the others have none
            place = np.searchsorted(self.direction_terms, vectors.columns[known])
            on_known = Vectors(vectors.rows[known], place, vectors.weights[known], high - low)
            projected = on_known.times(self.directions)
            self.points.extend(_rounded(projected).reshape(-1))

    def _score(self, first: int) -> None:
        """Each new row's best :data:`COUNT` rows, by the product of their points (a
        cosine), among the rows listed up to its day, newest versions (as of its day) only,
        itself left out; compared with :data:`COLUMNS` rows at a time. The points are
        integers whose products add up to less than 2**24: float32 adds them up exactly,
        whatever the order BLAS takes."""
        end = len(self.row_ids)
        if end == first:
            return
        points = self.points.array.reshape(end, DIMENSIONS)
        new = points[first:].astype(np.float32)
        found = [
            self._candidates(first, low, new @ points[low : low + COLUMNS].T.astype(np.float32))
            for low in range(0, end, COLUMNS)
        ]
        owner, column, values = (np.concatenate(part) for part in zip(*found, strict=True))
        self._best(end - first, owner, column, values)

    def _leave_out(self, first: int, low: int, score: npt.NDArray[np.float32]) -> None:
        """Zero what a new row may not name among the rows from ``low`` on that ``score``
        has: rows of later days, itself, and rows a newer version had replaced by its
        day."""
        count, width = score.shape
        days = self.row_days.array[first:]
        for start, stop in itertools.pairwise(
            [*np.flatnonzero(np.diff(days, prepend=-1)).tolist(), count]
        ):
            score[start:stop, max(first + stop - low, 0) :] = 0
        itself = np.arange(count)
        inside = (first + itself >= low) & (first + itself < low + width)
        score[itself[inside], first + itself[inside] - low] = 0
        replaced = self.replaced.array[low : low + width]
        score[:, replaced <= days[0]] = 0  # replaced before the first of these days
        later = np.flatnonzero((replaced > days[0]) & (replaced <= days[-1]))
        if len(later):
            score[:, later] *= days[:, None] < replaced[later][None, :]

    def _candidates(
        self, first: int, low: int, score: npt.NDArray[np.float32]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
        """The new rows' candidates among the rows from ``low`` on that ``score`` has:
        (new row, row, score) for at least their :data:`COUNT` best above zero there.

        The least of the best scores of COUNT + 1 interleaved sets of columns is reached by
        COUNT + 1 scores at least: a bound below which no row's best are, found in one
        pass, that leaves few candidates (every one tied with the last kept)."""
        self._leave_out(first, low, score)
        count, width = score.shape
        need = COUNT + 1
        bound = np.ones(count, np.float32)
        if width >= need:
            bound = np.minimum.reduce([score[:, k::need].max(axis=1) for k in range(need)])
        flat = np.flatnonzero(score >= np.maximum(bound, 1)[:, None])
        owner, column = np.divmod(flat, width)
        return owner, column + low, score.reshape(-1)[flat].astype(np.int32)

    def _best(
        self,
        count: int,
        owner: npt.NDArray[np.int64],
        column: npt.NDArray[np.int64],
        values: npt.NDArray[np.int32],
    ) -> None:
        """Each new row's :data:`COUNT` best candidates, ties by arXiv id."""
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
                found.append(Neighbour(self.row_ids[other], when, score / NORM**2))
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
            "format": np.array([STATE]),
            "vocabulary": _joined(vocabulary),
            "document_frequency": self.document_frequency.array,
            "listings": np.array([self.listings]),
            "row_ids": _joined(self.row_ids),
            "row_days": self.row_days.array,
            "replaced": self.replaced.array,
            "window": np.array([self.window]),
            "entry_terms": self.entry_terms.array,
            "entry_weights": self.entry_weights.array,
            "row_ends": self.row_ends.array,
            "direction_terms": self.direction_terms,
            "directions": self.directions,
            "fitted": np.array([self.fitted]),
            "points": self.points.array,
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
        if int(arrays["format"][0]) != STATE:
            raise ValueError(f"related papers state of format {arrays['format'][0]}")
        row_ids = _split(arrays["row_ids"])
        index = cls(
            vocabulary={term: i for i, term in enumerate(_split(arrays["vocabulary"]))},
            document_frequency=Growing(np.int32, arrays["document_frequency"]),
            listings=int(arrays["listings"][0]),
            row_ids=row_ids,
            row_days=Growing(np.int32, arrays["row_days"]),
            replaced=Growing(np.int32, arrays["replaced"]),
            window=int(arrays["window"][0]),
            entry_terms=Growing(np.int32, arrays["entry_terms"]),
            entry_weights=Growing(np.int16, arrays["entry_weights"]),
            row_ends=Growing(np.int64, arrays["row_ends"]),
            direction_terms=arrays["direction_terms"],
            directions=arrays["directions"],
            fitted=int(arrays["fitted"][0]),
            points=Growing(np.int16, arrays["points"]),
            neighbours=Growing(np.int32, arrays["neighbours"]),
            scores=Growing(np.int32, arrays["scores"]),
            row_shards=Growing(np.int32, arrays["row_shards"]),
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
