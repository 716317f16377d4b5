"""A digest older than ARXIV_ABSTRACT_YEARS (light: no abstracts, authors as plain names,
category tags without their full name) passes the Nu checker and axe, at 360 px and dark."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from arxiv_digest.model.paper import Author
from arxiv_digest.model.store import Store
from arxiv_digest_dev import SAMPLE_SITE
from arxiv_digest_dev.harness import PHONE, serious_axe_violations, serve
from arxiv_digest_dev.sites import Project, make_paper

from ..readers import html_files, nu_errors
from .conftest import open_every_details

LIGHT_DAY = "/2024/12/04/"


@pytest.fixture(scope="module")
def light_output(tmp_path_factory):
    """The sample site, and a day a year older than its newest holding the papers of one of
    its days and one with nine authors, an affiliation, a comment, a DOI."""
    project = Project(
        tmp_path_factory.mktemp("light") / "site",
        (SAMPLE_SITE / "keywords.yaml").read_text(encoding="utf-8"),
    )
    days = Store(SAMPLE_SITE / "content" / "papers").days()
    for day in days:
        project.add_day(day.date, day.papers)
    crowded = make_paper(
        "2412.00001",
        authors=tuple(Author(f"Author{n} Surname{n}", ("Lab {n}",)) for n in range(9)),
        comment="12 pages, code at https://github.com/quokka/flow",
        doi="10.1000/quokka.1",
        keywords=(),
    )
    sample = next(day for day in days if day.date == date(2026, 1, 30))
    project.add_day(date(2024, 12, 4), [crowded, *sample.papers])
    output = project.build(ARXIV_ABSTRACT_YEARS=1)
    page = (output / LIGHT_DAY.strip("/") / "index.html").read_text(encoding="utf-8")
    assert 'class="abstract"' not in page  # light
    assert "Author8 Surname8" in page  # in full
    return output


def test_every_page_of_a_site_with_light_days_passes_the_nu_html_checker(light_output):
    assert nu_errors(html_files(light_output)) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, None], ids=["360px", "desktop"])
def test_axe_finds_no_serious_violation_on_a_light_digest(
    new_tab, light_output, axe_core_js, scheme, viewport
):
    options = {"viewport": viewport} if viewport else {}
    page = new_tab(color_scheme=scheme, **options).page
    with serve(light_output) as url:
        page.goto(url + LIGHT_DAY)
        open_every_details(page)
        assert serious_axe_violations(page, axe_core_js) == {}


def test_a_search_result_from_a_light_day_sends_its_abstract_to_arxiv(new_tab, light_output):
    tab = new_tab()
    with serve(light_output) as url:
        tab.page.goto(url + "/search/?q=2412.00001")
        result = tab.page.locator("#search-results article").filter(has_text="2412.00001").first
        result.locator("details.abstract summary").click()
        body = result.locator("details.abstract .abstract-body")
        expect(body.get_by_role("link", name="read it on arXiv")).to_have_attribute(
            "href", "https://arxiv.org/abs/2412.00001"
        )
        expect(body).not_to_contain_text("could not be loaded")
    assert tab.errors == []
