"""The benchmark behind ``benchmarks/run.py``: a year of arXiv digests, built and measured.

``synthesize`` writes a buildable site of plausible papers (words from ``vocabulary``),
``build`` runs ``pelican content`` on it in fresh processes, ``report`` prints what was
written and how it compares with the targets, ``fetch_cost`` counts a fetch's requests to
the loopback arXiv server and ``profiling`` runs one build under cProfile.
"""
