"""Writing the site's files: pages through Pelican's writer, and the files it does not
write, each left alone when its bytes are the same."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..pages import urls

if TYPE_CHECKING:
    from pelican.generators import Generator
    from pelican.writers import Writer


def write_page(
    generator: Generator, writer: Writer, url: str, template: str, **values: Any
) -> None:
    """The page at ``url`` from the theme's ``template``, with the generator's context."""
    writer.write_file(
        urls.save_as(url),
        generator.get_template(template),
        generator.context,
        generator.settings["RELATIVE_URLS"],
        url=url,
        page_name=url,
        **values,
    )


def write_text(path: Path, text: str) -> None:
    """``text`` at ``path``, left alone when unchanged (a server's Last-Modified stays)."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def copy_file(source: Path, target: Path) -> None:
    """``source``'s bytes at ``target``, left alone when unchanged."""
    data = source.read_bytes()
    if target.is_file() and target.read_bytes() == data:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
