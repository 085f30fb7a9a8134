"""Benchmarks: plain scripts that print a result line (`python -m bench.<name>`)."""
