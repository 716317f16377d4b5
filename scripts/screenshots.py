"""Screenshots for the README: of the sample site, index, a keyword page and a digest page,
light and dark, desktop (1280x800) and phone (360x740), viewport only; a search, light;
keeping up (light, desktop): the index marking a day built since the last visit, the reading
list, and a keyword page's trend chart; and math: one paper of TeX in its abstract, light and
dark on a desktop and light on a phone.

    python scripts/screenshots.py            # writes docs/*.png
    python scripts/screenshots.py --out DIR  # anywhere else

It builds the tests' sample site (tests/fixtures/sample-site/) with the repository's
settings, and for the math (the sample store holds little) the reading tests' site of recorded
arXiv answers, serves each on 127.0.0.1 and photographs it with Debian's Chromium, as the
end-to-end tests do.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

from arxiv_digest_dev import REPOSITORY, SAMPLE_SITE
from arxiv_digest_dev.harness import DESKTOP, PHONE, build_sample_site, launch_chromium, serve
from arxiv_digest_dev.reading_site import DAY_URLS, RECORDED_DAY, build_reading_site

# name: (URL, whether the first abstract is shown open)
PAGES = {
    "index": ("/", False),
    "keyword": ("/keywords/vlm/", True),
    "digest": ("/2025/12/04/", True),
}
SEARCH = "/search/?q=anomaly"  # search-light.png: results of a query, filters beside them
SCHEMES = ("light", "dark")
DEVICES = {"": DESKTOP, "-phone": PHONE}
KEEPUP = ("unseen-light.png", "reading-list-light.png", "trends-light.png")
NEWEST_DAY = "2026-02-02"  # the sample's newest day: "announced" after the first visit
MATH_PAPER = "2106.13414"  # "The Price of Tolerance in Distribution Testing": bounds in TeX
# name: (viewport, colour scheme)
MATH = {
    "math-light.png": (DESKTOP, "light"),
    "math-dark.png": (DESKTOP, "dark"),
    "math-phone.png": (PHONE, "light"),
}


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
        written += take_keepup_screenshots(out, browser, Path(tmp))
        written += take_math_screenshots(out, browser, Path(tmp))
        browser.close()
    return written


def take_keepup_screenshots(out: Path, browser, tmp: Path) -> list[Path]:
    """A visit to the sample site without its newest day, that day built, a second visit."""
    content = tmp / "content"
    shutil.copytree(SAMPLE_SITE / "content", content)
    newest = content / "papers" / NEWEST_DAY[:4] / f"{NEWEST_DAY}.json"
    held_back = newest.read_bytes()
    newest.unlink()
    output = build_sample_site(tmp / "keepup" / "output", content)
    unseen, reading_list, trend = (out / name for name in KEEPUP)
    with serve(output, rebuilt=True) as base:
        context = browser.new_context(viewport=DESKTOP, color_scheme="light")
        page = context.new_page()
        first_visit = datetime(2026, 2, 2, 9, tzinfo=UTC)
        page.clock.install(time=first_visit)
        page.goto(base + "/")
        page.locator("html[data-keepup=ready]").wait_for(state="attached")
        newest.write_bytes(held_back)
        build_sample_site(output, content)
        page.clock.set_system_time(first_visit + timedelta(hours=3))
        page.goto(base + "/")
        page.locator("html[data-keepup=ready]").wait_for(state="attached")
        page.screenshot(path=unseen)
        for star in page.get_by_role("button", name="Save").all()[1:4]:
            star.click()
        page.goto(base + "/reading-list/")
        page.locator("#reading-list:not([aria-busy=true])").wait_for()
        page.locator("#reading-list-papers details.abstract summary").first.click()
        page.screenshot(path=reading_list)
        page.goto(base + "/keywords/vlm/")
        page.locator("html[data-keepup=ready]").wait_for(state="attached")
        page.locator("figure.trend").scroll_into_view_if_needed()
        page.screenshot(path=trend)
        context.close()
    return [unseen, reading_list, trend]


def take_math_screenshots(out: Path, browser, tmp: Path) -> list[Path]:
    """One recorded paper with its abstract open, the paper only."""
    output = build_reading_site(tmp / "reading").output
    written = []
    with serve(output) as base:
        for name, (viewport, scheme) in MATH.items():
            context = browser.new_context(viewport=viewport, color_scheme=scheme)
            page = context.new_page()
            page.goto(base + DAY_URLS[RECORDED_DAY])
            paper = page.locator(f'article[id="{MATH_PAPER}"]')
            paper.locator("details.abstract summary").click()
            paper.screenshot(path=out / name)
            written.append(out / name)
            context.close()
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
