"""Rebuild every briefing notebook, page, figure and the chart pack with one command.

``critique reports -f notebooks/params/briefing.yml --jobs 2`` runs every ``notebooks/NN-*.ipynb``
with the named parameter set into ``reports/<set name>/<stem>/`` through :mod:`critique.runner`
(validated parameters, atomic output), in parallel, skipping notebooks whose source, parameters,
inputs and package code are unchanged (HRDAG's "a change re-runs exactly what it affects"). It then
writes ``index.html`` (every page and figure with its caption, run date, data and checksums) and
``briefing.pdf`` (one figure a page with caption and source, made with matplotlib alone).
"""
from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import sys
import tempfile
import textwrap
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from critique import paths, runner
from critique.atomicio import write_text_atomic


@dataclass(frozen=True)
class Job:
    """One notebook to run with its parameters into ``out_dir``."""

    name: str
    notebook: Path
    params: dict[str, Any]
    out_dir: Path


@dataclass
class BuildResult:
    """What a build did."""

    out_root: Path
    ran: list[str]
    skipped: list[str]
    failed: dict[str, str]
    index: Path | None
    pdf: Path | None


def analysis_notebooks() -> list[Path]:
    """The briefing notebooks: ``notebooks/NN-*.ipynb`` in order."""
    return sorted(p for p in paths.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))


def _run_job(job: Job, force: bool, code: str, timeout: int) -> tuple[str, bool]:
    result = runner.run_notebook(job.notebook, job.params, job.out_dir, force=force, code=code,
                                 timeout=timeout)
    return job.name, result.skipped


def run_jobs(jobs: Sequence[Job], *, n_jobs: int = 1, force: bool = False,
             timeout: int = runner.DEFAULT_CELL_TIMEOUT_S, progress: bool = True,
             label: str = "notebooks") -> tuple[list[str], list[str], dict[str, str]]:
    """Run jobs (in parallel across ``n_jobs`` processes); return (ran, skipped, failed)."""
    from tqdm import tqdm

    code = runner.code_fingerprint()
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    bar = tqdm(total=len(jobs), desc=label, unit="nb", disable=not progress, file=sys.stderr)
    if not force:  # unchanged notebooks are skipped before any notebook is parsed or kernel started
        fresh = [job for job in jobs if runner.is_up_to_date(job.notebook, job.params, job.out_dir, code)]
        for job in fresh:
            skipped.append(job.name)
            bar.set_postfix_str(f"{job.name} (unchanged)")
            bar.update(1)
        jobs = [job for job in jobs if job not in fresh]
    for job in jobs:  # refuse bad parameters before anything runs
        runner.validate_parameters(job.notebook, job.params)
    if jobs:
        runner.ensure_kernel()

    def done(name: str, was_skipped: bool | None, error: str | None) -> None:
        if error is not None:
            failed[name] = error
        elif was_skipped:
            skipped.append(name)
        else:
            ran.append(name)
        bar.set_postfix_str(f"{name}{' (unchanged)' if was_skipped else ''}{' FAILED' if error else ''}")
        bar.update(1)

    if not jobs:
        pass
    elif n_jobs <= 1 or len(jobs) <= 1:
        for job in jobs:
            try:
                name, was_skipped = _run_job(job, force, code, timeout)
                done(name, was_skipped, None)
            except (runner.RunError, runner.ParameterError) as exc:
                done(job.name, None, str(exc))
    else:
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=ctx) as pool:
            futures = {pool.submit(_run_job, job, force, code, timeout): job for job in jobs}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    name, was_skipped = fut.result()
                    done(name, was_skipped, None)
                except Exception as exc:  # a worker's RunError arrives here pickled
                    done(job.name, None, str(exc))
    bar.close()
    return ran, skipped, failed


def jobs_for_set(params_file: Path, notebooks: Iterable[Path] | None = None,
                 out_root: Path | None = None) -> tuple[str, list[Job]]:
    """The jobs of a named parameter set; a set that names a notebook that does not exist is refused."""
    name, per_notebook = runner.load_param_set(params_file)
    notebooks = list(notebooks) if notebooks is not None else analysis_notebooks()
    stems = {nb.stem for nb in notebooks}
    unknown = sorted(set(per_notebook) - stems)
    if unknown:
        known = ", ".join(sorted(stems))
        raise runner.ParameterError(f"{params_file}: no notebook named {', '.join(unknown)} "
                                    f"(notebooks: {known})")
    out_root = out_root or paths.reports_dir() / name
    jobs = [Job(nb.stem, nb, per_notebook.get(nb.stem, {}), out_root / nb.stem) for nb in notebooks]
    return name, jobs


def build_reports(params_file: Path | None = None, *, n_jobs: int = 1, force: bool = False,
                  out_root: Path | None = None, progress: bool = True,
                  timeout: int = runner.DEFAULT_CELL_TIMEOUT_S) -> BuildResult:
    """Run every analysis notebook with a parameter set, then write the index and the chart pack."""
    params_file = Path(params_file or paths.params_dir() / "briefing.yml")
    name, jobs = jobs_for_set(params_file, out_root=out_root)
    out_root = out_root or paths.reports_dir() / name
    out_root.mkdir(parents=True, exist_ok=True)
    ran, skipped, failed = run_jobs(jobs, n_jobs=n_jobs, force=force, progress=progress,
                                    timeout=timeout)
    index, pdf = write_index_and_pack(out_root, [j.name for j in jobs], title=f"critique-suite: {name}",
                                      failures=sorted(failed), rebuild_pdf=bool(ran) or force)
    return BuildResult(out_root, ran, skipped, failed, index, pdf)


def _page_entries(out_root: Path, names: Sequence[str]) -> list[dict[str, Any]]:
    pages = []
    for stem in names:
        folder = out_root / stem
        if not (folder / "findings.json").exists():
            continue
        figures = []
        for sidecar in sorted((folder / "figures").glob("*.json")):
            cap = json.loads(sidecar.read_text(encoding="utf-8"))
            base = f"{stem}/figures/{cap['name']}"
            txt = (folder / "figures" / f"{cap['name']}.txt").read_text(encoding="utf-8")
            figures.append({"png": f"{base}.png", "svg": f"{base}.svg", "txt": f"{base}.txt",
                            "caption_text": txt, "title": cap["title"], "source": cap["source"],
                            "abs_png": folder / "figures" / f"{cap['name']}.png"})
        findings = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        pages.append({"stem": stem, "title": _notebook_title(folder / f"{stem}.ipynb") or stem,
                      "html": f"{stem}/{stem}.html", "ipynb": f"{stem}/{stem}.ipynb",
                      "findings": f"{stem}/findings.json", "figures": figures,
                      "inputs": findings.get("inputs", [])})
    return pages


def _notebook_title(executed: Path) -> str | None:
    """The first markdown heading of a notebook."""
    try:
        nb = json.loads(executed.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return None


def _dataset_rows(pages: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    from critique import catalog, fingerprints

    rows: dict[str, dict[str, Any]] = {}
    cat = catalog.load_catalog()
    for page in pages:
        for item in page["inputs"]:
            ref = f"{item['id']}@{item['release']}" if item.get("release") else item["id"]
            if ref in rows:
                continue
            if item["id"] in cat:
                ds = catalog.get(ref)
                rows[ref] = {"id": ds.release_id, "title": ds.title, "citation": ds.citation,
                             "sha256": item["sha256"]}
            else:
                try:
                    title = fingerprints.title(item["id"])
                except KeyError:
                    title = item["id"]
                rows[ref] = {"id": item["id"], "title": title,
                             "citation": "typed in from publications; every row cited in data/published",
                             "sha256": item["sha256"]}
    return [rows[k] for k in sorted(rows)]


def write_index_and_pack(out_root: Path, names: Sequence[str], *, title: str,
                         failures: Sequence[str] = (), rebuild_pdf: bool = True,
                         pdf_name: str = "briefing.pdf") -> tuple[Path, Path | None]:
    """Write ``index.html`` and the PDF chart pack for the pages present under ``out_root``."""
    from critique.htmlpages import index_html

    pages = _page_entries(out_root, names)
    now = dt.datetime.now(dt.timezone.utc)
    index = out_root / "index.html"
    write_text_atomic(index, index_html(title, pages, _dataset_rows(pages), now, failures))
    pdf = out_root / pdf_name
    if rebuild_pdf or not pdf.exists():
        chart_pack(pdf, [f for p in pages for f in p["figures"]], title=title, generated=now)
    return index, pdf


def chart_pack(target: Path, figures: Sequence[dict[str, Any]], *, title: str,
               generated: dt.datetime) -> Path:
    """A PDF with a cover and one figure a page, each with its caption and source (matplotlib only)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".pdf", dir=target.parent)
    os.close(fd)
    try:
        with PdfPages(tmp) as pdf:
            cover = plt.figure(figsize=(11.69, 8.27))
            cover.text(0.08, 0.8, title, fontsize=22, fontweight="bold")
            cover.text(0.08, 0.72, f"Chart pack generated {generated:%Y-%m-%d %H:%M UTC}; "
                       f"{len(figures)} figures, each with its source, caveats and N.", fontsize=11)
            pdf.savefig(cover)
            plt.close(cover)
            for fig_info in figures:
                page = plt.figure(figsize=(11.69, 8.27))
                ax = page.add_axes((0.05, 0.3, 0.9, 0.65))
                ax.imshow(plt.imread(fig_info["abs_png"]))
                ax.axis("off")
                text = "\n".join(textwrap.fill(line, 160) for line in
                                 fig_info["caption_text"].splitlines() if line.strip())
                page.text(0.05, 0.27, text, fontsize=7.5, va="top", family="sans-serif")
                pdf.savefig(page)
                plt.close(page)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target
