"""`make bench`: run every benchmarks/bench_*.py and print what each measured in this one run.

Speed targets are checked here as ratios measured in the same run, never in timed tests (these
machines are noisy). `python benchmarks/run.py reports mse` runs only the named benchmarks.
"""
from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            for line in module.run():
                print(f"   {line}", flush=True)
        except Exception:
            failures += 1
            traceback.print_exc()
        print(f"   ({time.perf_counter() - start:.1f} s for this benchmark)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
