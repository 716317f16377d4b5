"""Screenshots of the sample site for the README: index, a keyword page and a digest page,
light and dark, desktop (1280x800) and phone (360x740), viewport only; and a search, light.

    python scripts/screenshots.py            # writes docs/*.png
    python scripts/screenshots.py --out DIR  # anywhere else

It builds the committed sample store with the repository's settings, serves it on
127.0.0.1 and photographs it with Debian's Chromium, as the end-to-end tests do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.harness import DESKTOP, PHONE, build_sample_site, launch_chromium, serve

# name: (URL, whether the first abstract is shown open)
PAGES = {
    "index": ("/", False),
    "keyword": ("/keywords/vlm/", True),
    "digest": ("/2025/12/03/", True),
}
SEARCH = "/search/?q=anomaly"  # search-light.png: results of a query, filters beside them
SCHEMES = ("light", "dark")
DEVICES = {"": DESKTOP, "-phone": PHONE}


def screenshot_names() -> list[str]:
    """``index-light.png``, ``index-light-phone.png``, ... in the order they are taken."""
    return [
        f"{name}-{scheme}{device}.png" for name in PAGES for scheme in SCHEMES for device in DEVICES
    ] + ["search-light.png"]


def take_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        output = build_sample_site(Path(tmp) / "output")
        browser = launch_chromium(playwright)
        with serve(output) as base:
            for scheme in SCHEMES:
                for device, viewport in DEVICES.items():
                    context = browser.new_context(viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    for name, (url, open_abstract) in PAGES.items():
                        page.goto(base + url)
                        if open_abstract:
                            page.locator("article.paper details.abstract summary").first.click()
                        path = out / f"{name}-{scheme}{device}.png"
                        page.screenshot(path=path)
                        written.append(path)
                    context.close()
            context = browser.new_context(viewport=DESKTOP, color_scheme="light")
            page = context.new_page()
            page.goto(base + SEARCH)
            page.wait_for_selector("#search-status:text-matches('found')")
            page.screenshot(path=out / "search-light.png")
            written.append(out / "search-light.png")
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPOSITORY / "docs", help="folder for the PNGs")
    args = parser.parse_args(argv)
    for path in take_screenshots(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
