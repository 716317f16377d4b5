"""Settings for building the site locally: `pelican content` (and `pelican --listen`)."""

import logging
from pathlib import Path

here = Path(__file__).resolve().parent  # lowercase: Pelican only reads UPPERCASE names

SITENAME = "arXiv digest"
SITEURL = ""
AUTHOR = "arxiv-digest"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

PATH = "content"
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
THEME = "theme"
OUTPUT_PATH = "output"

PLUGINS = ["arxiv_digest"]

# arxiv-digest. The digest's URLs (/YYYY/MM/DD/, /keywords/<slug>/, /categories/<code>/,
# /archive/, /feeds/...) are fixed by the plugin: links and feed readers depend on them.
ARXIV_KEYWORDS_FILE = str(here / "keywords.yaml")
ARXIV_STORE_PATH = "papers"  # inside PATH: content/papers/YYYY/YYYY-MM-DD.json
# Build from the committed store; ARXIV_FETCH=1 in the environment fetches first.
ARXIV_FETCH = False
ARXIV_API_URL = "https://export.arxiv.org/api/query"  # the environment's ARXIV_API_URL wins
ARXIV_DELAY = 3  # seconds between requests; arXiv asks for at least 3
ARXIV_HOLIDAYS = []  # US Eastern dates on which arXiv announces nothing, e.g. ["2026-12-25"]
ARXIV_CACHE = True  # keep rendered digests in cache/ between builds

FEED_MAX_ITEMS = 10  # digest days in /feeds/all.atom.xml
# A local preview has no address, so its feeds cannot carry absolute URLs; Pelican's warning
# says so on every build. publishconf.py, which sets the address, turns the warning back on.
LOG_FILTER = [
    (
        logging.WARNING,
        "Feeds generated without SITEURL or FEED_DOMAIN set properly may not be valid",
    )
]
DEFAULT_PAGINATION = False
