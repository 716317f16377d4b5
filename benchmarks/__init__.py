"""Benchmarks of the built site: see run.py."""
