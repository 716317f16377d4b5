"""Turn a :class:`~arxiv_digest.model.keywords.Keyword` into the query string arXiv searches.

The arXiv search server has no operator precedence, so every OR group is
parenthesised and every phrase quoted:

    (ti:"a" OR abs:"a" OR ti:"b" OR abs:"b") AND (cat:x OR cat:y) ANDNOT (ti:"e" OR abs:"e")
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.keywords import FIELD_PREFIXES, Keyword


def build_query(keyword: Keyword) -> str:
    if keyword.query:
        return keyword.query
    prefixes = [FIELD_PREFIXES[field] for field in keyword.fields]
    query = _any_of(f'{prefix}:"{term}"' for term in keyword.terms for prefix in prefixes)
    if keyword.categories:
        query += " AND " + _any_of(f"cat:{code}" for code in keyword.categories)
    if keyword.exclude:
        query += " ANDNOT " + _any_of(
            f'{prefix}:"{phrase}"' for phrase in keyword.exclude for prefix in prefixes
        )
    return query


def _any_of(clauses: Iterable[str]) -> str:
    return "(" + " OR ".join(clauses) + ")"
