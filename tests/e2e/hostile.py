"""Papers whose every field from arXiv is an attack, served by the loopback arXiv server.

Each string is written the way the fetcher stores text (single spaces, no control
characters), so the site must show it exactly, as text.
"""

from __future__ import annotations

from pathlib import Path

from arxiv_digest.fetching.query import build_query
from arxiv_digest.model.keywords import parse
from arxiv_digest_dev.arxiv_server import ArxivServer, entry, recorded_entries

from ..conftest import Project

KEYWORDS_YAML = """\
keywords:
  - name: Vision Language Model
    slug: vlm
    terms: ["VLM"]
"""

# Arabic, Hebrew (with a right-to-left mark) and emoji: text a digest must carry unharmed.
RTL = "نموذج اللغة البصري ‏שלום עולם‏ 🧪🎉👩‍🔬"
FILLER = (
    "The model holds on long inputs, "
    "</p></details><script>alert('deep in the abstract')</script> "
    f"{RTL} and an unbroken {'token' * 60} too. "
)

PAPERS = (
    {
        "id": "2601.00001",
        "title": (
            '<script>alert("title")</script> Robust VLMs say "hello\' '
            "<b onmouseover=\"alert('title')\">bold</b> & more " + RTL
        ),
        "abstract": (
            "<img src=x onerror=\"alert('abstract')\"> We study VLMs. \"An unclosed quote ' "
            '<a href="javascript:alert(1)">a link</a> ' + FILLER * (100_000 // len(FILLER))
        ).strip(),
        "authors": [
            '<svg onload=alert("author")>',
            "Mallory \"><script>alert('author')</script>",
            "Eve' onfocus='alert(1)' autofocus='",
            "עדה לאבלייס",
            "أحمد الخوارزمي",
            "🦄 Unicorn",
            "Seventh Author",
            "Eighth <i>Author</i> " + "Longname" * 25,
        ],
        "comment": (
            '"><iframe src="javascript:alert(\'comment\')"></iframe> 12 pages, 5 figures; code at '
            "https://example.org/" + "a" * 200 + " " + RTL
        ),
        "updated": "2026-01-29T15:00:00Z",
    },
    {
        "id": "2601.00002",
        "title": ("VisionLanguageModel" * 16)[:300],
        "abstract": f"{RTL} {RTL} — </textarea><style>body{{display:none}}</style> done.",
        "authors": ["بدون اسم", 'O\'Brien "The Quote" <Smith>'],
        "comment": "</p><script>alert('short comment')</script>",
        "updated": "2026-01-29T14:00:00Z",
    },
)


def build_hostile_site(root: Path, monkeypatch) -> Project:
    """Fetch :data:`PAPERS` from a loopback arXiv server, then build the site."""
    keyword = parse(KEYWORDS_YAML).keywords[0]
    bases = recorded_entries()
    entries = [
        entry(
            base,
            arxiv_id=paper["id"],
            version=1,
            updated=paper["updated"],
            published=paper["updated"],
            title=paper["title"],
            summary=paper["abstract"],
            authors=paper["authors"],
            comment=paper["comment"],
            categories=["cs.CV", "cs.AI"],
        )
        for base, paper in zip(bases[: len(PAPERS)], PAPERS, strict=True)
    ]
    project = Project(root, KEYWORDS_YAML)
    with ArxivServer() as server:
        server.serve(build_query(keyword), entries)
        monkeypatch.setenv("ARXIV_FETCH", "1")
        monkeypatch.setenv("ARXIV_API_URL", server.url)
        monkeypatch.setenv("ARXIV_DELAY", "0")
        project.build()
    return project
