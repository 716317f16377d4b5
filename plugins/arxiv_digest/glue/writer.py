"""Pelican's writer, leaving alone the pages that a rebuild does not change: the archive
pages no change feeds, and every page when nothing changed.

Which pages those are is decided before anything is written (``generator``, from the last
build's ``manifest``); a page missing from the output is written whatever was decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pelican.writers import Writer

from .state import state_of

if TYPE_CHECKING:
    from pelican import Pelican


class ArchiveWriter(Writer):
    def write_file(self, name: str, *args: Any, **kwargs: Any) -> None:
        if name and self.unchanged(name):
            return  # as the last build wrote it: not rendered, not written
        super().write_file(name, *args, **kwargs)

    def unchanged(self, name: str) -> bool:
        return state_of(self.settings).keeps(Path(self.output_path), name)

    def write_feed(
        self, elements: Any, context: Any, path: str | None = None, *args: Any, **kwargs: Any
    ) -> Any:
        if path and self.unchanged(path):
            return None  # Pelican's site feed, when nothing it shows changed
        return super().write_feed(elements, context, path, *args, **kwargs)


def add_writer(pelican: Pelican) -> type[Writer]:
    return ArchiveWriter
