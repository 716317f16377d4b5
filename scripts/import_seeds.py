"""Build the sample store in content/papers/ from the old digests in a folder of seeds.

    python scripts/import_seeds.py SEEDS_FOLDER

The seeds are the README tables researchers use today: ``000_*`` is a per-keyword
table (title, arXiv id with version, date, abstract, comment), ``003_*``/``004_*``
are per-day lists (title, id without version, categories, authors cut after six,
abstract). Every field a seed gives is kept as given; a field it does not give
stays empty. Two things are derived, never invented:

* the day a per-keyword row is filed under: the table gives the version's date but
  no time, so the row is filed as a submission at noon UTC that day would be;
* the keywords of a per-day entry: those of keywords.yaml whose phrases occur in
  its title or abstract (the per-day digests searched for the same phrases, but as
  substrings: an entry found only through "LVLMs" or "SMLM" is left out, as arXiv's
  search for our phrases would not return it).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from datetime import UTC, date, datetime, time
from pathlib import Path

from arxiv_digest.model import keywords as keywords_config
from arxiv_digest.model.paper import Author, Paper, clean_text, split_id
from arxiv_digest.model.schedule import announcement_day
from arxiv_digest.model.store import Store
from arxiv_digest_dev import REPOSITORY

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


def keyword_table(text: str, config: keywords_config.Config) -> list[tuple[date, Paper]]:
    """Rows of a per-keyword table, each under the keyword of its ``##`` heading."""
    slugs = {k.name: k.slug for k in config.keywords}
    found = []
    keyword = None
    for line in text.splitlines():
        if line.startswith("## "):
            name = line[3:].strip()
            if name not in slugs:
                raise SystemExit(f"seed keyword {name!r} is not in keywords.yaml")
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
                keywords=(keyword,),
            )
            noon = datetime.combine(submitted, time(12), UTC)
            found.append((announcement_day(noon), paper))
    return found


def day_list(text: str, config: keywords_config.Config) -> list[tuple[date, Paper]]:
    """Entries of a per-day digest, under the day of its heading."""
    heading = DAY_HEADING.search(text)
    if not heading:
        raise SystemExit("a per-day seed has no '# ... YYYY-MM-DD' heading")
    day = date.fromisoformat(heading["day"])
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
            print(f"  {paper_id}: matches no keyword of keywords.yaml; left out", file=sys.stderr)
            continue
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


def main(seeds: Path) -> None:
    config = keywords_config.load(REPOSITORY / "keywords.yaml")
    found: list[tuple[date, Paper]] = []
    for path in sorted(seeds.glob("*.txt")):
        text = repair_mojibake(path.read_text(encoding="utf-8"))
        is_table = "| **Title** |" in text
        rows = keyword_table(text, config) if is_table else day_list(text, config)
        print(f"{path.name}: {len(rows)} papers", file=sys.stderr)
        found += rows
    by_day: dict[date, list[Paper]] = defaultdict(list)
    for day, paper in found:
        by_day[day].append(paper)
    changed = Store(REPOSITORY / "content" / "papers").merge(by_day)
    print(f"{len(by_day)} days, {len(changed)} files written", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python scripts/import_seeds.py SEEDS_FOLDER")
    main(Path(sys.argv[1]))
