"""Run every benchmarks/bench_*.py module's `run()` and print `name = value` lines.

`run()` may print its own lines and return None, or return `{name: value}` or `{name: (value, "reference")}`
(or a list of such pairs); the reference figure is printed beside the value. `python -m benchmarks import lookup`
runs only the modules whose names contain one of the words given.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def _format(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 100 else f"{value:,.0f}".replace(",", "")
    return str(value)


def _print_figures(figures) -> None:
    items = figures.items() if isinstance(figures, dict) else figures
    for name, value in items:
        if isinstance(value, tuple):
            value, reference = value
            print(f"{name} = {_format(value)}  ({reference})", flush=True)
        else:
            print(f"{name} = {_format(value)}", flush=True)


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    if argv:
        names = [n for n in names if any(word in n for word in argv)]
    failed = 0
    for name in names:
        started = time.perf_counter()
        print(f"# {name}", flush=True)
        try:
            module = importlib.import_module(f"benchmarks.{name}")
            figures = module.run()
        except Exception:
            failed += 1
            traceback.print_exc()
            print(f"# {name} failed", flush=True)
            continue
        if figures:
            _print_figures(figures)
        print(f"# {name} took {time.perf_counter() - started:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
