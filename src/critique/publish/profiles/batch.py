"""Rendering many profiles: through the runner one by one, or several per kernel (``--batch``), and the CLI command."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from critique.datasets import paths
from critique.publish.profiles.page import write_index
from critique.publish.profiles.series import check_iso3, countries_with_data


def notebook() -> Path:
    """The profile notebook."""
    return paths.notebooks_dir() / "profiles" / "country-profile.ipynb"


def out_root() -> Path:
    """``reports/countries/``."""
    return paths.reports_dir() / "countries"

# --------------------------------------------------------------------------------------------
# Rendering many profiles
# --------------------------------------------------------------------------------------------
@dataclass
class ProfilesResult:
    """What a profiles build did."""

    out_root: Path
    ran: list[str]
    skipped: list[str]
    failed: dict[str, str]
    index: Path | None
    timings: dict[str, float] = field(default_factory=dict)


def available(edition: str = "newest") -> list[str]:
    """Every ISO3 that has a profile (UNODC data), read from the glotip release of ``edition``."""
    from critique import datasets

    return countries_with_data(datasets.load("glotip", edition=edition))


def _params(code: str, edition: str) -> dict[str, str]:
    """A country's notebook parameters; ``edition`` only when not the default (same run keys as before)."""
    return {"iso3": code} if edition == "newest" else {"iso3": code, "edition": edition}


def build_profiles(codes: Sequence[str] | None = None, *, n_jobs: int = 1, force: bool = False,
                   root: Path | None = None, progress: bool = True, batch: bool = False,
                   index: bool = True, edition: str = "newest") -> ProfilesResult:
    """Render profiles (``codes`` or all) into ``root`` (default ``reports/countries/<ISO3>/``).

    ``edition`` is the notebooks' catalogue edition (``newest`` or a date; see
    ``critique.datasets.edition_id``).

    Unknown codes are refused before anything runs. ``batch=False`` runs each country through the
    runner (one kernel each, :func:`critique.publish.reports.run_jobs`); ``batch=True`` runs the countries
    in ``n_jobs`` kernels (:func:`run_batch`). Both skip a country whose run key is unchanged.
    """
    from critique.publish import reports

    avail = available(edition)
    codes = check_iso3(codes, avail) if codes else avail
    root = Path(root) if root else out_root()
    root.mkdir(parents=True, exist_ok=True)
    if batch:
        ran, skipped, failed = run_batch(codes, root, n_jobs=n_jobs, force=force, progress=progress,
                                         edition=edition)
    else:
        jobs = [reports.Job(c, notebook(), _params(c, edition), root / c) for c in codes]
        ran, skipped, failed = reports.run_jobs(jobs, n_jobs=n_jobs, force=force, progress=progress,
                                                label="profiles")
    idx = write_index(root, failures=failed) if index else None
    return ProfilesResult(root, ran, skipped, failed, idx)



# --------------------------------------------------------------------------------------------
# Several parameter sets per kernel
# --------------------------------------------------------------------------------------------
_RESET = """
%reset -f
import os as _os
_os.environ['CRITIQUE_OUTPUT_DIR'] = {out!r}
import matplotlib.pyplot as _plt
_plt.close('all')
del _os, _plt
"""


def _batch_worker(codes: Sequence[str], root: str, force: bool, code_fp: str,
                  timeout: int, edition: str = "newest") -> tuple[list[str], list[str], dict[str, str], dict[str, float]]:
    """Run ``codes`` one after another in one kept kernel (see :func:`run_batch`)."""
    import contextlib
    import tempfile
    import time

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.parameterize import parameterize_notebook

    from critique.publish import runner

    nb_path = notebook()
    source_bytes = nb_path.read_bytes()
    source = runner.read_notebook(nb_path)
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    timing = {"kernel_start_s": 0.0, "cells_s": 0.0, "write_s": 0.0}
    env = runner.kernel_environment(Path(root))
    env.pop("CRITIQUE_OUTPUT_DIR")  # set per country by the reset cell
    restore_env = contextlib.ExitStack()
    restore_env.enter_context(paths.environment(**env))
    client = None
    try:
        for code in codes:
            out_dir = Path(root) / code
            params = _params(code, edition)
            if not force and runner.is_up_to_date(nb_path, params, out_dir, code_fp):
                skipped.append(code)
                continue
            if client is None:
                t0 = time.perf_counter()
                client = NotebookClient(nbformat.from_dict(source), kernel_name=runner.KERNEL_NAME,
                                        timeout=timeout, resources={"metadata": {"path": str(paths.root())}})
                client.km = client.create_kernel_manager()
                client.start_new_kernel()
                client.start_new_kernel_client()
                timing["kernel_start_s"] += time.perf_counter() - t0
            staging = runner.make_staging(out_dir)
            nb = nbformat.from_dict(source)
            nb.metadata["papermill"] = {"parameters": {}, "environment_variables": {},
                                        "input_path": str(nb_path), "output_path": ""}  # as papermill's loader
            nb = parameterize_notebook(nb, params, report_mode=False)
            client.nb = nb
            t0 = time.perf_counter()
            client.execute_cell(nbformat.v4.new_code_cell(_RESET.format(out=str(staging))), 0,
                                store_history=False)
            try:
                for index, cell in enumerate(nb.cells):
                    client.execute_cell(cell, index)
            except Exception as exc:  # a cell error, a timeout, a dead kernel
                nbformat.write(nb, str(staging / f"{nb_path.stem}.ipynb"))  # partial, for inspection
                what = (f"failed: {str(exc).strip().splitlines()[-1][:300]}" if isinstance(exc, CellExecutionError)
                        else runner.failure_reason(exc, timeout))
                if not isinstance(exc, CellExecutionError):  # busy or dead: the next country gets a new kernel
                    with contextlib.suppress(Exception):
                        client.km.shutdown_kernel(now=True)
                    client = None
                error = runner.keep_failed(
                    staging, out_dir, f"{nb_path.name} iso3={code}: cell {index} {what}", f"{nb_path.stem}.ipynb")
                failed[code] = str(error)
                timing["cells_s"] += time.perf_counter() - t0
                continue
            timing["cells_s"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            executed = staging / f"{nb_path.stem}.ipynb"
            nbformat.write(nb, str(executed))
            runner.finish_run(staging, executed, nb_path, source_bytes, params, code_fp, out_dir)
            timing["write_s"] += time.perf_counter() - t0
            ran.append(code)
    finally:
        restore_env.close()
        if client is not None:
            client._cleanup_kernel() if hasattr(client, "_cleanup_kernel") else client.km.shutdown_kernel(now=True)
    return ran, skipped, failed, timing


def run_batch(codes: Sequence[str], root: Path, *, n_jobs: int = 1, force: bool = False,
              progress: bool = True, timeout: int = 600,
              timings: dict[str, float] | None = None,
              edition: str = "newest") -> tuple[list[str], list[str], dict[str, str]]:
    """Run the profile for each code, several countries per kernel, in ``n_jobs`` processes.

    Each country is parameterised with papermill's own ``parameterize_notebook`` (the same injected
    ``parameters`` cell as a papermill run), executed cell by cell with nbclient in a kernel kept
    across countries, after ``%reset -f`` clears the namespace and ``CRITIQUE_OUTPUT_DIR`` is
    pointed at the country's staging folder. Output, findings, HTML, run key and the atomic swap
    are those of :func:`critique.publish.runner.run_notebook`. Imports stay loaded between countries
    (``%reset`` clears names, not ``sys.modules``): that is the saving, and also why profile
    code must not keep state in module globals.
    """
    import multiprocessing

    from critique.publish import runner

    runner.validate_parameters(notebook(), _params(codes[0], edition) if codes else {})
    runner.ensure_kernel()
    Path(root).mkdir(parents=True, exist_ok=True)
    code_fp = runner.code_fingerprint()
    chunks = [list(codes[i::max(1, n_jobs)]) for i in range(max(1, n_jobs))]
    chunks = [c for c in chunks if c]
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    totals = timings if timings is not None else {}
    try:
        if len(chunks) <= 1:
            results = [_batch_worker(chunks[0] if chunks else [], str(root), force, code_fp, timeout, edition)]
        else:
            from critique.core import parallel

            with parallel.process_pool(len(chunks), context=multiprocessing.get_context("spawn")) as pool:
                futures = [pool.submit(_batch_worker, c, str(root), force, code_fp, timeout, edition) for c in chunks]
                results = [f.result() for f in futures]
    except KeyboardInterrupt:
        for c in codes:  # workers and kernels are gone; tidy the staging folders they left
            runner.recover(Path(root) / c)
        raise runner.Interrupted("country profiles stopped; last good profiles untouched") from None
    for r, s, f, t in results:
        ran += r
        skipped += s
        failed.update(f)
        for k, v in t.items():
            totals[k] = totals.get(k, 0.0) + v
    if progress:
        print(f"profiles (batch): {len(ran)} run, {len(skipped)} unchanged, {len(failed)} failed",
              file=sys.stderr)
    return ran, skipped, failed


# --------------------------------------------------------------------------------------------
# CLI: critique profiles [--all | ISO3...] [--jobs N] [--force]
# --------------------------------------------------------------------------------------------
def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Render country profiles into reports/countries/<ISO3>/ with an index."
    parser.add_argument("codes", nargs="*", metavar="ISO3", help="countries (ISO3 codes)")
    parser.add_argument("--all", action="store_true", help="every country with UNODC data")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="re-run profiles even when unchanged")
    parser.add_argument("--batch", action="store_true",
                        help="run several countries per kernel (faster for many profiles)")
    parser.add_argument("--edition", default="newest",
                        help="catalogue edition: newest, or a date YYYY-MM-DD (each source at its newest release by then)")


def _command(args: argparse.Namespace) -> int:
    from critique.core.errors import ParameterError

    if args.all == bool(args.codes):
        raise ParameterError("critique profiles: give ISO3 codes or --all (not both, not neither)")
    res = build_profiles(None if args.all else args.codes, n_jobs=args.jobs, force=args.force,
                         batch=args.batch, edition=args.edition)
    print(f"profiles: {len(res.ran)} run, {len(res.skipped)} unchanged, {len(res.failed)} failed -> {res.index}")
    for name, err in res.failed.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if res.failed else 0


def _register() -> None:
    from critique.publish import cli

    cli.EXTRA_COMMANDS["profiles"] = (_add_arguments, _command)


_register()
