"""Pelican's writer, leaving alone the archive pages that a rebuild does not change.

Which pages those are is decided before anything is written (``generator``, from the last
build's ``manifest``); a page missing from the output is written whatever was decided.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pelican.writers import Writer

from ..pages.rebuild import is_archive_page
from .state import state_of

if TYPE_CHECKING:
    from pelican import Pelican


class ArchiveWriter(Writer):
    def write_file(self, name: str, *args: Any, **kwargs: Any) -> None:
        if name and self.unchanged(name):
            return  # as the last build wrote it: not rendered, not written
        super().write_file(name, *args, **kwargs)

    def unchanged(self, name: str) -> bool:
        return (
            is_archive_page(name)
            and not state_of(self.settings).writes(name)
            and (Path(self.output_path) / name).is_file()
        )


def add_writer(pelican: Pelican) -> type[Writer]:
    return ArchiveWriter
