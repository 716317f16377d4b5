"""Writing the files Pelican's writer does not: each left alone when its bytes are the same."""

from __future__ import annotations

from pathlib import Path


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
