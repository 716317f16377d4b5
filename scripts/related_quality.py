"""How good the related papers are: on sets of papers with known labels, the share of each
paper's top 3 related papers that share one of its labels, beside what picking 3 papers at
random would give.

    python scripts/related_quality.py [seeds folder]

The sets:

* **synthetic**: 60 announcement days of 100 papers over 10 keywords from the benchmark's
  synthesizer, each paper carrying its keywords' names in its title and abstract, as the
  arXiv search that found it for them requires (the synthesizer alone draws its words at
  random, whatever the keyword); labels: the keywords. Computed day by day, as the site
  does: each paper's related papers among those announced up to its day.
* **seeds**: the real titles and abstracts of the old digests in ``../shared/seeds/``
  (read with scripts/import_seeds.py's parser); labels: the keywords of keywords.yaml
  each was listed under or whose phrases it contains. Four keywords, two of them
  (Vision Language Model, Multimodal Large Language Model) names for nearly one topic;
  also printed with those two as one label.
* **recorded**: the real arXiv answers in tests/fixtures/arxiv-api/ (one search,
  "testing"); labels: their arXiv categories, the primary one or any.

The real sets are compared all at once (one day): their dates are too few to matter.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from arxiv_digest.model import keywords as keywords_config
from arxiv_digest.model.paper import Paper
from arxiv_digest.model.store import Day
from arxiv_digest.pages.related import RelatedIndex
from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.benchmark.synthesize import (
    END_DAY,
    Synthesizer,
    announcement_days,
    keyword_names,
)
from arxiv_digest_dev.recorded import recorded_papers

sys.path.insert(0, str(Path(__file__).parent))
import import_seeds

TOP = 3
TARGET = 0.8  # on the labelled (synthetic) set


def score(days: Sequence[Day], labels: Callable[[Paper], set[str]]) -> tuple[float, float, int]:
    """(share of top-3 related papers sharing a label, the same for 3 random candidates,
    papers scored): each paper of each day against the papers up to its day."""
    index = RelatedIndex()
    seen: dict[str, set[str]] = {}
    shared = picked = 0
    chance = 0.0
    scored = 0
    for day in days:
        for paper in day.papers:
            seen[paper.id] = labels(paper)
        for paper_id, found in index.add_day(day).items():
            mine = seen[paper_id]
            others = [other for key, other in seen.items() if key != paper_id]
            if not others:
                continue
            scored += 1
            chance += sum(bool(mine & other) for other in others) / len(others)
            for neighbour in found[:TOP]:
                shared += bool(mine & seen[neighbour.id])
                picked += 1
    return shared / max(picked, 1), chance / max(scored, 1), scored


def synthetic_days(count: int = 60) -> tuple[list[Day], Mapping[str, str]]:
    """Synthetic days whose papers name their keywords, as the keyword search requires."""
    names = dict(keyword_names(10))
    synthesizer = Synthesizer(100, 10, seed="related-quality")
    days = []
    for when in announcement_days(END_DAY, count):
        day = synthesizer.day(when)
        papers = []
        for paper in day.papers:
            topics = " and ".join(names[slug] for slug in paper.keywords)
            papers.append(
                replace(
                    paper,
                    title=f"{paper.title} for {topics}",
                    abstract=f"We study {topics}. {paper.abstract}",
                )
            )
        days.append(Day(day.date, tuple(papers)))
    return days, names


def seed_papers(seeds: Path) -> list[Paper]:
    config = keywords_config.load(REPOSITORY / "keywords.yaml")
    found: dict[str, Paper] = {}
    with contextlib.redirect_stderr(io.StringIO()):  # the parser's notes of papers left out
        for path in sorted(seeds.glob("*.txt")):
            text = import_seeds.repair_mojibake(path.read_text(encoding="utf-8"))
            is_table = "| **Title** |" in text
            rows = (
                import_seeds.keyword_table(text, config)
                if is_table
                else import_seeds.day_list(text, config)
            )
            for _, paper in rows:
                old = found.get(paper.id)
                found[paper.id] = paper.with_keywords(
                    paper.keywords + (old.keywords if old else ())
                )
    return [found[key] for key in sorted(found)]


def one_day(papers: Sequence[Paper]) -> list[Day]:
    return [Day(date(2026, 1, 1), tuple(papers))]


def main(seeds: Path) -> int:
    rows = []
    days, _ = synthetic_days()
    synthetic = score(days, lambda p: set(p.keywords))
    rows.append(("synthetic, 10 keywords (the labelled set)", *synthetic))
    if seeds.is_dir():
        papers = seed_papers(seeds)
        rows.append(("seeds, 4 keywords", *score(one_day(papers), lambda p: set(p.keywords))))

        def merged(paper: Paper) -> set[str]:
            return {"vlm" if slug == "mllm" else slug for slug in paper.keywords}

        rows.append(("seeds, VLM and MLLM as one", *score(one_day(papers), merged)))
    else:
        print(f"(no seeds at {seeds}: that set is left out)")
    recorded = recorded_papers()
    rows.append(
        ("recorded, primary category", *score(one_day(recorded), lambda p: {p.primary_category}))
    )
    rows.append(("recorded, any category", *score(one_day(recorded), lambda p: set(p.categories))))

    print(f"Top-{TOP} related papers sharing a label, against {TOP} picked at random:")
    print(f"{'set':45} {'papers':>7} {'related':>8} {'random':>7}")
    for name, share, chance, count in rows:
        print(f"{name:45} {count:7d} {share:8.3f} {chance:7.3f}")
    met = synthetic[0] >= TARGET
    print(
        f"target: >= {TARGET} on the labelled set: {'OK' if met else 'MISSED'} ({synthetic[0]:.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPOSITORY.parent / "shared" / "seeds")
    )
