"""Related papers: the computation's time, memory and size at 1, 3 and 10 years of 100
papers a day, and the bytes it adds to the site per paper.

* **From scratch**: every day of a year added to an empty index, as a build with no kept
  index (or after a change to an older day) does, in a fresh process (its peak RSS).
* **One new day** at each history: the index of that history is made once and saved as a
  build keeps it; then, in a fresh process, what the next build does: load it, check its
  days against the store, add the new day, save it, and make the data shards that changed.
  A history longer than a year is the synthesized year again, under other ids and later
  dates (vectors only, no related lists: they cost nothing to a new day), so that three and
  ten years cost minutes, not hours; the new day is a genuinely new synthesized day.
* **Bytes per paper**: the kept index, and, on a built site, the related lists on digest
  pages (and the index page, which repeats the newest digest) and ``/data/related/``.

``python -m arxiv_digest_dev.benchmark.related scratch|day ...`` is the fresh process.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from arxiv_digest.glue.output import write_text
from arxiv_digest.glue.related import (
    changed_shards,
    index_path,
    load_index,
    save_index,
    update_index,
)
from arxiv_digest.model.store import Day, day_path, dump_day, load_day
from arxiv_digest.pages import related as computing

from .report import KB, MB, verdict
from .synthesize import END_DAY, Synthesizer, announcement_days, next_announcement_day

TARGET_SCRATCH_S = 10.0  # a year (365 days x 100 papers) from scratch
TARGET_DAY_S = 1.0  # one new day, at any history
TARGET_BYTES_PER_PAPER = 400  # whole output, more per paper
RELATED_BLOCK = re.compile(r'Related papers:<ul class="related">.*?</ul>', re.S)


class UnscoredHistory(computing.RelatedIndex):
    """An index grown without computing related lists: a long history made quickly."""

    def _score(self, first: int) -> None:
        new = len(self.row_ids) - first
        self.neighbours.extend([-1] * (new * computing.COUNT))
        self.scores.extend([0] * (new * computing.COUNT))


TEXTS = {"arxiv": "arXiv-shaped text", "dense": "the older dense text"}


def year_days(
    papers: int, keywords: int, days: int = 365, text: str = "arxiv"
) -> tuple[list[Day], Synthesizer]:
    synthesizer = Synthesizer(papers, keywords, seed=f"arxiv-digest/related/{papers}", text=text)
    return [synthesizer.day(d) for d in announcement_days(END_DAY, days)], synthesizer


def shifted(day: Day, copy: int, span: int) -> Day:
    """``day`` again, ``copy`` years of days earlier: ids two years older, an earlier date."""

    def older(paper_id: str) -> str:
        yymm, number = paper_id.split(".")
        return f"{int(yymm[:2]) - 2 * copy:02d}{yymm[2:]}.{number}"

    papers = tuple(replace(p, id=older(p.id)) for p in day.papers)
    return Day(day.date - timedelta(days=span * copy), papers)


def history(days: list[Day], years: int) -> list[Day]:
    """``years`` copies of a year's days, oldest first, each on dates before the next."""
    span = (days[-1].date - days[0].date).days + 1
    return [shifted(d, copy, span) for copy in range(years - 1, 0, -1) for d in days] + days


def measure_scratch(papers: int, keywords: int, text: str) -> dict[str, float]:
    days, _ = year_days(papers, keywords, text=text)
    clock, cpu = time.perf_counter(), time.process_time()
    index = computing.RelatedIndex()
    index.add_days([(day, "") for day in days])
    return {
        "wall": time.perf_counter() - clock,
        "cpu": time.process_time() - cpu,
        "rss_mb": peak_rss_mb(),
        "papers": len(index.row_ids),
    }


def prepare_history(
    folder: Path, papers: int, keywords: int, years: int, text: str
) -> tuple[Path, Day]:
    """Save the index of ``years`` of history in ``folder``; returns it and the new day."""
    days, synthesizer = year_days(papers, keywords, text=text)
    dated = history(days, years)
    index = UnscoredHistory()
    index.add_days([(day, f"source {day.date}") for day in dated])
    path = index_path(folder)
    save_index(path, index)
    new = synthesizer.day(next_announcement_day(days[-1].date))
    return path, new


def measure_day(path: Path, new: Day, doubling: bool = False) -> dict[str, float]:
    """What a build does for one new day, timed (the days' check uses their digests, as
    the build does for unchanged files). ``doubling``: the day by which the store has
    doubled since the directions were found, which finds them again (as if they had been
    found at half its papers)."""
    clock, cpu = time.perf_counter(), time.process_time()
    index = load_index(path)
    assert index is not None
    load_cpu = time.process_time() - cpu
    if doubling:
        index.fitted = (len(index.row_ids) + len(new.papers)) // 2
    held = [(Day(entry.date, ()), entry.source) for entry in index.days]
    index, added, _, _ = update_index(index, [*held, (new, "new")])
    save_index(path, index)
    shards = changed_shards(index, added)
    data = computing.related_data(index, shards)
    return {
        "wall": time.perf_counter() - clock,
        "cpu": time.process_time() - cpu,
        "rss_mb": peak_rss_mb(),
        "papers": len(index.row_ids),
        "index_bytes": path.stat().st_size,
        "shards": len(data),
        "load_cpu": load_cpu,
    }


@dataclass(frozen=True)
class Figures:
    years: int
    papers: int
    wall: float
    cpu: float
    rss_mb: float
    index_bytes: int = 0
    doubling_cpu: float = 0.0


# One BLAS thread: OpenBLAS's second thread spins while it waits, and its waiting would
# count as CPU time (a year from scratch: CPU 16 s for 9 s of wall time with two threads,
# 8 s for 8 s with one).
ONE_THREAD = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")


def fresh(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "arxiv_digest_dev.benchmark.related", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **ONE_THREAD},
    )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def measure_related(years: tuple[int, ...], papers: int, keywords: int) -> list[str]:
    """Every figure of the related papers, on both texts, as lines with their targets (which
    the arXiv-shaped text is judged by: the dense one is far denser than real text)."""
    lines = []
    for text, label in TEXTS.items():
        lines.append(f"  on {label}:")
        lines += text_lines(years, papers, keywords, text)
    return lines


def text_lines(years: tuple[int, ...], papers: int, keywords: int, text: str) -> list[str]:
    lines = []
    runs = [fresh("scratch", str(papers), str(keywords), text) for _ in range(DAY_RUNS)]
    scratch = min(runs, key=lambda figures: figures["cpu"])
    lines.append(
        f"  a year from scratch ({scratch['papers']:,.0f} papers): {scratch['wall']:.1f} s "
        f"(CPU {scratch['cpu']:.1f} s; best of {DAY_RUNS}, worst CPU "
        f"{max(figures['cpu'] for figures in runs):.1f} s), peak RSS {scratch['rss_mb']:.0f} MB"
    )
    days: list[Figures] = []
    with tempfile.TemporaryDirectory(prefix="related-bench-") as scratch_folder:
        for count in years:
            folder = Path(scratch_folder) / f"{count}y"
            got = fresh("day", str(papers), str(keywords), str(count), str(folder), text)
            days.append(
                Figures(
                    count,
                    int(got["papers"]),
                    got["wall"],
                    got["cpu"],
                    got["rss_mb"],
                    int(got["index_bytes"]),
                    got["doubling_cpu"],
                )
            )
            lines.append(
                f"  one new day at {count} year{'s' * (count > 1)} ({got['papers']:,.0f} "
                f"papers): {got['wall']:.2f} s (CPU {got['cpu']:.2f} s, of which loading the "
                f"index {got['load_cpu']:.2f} s; best of {DAY_RUNS}, worst CPU "
                f"{got['worst_cpu']:.2f} s), peak RSS "
                f"{got['rss_mb']:.0f} MB, kept index {got['index_bytes'] / MB:.1f} MB "
                f"({got['index_bytes'] / got['papers']:.0f} B a paper), "
                f"{got['shards']:.0f} data shards made"
            )
            lines.append(
                f"  the day the store doubles, which finds the directions again (once a "
                f"doubling): {got['doubling_wall']:.2f} s (CPU {got['doubling_cpu']:.2f} s; "
                f"worst {got['doubling_worst_cpu']:.2f} s), "
                f"peak RSS {got['doubling_rss_mb']:.0f} MB"
            )
    lines.append(
        f"  target: a year from scratch <= {TARGET_SCRATCH_S:.0f} s (CPU time: the machine "
        f"is shared): {verdict(scratch['cpu'] <= TARGET_SCRATCH_S)} (CPU "
        f"{scratch['cpu']:.1f} s; wall {scratch['wall']:.1f} s)"
    )
    worst = max(days, key=lambda f: f.cpu) if days else None
    if worst:
        lines.append(
            f"  target: one new day <= {TARGET_DAY_S:.0f} s at any history (CPU time): "
            f"{verdict(all(f.cpu <= TARGET_DAY_S for f in days))} (slowest CPU "
            f"{worst.cpu:.2f} s at {worst.years} years; wall {worst.wall:.2f} s)"
        )
        doubling = max(days, key=lambda f: f.doubling_cpu)
        lines.append(
            f"  target: the same for the day the store doubles: "
            f"{verdict(all(f.doubling_cpu <= TARGET_DAY_S for f in days))} (slowest CPU "
            f"{doubling.doubling_cpu:.2f} s at {doubling.years} years)"
        )
    return lines


def output_lines(output: Path) -> list[str]:
    """The bytes the related papers add to a built site, per paper listed on its days."""
    pages = [*output.glob("[0-9]*/*/*/index.html"), output / "index.html"]
    blocks = papers = 0
    for page in pages:
        if not page.is_file():
            continue
        html = page.read_text(encoding="utf-8")
        blocks += sum(len(m.encode()) for m in RELATED_BLOCK.findall(html))
        if page.parent != output:
            papers += html.count('<article class="paper"')
    data = sum(p.stat().st_size for p in (output / "data" / "related").glob("*.json"))
    per_paper = (blocks + data) / max(papers, 1)
    return [
        f"  related papers in the output: {blocks / MB:.1f} MB on digest pages and the index, "
        f"{data / MB:.1f} MB of /data/related/ ({data / KB / max(len(pages), 1):.1f} KB a day)",
        f"  target: whole output <= {TARGET_BYTES_PER_PAPER} B more per paper: "
        f"{verdict(per_paper <= TARGET_BYTES_PER_PAPER)} ({per_paper:.0f} B: "
        f"{blocks / max(papers, 1):.0f} B of HTML, {data / max(papers, 1):.0f} B of data)",
    ]


DAY_RUNS = 3  # runs of each figure (a new day: each on a fresh copy); the best is kept


def best_day(path: Path, day: Path, *mode: str) -> dict[str, float]:
    """The least CPU of :data:`DAY_RUNS` fresh processes adding ``day`` to a copy of the
    index at ``path`` (this machine's page faults make single runs vary up to threefold),
    with the most of the runs beside it (``worst_cpu``)."""
    runs = []
    for run in range(DAY_RUNS):
        copy = path.parent / f"run-{'-'.join(mode)}{run}" / path.name  # a save removes others
        copy.parent.mkdir()
        copy.write_bytes(path.read_bytes())
        runs.append(fresh("measure-day", str(copy), str(day), *mode))
    best = min(runs, key=lambda figures: figures["cpu"])
    return {**best, "worst_cpu": max(figures["cpu"] for figures in runs)}


def peak_rss_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh with the program
    (ru_maxrss keeps the peak of the process that started it, across exec)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "scratch":
        print(json.dumps(measure_scratch(int(argv[1]), int(argv[2]), argv[3])))
    elif mode == "day":  # make the history here, measure the day in a fresh process
        papers, keywords, years, folder = int(argv[1]), int(argv[2]), int(argv[3]), Path(argv[4])
        path, new = prepare_history(folder, papers, keywords, years, argv[5])
        write_text(day_path(folder, new.date), dump_day(new))
        figures = best_day(path, day_path(folder, new.date))
        doubling = best_day(path, day_path(folder, new.date), "doubling")
        print(json.dumps({**figures, **{f"doubling_{k}": v for k, v in doubling.items()}}))
    elif mode == "measure-day":
        doubling = argv[3:] == ["doubling"]
        print(json.dumps(measure_day(Path(argv[1]), load_day(Path(argv[2])), doubling)))


if __name__ == "__main__":
    main(sys.argv[1:])
