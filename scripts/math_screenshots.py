"""Screenshots of math for the README: a recorded arXiv paper with math in its abstract, as
the site renders it, on a desktop (light and dark) and on a phone (360 px).

    python scripts/math_screenshots.py            # writes docs/math-*.png
    python scripts/math_screenshots.py --out DIR  # anywhere else

The sample store holds little math, so this builds the site the reading tests build (the
recorded arXiv answers of ``tests/fixtures/``), serves it on 127.0.0.1 and photographs one
paper with Debian's Chromium, as the end-to-end tests do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from arxiv_digest_dev.harness import DESKTOP, PHONE, launch_chromium, serve  # noqa: E402
from tests.reading_site import DAY_URLS, RECORDED_DAY, build_reading_site  # noqa: E402

PAPER = "2106.13414"  # "The Price of Tolerance in Distribution Testing": bounds in TeX
# name: (viewport, colour scheme)
SHOTS = {
    "math-light.png": (DESKTOP, "light"),
    "math-dark.png": (DESKTOP, "dark"),
    "math-phone.png": (PHONE, "light"),
}


def take_math_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        output = build_reading_site(Path(tmp) / "site").output
        browser = launch_chromium(playwright)
        with serve(output) as base:
            for name, (viewport, scheme) in SHOTS.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                page.goto(base + DAY_URLS[RECORDED_DAY])
                paper = page.locator(f'article[id="{PAPER}"]')
                paper.locator("details.abstract summary").click()
                paper.screenshot(path=out / name)
                written.append(out / name)
                context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    for path in take_math_screenshots(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
