"""The paper: one version of an arXiv e-print, as announced, with the keywords it matched.

Everything in a :class:`Paper` came from arXiv (or a seed file) and is untrusted
text: it is stored as given and escaped wherever it is shown.
"""

from __future__ import annotations

import json
import re
import reprlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, NamedTuple

from .schedule import is_storable_time, stored_day, stored_moment

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
    def from_json(cls, data: object) -> Paper:
        """Build a paper from its stored form; raises :class:`FieldError` naming the field
        that has the wrong type or value (a store file is untrusted input).

        A year of history is ~36,000 papers, so the checks are plain loops.
        """
        if type(data) is not dict:
            raise FieldError("", f"a paper must be a JSON object, not {shown(data)}")
        if "id" not in data:
            raise FieldError("id", "is missing")
        if "authors" not in data:
            raise FieldError("authors", "is missing")
        names = _texts(data["authors"], "authors")
        affiliations = data.get("affiliations", {})
        if type(affiliations) is not dict:
            raise FieldError(
                "affiliations", f"must map author positions to lists, not {shown(affiliations)}"
            )
        if not affiliations:  # most papers: arXiv gives few affiliations
            authors = tuple([Author(name) for name in names])
        elif extra := sorted(affiliations.keys() - {str(index) for index in range(len(names))}):
            raise FieldError(
                "affiliations", f"names author positions 'authors' does not have: {shown(extra)}"
            )
        else:
            authors = tuple(
                Author(name, _texts(affiliations.get(str(index), []), "affiliations"))
                for index, name in enumerate(names)
            )
        texts = {name: data.get(name, "") for name in TEXT_FIELDS}
        for name, value in texts.items():
            if type(value) is not str:
                raise FieldError(name, f"must be text, not {shown(value)}")
        for name in ("published", "updated"):
            if texts[name] and not is_storable_time(texts[name]):
                _check_moment(texts[name], name)
        truncated = data.get("authors_truncated", False)
        if type(truncated) is not bool:
            raise FieldError("authors_truncated", f"must be true or false, not {shown(truncated)}")
        version = data.get("version")
        if version is not None and (type(version) is not int or version < 1):
            raise FieldError("version", f"must be a positive whole number, not {shown(version)}")
        announced = _text(data.get("announced", ""), "announced")
        if announced != "":
            _check_day(announced, "announced")
        return cls(
            id=_arxiv_id(data["id"]),
            version=version,
            authors=authors,
            authors_truncated=truncated,
            categories=_texts(data.get("categories", []), "categories"),
            keywords=_texts(data.get("keywords", []), "keywords"),
            announced=announced,
            **texts,
        )


class FieldError(ValueError):
    """A field of a stored record has the wrong type or value; the message names it."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"'{field}' {problem}" if field else problem)
        self.field = field


def shown(value: object, limit: int = 60) -> str:
    """A stored value as a message quotes it: as JSON writes it, cut to ``limit`` characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = reprlib.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
    text = _text(value, "id")
    try:
        paper_id, version = split_id(text)
    except ValueError:
        raise FieldError(
            "id", f"must be an arXiv id such as 2601.01234, not {shown(value)}"
        ) from None
    if version is not None:
        raise FieldError("id", f"must not carry a version: {shown(value)}")
    return paper_id


def _check_day(value: object, name: str) -> None:
    """Raise unless ``value`` is a day written ``YYYY-MM-DD``, in the years a store holds."""
    try:
        stored_day(_text(value, name))
    except FieldError:
        raise
    except ValueError as err:
        raise FieldError(name, f"{err}, not {shown(value)}") from None


def _check_moment(value: str, name: str) -> None:
    """Raise unless ``value`` is empty, a day, or a UTC time as arXiv and the seeds give them."""
    if not value:
        return
    try:
        stored_day(value) if len(value) == 10 else stored_moment(value)
    except ValueError as err:
        raise FieldError(name, f"{err}, not {shown(value)}") from None


def _text(value: object, name: str) -> str:
    if type(value) is not str:
        raise FieldError(name, f"must be text, not {shown(value)}")
    return value


def _texts(values: object, name: str) -> tuple[str, ...]:
    """The values as a tuple, if they are a list of text."""
    if type(values) is not list:
        raise FieldError(name, f"must be a list of text, not {shown(values)}")
    for value in values:
        if type(value) is not str:
            raise FieldError(name, f"must hold text only, not {shown(value)}")
    return tuple(values)
