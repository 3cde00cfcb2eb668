"""Rebuild every briefing notebook, page, figure and the chart pack with one command.

``critique reports -f notebooks/params/briefing.yml --jobs 2`` runs every ``notebooks/NN-*.ipynb``
with the named parameter set into ``reports/<set name>/<stem>/`` through :mod:`critique.publish.runner`
(validated parameters, atomic output), in parallel, skipping notebooks whose source, parameters,
inputs and package code are unchanged (HRDAG's "a change re-runs exactly what it affects"). It then
writes ``index.html`` (every page and figure with its caption, run date, data and checksums) and
``briefing.pdf`` (one figure a page with caption and source, made with matplotlib alone).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import sys
import time
from concurrent.futures import as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from critique.core import atomicio, parallel
from critique.datasets import paths
from critique.publish import outdirs, runner, schedule
from critique.core.atomicio import write_text_atomic
from critique.publish.pdf import chart_pack


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
    language_log: str = ""  # critique.publish.i18n.log_line: strings left in English in this build


def analysis_notebooks() -> list[Path]:
    """The briefing notebooks: ``notebooks/NN-*.ipynb`` in order."""
    return sorted(p for p in paths.notebooks_dir().glob("[0-9][0-9]-*.ipynb"))


def _run_job(job: Job, force: bool, code: str, timeout: int, cells: bool = False) -> tuple[str, bool, float]:
    start = time.perf_counter()
    result = runner.run_notebook(job.notebook, job.params, job.out_dir, force=force, code=code,
                                 timeout=timeout, progress=cells)
    seconds = time.perf_counter() - start
    if cells and not result.skipped:
        print(f"  {job.name} done in {int(seconds) // 60}:{int(seconds) % 60:02d}", flush=True)
    return job.name, result.skipped, seconds


def run_jobs(jobs: Sequence[Job], *, n_jobs: int = 1, force: bool = False,
             timeout: int = runner.DEFAULT_CELL_TIMEOUT_S, progress: bool = True,
             label: str = "notebooks", cells: bool = False,
             timings: Path | None = None, code: str | None = None) -> tuple[list[str], list[str], dict[str, str]]:
    """Run jobs (in parallel across ``n_jobs`` processes); return (ran, skipped, failed).

    ``progress`` shows a bar of notebooks; ``cells`` also writes a line as each code cell starts and
    one as each notebook ends (from the process running it). ``timings``: a file of each notebook's
    wall seconds (:mod:`critique.publish.schedule`); the jobs to run start longest first by it (by
    the committed hint when it has none), and the seconds of this run are written back to it.
    Without it, jobs start in the order given. ``code``: :func:`runner.code_fingerprint`, when the
    caller has it already."""
    from tqdm import tqdm

    code = code or runner.code_fingerprint()
    ran: list[str] = []
    skipped: list[str] = []
    failed: dict[str, str] = {}
    bar = tqdm(total=len(jobs), desc=label, unit="nb", disable=not progress, file=sys.stderr)
    runner.check_timeout(timeout)
    if n_jobs < 1:
        raise runner.ParameterError(f"--jobs {n_jobs}: expected a number of processes, at least 1")
    for job in jobs:  # refuse a folder whose content a run would lose, before anything runs
        runner.check_out_dir(job.out_dir, job.notebook.stem)
    if not force:  # unchanged notebooks are skipped before any notebook is parsed or kernel started
        fresh = [job for job in jobs if runner.is_up_to_date(job.notebook, job.params, job.out_dir, code)]
        for job in fresh:
            runner.recover(job.out_dir, keep_partial=False)  # what a killed build left beside it
            skipped.append(job.name)
            bar.set_postfix_str(f"{job.name} (unchanged)")
            bar.update(1)
        jobs = [job for job in jobs if job not in fresh]
    for job in jobs:  # refuse bad parameters before anything runs, naming the notebook
        try:
            runner.validate_parameters(job.notebook, job.params)
        except runner.ParameterError as exc:
            text = str(exc)
            raise runner.ParameterError(text if text.startswith(job.notebook.name)
                                        else f"{job.notebook.name}: {text}") from None
    if jobs:
        runner.ensure_kernel()
    seconds: dict[str, float] = {}
    if timings is not None and len(jobs) > 1:
        order = schedule.longest_first([j.name for j in jobs], schedule.previous(timings), schedule.hint())
        jobs = sorted(jobs, key=lambda j: order.index(j.name))

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
                name, was_skipped, seconds[job.name] = _run_job(job, force, code, timeout, cells)
                done(name, was_skipped, None)
            except (runner.RunError, runner.ParameterError) as exc:
                done(job.name, None, str(exc))
            except KeyboardInterrupt:
                bar.close()
                parallel.kill_children()  # a kernel the interrupted client did not shut down
                raise
    else:
        started: list[Job] = []
        try:
            with parallel.process_pool(n_jobs, context=multiprocessing.get_context("spawn")) as pool:
                futures = {pool.submit(_run_job, job, force, code, timeout, cells): job for job in jobs}
                started = list(jobs)
                for fut in as_completed(futures):
                    job = futures[fut]
                    try:
                        name, was_skipped, seconds[job.name] = fut.result()
                        done(name, was_skipped, None)
                    except Exception as exc:  # a worker's RunError arrives here pickled
                        done(job.name, None, str(exc))
        except KeyboardInterrupt:
            bar.close()
            # the pool has killed its workers and their kernels; tidy what their runs left behind.
            # A notebook was running when it had a staging folder; the others were still queued.
            unfinished = [j for j in started if j.name not in ran + skipped + list(failed)]
            running = [j for j in unfinished if any(p.suffix == ".tmp" for p in outdirs.stale(j.out_dir))]
            kept = [j.name for j in running if _recover(j.out_dir)]
            queued = len(unfinished) - len(running)
            detail = (f"; partial notebooks kept in <out>.failed/ for {', '.join(kept)}" if kept else "")
            detail += f"; {queued} queued not started" if queued else ""
            raise runner.Interrupted(f"stopped {len(running)} running notebook(s){detail}; "
                                     "last good outputs untouched") from None
    bar.close()
    if timings is not None and ran:
        schedule.record(timings, {name: seconds[name] for name in ran})
    return ran, skipped, failed


def _recover(out_dir: Path) -> bool:
    """Tidy a killed run's folders; whether a partial notebook was kept in ``<out_dir>.failed``."""
    runner.recover(out_dir)
    return (out_dir.parent / f"{out_dir.name}.failed").is_dir()


def jobs_for_set(params_file: Path, notebooks: Iterable[Path] | None = None, out_root: Path | None = None,
                 parsed: tuple[str, dict[str, dict[str, Any]]] | None = None) -> tuple[str, list[Job]]:
    """The jobs of a named parameter set; a set that names a notebook that does not exist is refused.
    ``parsed``: the set as :func:`runner.load_param_set` read it, when the caller has it already."""
    name, per_notebook = parsed or runner.load_param_set(params_file)
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
                  timeout: int = runner.DEFAULT_CELL_TIMEOUT_S, lang: str | None = None) -> BuildResult:
    """Run every analysis notebook with a parameter set, then write the index and the chart pack.

    ``lang``: the reader's language (``--lang``; else the set's ``lang``; else English). A build in
    another language than English writes into ``reports/<set>-<lang>/`` (:mod:`critique.publish.i18n`).
    """
    from critique.core import i18n
    from critique.publish import i18n as reader_lang

    params_file = Path(params_file or paths.params_dir() / "briefing.yml")
    lang = reader_lang.choose(lang, params_file)
    parsed = runner.load_param_set(params_file)  # read once (pure-Python YAML: tens of ms a read)
    set_name = parsed[0]
    out_root = out_root or paths.reports_dir() / reader_lang.out_folder(set_name, lang)
    name, jobs = jobs_for_set(params_file, out_root=out_root, parsed=parsed)
    code = runner.code_fingerprint()  # hashes every package file: once per build
    runner.check_timeout(timeout)
    from critique.publish import branding

    with i18n.using(lang), branding.using(branding.of_set(params_file)), \
            outdirs.folder_lock(out_root):  # one build per report folder; the second is refused
        i18n.reset_missing()
        atomicio.make_dir(out_root)
        ran, skipped, failed = run_jobs(jobs, n_jobs=n_jobs, force=force, progress=progress,
                                        timeout=timeout, cells=progress,
                                        timings=out_root / schedule.SECONDS_FILE, code=code)
        index_key = _index_key(out_root, [j.name for j in jobs], f"{name}:{lang}", code)
        kept = None if ran or failed or force else _unchanged_index(out_root, index_key)
        if kept is not None:  # nothing ran and nothing the index reads changed: keep index and PDF
            index, pdf, problems = out_root / "index.html", out_root / "briefing.pdf", kept
        else:
            index, pdf, problems = write_index_and_pack(out_root, [j.name for j in jobs],
                                                        title=f"critique-suite: {name}", failures=failed,
                                                        rebuild_pdf=force)
            write_text_atomic(out_root / ".index.key", json.dumps({"key": index_key, "problems": problems}))
        language_log = reader_lang.log_line(lang)
        if lang != i18n.DEFAULT:  # an independent count: English prose still on the pages written
            from critique.publish import residue

            left = residue.scan(out_root)
            write_text_atomic(out_root / "language-check.txt", left.report(sorted(i18n.missing(lang))))
            language_log += "\n" + left.line()
    for stem, messages in problems.items():  # key findings that could not be filled fail the build
        if stem not in failed:
            failed[stem] = "; ".join(messages)
    return BuildResult(out_root, ran, skipped, failed, index, pdf, language_log)


def _index_key(out_root: Path, names: Sequence[str], set_name: str, code: str | None = None) -> str:
    """What the index, the what-if pages and the PDF are made from: each run's key (it changes with
    every new run), the package code and versions, the key-finding files, the catalogue and the
    published tables' sidecars."""
    digest = hashlib.sha256(json.dumps([set_name, list(names), code or runner.code_fingerprint()]).encode())
    for stem in names:
        key = out_root / stem / ".run-key"
        digest.update(f"{stem}:{key.read_text() if key.exists() else 'missing'}".encode())
    for file in [paths.catalog_file(), *sorted((paths.notebooks_dir() / "key_findings").glob("*.yml")),
                 *sorted(paths.published_dir().glob("*.yml"))]:
        digest.update(str(file.name).encode() + (file.read_bytes() if file.exists() else b"missing"))
    return digest.hexdigest()


def _unchanged_index(out_root: Path, key: str) -> dict[str, list[str]] | None:
    """The problems the last index build reported, when it was made from exactly ``key`` and its
    index and PDF are still there; None when the index must be written again (issue 29: a no-op
    rebuild rewrote every page and the what-if pages, seconds of work for nothing)."""
    record = out_root / ".index.key"
    if not (record.exists() and (out_root / "index.html").exists() and (out_root / "briefing.pdf").exists()):
        return None
    try:
        saved = json.loads(record.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return saved.get("problems", {}) if saved.get("key") == key else None


LEAD_PREFIXES = ("00-", "60-")  # the data overview, then the review of claims, before the other critiques


def briefing_order(names: Sequence[str]) -> list[str]:
    """Notebook stems in reading order: the data catalogue, the claims review (60), then the rest."""
    def rank(stem: str) -> tuple[int, str]:
        for i, prefix in enumerate(LEAD_PREFIXES):
            if stem.startswith(prefix):
                return i, stem
        return len(LEAD_PREFIXES), stem
    return sorted(names, key=rank)


def _page_entries(out_root: Path, names: Sequence[str],
                  failures: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """One entry per notebook: its page, figures and key findings, or what failed."""
    from critique.publish import keyfindings

    from critique.publish.failures import machine_prefixes, scrub_text

    prefixes = machine_prefixes([out_root])  # a reader sees no path of the building machine
    failures = {stem: scrub_text(str(msg), prefixes) for stem, msg in dict(failures or {}).items()}
    pages = []
    for stem in briefing_order(names):
        folder = out_root / stem
        failed_nb = out_root / f"{stem}.failed" / f"{stem}.ipynb"
        entry: dict[str, Any] = {"stem": stem, "title": stem, "failed": failures.get(stem),
                                 "failed_notebook": f"{stem}.failed/{stem}.ipynb" if failed_nb.exists() else None,
                                 "has_output": (folder / "findings.json").exists(), "figures": [],
                                 "inputs": [], "key_findings": [], "key_errors": []}
        pages.append(entry)
        if not entry["has_output"]:
            entry["title"] = _notebook_title(failed_nb) or stem
            continue
        figures = []
        for sidecar in sorted((folder / "figures").glob("*.json")):
            cap = json.loads(sidecar.read_text(encoding="utf-8"))
            base = f"{stem}/figures/{cap['name']}"
            txt = (folder / "figures" / f"{cap['name']}.txt").read_text(encoding="utf-8")
            figures.append({"name": cap["name"], "png": f"{base}.png", "svg": f"{base}.svg",
                            "txt": f"{base}.txt", "csv": f"{base}.csv" if cap.get("files", {}).get("csv") else None,
                            "caption_text": txt, "title": cap["title"], "source": cap["source"],
                            "abs_png": folder / "figures" / f"{cap['name']}.png"})
        found = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        rendered = keyfindings.for_notebook(stem, found.get("findings", {}), {f["name"]: f for f in figures})
        from critique.core.i18n import _
        source_nb = paths.notebooks_dir() / f"{stem}.ipynb"  # the English title, translated once (the executed
        title = _notebook_title(source_nb) if source_nb.exists() else None  # notebook's is already translated)
        entry.update({"title": _(title) if title else _notebook_title(folder / f"{stem}.ipynb") or stem,
                      "html": f"{stem}/{stem}.html", "ipynb": f"{stem}/{stem}.ipynb",
                      "findings": f"{stem}/findings.json", "figures": figures,
                      "inputs": found.get("inputs", []), "key_findings": rendered.findings,
                      "found": found.get("findings", {}),
                      "key_errors": rendered.errors,
                      "run_date": dt.datetime.fromtimestamp((folder / "findings.json").stat().st_mtime,
                                                            dt.timezone.utc)})
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
    from critique.core.i18n import _
    from critique.datasets import catalog, fingerprints, translations

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
                             "publisher": ds.publisher, "sha256": item["sha256"]}
            else:
                try:
                    title = fingerprints.title(item["id"])
                except KeyError:
                    title = item["id"]
                rows[ref] = {"id": item["id"], "title": translations.shown(title),
                             "citation": _("typed in from publications; every row cited in data/published"),
                             "typed": True,  # a published table (the citation above is in the reader's language)
                             "sha256": item["sha256"]}
    return [rows[k] for k in sorted(rows)]


def write_index_and_pack(out_root: Path, names: Sequence[str], *, title: str,
                         failures: Mapping[str, str] | Sequence[str] = (), rebuild_pdf: bool = True,
                         pdf_name: str = "briefing.pdf") -> tuple[Path, Path | None, dict[str, list[str]]]:
    """Write ``index.html`` and the PDF briefing for the pages under ``out_root``.

    Both open with the key findings. Returns the index, the PDF and, per notebook, the key findings
    that could not be filled (each an error naming the notebook and key; the page is marked).
    """
    from critique.publish.keyfindings import brief as render_brief
    from critique.publish.pages import index_html

    from critique.publish.failures import machine_prefixes, scrub_text

    failures = dict(failures) if isinstance(failures, Mapping) else {f: "failed" for f in failures}
    prefixes = machine_prefixes([out_root])  # the index and the PDF show no path of this machine
    failures = {stem: scrub_text(str(msg), prefixes) for stem, msg in failures.items()}
    pages = _page_entries(out_root, names, failures)
    brief = render_brief(pages)  # the opening page: headlines chosen in key_findings/_brief.yml
    for page in pages:
        page["key_errors"] += brief.errors.get(page["stem"], [])
    problems = {p["stem"]: p["key_errors"] for p in pages if p["key_errors"]}
    problems.update({k: v for k, v in brief.errors.items() if k not in {p["stem"] for p in pages}})
    now = dt.datetime.now(dt.timezone.utc)
    index = out_root / "index.html"
    from critique.publish import branding, summary, whatif, workbook

    branding.clean_logo(branding.active(), out_root)  # the logo, if any, without its metadata
    with schedule.workbook_pool(pages) as pool:  # tables.xlsx is written meanwhile (openpyxl: half this step)
        tables_job = pool.submit(workbook.write_workbook, out_root / workbook.WORKBOOK, schedule.workbook_pages(pages))
        whatif_pages = whatif.write_pages(out_root)
        pdf = out_root / pdf_name
        notes = [f"FAILED {stem}: {msg}" for stem, msg in failures.items()] + \
                [msg for msgs in problems.values() for msg in msgs]
        key_findings = [kf for p in pages for kf in p["key_findings"]]
        figures = [f for p in pages for f in p["figures"]]
        # what the PDF shows; an unchanged build (same sentences, same chart files) keeps the PDF it has
        content = hashlib.sha256(json.dumps([title, notes, repr(brief), [repr(k) for k in key_findings],
                                             [(str(f["abs_png"]), f["abs_png"].stat().st_mtime_ns) for f in figures]],
                                            default=str).encode()).hexdigest()
        key_file = out_root / f".{pdf_name}.key"
        if rebuild_pdf or not pdf.exists() or not key_file.exists() or key_file.read_text() != content:
            chart_pack(pdf, figures, title=title, generated=now, key_findings=key_findings, problems=notes,
                       brief=brief, datasets=_dataset_rows(pages),
                       notebooks={p["stem"]: p["title"] for p in pages})
            write_text_atomic(key_file, content)
        if summary.build(pages).points:  # the community summary, on its own page (issue 26)
            summary.write_pdf(out_root / "summary.pdf", pages, title=title)
        tables = tables_job.result()
    # the index last: every file it links to is written
    write_text_atomic(index, index_html(title, pages, _dataset_rows(pages), now, brief=brief, whatif=whatif_pages,
                                        workbook=tables.name if tables else None))
    return index, pdf, problems
