"""arXiv's category codes and their full names.

The table is arXiv's own taxonomy (``data/arxiv-categories.tsv``), kept with the
package so that validating ``keywords.yaml`` and naming category pages work offline.
"""

from __future__ import annotations

import csv
import difflib
from functools import cache
from importlib import resources


@cache
def category_names() -> dict[str, str]:
    """Every category code arXiv uses or has used, mapped to its full name."""
    text = resources.files("arxiv_digest.data").joinpath("arxiv-categories.tsv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines(), delimiter="\t")
    return {row["code"]: row["name"] for row in rows}


def category_name(code: str) -> str:
    """The full name of a category, or the code itself when arXiv's table lacks it."""
    return category_names().get(code, code)


def is_known_category(code: str) -> bool:
    return code in category_names()


def suggest_category(code: str) -> str | None:
    """The known code closest to a mistyped one (``cs.cv`` -> ``cs.CV``), if any."""
    by_folded = {known.casefold(): known for known in category_names()}
    if code.casefold() in by_folded:
        return by_folded[code.casefold()]
    close = difflib.get_close_matches(code, list(category_names()), n=1, cutoff=0.75)
    return close[0] if close else None
