"""Rendered digest bodies, kept between builds.

Rendering every stored paper is most of a build, and a day's body only changes when
its day file, the theme, the keywords, the site URL or this plugin change. Each body is
kept in a file under a key made of all of those, so a rebuild renders only the days that
are new or changed, and any change to the other inputs renders everything again.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Collection, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path
from types import CodeType

from ..model.keywords import Keyword

logger = logging.getLogger(__name__)


def fingerprint(parts: Iterable[str | bytes]) -> str:
    """One digest of everything, other than a day's papers, that goes into a body."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def stable_repr(value: object) -> str:
    """A text for a settings value that is the same in every run for the same value:
    mappings and sets sorted, functions by name and code rather than by address."""
    if isinstance(value, dict):
        items = sorted((stable_repr(k), stable_repr(v)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {v}" for k, v in items) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(stable_repr(v) for v in value)) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(stable_repr(v) for v in value) + "]"
    if callable(value):
        code = getattr(value, "__code__", None)
        body = _code_repr(code) if code else ""
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}{body}"
    return repr(value)


def _code_repr(code: CodeType) -> str:
    # A nested code object (a generator expression, a lambda) would repr with its address.
    consts = [_code_repr(c) if isinstance(c, CodeType) else repr(c) for c in code.co_consts]
    return f"({code.co_code!r}, [{', '.join(consts)}])"


def render_fingerprint(
    template_folders: Iterable[Path],
    keywords: Iterable[Keyword],
    settings: Mapping[str, object],
    versions: Iterable[str],
    ignore: Collection[str] = (),
) -> str:
    """Everything besides a day's papers that a digest body can be made from: the
    templates, this plugin, the keywords, every setting but ``ignore`` (templates see
    them all) and the ``versions`` of what renders (Pelican, Jinja)."""
    plugin = Path(__file__).parents[1]  # every layer's code and data, not only the glue's
    files = [
        *((folder, path) for folder in template_folders for path in sorted(folder.rglob("*"))),
        *((plugin, path) for path in sorted(plugin.rglob("*.py"))),
        *((plugin, path) for path in sorted(plugin.glob("data/*"))),
    ]
    return fingerprint(
        [
            *versions,
            # Names head sections; terms and fields say what a paper's marks are.
            stable_repr([(k.slug, k.name, k.terms, k.fields) for k in keywords]),
            *(
                f"{key}={stable_repr(value)}"
                for key, value in sorted(settings.items())
                if key not in ignore
            ),
            *(
                part
                for folder, path in files
                if path.is_file()
                for part in (str(path.relative_to(folder)), path.read_bytes())
            ),
        ]
    )


class BodyCache:
    """Bodies (or other text made from a day, such as its ``.bib``, by ``suffix``) by day in
    ``folder``; a file's name carries the key it was made under.

    New bodies are written by a thread while the build goes on: the writing is disk work
    that can overlap the rendering of the next day. Call :meth:`close` at the end.
    """

    def __init__(self, folder: Path, fingerprint: str, suffix: str = ".html"):
        self.folder = folder
        self.fingerprint = fingerprint
        self.suffix = suffix
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digest-cache")
        self.writes: list[Future[None]] = []
        self.closed = False

    def path(self, day: date, source: str) -> Path:
        key = hashlib.sha256(f"{self.fingerprint}:{source}".encode()).hexdigest()[:20]
        return self.folder / f"{day}.{key}{self.suffix}"

    def get(self, day: date, source: str) -> str | None:
        try:
            return self.path(day, source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, day: date, source: str, body: str) -> None:
        if self.closed:  # a page shown after the build's pages: write it now
            self._write(self.path(day, source), body)
        else:
            self.writes.append(self.writer.submit(self._write, self.path(day, source), body))

    @staticmethod
    def _write(path: Path, body: str) -> None:
        # Whole or not at all (a torn file must never pass for a body), but not fsync'ed
        # like the store: a lost cache file only means rendering that day again.
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(body, encoding="utf-8")
        os.replace(partial, path)

    def close(self, current: Iterable[tuple[date, str]]) -> None:
        """Finish the writes and remove every file that is not the body of a stored day."""
        self.writer.shutdown(wait=True)
        self.closed = True
        for write in self.writes:
            if error := write.exception():
                logger.warning("The digest cache in %s is not written: %s", self.folder, error)
                break
        keep = {self.path(day, source).name for day, source in current}
        for path in self.folder.glob("*"):
            if path.name not in keep:
                path.unlink(missing_ok=True)
