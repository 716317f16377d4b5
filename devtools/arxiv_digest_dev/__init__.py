"""Development tools of arxiv-digest, shared by the tests, the benchmark and the scripts.

Not part of the plugin: nothing in ``arxiv_digest`` imports it. It is a package of the
repository's distribution (setuptools extras add requirements, not packages), so an
editable install (``pip install -e '.[test]'``) makes it importable everywhere, scripts
included, with no change to the import path; the ``test`` extra brings what it imports. It reads the
repository it sits in (recorded arXiv answers, settings, theme), so it is only of use
from a checkout.
"""

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
# The sample site the tests and the README's screenshots are built from: its keywords.yaml and
# content/ (pages and store), never the repository's own, which a site's owner replaces.
SAMPLE_SITE = REPOSITORY / "tests" / "fixtures" / "sample-site"
