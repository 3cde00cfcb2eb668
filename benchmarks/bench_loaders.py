"""Cold parse vs warm (parquet) load of the UNODC GLOTIP workbook, measured in one run.

`critique.datasets.load` caches each parsed upstream table as parquet keyed by the file's sha256
and the loader version; this shows what the cache saves. Uses throwaway cache and output folders,
and the mirror (CRITIQUE_DATA_MIRROR, default ../shared/data/mirror) as the download source.
"""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

_DEFAULT_MIRROR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mirror"


def run() -> list[str]:
    """Time one cold load (fetch from mirror + parse + write parquet) and one warm load of glotip."""
    os.environ.setdefault("CRITIQUE_DATA_MIRROR", str(_DEFAULT_MIRROR))
    from critique import datasets
    from critique.datasets import catalog
    from critique.datasets import paths

    with tempfile.TemporaryDirectory(prefix="bench-loaders-") as tmp, paths.environment(
            CRITIQUE_DATA_DIR=str(Path(tmp) / "raw"), CRITIQUE_CACHE_DIR=str(Path(tmp) / "cache"),
            CRITIQUE_OUTPUT_DIR=str(Path(tmp) / "out")):
        catalog.fetch("glotip")  # copy from the mirror first: not part of either timing
        start = time.perf_counter()
        cold = datasets.load("glotip")
        t_cold = time.perf_counter() - start
        start = time.perf_counter()
        warm = datasets.load("glotip")
        t_warm = time.perf_counter() - start
    assert len(cold) == len(warm), "warm load returned a different number of rows"
    return [
        f"glotip cold parse (xlsx -> validated frame -> parquet): {t_cold:.2f} s, {len(cold):,} rows",
        f"glotip warm load (parquet cache): {t_warm:.3f} s",
        f"cold / warm: {t_cold / t_warm:.0f}x",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
