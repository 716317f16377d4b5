"""arxiv-digest: a Pelican plugin that keeps the newest arXiv papers on your topics.

``register()`` is Pelican's entry point; the work is in one module per concern:
config -> query -> fetch -> store, then site (what pages show) and urls (where), and the
Pelican glue, whose table of contents is plugin.register().
"""


def register() -> None:
    from .glue.plugin import register as connect_signals

    connect_signals()
