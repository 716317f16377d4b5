"""The paper: one version of an arXiv e-print, as announced, with the keywords it matched.

Everything in a :class:`Paper` came from arXiv (or a seed file) and is untrusted
text: it is stored as given and escaped wherever it is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, NamedTuple

ABS_URL = "https://arxiv.org/abs/"
# Characters that XML 1.0 and HTML cannot carry; arXiv text has no use for them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# 2401.01234v2, or the pre-2007 form quant-ph/0201082v1.
ARXIV_ID = re.compile(
    r"^(?P<id>(?:[a-z-]+(?:\.[A-Z]{2})?/\d{7})|(?:\d{4}\.\d{4,5}))(?:v(?P<v>\d+))?$"
)


class Author(NamedTuple):
    # A named tuple: a year of history holds ~200,000 authors, and it builds them fastest.
    name: str
    affiliations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Paper:
    """One version of an e-print. Times are ISO 8601 UTC strings as arXiv writes them
    (``2026-01-30T18:22:05Z``); a seed that only gives a date stores ``2026-01-30``,
    and one that gives nothing stores ``""``."""

    id: str  # without version: 2601.22675, quant-ph/0201082
    version: int | None  # None when the source did not say
    title: str
    authors: tuple[Author, ...] = ()
    authors_truncated: bool = False  # the source listed only the first authors
    abstract: str = ""
    comment: str = ""
    journal_ref: str = ""
    doi: str = ""
    primary_category: str = ""
    categories: tuple[str, ...] = ()  # primary first
    published: str = ""  # first version
    updated: str = ""  # this version
    keywords: tuple[str, ...] = field(default=())  # slugs, sorted
    # The digest day arXiv announced it, when the API listed it only after that digest was
    # published and it is stored on a later day; "" when it is stored on its own day.
    announced: str = ""

    @property
    def versioned_id(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id

    @property
    def is_revision(self) -> bool:
        return (self.version or 1) > 1

    @property
    def abs_url(self) -> str:
        return ABS_URL + self.versioned_id

    @property
    def pdf_url(self) -> str:
        return "https://arxiv.org/pdf/" + self.versioned_id

    @property
    def html_url(self) -> str:
        return "https://arxiv.org/html/" + self.versioned_id

    @property
    def versionless_url(self) -> str:
        """Stable across versions: the id of the paper's feed entries."""
        return ABS_URL + self.id

    def with_keywords(self, slugs: Iterable[str]) -> Paper:
        return replace(self, keywords=tuple(sorted(set(slugs))))

    def to_json(self) -> dict[str, Any]:
        """The stored form. Authors are plain names, and the few affiliations arXiv gives
        are kept apart by author position: a year of history parses twice as fast so."""
        data = asdict(self)
        data["authors"] = [a.name for a in self.authors]
        data["affiliations"] = {
            str(index): list(a.affiliations)
            for index, a in enumerate(self.authors)
            if a.affiliations
        }
        for key in ("categories", "keywords"):
            data[key] = list(data[key])
        if not self.announced:
            del data["announced"]  # most papers are on time: their files stay as they were
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Paper:
        """Build a paper from its stored form; raises KeyError/TypeError/ValueError on bad data.

        A year of history is ~36,000 papers, so the checks are plain loops.
        """
        names = _texts(data["authors"])
        affiliations = data.get("affiliations") or {}
        if affiliations:
            if not isinstance(affiliations, dict) or not set(affiliations) <= {
                str(index) for index in range(len(names))
            }:
                raise ValueError(f"affiliations must map author positions: {affiliations!r}")
            authors = tuple(
                Author(name, _texts(affiliations.get(str(index), ())))
                for index, name in enumerate(names)
            )
        else:
            authors = tuple([Author(name) for name in names])
        texts = {name: data.get(name, "") for name in TEXT_FIELDS}
        categories = tuple(data.get("categories", ()))
        keywords = tuple(data.get("keywords", ()))
        for value in (*texts.values(), *categories, *keywords):
            if type(value) is not str:
                raise TypeError(f"expected text, got {type(value).__name__}: {value!r}")
        version = data.get("version")
        if version is not None and (type(version) is not int or version < 1):
            raise ValueError(f"version must be a positive whole number, not {version!r}")
        announced = data.get("announced", "")
        if announced != "":
            _check_day(announced, "announced")
        return cls(
            id=_arxiv_id(data["id"]),
            version=version,
            authors=authors,
            authors_truncated=bool(data.get("authors_truncated", False)),
            categories=categories,
            keywords=keywords,
            announced=announced,
            **texts,
        )


TEXT_FIELDS = (
    "title",
    "abstract",
    "comment",
    "journal_ref",
    "doi",
    "primary_category",
    "published",
    "updated",
)


def clean_text(value: str | None) -> str:
    """Text from arXiv on one line: control characters dropped, whitespace collapsed."""
    return " ".join(CONTROL.sub("", value or "").split())


def split_id(versioned: str) -> tuple[str, int | None]:
    """``2401.01234v2`` -> (``2401.01234``, 2); raises ValueError for what is not an arXiv id."""
    match = ARXIV_ID.match(versioned)
    if not match:
        raise ValueError(f"not an arXiv id: {versioned!r}")
    return match["id"], int(match["v"]) if match["v"] else None


def _arxiv_id(value: object) -> str:
    paper_id, version = split_id(_texts([value])[0])
    if version is not None:
        raise ValueError(f"stored id {value!r} must not carry a version")
    return paper_id


def _check_day(value: object, name: str) -> None:
    """Raise unless ``value`` is a day written ``YYYY-MM-DD``."""
    if type(value) is not str:
        raise TypeError(f"{name} must be a date as text, not {value!r}")
    try:
        # fromisoformat also takes 20260127: only the digest's own form is stored.
        if len(value) != 10 or date.fromisoformat(value).isoformat() != value:
            raise ValueError
    except ValueError:
        raise ValueError(f"{name} must be a date YYYY-MM-DD, not {value!r}") from None


def _texts(values: Iterable[Any]) -> tuple[str, ...]:
    """The values as a tuple, if every one of them is text."""
    values = tuple(values)
    for value in values:
        if type(value) is not str:
            raise TypeError(f"expected text, got {type(value).__name__}: {value!r}")
    return values
