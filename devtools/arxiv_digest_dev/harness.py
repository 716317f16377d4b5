"""Build the sample site, serve it on 127.0.0.1 and start Debian's Chromium.

Shared by the end-to-end fixtures and ``scripts/screenshots.py``, so the screenshots
show exactly the site the tests look at.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pelican import Pelican
from pelican.settings import read_settings
from playwright.sync_api import Browser, Page, Playwright

from arxiv_digest_dev import REPOSITORY, SAMPLE_SITE

# Debian's package, never a browser Playwright downloads: CI installs it with apt-get.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def build_sample_site(output: Path, content: Path = SAMPLE_SITE / "content") -> Path:
    """``pelican content`` with the repository's settings and the sample site's keywords, into
    ``output``; ``content``: another folder of pages and store (``papers/``) than the sample's."""
    settings = read_settings(
        str(REPOSITORY / "pelicanconf.py"),
        override={
            "ARXIV_KEYWORDS_FILE": str(SAMPLE_SITE / "keywords.yaml"),
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            "CACHE_PATH": str(output.parent / "cache"),
        },
    )
    Pelican(settings).run()
    return output


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _UncachedHandler(_QuietHandler):
    # A site rebuilt during a test: Last-Modified has one-second steps, too coarse to tell.
    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@contextmanager
def serve(
    directory: Path,
    *,
    rebuilt: bool = False,
    handler_class: type[SimpleHTTPRequestHandler] | None = None,
) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 and yield its base URL (no trailing slash);
    ``rebuilt``: the site changes while served, so the browser must cache nothing;
    ``handler_class``: another way to answer (the Lighthouse benchmark gzips, as Pages does)."""
    chosen = handler_class or (_UncachedHandler if rebuilt else _QuietHandler)
    handler = functools.partial(chosen, directory=str(directory))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class ChromiumMissing(RuntimeError):
    pass


def launch_chromium(playwright: Playwright) -> Browser:
    if not CHROMIUM.exists():
        raise ChromiumMissing(
            f"{CHROMIUM} is missing: install Debian's browser with "
            "`apt-get install chromium fonts-dejavu-core` (.ci/run does)"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def serious_axe_violations(page: Page, axe_core_js: Path) -> dict[str, list]:
    """axe-core's serious and critical findings on ``page`` as it is now: rule id -> the first
    three elements it names. axe runs through the DevTools protocol, which the page's
    Content-Security-Policy does not govern (a <script> added to the page would be refused)."""
    page.evaluate(axe_core_js.read_text(encoding="utf-8"))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return {
        v["id"]: [node["target"] for node in v["nodes"]][:3]
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    }
