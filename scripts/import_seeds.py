"""Make the sample store (content/papers/) from the old digests in a seeds folder.

    python scripts/import_seeds.py tests/fixtures/seeds --replace

This script is the only way the sample store is made: ``scripts/check_sample.py`` checks
that the committed store is what it writes. The seeds are the README lists researchers
use today, and each format dates its papers differently:

* ``000_*``, a per-keyword table (zezhishao/DailyArXiv's format): its Date column is the
  date of the version's ``updated`` time in the arXiv API, i.e. the day it was
  *submitted*. The table gives no time, so a row is filed as a submission at noon UTC that
  day (07:00 US Eastern, before arXiv's 14:00 cutoff) would be: by arXiv's calendar, with
  its holidays (``model/schedule.py``).
* ``003_*``/``004_*``, per-day digests (Tavish9/awesome-daily-AI-arxiv's format): the list
  is arXiv's ``/list/<category>/new`` page as it stood when the digest's daily job ran
  (02:00 UTC), and the heading's date is the day *before* that run (its ``scrape.py``
  writes ``now(UTC) - 1 day``). So the papers are filed on the newest announcement made
  before that run: the heading "2025-12-13" (a Saturday) lists Thursday 11 December's
  announcement, digest day 2025-12-12; the same list appeared under 2025-12-11, -12 and
  -13 on three runs in a row, since arXiv announces nothing on Friday or Saturday.

Every field a seed gives is kept as given; a field it does not give stays empty (the
per-day digests give no version, submission time or comment). The keywords of a per-day
entry are those of keywords.yaml whose phrases occur in its title or abstract as words;
the old digest matched substrings ("LVLMs", "SMLM" for its "VLM", "MLM"), so an entry
none of our phrases match is kept without a keyword: its digest lists it under "Other
topics".
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from arxiv_digest.model import keywords as keywords_config
from arxiv_digest.model.fetchlog import LOG_NAME
from arxiv_digest.model.paper import Author, Paper, clean_text, split_id
from arxiv_digest.model.schedule import announcement_day, latest_announcement_day
from arxiv_digest.model.store import Store, day_files
from arxiv_digest_dev import REPOSITORY

# The days arXiv listed as holidays (US Eastern evenings without an announcement) for the
# years the seeds cover: https://info.arxiv.org/help/availability.html
ARXIV_HOLIDAYS = frozenset(
    date.fromisoformat(day)
    for day in (
        *("2025-01-01", "2025-01-20", "2025-06-19", "2025-07-06", "2025-09-01"),
        *("2025-11-27", "2025-12-25", "2025-12-30"),
        *("2026-01-01", "2026-01-19", "2026-06-19", "2026-07-03", "2026-09-07"),
        *("2026-11-26", "2026-12-25", "2026-12-29", "2026-12-31"),
    )
)
TABLE_SUBMITTED_AT = time(12)  # UTC: the per-keyword table gives a submission date only
DIGEST_RUN_AT = time(2)  # UTC: the per-day digest's daily job (cron "0 2 * * *")

TABLE_ROW = re.compile(
    r"^\| \*\*\[(?P<title>.*?)\]\(https?://arxiv\.org/abs/(?P<id>[^)\s]+)\)\*\* "
    r"\| (?P<date>\d{4}-\d{2}-\d{2}) "
    r"\| <details><summary>Show</summary><p>(?P<abstract>.*?)</p></details> "
    r"\| (?P<comment>.*?) \|$"
)
COLLAPSED_COMMENT = re.compile(r"^<details><summary>.*?</summary><p>(?P<full>.*)</p></details>$")
DAY_HEADING = re.compile(r"^# .*?(?P<day>\d{4}-\d{2}-\d{2})\s*$", re.M)
LIST_ENTRY = re.compile(
    r"^- \*\*\[(?P<title>.*?)\]\(https?://arxiv\.org/abs/(?P<id>[^)\s]+)\)\*\*"
    r"\s+`arXiv:[^`]+`(?P<categories>(?:\s+`[^`]+`)*)\s*\n"
    r"\s+_(?P<authors>.*?)_\s*\n"
    r"\s+<details[^>]*><summary>Abstract</summary>\s*\n"
    r"(?P<abstract>.*?)\n\s*</details>",
    re.M | re.S,
)


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 read as Mac Roman (``J√ºrgen`` -> ``Jürgen``), line by line where it fits."""
    lines = []
    for line in text.splitlines(keepends=True):
        try:
            lines.append(line.encode("mac_roman").decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            lines.append(line)
    return "".join(lines)


def table_day(submitted: date, holidays: Collection[date]) -> date:
    """The digest day of a version the per-keyword table dates ``submitted``."""
    return announcement_day(datetime.combine(submitted, TABLE_SUBMITTED_AT, UTC), holidays)


def digest_day(heading: date, holidays: Collection[date]) -> date:
    """The digest day a per-day digest headed ``heading`` lists: the newest announcement
    before its job ran, on the day after its heading."""
    run = datetime.combine(heading + timedelta(days=1), DIGEST_RUN_AT, UTC)
    return latest_announcement_day(run, holidays)


def keyword_table(
    text: str, config: keywords_config.Config, holidays: Collection[date]
) -> list[tuple[date, Paper]]:
    """Rows of a per-keyword table, each under the keyword of its ``##`` heading."""
    slugs = {k.name: k.slug for k in config.keywords}
    found = []
    keyword = None
    for line in text.splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            if name not in slugs:
                raise SystemExit(f"seed keyword {name!r} is not in the keywords file")
            keyword = slugs[name]
        elif match := TABLE_ROW.match(line):
            paper_id, version = split_id(match["id"])
            comment = match["comment"]
            if collapsed := COLLAPSED_COMMENT.match(comment):
                comment = collapsed["full"]
            submitted = date.fromisoformat(match["date"])
            paper = Paper(
                id=paper_id,
                version=version,
                title=clean_text(match["title"]),
                abstract=clean_text(match["abstract"]),
                comment=clean_text(comment),
                updated=submitted.isoformat(),
                keywords=(keyword,) if keyword else (),
            )
            found.append((table_day(submitted, holidays), paper))
    return found


def day_list(
    text: str, config: keywords_config.Config, holidays: Collection[date]
) -> list[tuple[date, Paper]]:
    """Entries of a per-day digest, on the digest day its list is of."""
    heading = DAY_HEADING.search(text)
    if not heading:
        raise SystemExit("a per-day seed has no '# ... YYYY-MM-DD' heading")
    day = digest_day(date.fromisoformat(heading["day"]), holidays)
    found = []
    for match in LIST_ENTRY.finditer(text):
        paper_id, version = split_id(match["id"])
        names = [clean_text(n) for n in match["authors"].split(",")]
        truncated = names[-1:] == ["et al."]
        categories = tuple(re.findall(r"`([^`]+)`", match["categories"]))
        paper = Paper(
            id=paper_id,
            version=version,
            title=clean_text(match["title"]),
            authors=tuple(Author(n) for n in names if n and n != "et al."),
            authors_truncated=truncated,
            abstract=clean_text(match["abstract"]),
            primary_category=categories[0] if categories else "",
            categories=categories,
        )
        keywords = matching_keywords(paper, config)
        if not keywords:
            print(f"  {paper_id}: matches no keyword's phrases; kept without one", file=sys.stderr)
        found.append((day, paper.with_keywords(keywords)))
    return found


def matching_keywords(paper: Paper, config: keywords_config.Config) -> list[str]:
    """Keywords whose phrases occur as words, the way arXiv's search finds them: hyphens
    split words and a plural still matches (``Vision-Language Models``)."""

    def words(text: str) -> str:
        return text.replace("-", " ").casefold()

    text = words(f"{paper.title} {paper.abstract}")
    return [
        k.slug
        for k in config.keywords
        if any(re.search(rf"\b{re.escape(words(term))}s?\b", text) for term in k.terms)
    ]


def seed_papers(
    seeds: Path, config: keywords_config.Config, holidays: Collection[date] = ARXIV_HOLIDAYS
) -> dict[date, list[Paper]]:
    """Every paper of every seed in ``seeds``, by the digest day that announced it."""
    paths = sorted(seeds.glob("*.txt"))
    if not paths:
        raise SystemExit(f"{seeds}: no seed files (*.txt)")
    by_day: dict[date, list[Paper]] = defaultdict(list)
    for path in paths:
        text = repair_mojibake(path.read_text(encoding="utf-8"))
        is_table = "| **Title** |" in text
        rows = (
            keyword_table(text, config, holidays) if is_table else day_list(text, config, holidays)
        )
        print(f"{path.name}: {len(rows)} papers", file=sys.stderr)
        for day, paper in rows:
            by_day[day].append(paper)
    return by_day


def import_seeds(seeds: Path, keywords: Path, store: Path, replace: bool = False) -> list[Path]:
    """Write the store that the seeds make into ``store``; returns the files written.

    A store made otherwise is never mixed in: a folder that holds day files or a fetch log
    is refused, or emptied of them first with ``replace`` (the sample was never fetched,
    so it has no fetch log)."""
    config = keywords_config.load(keywords)
    papers = seed_papers(seeds, config)
    old = day_files(store)
    if (store / LOG_NAME).is_file():
        old.append(store / LOG_NAME)
    if old and not replace:
        raise SystemExit(
            f"{store} already holds {len(old)} store files; pass --replace to make it anew"
        )
    for path in old:
        path.unlink()
    written = Store(store).merge(papers)
    print(f"{len(papers)} days, {len(written)} files written to {store}", file=sys.stderr)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("seeds", type=Path, help="folder of seed files, e.g. tests/fixtures/seeds")
    parser.add_argument("--keywords", type=Path, default=REPOSITORY / "keywords.yaml")
    parser.add_argument("--store", type=Path, default=REPOSITORY / "content" / "papers")
    parser.add_argument("--replace", action="store_true", help="empty the store first")
    args = parser.parse_args(argv)
    import_seeds(args.seeds, args.keywords, args.store, args.replace)


if __name__ == "__main__":
    main()
