"""Load ``keywords.yaml`` into typed, validated :class:`Keyword` objects.

Everything is checked here, before anything is fetched or written: a mistake in the
file stops the run with one :class:`ConfigError` that names the file, the line and
what to change. The YAML is read as a node tree (not plain dicts) so that every
value keeps the line it came from.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from unidecode import unidecode

from .paper import CONTROL
from .taxonomy import is_known_category, suggest_category

# keywords.yaml field names -> arXiv API search prefixes.
FIELD_PREFIXES = {
    "title": "ti",
    "abstract": "abs",
    "comment": "co",
    "authors": "au",
    "all": "all",
}
DEFAULTS: dict[str, Any] = {"max_papers": 100, "fields": ("title", "abstract"), "categories": ()}
MAX_PAPERS_LIMIT = 2000  # one page of the arXiv API
RESERVED_SLUGS = {"all"}  # /feeds/all.atom.xml is the site feed

TOP_KEYS = ("defaults", "keywords")
DEFAULT_KEYS = ("max_papers", "fields", "categories", "exclude")
KEYWORD_KEYS = ("name", "slug", "terms", "query", *DEFAULT_KEYS)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Keyword:
    """One topic a researcher follows, as it will be queried and shown."""

    name: str
    slug: str
    terms: tuple[str, ...] = ()
    fields: tuple[str, ...] = DEFAULTS["fields"]
    categories: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_papers: int = DEFAULTS["max_papers"]
    query: str | None = None  # a raw arXiv query replaces terms/fields/categories/exclude
    line: int = 0  # where it is defined in keywords.yaml, for messages


@dataclass(frozen=True)
class Config:
    path: Path
    keywords: tuple[Keyword, ...]

    def keyword(self, slug: str) -> Keyword | None:
        return next((k for k in self.keywords if k.slug == slug), None)


class ConfigError(Exception):
    """keywords.yaml cannot be used; the message says where and what to change."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path = Path(path)
        self.line = line  # 0: the file as a whole
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


def slugify(name: str) -> str:
    """A URL-safe slug: ``Vision Language Model`` -> ``vision-language-model``,
    other scripts spelled in Latin letters (``视频理解`` -> ``shi-pin-li-jie``)."""
    return "-".join(re.findall(r"[a-z0-9]+", unidecode(name).lower()))


def load(path: Path | str) -> Config:
    """Read and validate a keywords file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            path, 0, "file not found; create it (see README, 'keywords.yaml')"
        ) from None
    except UnicodeDecodeError as err:
        raise ConfigError(path, 1, f"not UTF-8 text ({err.reason}); save it as UTF-8") from None
    return parse(text, path)


def parse(text: str, path: Path | str = "keywords.yaml") -> Config:
    """Validate the text of a keywords file; ``path`` is only used in messages."""
    return _Parser(Path(path)).config(text)


class _Parser:
    def __init__(self, path: Path):
        self.path = path

    def error(self, node: yaml.Node | None, message: str) -> ConfigError:
        line = node.start_mark.line + 1 if node is not None else 1
        return ConfigError(self.path, line, message)

    # -- document structure ---------------------------------------------------------

    def config(self, text: str) -> Config:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as err:
            mark = err.problem_mark or err.context_mark
            line = mark.line + 1 if mark else 1
            started = ""
            if err.context and err.context_mark and err.context_mark.line + 1 != line:
                started = f" ({err.context} that starts on line {err.context_mark.line + 1})"
            raise ConfigError(
                self.path,
                line,
                f"YAML syntax error: {err.problem or err}{started}; check the indentation, "
                "brackets and quotes (quote phrases that contain ':' or '#')",
            ) from None
        except yaml.YAMLError as err:
            raise ConfigError(self.path, 1, f"YAML error: {err}") from None
        if root is None:
            raise ConfigError(self.path, 1, "the file is empty; add a 'keywords:' list")

        top = self.mapping(root, TOP_KEYS, "the top level")
        if "keywords" not in top:
            raise self.error(root, "no 'keywords:' list; add one with at least one keyword")
        defaults = self.defaults(top["defaults"]) if "defaults" in top else {}

        items = top["keywords"]
        if not isinstance(items, yaml.SequenceNode) or not items.value:
            raise self.error(items, "'keywords' must be a list with at least one keyword")
        keywords = tuple(self.keyword(node, defaults) for node in items.value)

        first_by_slug: dict[str, Keyword] = {}
        for keyword in keywords:
            if keyword.slug in first_by_slug:
                other = first_by_slug[keyword.slug]
                raise ConfigError(
                    self.path,
                    keyword.line,
                    f"keyword {keyword.name!r} has the slug {keyword.slug!r}, already used by "
                    f"{other.name!r} on line {other.line}; give one of them another 'slug:'",
                )
            first_by_slug[keyword.slug] = keyword
        return Config(self.path, keywords)

    def defaults(self, node: yaml.Node) -> dict[str, Any]:
        fields = self.mapping(node, DEFAULT_KEYS, "'defaults'")
        return {key: self.option(key, value) for key, value in fields.items()}

    def keyword(self, node: yaml.Node, defaults: dict[str, Any]) -> Keyword:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(
                node, "each keyword must be a mapping like '- name: ...' with 'terms: [...]'"
            )
        fields = self.mapping(node, KEYWORD_KEYS, "a keyword")
        if "name" not in fields:
            raise self.error(node, "keyword without 'name:'; add the name shown on the site")
        name = self.text(fields["name"], "'name'")
        where = f"keyword {name!r}"
        options = {**DEFAULTS, **defaults}
        options.update(
            {key: self.option(key, value) for key, value in fields.items() if key in DEFAULT_KEYS}
        )

        if "slug" in fields:
            slug = self.text(fields["slug"], "'slug'")
            if not SLUG.match(slug):
                raise self.error(
                    fields["slug"],
                    f"{where}: slug {slug!r} must be lowercase letters, digits and single "
                    "hyphens, e.g. 'vlm' or 'video-understanding'",
                )
        else:
            slug = slugify(name)
            if not slug:
                raise self.error(
                    fields["name"], f"{where}: no slug can be made from this name; add 'slug:'"
                )
        if slug in RESERVED_SLUGS:
            raise self.error(
                fields.get("slug", fields["name"]),
                f"{where}: the slug {slug!r} is reserved for the site feed; set another 'slug:'",
            )

        query = None
        terms: tuple[str, ...] = ()
        if "query" in fields:
            query = self.text(fields["query"], f"{where}: 'query'")
            clashing = [
                key for key in ("terms", "fields", "categories", "exclude") if key in fields
            ]
            if clashing:
                raise self.error(
                    fields["query"],
                    f"{where}: 'query' replaces {', '.join(clashing)}; remove either 'query' "
                    "or those keys",
                )
            self.check_raw_query(fields["query"], query, where)
        elif "terms" not in fields:
            raise self.error(
                node, f"{where} has no 'terms:'; list the phrases to search for, or give a 'query:'"
            )
        else:
            terms = self.phrases(fields["terms"], f"{where}: 'terms'")
            if not terms:
                raise self.error(fields["terms"], f"{where}: 'terms' is empty; add a phrase")

        return Keyword(
            name=name,
            slug=slug,
            terms=terms,
            fields=options["fields"],
            categories=options["categories"],
            exclude=options.get("exclude", ()),
            max_papers=options["max_papers"],
            query=query,
            line=node.start_mark.line + 1,
        )

    # -- values ---------------------------------------------------------------------

    def option(self, key: str, node: yaml.Node) -> int | tuple[str, ...]:
        if key == "max_papers":
            return self.max_papers(node)
        if key == "fields":
            fields = self.phrases(node, "'fields'")
            for field, item in zip(fields, node.value, strict=True):
                if field not in FIELD_PREFIXES:
                    raise self.error(
                        item,
                        f"unknown field {field!r}; use some of: {', '.join(FIELD_PREFIXES)}",
                    )
            if not fields:
                raise self.error(node, "'fields' is empty; use e.g. [title, abstract]")
            return fields
        if key == "categories":
            codes = self.phrases(node, "'categories'")
            for code, item in zip(codes, node.value, strict=True):
                if not is_known_category(code):
                    guess = suggest_category(code)
                    hint = (
                        f"did you mean {guess!r}?" if guess else "see arxiv.org/category_taxonomy"
                    )
                    raise self.error(item, f"unknown arXiv category {code!r}; {hint}")
            return codes
        return self.phrases(node, f"'{key}'")  # exclude

    def max_papers(self, node: yaml.Node) -> int:
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        try:
            # A sequence may carry the !!int tag too: its value is not text.
            number = (
                int(value, 0)
                if isinstance(value, str) and node.tag == "tag:yaml.org,2002:int"
                else None
            )
        except ValueError:
            number = None
        if number is None or not 1 <= number <= MAX_PAPERS_LIMIT:
            raise self.error(
                node,
                f"'max_papers' must be a whole number from 1 to {MAX_PAPERS_LIMIT}, not {value!r}",
            )
        return number

    def mapping(self, node: yaml.Node, allowed: tuple[str, ...], what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.error(node, f"{what} must be a mapping of 'key: value' lines")
        fields: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise self.error(
                    key_node,
                    f"unknown key {key!r} in {what}; {hint}allowed: {', '.join(allowed)}",
                )
            if key in fields:
                raise self.error(key_node, f"{key!r} appears twice in {what}; keep one")
            fields[key] = value_node
        return fields

    def text(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            raise self.error(node, f"{what} must be text")
        if CONTROL.search(str(node.value)):
            raise self.error(node, f"{what} holds a control character; remove it")
        value = " ".join(str(node.value).split())
        if not value:
            raise self.error(node, f"{what} is empty; write some text or remove the line")
        return value

    def phrases(self, node: yaml.Node, what: str) -> tuple[str, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.error(node, f'{what} must be a list, e.g. ["video anomaly detection"]')
        phrases = []
        for item in node.value:
            phrase = self.text(item, f"a phrase in {what}")
            if '"' in phrase:
                raise self.error(
                    item, f"{what}: phrase {phrase!r} contains '\"', which arXiv cannot search"
                )
            phrases.append(phrase)
        return tuple(phrases)

    def check_raw_query(self, node: yaml.Node, query: str, where: str) -> None:
        if query.count('"') % 2:
            raise self.error(node, f"{where}: 'query' has an unclosed '\"'")
        depth = 0
        for char in re.sub(r'"[^"]*"', "", query):
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth < 0:
                break
        if depth:
            raise self.error(node, f"{where}: 'query' has unbalanced parentheses")
