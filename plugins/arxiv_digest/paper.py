"""The paper: one version of an arXiv e-print, as announced, with the keywords it matched.

Everything in a :class:`Paper` came from arXiv (or a seed file) and is untrusted
text: it is stored as given and escaped wherever it is shown.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace

ABS_URL = "https://arxiv.org/abs/"
# Characters that XML 1.0 and HTML cannot carry; arXiv text has no use for them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# 2401.01234v2, or the pre-2007 form quant-ph/0201082v1.
ARXIV_ID = re.compile(
    r"^(?P<id>(?:[a-z-]+(?:\.[A-Z]{2})?/\d{7})|(?:\d{4}\.\d{4,5}))(?:v(?P<v>\d+))?$"
)


@dataclass(frozen=True, slots=True)
class Author:
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

    def with_keywords(self, slugs) -> Paper:
        return replace(self, keywords=tuple(sorted(set(slugs))))

    def to_json(self) -> dict:
        data = asdict(self)
        data["authors"] = [
            {"name": a.name, "affiliations": list(a.affiliations)} for a in self.authors
        ]
        for key in ("categories", "keywords"):
            data[key] = list(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict) -> Paper:
        """Build a paper from its stored form; raises KeyError/TypeError/ValueError on bad data."""
        authors = tuple(
            Author(_text(a["name"]), tuple(_text(x) for x in a.get("affiliations", ())))
            for a in data.get("authors", ())
        )
        version = data.get("version")
        if version is not None and (not isinstance(version, int) or version < 1):
            raise ValueError(f"version must be a positive whole number, not {version!r}")
        return cls(
            id=_arxiv_id(data["id"]),
            version=version,
            title=_text(data["title"]),
            authors=authors,
            authors_truncated=bool(data.get("authors_truncated", False)),
            abstract=_text(data.get("abstract", "")),
            comment=_text(data.get("comment", "")),
            journal_ref=_text(data.get("journal_ref", "")),
            doi=_text(data.get("doi", "")),
            primary_category=_text(data.get("primary_category", "")),
            categories=tuple(_text(c) for c in data.get("categories", ())),
            published=_text(data.get("published", "")),
            updated=_text(data.get("updated", "")),
            keywords=tuple(_text(k) for k in data.get("keywords", ())),
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


def _arxiv_id(value) -> str:
    paper_id, version = split_id(_text(value))
    if version is not None:
        raise ValueError(f"stored id {value!r} must not carry a version")
    return paper_id


def _text(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}: {value!r}")
    return value
