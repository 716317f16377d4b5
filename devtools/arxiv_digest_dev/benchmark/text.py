"""Titles and abstracts shaped like arXiv's, for the synthetic store.

Real abstracts draw on a large vocabulary whose word frequencies fall off as Zipf's law
says (a few words are everywhere, most are rare), and a paper's topic shows in a share of
its words. So here: a background vocabulary of English function words, common research
words and :data:`BACKGROUND_WORDS` made-up words, drawn with Zipf weights; and for each
keyword a vocabulary of its own (:data:`TOPIC_WORDS` words, a part of them shared with the
next keyword's, as real topics overlap), from which :data:`TOPIC_SHARE` of a paper's words
come. The older text of the synthesizer (templates over ~700 words whatever the keyword)
is kept as ``text="dense"``: far denser than real text, and keyword-blind.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

BACKGROUND_WORDS = 60_000  # made-up words after the real ones: a decade of cs has ~300,000
TOPIC_WORDS = 400  # each keyword's own words
TOPIC_OVERLAP = 0.25  # of a keyword's words, the share that the next keyword uses too
# The share of a paper's words that come from its keywords' vocabularies: set so that the
# related papers' former similarity (word overlap) scored about as well on this text (0.64
# of the top 3 share a keyword) as on real keyword-labelled arXiv entries. Latent semantic
# analysis finds these topic words nearly always (0.99, against 0.83 on a real store;
# scripts/related_quality.py prints both): the text is shaped for cost, not for quality.
TOPIC_SHARE = 0.36
# (up to rank, exponent): fitted to the term counts of 4,557 real cs abstracts (rank 1:
# 1.7% of their terms, 10: 0.45%, 100: 0.13%, 1,000: 0.02%, 10,000: 4 of 674,000).
ZIPF_EXPONENTS = ((100, 0.5), (1000, 1.0), (10**9, 1.8))
FUNCTION_SHARE = 0.35  # of a text's words: "the", "of", "and" ...

FUNCTION_WORDS = """the of and to a in is we that for on with by this are as an be from which
    our these it can its at or both has have not such than also into more while their
    between using based over through each other only but they two how when new"""
RESEARCH_WORDS = """model models method methods results learning data performance approach
    propose proposed task tasks framework training network networks show existing
    state art experiments demonstrate dataset datasets however paper work different
    problem information large accuracy novel challenging effectiveness multiple
    evaluation significantly improve improves first key module features representation
    representations across achieves benchmark benchmarks prior recent further specifically
    address structure quality extensive inference level effective real world robust
    generation language visual image images video"""
SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or")]


def made_up_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    """``count`` new words of two to four syllables, none in ``taken`` (which takes them)."""
    words: list[str] = []
    while len(words) < count:
        word = "".join(rng.choices(SYLLABLES, k=rng.choice((2, 3, 3, 4))))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def zipf_weights(count: int) -> list[float]:
    """Cumulative weights of ``count`` ranks, for ``random.choices``: a power law whose
    exponent steepens from the common words to the rare ones (:data:`ZIPF_EXPONENTS`)."""
    weights = []
    for rank in range(1, count + 1):
        weight, low = 1.0, 1
        for high, exponent in ZIPF_EXPONENTS:
            weight *= (min(rank, high) / low) ** -exponent
            if rank <= high:
                break
            low = high
        weights.append(weight)
    return list(itertools.accumulate(weights))


class ArxivText:
    """The vocabularies of a synthetic store of ``topics`` keywords, made from ``seed``."""

    def __init__(self, topics: int, seed: str) -> None:
        rng = random.Random(f"{seed}/words")
        self.function_words = FUNCTION_WORDS.split()
        taken = set(self.function_words + RESEARCH_WORDS.split())
        self.background = RESEARCH_WORDS.split() + made_up_words(rng, BACKGROUND_WORDS, taken)
        self.background_weights = zipf_weights(len(self.background))
        own = [made_up_words(rng, TOPIC_WORDS, taken) for _ in range(max(topics, 1))]
        shared = int(TOPIC_WORDS * TOPIC_OVERLAP)
        # Each keyword's words, its most common ones first; the last of them are the next
        # keyword's most common ones (so neighbouring keywords overlap, as real ones do).
        self.topics = [
            words[: TOPIC_WORDS - shared] + own[(number + 1) % len(own)][:shared]
            for number, words in enumerate(own)
        ]
        self.topic_weights = zipf_weights(TOPIC_WORDS)

    def words(self, rng: random.Random, topics: Sequence[int], count: int) -> list[str]:
        """``count`` words of a paper on ``topics`` (keyword numbers)."""
        words = rng.choices(self.background, cum_weights=self.background_weights, k=count)
        for place in range(count):
            if rng.random() < FUNCTION_SHARE:
                words[place] = rng.choice(self.function_words)
            elif rng.random() < TOPIC_SHARE:
                vocabulary = self.topics[rng.choice(topics)]
                words[place] = rng.choices(vocabulary, cum_weights=self.topic_weights)[0]
        return words

    def title(self, rng: random.Random, topics: Sequence[int], name: str) -> str:
        # Titles say what a paper is about: twice the share of topic words.
        words = self.words(rng, topics, rng.randint(6, 12))
        for place in range(0, len(words), 2):
            if rng.random() < TOPIC_SHARE:
                words[place] = rng.choices(
                    self.topics[rng.choice(topics)], cum_weights=self.topic_weights
                )[0]
        text = " ".join(w if w in FUNCTION_WORDS.split() else w.capitalize() for w in words)
        return f"{name}: {text}" if rng.random() < 0.5 else text[0].upper() + text[1:]

    def abstract(self, rng: random.Random, topics: Sequence[int], characters: float) -> str:
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < characters:
            words = self.words(rng, topics, rng.randint(12, 30))
            if len(words) > 8 and rng.random() < 0.5:
                words[rng.randint(3, len(words) - 4)] += ","
            sentences.append(" ".join(words).capitalize() + ".")
        return " ".join(sentences)
