"""The benchmark behind ``benchmarks/run.py``: years of arXiv digests, built and measured.

``synthesize`` writes a buildable site of plausible papers (words from ``vocabulary``),
``build`` runs ``pelican content`` on it in fresh processes, ``baseline`` writes the same
days as plain Markdown for a default Pelican, ``scale`` measures 1, 3, 10 years, ``markup``
splits digest pages into markup, text and MathML, ``report`` prints what was written,
``targets`` judges every target of the issue, ``fetch_cost`` counts a fetch's requests to
the loopback arXiv server and ``profiling`` times a build by phase and under cProfile.
"""
