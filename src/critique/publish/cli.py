"""The ``critique`` command: data, run, reports (and the workshop and profile commands).

Exit code 0 only on success; an error is one clear line on stderr that names the file, column,
value or parameter.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from critique.datasets import catalog
from critique.datasets import paths

# Subcommands added by other modules: name -> (add_arguments, handler).
EXTRA_COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def _cmd_data_list(args: argparse.Namespace) -> int:
    cat = catalog.load_catalog()
    print(f"{'id':<26} {'status':<24} {'years':<10} title")
    for ds_id in cat:
        st = catalog.status(ds_id)
        years = f"{st.dataset.years[0]}-{st.dataset.years[1]}" if st.dataset.years else ""
        state = "cached, verified" if st.verified else ("cached, MISMATCH" if st.cached else "not cached")
        print(f"{ds_id:<26} {state:<24} {years:<10} {st.dataset.title}")
    print(f"cache: {paths.raw_dir()}  mirror: {paths.mirror() or '(none: network)'}")
    return 0


def _cmd_data_fetch(args: argparse.Namespace) -> int:
    ids = args.ids or list(catalog.load_catalog())
    for ds_id in ids:
        path = catalog.fetch(ds_id)
        print(f"{ds_id}: ok ({path})")
    return 0


def _cmd_data_verify(args: argparse.Namespace) -> int:
    ids = args.ids or list(catalog.load_catalog())
    bad = 0
    for ds_id in ids:
        st = catalog.status(ds_id)
        if st.verified:
            print(f"{ds_id}: verified {st.dataset.filename} sha256 {st.actual_sha256}")
        else:
            bad += 1
            detail = (f"expected {st.dataset.sha256}, got {st.actual_sha256}" if st.cached
                      else "not cached (run `critique data fetch`)")
            print(f"{ds_id}: FAILED {st.dataset.filename}: {detail}", file=sys.stderr)
    return 1 if bad else 0


def _cmd_run(args: argparse.Namespace) -> int:
    from critique.publish import runner

    params: dict = {}
    if args.file:
        name, per_nb = runner.load_param_set(Path(args.file))
        params.update(per_nb.get(Path(args.notebook).stem, {}))
    for name, value in args.param or []:
        params[name] = runner.parse_cli_value(value)
    out = Path(args.out) if args.out else None
    result = runner.run_notebook(args.notebook, params, out, timeout=args.timeout)
    print(f"{result.notebook}: ok -> {result.out_dir} ({len(result.figures)} figures, "
          f"{len(result.findings.get('findings', {}))} findings)")
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    from critique.publish import reports

    params = Path(args.file) if args.file else None
    res = reports.build_reports(params, n_jobs=args.jobs, force=args.force, timeout=args.timeout)
    print(f"reports: {len(res.ran)} run, {len(res.skipped)} unchanged, {len(res.failed)} failed -> "
          f"{res.index}")
    for name, err in res.failed.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if res.failed else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="critique", description="Reproducible critiques of "
                                     "published human-trafficking statistics.")
    from critique import __version__

    parser.add_argument("--version", action="version", version=f"critique-suite {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help="list, fetch and verify the upstream datasets")
    dsub = data.add_subparsers(dest="data_command", required=True)
    dsub.add_parser("list", help="each dataset and whether it is cached and verified").set_defaults(func=_cmd_data_list)
    fetch = dsub.add_parser("fetch", help="download into the cache (from CRITIQUE_DATA_MIRROR when set)")
    fetch.add_argument("ids", nargs="*")
    fetch.set_defaults(func=_cmd_data_fetch)
    verify = dsub.add_parser("verify", help="re-check the cached files' sha256")
    verify.add_argument("ids", nargs="*")
    verify.set_defaults(func=_cmd_data_verify)
    from critique.datasets import pack as pack_mod

    pk = dsub.add_parser("pack", help="write every upstream file and MANIFEST.csv into DIR (an offline mirror)")
    pack_mod.add_arguments(pk)
    pk.set_defaults(func=pack_mod.command)

    run = sub.add_parser("run", help="run one notebook with validated parameters")
    run.add_argument("notebook")
    run.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"))
    run.add_argument("-f", "--file", help="a parameter-set YAML (its block for this notebook is used)")
    run.add_argument("--out", help="output folder (default reports/runs/<notebook>)")
    run.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    run.set_defaults(func=_cmd_run)

    rep = sub.add_parser("reports", help="run every notebook with a parameter set into reports/")
    rep.add_argument("-f", "--file", help="parameter set (default notebooks/params/briefing.yml)")
    rep.add_argument("--jobs", type=int, default=1)
    rep.add_argument("--force", action="store_true", help="re-run notebooks even when unchanged")
    rep.add_argument("--timeout", type=int, default=600, help="per-cell timeout in seconds")
    rep.set_defaults(func=_cmd_reports)

    for name, (add_args, handler) in EXTRA_COMMANDS.items():
        p = sub.add_parser(name, help=EXTRA_HELP.get(name))
        add_args(p)
        p.set_defaults(func=handler)
    return parser


EXTRA_MODULES = {"workshop": "critique.publish.workshop", "profiles": "critique.publish.profiles"}
EXTRA_HELP = {
    "workshop": "build the workshop kit: question and answer versions, guide, handouts",
    "profiles": "render country profiles into reports/countries/ with an index",
}


def _load_extra_commands(argv: Sequence[str]) -> None:
    """Import the module of a requested extra subcommand (all of them for top-level help).

    Imported only when asked for: the workshop module pulls in nbformat and its schema validator,
    seconds of start-up that `critique reports` on an unchanged project should not pay.
    """
    import importlib

    wanted = [m for name, m in EXTRA_MODULES.items() if name in argv[:1]]
    if not argv or argv[0] in ("-h", "--help"):
        wanted = list(EXTRA_MODULES.values())
    for module in wanted:
        importlib.import_module(module)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _load_extra_commands(argv)
    args = build_parser().parse_args(argv)
    from critique import parallel

    try:
        with parallel.sigterm_as_interrupt():
            return int(args.func(args) or 0)
    except KeyboardInterrupt as exc:
        parallel.kill_children()  # no kernel or worker outlives the command
        detail = str(exc) if str(exc) and not str(exc).startswith("signal ") else ""
        print(f"critique: interrupted{': ' + detail if detail else ''}", file=sys.stderr)
        return 130
    except Exception as exc:
        from critique.datasets import DataError
        from critique.publish.runner import ParameterError, RunError

        known = (catalog.CatalogError, DataError, ParameterError, RunError, FileNotFoundError)
        if isinstance(exc, known):
            print(f"critique: error: {exc}", file=sys.stderr)
            return 2 if isinstance(exc, ParameterError) else 1
        raise


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: extra commands register themselves
    # in critique.publish.cli.EXTRA_COMMANDS, which would otherwise be a different dict.
    from critique.publish.cli import main as _main

    sys.exit(_main())
