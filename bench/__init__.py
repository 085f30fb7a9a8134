"""Benchmarks: `make bench` (python -m bench) measures and writes BENCHMARKS.md."""
