"""The fetch cost: requests a fetch makes to a loopback arXiv server holding the
synthetic papers, when nothing is new and after one new day."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from lxml import etree

from arxiv_digest.fetching.fetch import fetch
from arxiv_digest.fetching.query import build_query
from arxiv_digest.model import keywords as keywords_config
from arxiv_digest.model.paper import Paper
from arxiv_digest.model.settings import FetchSettings
from arxiv_digest.model.store import Day, Store, day_path, dump_day
from arxiv_digest_dev.arxiv_server import ARXIV, NS, ArxivServer, entry, recorded_entries

from .report import verdict
from .synthesize import Site


def atom_entry(base: etree._Element, paper: Paper) -> bytes:
    """A synthetic paper as the arXiv API would send it, from a recorded entry."""
    element = etree.fromstring(
        entry(
            base,
            arxiv_id=paper.id,
            version=paper.version,
            updated=paper.updated,
            published=paper.published,
            title=paper.title,
            summary=paper.abstract,
            comment=paper.comment or None,
            authors=[a.name for a in paper.authors],
            categories=list(paper.categories),
        )
    )
    dropped = ["arxiv:doi", "arxiv:journal_ref", *([] if paper.comment else ["arxiv:comment"])]
    for node in [element.find(tag, NS) for tag in dropped] + element.findall(
        "atom:link[@title='doi']", NS
    ):
        if node is not None:
            element.remove(node)
    if paper.journal_ref:
        etree.SubElement(element, ARXIV + "journal_ref").text = paper.journal_ref
    if paper.doi:
        etree.SubElement(element, ARXIV + "doi").text = paper.doi
    for node, author in zip(element.findall("atom:author", NS), paper.authors, strict=True):
        for affiliation in author.affiliations:
            etree.SubElement(node, ARXIV + "affiliation").text = affiliation
    return etree.tostring(element)


def newest_versions(days: Iterable[Day]) -> list[Paper]:
    """Each paper once, at its newest version, newest first: what arXiv's search returns."""
    latest: dict[str, Paper] = {}
    for day in days:
        for paper in day.papers:
            latest[paper.id] = paper
    return sorted(latest.values(), key=lambda p: (p.updated, p.id), reverse=True)


def measure_fetch_cost(site: Site) -> None:
    """Requests a fetch makes against a loopback arXiv server holding the synthetic papers."""
    config = keywords_config.load(site.workdir / "keywords.yaml")
    base = recorded_entries()[0]
    new_day = site.next_day()
    with tempfile.TemporaryDirectory() as scratch, ArxivServer() as server:
        store = Store(Path(scratch) / "papers")
        shutil.copytree(site.store, store.root)

        def serve(days: Sequence[Day]) -> None:
            papers = newest_versions(days)
            for keyword in config.keywords:
                # arXiv holds far more, but a fetch reads at most max_papers per keyword.
                mine = [p for p in papers if keyword.slug in p.keywords][: 2 * keyword.max_papers]
                server.serve(build_query(keyword), [atom_entry(base, p) for p in mine])

        def run(label: str, expected: str, ok: Callable[[int], bool]) -> list[Path]:
            before = len(server.requests)
            start = time.perf_counter()
            report = fetch(config, store, FetchSettings(api_url=server.url, delay=0.0))
            seconds = time.perf_counter() - start
            made = len(server.requests) - before
            failed = f", {len(report.failures)} keywords FAILED" if report.failures else ""
            print(
                f"  {label:<13} {made:4} requests  target {expected:<17} "
                f"{verdict(ok(made) and not report.failures):<6}  "
                f"{len(report.changed_files)} day files written, {seconds:.2f} s{failed}"
            )
            return report.changed_files

        k = len(config.keywords)
        print(f"{k} keywords, loopback arXiv server, ARXIV_DELAY=0, on a copy of the store:")
        serve(site.days)
        run("nothing new", f"exactly {k}", lambda n: n == k)
        serve([*site.days, new_day])
        changed = run("one new day", f"about {k}", lambda n: k <= n <= k + k // 2)
        path = day_path(store.root, new_day.date)
        written = path.read_text(encoding="utf-8") if path.exists() else ""
        same = changed == [path] and written == dump_day(new_day)
        print(
            f"  the fetched day {new_day.date} is byte-identical to the synthesized one: "
            f"{'yes' if same else 'NO'}"
        )
        start = time.perf_counter()
        days = store.days()
        print(
            f"  of a fetch's time, reading the store ({len(days)} day files) takes "
            f"{time.perf_counter() - start:.2f} s"
        )
