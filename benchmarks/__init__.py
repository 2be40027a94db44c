"""Benchmarks (`make bench` = `python -m benchmarks`): each `bench_*.py` module has a `run()`; figures are printed
as `name = value` lines with their reference runs. Never timed tests: numbers depend on the machine."""
