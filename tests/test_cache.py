"""Rendered digests kept between builds: a rebuild shows exactly what a fresh build would."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from arxiv_digest.glue.render_cache import render_fingerprint
from arxiv_digest.model.keywords import Keyword
from arxiv_digest_dev.sites import site_bytes

from .conftest import ROOT, Project, elsewhere, make_paper


def copy_theme(target: Path) -> Path:
    shutil.copytree(ROOT / "theme", target)
    return target


def test_a_cached_rebuild_is_byte_identical_to_a_fresh_build(project, tmp_path):
    project.add_day("2026-01-26", [make_paper("2601.00001"), make_paper("2601.00002")])
    project.add_day("2026-01-27", [make_paper("2601.00003", keywords=("vlm", "software-testing"))])
    project.build()
    cached = project.build(OUTPUT_PATH=str(tmp_path / "cached"))
    fresh = project.build(OUTPUT_PATH=str(tmp_path / "fresh"), ARXIV_CACHE=False)
    assert site_bytes(cached) == site_bytes(fresh)


def test_a_rebuild_after_a_new_day_with_a_warm_cache_matches_a_fresh_build_byte_for_byte(
    project, tmp_path
):
    project.add_day("2026-01-26", [make_paper("2601.00001"), make_paper("2601.00002")])
    project.add_day("2026-01-27", [make_paper("2601.00003", keywords=("vlm", "software-testing"))])
    project.build()  # the cache and the output as the last publish left them
    project.add_day("2026-01-28", [make_paper("2601.00004"), make_paper("2601.00002", version=2)])
    rebuilt = project.build()
    fresh = project.build(
        OUTPUT_PATH=str(tmp_path / "fresh"), CACHE_PATH=str(tmp_path / "cold"), ARXIV_CACHE=False
    )
    assert site_bytes(rebuilt) == site_bytes(fresh)


def test_a_changed_day_file_is_rendered_again(project):
    path = project.add_day("2026-01-26", [make_paper("2601.00001", title="First title")])
    project.build()
    project.add_day("2026-01-26", [make_paper("2601.00001", title="Second title")])
    assert path.exists()
    project.build()
    assert "Second title" in project.page("/2026/01/26/").find("article").get_text()


def test_a_changed_theme_renders_every_day_again(project, tmp_path):
    theme = copy_theme(tmp_path / "theme")
    project.add_day("2026-01-26", [make_paper("2601.00001")])
    project.build(THEME=str(theme))
    macros = theme / "templates" / "macros.html"
    macros.write_text(macros.read_text().replace('class="paper"', 'class="paper edited"'))
    project.build(THEME=str(theme))
    assert "edited" in project.page("/2026/01/26/").find("article")["class"]


def test_a_renamed_keyword_renders_every_day_again(project):
    project.add_day("2026-01-26", [make_paper("2601.00001", keywords=("vlm",))])
    project.build()
    project.keywords_file.write_text(
        project.keywords_file.read_text().replace("Vision Language Model", "VLMs")
    )
    project.build()
    section = project.page("/2026/01/26/").find("section", id="kw-vlm")
    assert section.h2.get_text(" ", strip=True).startswith("VLMs")


def test_the_cache_keeps_one_body_per_stored_day(project: Project):
    first = project.add_day("2026-01-26", [make_paper("2601.00001")])
    project.add_day("2026-01-27", [make_paper("2601.00002")])
    project.build()
    first.unlink()
    project.add_day("2026-01-27", [make_paper("2601.00002", title="Changed")])
    project.build()
    cached = sorted(p.name.split(".")[0] for p in (project.root / "cache").rglob("*.html"))
    assert cached == ["2026-01-27"]


def test_a_rebuild_with_nothing_changed_renders_nothing_again(project: Project):
    project.add_day("2026-01-26", [make_paper("2601.00001")])
    project.build()
    cached = {p: p.stat().st_mtime_ns for p in (project.root / "cache").rglob("*.html")}
    project.build()
    assert cached
    assert {p: p.stat().st_mtime_ns for p in (project.root / "cache").rglob("*.html")} == cached


def test_a_rebuild_in_a_new_process_renders_nothing_again(project: Project):
    """Each build is a new process: nothing in the render key may differ between two."""
    project.add_day("2026-01-26", [make_paper("2601.00001")])
    build = [
        sys.executable,
        "-c",
        "import sys; from pathlib import Path; from arxiv_digest_dev.sites import Project; "
        "Project(Path(sys.argv[1])).build()",
        str(project.root),
    ]
    subprocess.run(build, check=True, cwd=project.root, capture_output=True, timeout=120)
    cache = project.root / "cache"
    cached = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    subprocess.run(build, check=True, cwd=project.root, capture_output=True, timeout=120)
    assert {".bib", ".html"} <= {p.suffix for p in cached}  # and the search bundles
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == cached


def render_key(templates: Path, keywords=None, versions=("4.12.0", "3.1.6"), **settings) -> str:
    keywords = keywords or [Keyword(name="Vision Language Model", slug="vlm", terms=("VLM",))]
    return render_fingerprint(
        [templates], keywords, {"SITEURL": "", **settings}, versions, ignore={"ARXIV_DIGEST"}
    )


# Settings whose values iterate in hash order (a set, a dict), given in one order or the other.
SETTINGS = {
    "SITEURL": "https://example.org",
    "IGNORE_FILES": {".#*", "*.tmp", "drafts", "x", "y", "z"},
    "JINJA_GLOBALS": {"a": 1, "b": (2, 3), "c": {"d", "e", "f"}},
    "DEFAULT_PAGINATION": 20,
}


def ordered_render_key(templates: Path, reverse: bool) -> str:
    settings = dict(reversed(SETTINGS.items())) if reverse else SETTINGS
    return render_key(templates, **settings)


def test_the_same_inputs_give_the_same_render_key_whatever_the_clock_seed_and_order(tmp_path):
    templates = copy_theme(tmp_path / "theme") / "templates"
    there = elsewhere(
        f"""
        from pathlib import Path
        from tests.test_cache import ordered_render_key
        print(ordered_render_key(Path({str(templates)!r}), reverse=True))
        """
    )
    assert there.strip() == ordered_render_key(templates, reverse=False)


def test_an_edited_template_override_renders_every_day_again(project, tmp_path):
    """THEME_TEMPLATES_OVERRIDES is part of the theme: a change there shows on the next build."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    macros = (ROOT / "theme" / "templates" / "macros.html").read_text(encoding="utf-8")

    def override(label: str) -> None:
        text = macros.replace("<summary>Abstract</summary>", f"<summary>{label}</summary>")
        (overrides / "macros.html").write_text(text, encoding="utf-8")

    project.add_day("2026-01-26", [make_paper("2601.00001")])
    override("Abstract, first")
    project.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    assert project.page("/2026/01/26/").find("summary", string="Abstract, first")
    override("Abstract, second")
    project.build(THEME_TEMPLATES_OVERRIDES=[str(overrides)])
    page = project.page("/2026/01/26/")
    assert page.find("summary", string="Abstract, second")
    assert not page.find("summary", string="Abstract, first")


def test_a_changed_template_changes_the_render_key(tmp_path):
    templates = copy_theme(tmp_path / "theme") / "templates"
    before = render_key(templates)
    with (templates / "macros.html").open("a", encoding="utf-8") as macros:
        macros.write("\n")
    assert render_key(templates) != before


def test_a_changed_keyword_changes_the_render_key(tmp_path):
    templates = copy_theme(tmp_path / "theme") / "templates"
    renamed = [Keyword(name="Vision-Language Models", slug="vlm", terms=("VLM",))]
    assert render_key(templates, renamed) != render_key(templates)


def test_a_changed_setting_changes_the_render_key_but_the_build_state_does_not(tmp_path):
    templates = copy_theme(tmp_path / "theme") / "templates"
    assert render_key(templates, SITEURL="https://example.org") != render_key(templates)
    assert render_key(templates, ARXIV_DIGEST=object()) == render_key(templates)


def test_another_pelican_or_jinja_version_changes_the_render_key(tmp_path):
    templates = copy_theme(tmp_path / "theme") / "templates"
    assert render_key(templates, versions=("4.12.1", "3.1.6")) != render_key(templates)
