"""A small static site in the markup keepup.js expects, for testing the scripts in Chromium.

Wave 1 of "keep up without a server": the generator does not write these pages yet, so the
pages here follow the contract that theme/templates/macros.html will meet (article.paper
with data-arxiv-id and data-day, nav links with data-keyword, keepup.js with data-root),
while the data files come from the real paperdata module and the reading list page from
the real template. The site lives under /site/ so that data-root is exercised.
"""

from __future__ import annotations

import os
import shutil
from datetime import date, datetime
from html import escape
from pathlib import Path

import jinja2

from arxiv_digest.paper import Author, Paper
from arxiv_digest.paperdata import recent, shards
from arxiv_digest.store import Day
from arxiv_digest.trends import chart_svg, trends
from arxiv_digest_dev import REPOSITORY as ROOT

PREFIX = "/site/"
KEYWORDS = {"vlm": "Vision Language Model", "vad": "Video Anomaly Detection Underst"}
# Papers of this many newest days are on the keyword pages; older ones left every page.
LISTED_DAYS = 3


def paper(paper_id: str, title: str, keywords: tuple[str, ...], **fields) -> Paper:
    authors = fields.pop("authors", (Author("Ada Lovelace"), Author("Alan Turing")))
    return Paper(
        paper_id,
        fields.pop("version", 1),
        title,
        authors=authors,
        abstract=f"The abstract of {title}.",
        primary_category="cs.CV",
        categories=("cs.CV",),
        published="2026-01-20T10:00:00Z",
        keywords=keywords,
        **fields,
    )


OLD = Day(date(2025, 12, 1), (paper("2512.01234", "A paper that left every page", ("vlm",)),))
D1 = Day(
    date(2026, 1, 26),
    (
        paper("2601.10001", "First day vision", ("vlm",)),
        paper("2601.10002", "First day anomaly", ("vad",)),
    ),
)
D2 = Day(
    date(2026, 1, 27),
    (paper("2601.10003", "Second day both", ("vad", "vlm")),),
)
D3 = Day(
    date(2026, 1, 28),
    (
        paper(
            "2601.20001",
            "Third day vision {with braces",
            ("vlm",),
            authors=(Author("Émile Zoë Brontë"), Author("Li Wei")),
            doi="10.1000/xyz",
        ),
        paper("2601.20002", "Third day vision again", ("vlm",)),
        paper("2601.20003", "Third day anomaly", ("vad",)),
    ),
)
BEFORE = (OLD, D1, D2)
AFTER = (OLD, D1, D2, D3)


def article(p: Paper, day: Day) -> str:
    authors = "".join(f"<li>{escape(a.name)}</li>" for a in p.authors)
    tags = "".join(
        f'<li><a class="kw" href="{PREFIX}keywords/{slug}/">{escape(KEYWORDS[slug])}</a></li>'
        for slug in p.keywords
    )
    return (
        f'<article class="paper" id="{p.id}" data-arxiv-id="{p.id}" data-day="{day.date}">\n'
        f'<h2><a href="{p.abs_url}">{escape(p.title)}</a></h2>\n'
        f'<p class="meta">arXiv:{p.versioned_id} · <a href="{p.pdf_url}">PDF</a></p>\n'
        f'<ul class="authors">{authors}</ul>\n<ul class="tags">{tags}</ul>\n'
        f'<details class="abstract"><summary>Abstract</summary><p>{escape(p.abstract)}</p>'
        "</details>\n</article>"
    )


def base(title: str, content: str) -> str:
    nav = "".join(
        f'<li><a href="{PREFIX}keywords/{slug}/" data-keyword="{slug}">{escape(name)}</a></li>'
        for slug, name in KEYWORDS.items()
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<link rel="icon" href="{PREFIX}theme/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="{PREFIX}theme/css/style.css">
<link rel="stylesheet" href="{PREFIX}theme/css/keepup.css">
<script src="{PREFIX}theme/js/keepup-head.js"></script>
<script src="{PREFIX}theme/js/keepup.js" data-root="{PREFIX}" defer></script>
</head>
<body>
<header class="site">
<a class="brand" href="{PREFIX}">arXiv digest</a>
<nav aria-label="Site"><ul>{nav}<li><a href="{PREFIX}archive/">Archive</a></li>
<li><a href="{PREFIX}reading-list/">Reading list</a></li>
<li><a href="{PREFIX}about/">About</a></li></ul></nav>
</header>
<main id="main">
{content}
</main>
</body>
</html>
"""


def write_page(root: Path, url: str, html: str) -> None:
    path = root / url.strip("/") / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def write_site(output: Path, days: tuple[Day, ...], built: datetime) -> None:
    """The site as built from ``days`` at ``built``: index, digests, keyword pages, reading
    list, data. Files carry the build time: the test server answers If-Modified-Since by
    the second, and two builds in one second would look unchanged to the browser."""
    root = output / PREFIX.strip("/")
    # Written over the old build, as a deploy does: a page open meanwhile never meets a 404.
    shutil.copytree(ROOT / "theme" / "static", root / "theme", dirs_exist_ok=True)
    newest = days[-1]
    listed = days[-LISTED_DAYS:]
    macros = templates().get_template("trends.html").module
    weekly = trends(days, KEYWORDS)
    sparks = "".join(
        f'<li><a href="{PREFIX}keywords/{slug}/">{escape(name)}</a> '
        f"{macros.trend_spark(chart_svg(weekly[slug], name, small=True))}</li>"
        for slug, name in KEYWORDS.items()
    )
    write_page(
        root,
        "/",
        base(
            "arXiv digest",
            f"<h1>Papers of {newest.date}</h1>\n<ul>{sparks}</ul>\n"
            + "\n".join(article(p, newest) for p in newest.papers),
        ),
    )
    for day in days:
        write_page(
            root,
            f"{day.date:%Y/%m/%d}",
            base(
                f"{day.date}",
                f"<h1>{day.date}</h1>\n" + "\n".join(article(p, day) for p in day.papers),
            ),
        )
    for slug, name in KEYWORDS.items():
        items = [(p, d) for d in reversed(listed) for p in d.papers if slug in p.keywords]
        chart = macros.trend_chart(weekly[slug], chart_svg(weekly[slug], name), name)
        write_page(
            root,
            f"keywords/{slug}",
            base(
                escape(name),
                f"<h1>{escape(name)}</h1>\n{chart}\n" + "\n".join(article(p, d) for p, d in items),
            ),
        )
    write_page(root, "archive", base("Archive", "<h1>Archive</h1>\n<p>Every day.</p>"))
    write_page(root, "about", base("About", "<h1>About</h1>\n<p>A test site.</p>"))
    write_page(root, "reading-list", reading_list_page())
    data = root / "data"
    (data / "papers").mkdir(parents=True, exist_ok=True)
    written = shards(days)
    for shard in written:
        (data / "papers" / shard.file_name).write_text(shard.text, encoding="utf-8")
    (data / "recent.json").write_text(recent(days, [s.key for s in written]), encoding="utf-8")
    for path in root.rglob("*"):
        os.utime(path, (built.timestamp(), built.timestamp()))


def templates() -> jinja2.Environment:
    """The theme's templates, with this fixture's page as base.html."""
    page = base("{% block title %}{% endblock %}", "{% block content %}{% endblock %}")
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.DictLoader({"base.html": page}),
                jinja2.FileSystemLoader(ROOT / "theme" / "templates"),
            ]
        ),
        autoescape=True,
    )


def reading_list_page() -> str:
    """The real reading_list.html, inside this fixture's base."""
    return (
        templates()
        .get_template("reading_list.html")
        .render(
            SITENAME="arXiv digest",
            SITEURL=PREFIX.rstrip("/"),
            THEME_STATIC_DIR="theme",
            FEED_ALL_ATOM=None,
        )
    )
