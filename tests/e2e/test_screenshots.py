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
# One paper, as tall as its text: the column's width on a desktop (52rem less padding), the
# phone's less padding.
MATH_WIDTHS = {"math-light.png": 800, "math-dark.png": 800, "math-phone.png": 328}


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_screenshot_script_photographs_every_page_and_a_paper_of_math(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shots = {path.name: path.read_bytes() for path in tmp_path.glob("*.png")}
    sizes = {name: png_size(data) for name, data in shots.items()}
    assert {name: size for name, size in sizes.items() if name not in MATH_WIDTHS} == EXPECTED
    assert {name: sizes.get(name, (0, 0))[0] for name in MATH_WIDTHS} == MATH_WIDTHS
    assert shots["index-light.png"] != shots["index-dark.png"]
    assert shots["math-light.png"] != shots["math-dark.png"]


def test_the_readme_screenshots_are_committed():
    shots = (ROOT / "docs").glob("*.png")
    assert sorted(p.name for p in shots) == sorted(EXPECTED | MATH_WIDTHS)
