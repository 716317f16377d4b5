"""How good the related papers are: on sets of papers with known labels, the share of each
paper's top 3 related papers that share one of its labels, beside what picking 3 papers at
random would give.

    python scripts/related_quality.py [--seeds FOLDER] [--source FOLDER]

The sets:

* **real store, keywords** (the labelled set): what a store following 14 keyword phrases
  holds after 120 daily files of arXiv's cs announcements of 2025 (7,329 real entries: title,
  abstract, categories; tests/fixtures/related/arxiv-store.jsonl.xz, see its SOURCES.md),
  each paper found by one or more of the phrases in its title or abstract, as the site's
  keyword search finds papers; labels: those keywords. Computed day by day, as the site
  does. Neighbouring topics overlap (robots and reinforcement learning, vision-language
  models and hallucination), as in a real store. With ``--source``, the same made from every
  daily file of the source (its ``data`` folder: 410 files, 25,034 papers).
* **real, 502 at once**: 502 of such entries from 20 daily files spread over 2025-26
  (tests/fixtures/related/arxiv-keywords.jsonl.gz), compared all at once; labels: the
  keywords, the primary arXiv category (listed first), or any category. A store of 502
  papers: fewer papers of each topic to find.
* **synthetic**: 60 announcement days of 100 papers over 10 keywords from the benchmark's
  synthesizer; labels: the keywords. With the arXiv-shaped text (benchmark/text.py; each
  keyword has words of its own, which latent semantic analysis finds nearly always), and
  with the older dense text, whose words are drawn whatever the keyword (no signal).
* **seeds**: the real titles and abstracts of the old digests in ``../shared/seeds/`` (read
  with scripts/import_seeds.py's parser); labels: the keywords each was listed under or whose
  phrases it contains. Four keywords, two of them (Vision Language Model, Multimodal Large
  Language Model) names for nearly one topic; also printed with those two as one label.
* **recorded**: the real arXiv answers in tests/fixtures/arxiv-api/ (one search,
  "testing"); labels: their arXiv categories, the primary one or any.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
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
from arxiv_digest_dev.labelled import labelled_entries, labelled_store, store_days
from arxiv_digest_dev.recorded import recorded_papers

sys.path.insert(0, str(Path(__file__).parent))
import import_seeds

TOP = 3
TARGET = 0.8  # on the labelled set
FIXTURES = REPOSITORY / "tests" / "fixtures"
STORE_FILES = 120  # the fixture: the first daily files of the source
PHRASES = (
    "diffusion model", "reinforcement learning", "retrieval-augmented", "gaussian splatting",
    "autonomous driving", "video generation", "medical image", "vision-language model",
    "speech", "point cloud", "robot", "hallucination", "anomaly detection", "remote sensing",
)  # fmt: skip


def score(days: Sequence[Day], labels: Callable[[Paper], set[str]]) -> tuple[float, float, int]:
    """(share of top-3 related papers sharing a label, the same for 3 random candidates,
    papers scored): each paper of each day against the papers up to its day."""
    index = RelatedIndex()
    seen: dict[str, frozenset[str]] = {}
    label_sets: Counter[frozenset[str]] = Counter()  # papers seen, by their set of labels
    shared = picked = 0
    chance = 0.0
    scored = 0
    for day in days:
        for paper in day.papers:
            if paper.id in seen:  # a new version
                label_sets[seen[paper.id]] -= 1
            seen[paper.id] = frozenset(labels(paper))
            label_sets[seen[paper.id]] += 1
        for paper_id, found in index.add_day(day).items():
            mine = seen[paper_id]
            if len(seen) < 2:
                continue
            scored += 1
            sharing = sum(count for other, count in label_sets.items() if mine & other)
            chance += (sharing - bool(mine)) / (len(seen) - 1)
            for neighbour in found[:TOP]:
                shared += bool(mine & seen[neighbour.id])
                picked += 1
    return shared / max(picked, 1), chance / max(scored, 1), scored


def source_rows(folder: Path, files: int | None = None) -> Iterator[dict[str, object]]:
    """The store the 14 phrases make of the source's daily files (``data/<date>.jsonl``, in
    date order; the first ``files`` of them): each entry at its first file, with the phrases
    its title or abstract contains (lowercase), if any; whitespace collapsed. This is how
    the fixture was made (``files``: STORE_FILES)."""
    seen: set[str] = set()
    paths = sorted(p for p in folder.glob("*.jsonl") if "_" not in p.stem)
    for path in paths[:files]:
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry["id"] in seen:
                continue
            seen.add(entry["id"])
            title = " ".join(entry["title"].split())
            abstract = " ".join((entry.get("summary") or "").split())
            found = [p for p in PHRASES if p in f"{title} {abstract}".lower()]
            if found:
                yield {
                    "day": path.stem,
                    "id": entry["id"],
                    "title": title,
                    "abstract": abstract,
                    "categories": entry["categories"],
                    "keywords": found,
                }


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


def main(seeds: Path, source: Path | None) -> int:
    rows = []
    labelled = score(labelled_store(), keywords_of)
    rows.append((f"real store, {STORE_FILES} daily files (the labelled set)", *labelled))
    if source:
        whole = store_days(source_rows(source))
        rows.append((f"real store, all {len(whole)} days of {source}", *score(whole, keywords_of)))
    real = one_day(labelled_entries())
    rows.append(("real, 502 at once, keywords", *score(real, keywords_of)))
    rows.append(("real, 502 at once, primary category", *score(real, primary)))
    rows.append(("real, 502 at once, any category", *score(real, categories)))
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds", type=Path, default=REPOSITORY.parent / "shared" / "seeds",
        help="the old digests (default: ../shared/seeds)",
    )  # fmt: skip
    parser.add_argument(
        "--source", type=Path,
        help="the source's daily files (data/ of dw-dengwei/daily-arXiv-ai-enhanced's data "
        "branch): score the store made of all of them too",
    )  # fmt: skip
    args = parser.parse_args()
    sys.exit(main(args.seeds, args.source))
