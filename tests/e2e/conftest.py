"""End-to-end fixtures: built sites served on 127.0.0.1, and Debian's Chromium to read them.

Nothing here may skip: a missing browser, Java runtime, axe-core or Nu HTML Checker fails the
test with what to install.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from arxiv_digest_dev import REPOSITORY
from arxiv_digest_dev.harness import (
    DESKTOP,
    ChromiumMissing,
    build_sample_site,
    launch_chromium,
    serve,
)

from ..conftest import Project, make_paper
from ..runs import FAILED_RUN, OK_RUN, write_log
from .hostile import PAPERS, build_hostile_site

AXE_CORE_JS = Path(
    os.environ.get("AXE_CORE_JS", REPOSITORY / ".cache/axe/node_modules/axe-core/axe.min.js")
)


@dataclass
class Tab:
    """A page in its own browser context, and what a reader would not want it to do."""

    page: Page
    outside: list[str] = field(default_factory=list)  # requests not to 127.0.0.1 (blocked)
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert()/confirm()/prompt(): script ran
    # What the page's Content-Security-Policy refused (also in errors): the policy must let
    # the site do all it does, so any of these fails the test that opened the tab.
    refused: list[str] = field(default_factory=list)


CSP_REFUSED = "Content-Security-Policy refused"
# Run before any script of the page, through the DevTools protocol (which the policy does not
# govern): each refusal becomes a console error that names what was refused.
WATCH_CSP = (
    'document.addEventListener("securitypolicyviolation", (event) => console.error('
    f'"{CSP_REFUSED} " + event.effectiveDirective + ": " + (event.blockedURI || "inline")));'
)


def open_tab(browser: Browser, *, viewport=DESKTOP, color_scheme: str = "light") -> Tab:
    context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
    tab = Tab(context.new_page())

    def guard(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.outside.append(route.request.url)
            route.abort()

    def dialog(d) -> None:
        tab.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    def console(message) -> None:
        if message.type == "error":
            tab.errors.append(message.text)
            if message.text.startswith(CSP_REFUSED):
                tab.refused.append(message.text)

    context.route("**/*", guard)
    context.add_init_script(WATCH_CSP)
    tab.page.on("console", console)
    tab.page.on("pageerror", lambda e: tab.errors.append(f"uncaught: {e}"))
    tab.page.on("dialog", dialog)
    return tab


def page_urls(output: Path) -> list[str]:
    """The site URL of every HTML page in ``output``: ``/``, ``/keywords/vlm/``, ..."""
    urls = []
    for path in output.rglob("index.html"):
        folder = path.parent.relative_to(output).as_posix()
        urls.append("/" if folder == "." else f"/{folder}/")
    return sorted(urls)


def open_every_details(page: Page) -> None:
    """Open every abstract, long comment and author list, as a reader might."""
    page.eval_on_selector_all("details", "all => all.forEach(d => { d.open = true; })")


def overflow(page: Page) -> int:
    """How many CSS pixels the page scrolls sideways."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    return build_sample_site(tmp_path_factory.mktemp("sample") / "output")


@pytest.fixture(scope="session")
def sample_url(sample_output) -> Iterator[str]:
    with serve(sample_output) as url:
        yield url


@pytest.fixture(scope="session")
def hostile_output(tmp_path_factory) -> Path:
    with pytest.MonkeyPatch.context() as monkeypatch:
        project = build_hostile_site(tmp_path_factory.mktemp("hostile") / "site", monkeypatch)
    stored = [p["id"] for papers in project.stored_papers().values() for p in papers]
    if sorted(stored) != sorted(p["id"] for p in PAPERS):
        pytest.fail(f"the hostile papers were not fetched: the store holds {stored}")
    return project.output


@pytest.fixture(scope="session")
def hostile_url(hostile_output) -> Iterator[str]:
    with serve(hostile_output) as url:
        yield url


@pytest.fixture(scope="session")
def failed_fetch_output(tmp_path_factory) -> Path:
    """A small site whose last fetch failed for a keyword, with a paper listed late."""
    project = Project(tmp_path_factory.mktemp("failed-fetch") / "site")
    project.add_day("2026-01-27", [make_paper("2601.00001")])
    project.add_day("2026-01-28", [make_paper("2601.00007", announced="2026-01-27")])
    write_log(project, OK_RUN, FAILED_RUN)
    return project.build()


@pytest.fixture(scope="session")
def failed_fetch_url(failed_fetch_output) -> Iterator[str]:
    with serve(failed_fetch_output) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except ChromiumMissing as err:
            pytest.fail(str(err))
        yield browser
        browser.close()


@pytest.fixture
def new_tab(browser) -> Iterator[Callable[..., Tab]]:
    """Open tabs (each in a fresh context) that are closed after the test, which fails if
    the Content-Security-Policy refused anything in one of them."""
    tabs: list[Tab] = []

    def new(**options) -> Tab:
        tabs.append(open_tab(browser, **options))
        return tabs[-1]

    yield new
    for tab in tabs:
        tab.page.context.close()
    refused = [text for tab in tabs for text in tab.refused]
    assert refused == [], "the Content-Security-Policy refused what the site does"


@pytest.fixture(scope="session")
def axe_core_js() -> Path:
    if not AXE_CORE_JS.is_file():
        pytest.fail(
            f"axe-core is missing at {AXE_CORE_JS}: run scripts/install-test-tools "
            "or set AXE_CORE_JS"
        )
    return AXE_CORE_JS
