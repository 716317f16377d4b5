"""scripts/screenshots.py still produces the README's screenshots (into a temporary folder)."""

from __future__ import annotations

import struct
import subprocess
import sys

from arxiv_digest_dev import REPOSITORY as ROOT

EXPECTED = {
    f"{page}-{scheme}{device}.png": size
    for page in ("index", "keyword", "digest")
    for scheme in ("light", "dark")
    for device, size in (("", (1280, 800)), ("-phone", (360, 740)))
} | {f"{name}-light.png": (1280, 800) for name in ("unseen", "reading-list", "trends", "search")}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_screenshot_script_photographs_every_page_light_and_dark_desktop_and_phone(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shots = {path.name: path.read_bytes() for path in tmp_path.glob("*.png")}
    assert {name: png_size(data) for name, data in shots.items()} == EXPECTED
    assert shots["index-light.png"] != shots["index-dark.png"]


def test_the_readme_screenshots_are_committed():
    # math-*.png are scripts/math_screenshots.py's (see test_reading_browser).
    shots = (ROOT / "docs").glob("*.png")
    assert sorted(p.name for p in shots if not p.name.startswith("math-")) == sorted(EXPECTED)
