"""How good the related papers are: on sets of papers with known labels, the share of each
paper's top 3 related papers that share one of its labels, beside what picking 3 papers at
random would give.

    python scripts/related_quality.py [seeds folder]

The sets:

* **real, keywords** (the labelled set): 502 real arXiv entries of 2025-26 (title, abstract,
  categories; tests/fixtures/related/, see its SOURCES.md), each found by one or more of 14
  keyword phrases in its title or abstract, as the site's keyword search finds papers;
  labels: those keywords. Neighbouring topics overlap (robots and reinforcement learning,
  vision-language models and hallucination), as in a real store.
* **real, categories**: the same entries; labels: their arXiv categories, the primary one
  (listed first) or any.
* **synthetic**: 60 announcement days of 100 papers over 10 keywords from the benchmark's
  synthesizer; labels: the keywords. Computed day by day, as the site does. With the
  arXiv-shaped text (benchmark/text.py: its share of keyword words is set so that this set
  scores about as the real keyword set does, so it says nothing the real set does not), and
  with the older dense text, whose words are drawn whatever the keyword (no signal).
* **seeds**: the real titles and abstracts of the old digests in ``../shared/seeds/`` (read
  with scripts/import_seeds.py's parser); labels: the keywords each was listed under or whose
  phrases it contains. Four keywords, two of them (Vision Language Model, Multimodal Large
  Language Model) names for nearly one topic; also printed with those two as one label.
* **recorded**: the real arXiv answers in tests/fixtures/arxiv-api/ (one search,
  "testing"); labels: their arXiv categories, the primary one or any.

The real sets are compared all at once (one day): their dates are too few to matter.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import sys
from collections.abc import Callable, Sequence
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
)
from arxiv_digest_dev.recorded import recorded_papers
from arxiv_digest_dev.sites import make_paper

sys.path.insert(0, str(Path(__file__).parent))
import import_seeds

TOP = 3
TARGET = 0.8  # on the labelled set
FIXTURES = REPOSITORY / "tests" / "fixtures"
REAL = FIXTURES / "related" / "arxiv-keywords.jsonl.gz"


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


def real_papers() -> list[Paper]:
    """The real entries of the fixture, their keywords as the papers' keywords."""
    with gzip.open(REAL, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    return [
        make_paper(
            row["id"],
            title=row["title"],
            abstract=row["abstract"],
            primary_category=row["categories"][0],
            categories=tuple(row["categories"]),
            keywords=tuple(row["keywords"]),
        )
        for row in rows
    ]


def synthetic_days(text: str, count: int = 60) -> list[Day]:
    """Synthetic days, as the benchmark makes them."""
    synthesizer = Synthesizer(100, 10, seed="related-quality", text=text)
    return [synthesizer.day(when) for when in announcement_days(END_DAY, count)]


def seed_papers(seeds: Path) -> list[Paper]:
    config = keywords_config.load(FIXTURES / "seeds" / "keywords.yaml")
    holidays = import_seeds.ARXIV_HOLIDAYS
    found: dict[str, Paper] = {}
    with contextlib.redirect_stderr(io.StringIO()):  # the parser's notes of papers left out
        for path in sorted(seeds.glob("*.txt")):
            text = import_seeds.repair_mojibake(path.read_text(encoding="utf-8"))
            is_table = "| **Title** |" in text
            rows = (
                import_seeds.keyword_table(text, config, holidays)
                if is_table
                else import_seeds.day_list(text, config, holidays)
            )
            for _, paper in rows:
                old = found.get(paper.id)
                found[paper.id] = paper.with_keywords(
                    paper.keywords + (old.keywords if old else ())
                )
    return [found[key] for key in sorted(found)]


def one_day(papers: Sequence[Paper]) -> list[Day]:
    return [Day(date(2026, 1, 1), tuple(papers))]


def keywords_of(paper: Paper) -> set[str]:
    return set(paper.keywords)


def main(seeds: Path) -> int:
    rows = []
    real = one_day(real_papers())
    labelled = score(real, keywords_of)
    rows.append(("real, 14 keywords (the labelled set)", *labelled))
    rows.append(("real, primary category", *score(real, primary)))
    rows.append(("real, any category", *score(real, categories)))
    for text in ("arxiv", "dense"):
        days = synthetic_days(text)
        rows.append((f"synthetic, 10 keywords, {text} text", *score(days, keywords_of)))
    if seeds.is_dir():
        papers = seed_papers(seeds)
        rows.append(("seeds, 4 keywords", *score(one_day(papers), keywords_of)))

        def merged(paper: Paper) -> set[str]:
            return {"vlm" if slug == "mllm" else slug for slug in paper.keywords}

        rows.append(("seeds, VLM and MLLM as one", *score(one_day(papers), merged)))
    else:
        print(f"(no seeds at {seeds}: that set is left out)")
    recorded = one_day(recorded_papers())
    rows.append(("recorded, primary category", *score(recorded, primary)))
    rows.append(("recorded, any category", *score(recorded, categories)))

    print(f"Top-{TOP} related papers sharing a label, against {TOP} picked at random:")
    print(f"{'set':48} {'papers':>7} {'related':>8} {'random':>7}")
    for name, share, chance, count in rows:
        print(f"{name:48} {count:7d} {share:8.3f} {chance:7.3f}")
    met = labelled[0] >= TARGET
    print(
        f"target: >= {TARGET} on the labelled set: {'OK' if met else 'MISSED'} ({labelled[0]:.3f})"
    )
    return 0


def primary(paper: Paper) -> set[str]:
    return {paper.primary_category}


def categories(paper: Paper) -> set[str]:
    return set(paper.categories)


if __name__ == "__main__":
    sys.exit(
        main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPOSITORY.parent / "shared" / "seeds")
    )
