"""axe-core, injected into Chromium, finds nothing serious on the pages readers use most."""

from __future__ import annotations

import pytest

from arxiv_digest_dev.harness import serious_axe_violations

from .conftest import open_every_details

PAGES = {
    "index": "/",
    "keyword": "/keywords/vlm/",
    "digest": "/2025/12/04/",
    "category": "/categories/cs.CV/",
    "archive": "/archive/",
    "about": "/about/",
    "status": "/status/",
}


def serious_violations(page, axe_core_js) -> dict:
    open_every_details(page)  # abstracts and long comments are checked too
    return serious_axe_violations(page, axe_core_js)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_violation(new_tab, sample_url, axe_core_js, name, scheme):
    page = new_tab(color_scheme=scheme).page
    page.goto(sample_url + PAGES[name])
    assert serious_violations(page, axe_core_js) == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["/status/", "/2026/01/28/"])
def test_axe_finds_no_serious_violation_in_a_failed_fetch_or_a_late_paper(
    new_tab, failed_fetch_url, axe_core_js, url, scheme
):
    page = new_tab(color_scheme=scheme).page
    page.goto(failed_fetch_url + url)
    assert serious_violations(page, axe_core_js) == {}
