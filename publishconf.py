"""Settings for publishing: `pelican content -s publishconf.py --fatal errors`.

SITEURL comes from the environment (the publish workflow sets it from GitHub Pages'
base URL), so a fork publishes to its own address without editing this file.
"""

import os
import sys
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL  # feeds carry absolute URLs
LOG_FILTER = []  # a feed without an address is a mistake here: let Pelican warn
DELETE_OUTPUT_DIRECTORY = True
ARXIV_FETCH = True  # the environment's ARXIV_FETCH=0 turns it off
