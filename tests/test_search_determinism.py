"""The same store always makes the same search index, byte for byte: a fresh build and a
rebuild (or a build on a restored cache) publish identical bundles."""

from __future__ import annotations

import hashlib
from pathlib import Path

from arxiv_digest.model.keywords import load
from arxiv_digest.model.store import Store
from arxiv_digest.search.pagefind import build_index, find_indexer

from .conftest import SAMPLE_SITE


def files(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_two_builds_of_the_same_store_write_the_same_index_bytes(tmp_path):
    days = Store(SAMPLE_SITE / "content" / "papers").days()
    names = {k.slug: k.name for k in load(SAMPLE_SITE / "keywords.yaml").keywords}
    indexer = find_indexer()
    built = []
    for run in ("first", "second"):  # each with no cache: Pagefind runs anew every month
        report = build_index(days, names, tmp_path / run / "out", tmp_path / run / "cache", indexer)
        assert report.reused == ()
        built.append(files(tmp_path / run / "out" / "search" / "index"))

    first, second = built
    assert any(name.endswith(".pf_filter") for name in first)  # the files that used to vary
    assert first == second
