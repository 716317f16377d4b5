"""Write theme/static/favicon.ico: favicon.svg's mark drawn at 32x32, for the clients that
ask for /favicon.ico whatever the page links (feed readers, old browsers, crawlers).

Drawn here rather than by an image library: a rounded square and three bars, ~180 bytes.
Run it after changing favicon.svg: ``python scripts/favicon_ico.py``.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 32
ACCENT = bytes((0x6B, 0x2B, 0xC4, 0xFF))  # style.css --accent, as in favicon.svg
WHITE = b"\xff\xff\xff\xff"
CLEAR = b"\x00\x00\x00\x00"
CORNER = 6
BARS = ((9, 25), (16, 25), (23, 18))  # favicon.svg's path: y, x where each bar ends
BAR_START, BAR_RADIUS = 7, 1.75
ICO = Path(__file__).resolve().parents[1] / "theme" / "static" / "favicon.ico"


def in_square(x: float, y: float) -> bool:
    nearest_x = min(max(x, CORNER), SIZE - CORNER)
    nearest_y = min(max(y, CORNER), SIZE - CORNER)
    return (x - nearest_x) ** 2 + (y - nearest_y) ** 2 <= CORNER**2


def on_bar(x: float, y: float) -> bool:
    return any(
        (x - min(max(x, BAR_START), end)) ** 2 + (y - bar_y) ** 2 <= BAR_RADIUS**2
        for bar_y, end in BARS
    )


def pixel(x: int, y: int) -> bytes:
    centre_x, centre_y = x + 0.5, y + 0.5
    if not in_square(centre_x, centre_y):
        return CLEAR
    return WHITE if on_bar(centre_x, centre_y) else ACCENT


def png() -> bytes:
    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(SIZE)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )


def ico() -> bytes:
    """One PNG image in an ICO container (every browser since IE reads PNG icons)."""
    image = png()
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", SIZE, SIZE, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


if __name__ == "__main__":
    ICO.write_bytes(ico())
    print(f"wrote {ICO} ({ICO.stat().st_size} bytes)")
