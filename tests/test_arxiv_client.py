"""What ``fetching/client.py`` relies on inside the ``arxiv`` package, checked one by one.

``arxiv.Client`` has no public hook for a session or for a pause that survives a failed
request, so the adapter sets private attributes; it also sets the page size for each search
on the one client. A new ``arxiv`` release that renames or stops reading one of them fails
here, with the name of what changed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import SimpleNamespace
from urllib.parse import urlsplit

import arxiv
import pytest
import requests
import requests.adapters

from arxiv_digest.fetching.client import RELIES_ON, ArxivClient, Rejected
from arxiv_digest_dev.arxiv_server import ArxivServer, entry, error_entry, recorded_entries

BASE = recorded_entries()
QUERY = 'ti:"loopback"'
CHANGED = f"arxiv {arxiv.__version__} changed what arxiv_digest/fetching/client.py relies on"


def parameters(function: Callable[..., object]) -> set[str]:
    return set(inspect.signature(function).parameters)


def a_fresh_client() -> arxiv.Client:
    return arxiv.Client(page_size=7, delay_seconds=3.0, num_retries=0)


# Each entry of RELIES_ON, checked without a request.
STATIC_CHECKS: dict[str, Callable[[], bool]] = {
    "arxiv.Client(delay_seconds, num_retries)": lambda: (
        {"delay_seconds", "num_retries"} <= parameters(arxiv.Client.__init__)
    ),
    "arxiv.Client.results(search, offset)": lambda: (
        {"search", "offset"} <= parameters(arxiv.Client.results)
    ),
    "arxiv.Client.query_url_format": lambda: (
        isinstance(arxiv.Client.query_url_format, str)
        and arxiv.Client.query_url_format.count("{}") == 1
    ),
    "arxiv.Client._session": lambda: isinstance(
        getattr(a_fresh_client(), "_session", None), requests.Session
    ),
    "arxiv.Client._last_request_dt": lambda: (
        hasattr(a_fresh_client(), "_last_request_dt") and a_fresh_client()._last_request_dt is None
    ),
    "arxiv.Client.page_size": lambda: getattr(a_fresh_client(), "page_size", None) == 7,
    "arxiv.UnexpectedEmptyPageError": lambda: issubclass(
        arxiv.UnexpectedEmptyPageError, arxiv.ArxivError
    ),
}


def test_every_reliance_the_adapter_names_is_checked():
    assert set(STATIC_CHECKS) == set(RELIES_ON)


@pytest.mark.parametrize("reliance", sorted(STATIC_CHECKS))
def test_the_arxiv_package_still_has_what_the_adapter_sets_and_calls(reliance):
    assert STATIC_CHECKS[reliance](), f"{CHANGED}: {reliance} ({RELIES_ON[reliance]})"


# -- the same, in use, against the loopback server ----------------------------------------------


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch) -> None:
    """Should a release stop reading query_url_format, its requests fail here, not reach arXiv."""
    send = requests.adapters.HTTPAdapter.send

    def send_to_loopback(adapter, request, *args, **kwargs):
        host = urlsplit(request.url).hostname
        assert host == "127.0.0.1", f"{CHANGED}: arxiv.Client.query_url_format (asked {host})"
        return send(adapter, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send_to_loopback)


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The arxiv client's pauses, recorded instead of waited."""
    recorded: list[float] = []
    monkeypatch.setattr(arxiv, "time", SimpleNamespace(sleep=recorded.append))
    return recorded


@pytest.fixture
def server(arxiv_server: ArxivServer) -> ArxivServer:
    papers = [entry(BASE[n], arxiv_id=f"2603.{n:05d}", version=1) for n in range(1, 6)]
    arxiv_server.serve(QUERY, papers)
    return arxiv_server


def test_the_client_sends_through_the_session_and_to_the_url_it_is_given(server, pauses):
    client = ArxivClient(server.url, delay=0, timeout=(2, 2))
    assert len(list(client.results(QUERY, max_results=5, page_size=5))) == 5
    assert len(server.requests) == 1, f"{CHANGED}: arxiv.Client.query_url_format"
    assert client.requests_made == 1, f"{CHANGED}: arxiv.Client._session"


def test_the_client_asks_for_the_page_size_of_its_search(server, pauses):
    client = ArxivClient(server.url, delay=0, timeout=(2, 2))
    list(client.results(QUERY, max_results=5, page_size=2))
    list(client.results(QUERY, max_results=5, page_size=5))
    asked = [(r["start"], r["max_results"]) for r in server.requests]
    assert asked == [("0", "2"), ("2", "2"), ("4", "2"), ("0", "5")], (
        f"{CHANGED}: arxiv.Client.page_size"
    )


def test_the_client_pauses_after_a_request_it_did_not_see_succeed(server, pauses):
    client = ArxivClient(server.url, delay=3.0, timeout=(2, 2))
    server.fail_next(error_entry(400))
    with pytest.raises(Rejected):
        list(client.results(QUERY, max_results=5, page_size=5))
    list(client.results(QUERY, max_results=5, page_size=5))
    assert len(pauses) == 1, f"{CHANGED}: arxiv.Client._last_request_dt"
    assert 2.9 <= pauses[0] <= 3.0


def test_a_wait_counted_as_the_pause_is_not_paused_again(server, pauses):
    client = ArxivClient(server.url, delay=3.0, timeout=(2, 2))
    list(client.results(QUERY, max_results=5, page_size=5))
    client.count_wait_as_pause()
    list(client.results(QUERY, max_results=5, page_size=5))
    assert pauses == [], f"{CHANGED}: arxiv.Client._last_request_dt"


def test_the_pause_of_one_page_size_holds_for_another(server, pauses):
    client = ArxivClient(server.url, delay=3.0, timeout=(2, 2))
    list(client.results(QUERY, max_results=5, page_size=5))
    list(client.results(QUERY, max_results=5, page_size=3))
    assert len(server.requests) == 3
    assert len(pauses) == 2, f"{CHANGED}: arxiv.Client._last_request_dt"  # both of the 2nd search
    assert all(2.9 <= pause <= 3.0 for pause in pauses)
