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
    pairs = list(args.param or []) + [tuple(item.split("=", 1)) for item in args.param_item or []]
    if pairs:
        notebook = runner.resolve_notebook(args.notebook)
        params.update(runner.parse_cli_params(notebook, pairs))
    out = Path(args.out) if args.out else None
    result = runner.run_notebook(args.notebook, params, out, timeout=args.timeout)
    print(f"{result.notebook}: ok -> {result.out_dir} ({len(result.figures)} figures, "
          f"{len(result.findings.get('findings', {}))} findings)")
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    from critique.publish import reports

    params = Path(args.file) if args.file else None
    res = reports.build_reports(params, n_jobs=args.jobs, force=args.force, timeout=args.timeout,
                                lang=args.lang)
    print(f"reports: {len(res.ran)} run, {len(res.skipped)} unchanged, {len(res.failed)} failed -> "
          f"{res.index}")
    if res.language_log:
        print(res.language_log)
    for name, err in res.failed.items():
        print(f"FAILED {name}: {err}", file=sys.stderr)
    return 1 if res.failed else 0


PARAM_ITEM = "--param-item"  # internal: one `-p NAME VALUE` pair as NAME=VALUE (see _join_params)


def positive_int(option: str) -> Callable[[str], int]:
    """An argparse type: a whole number at least 1, refused in one line naming ``option``."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < 1:
            raise argparse.ArgumentTypeError(f"{value} is below 1")
        return value
    parse.__name__ = option
    return parse


def _join_params(argv: list[str]) -> list[str]:
    """``-p NAME VALUE`` pairs whose VALUE starts with '-' (``-inf``, ``-0.5e3``) as one token.

    argparse reads a token that starts with '-' and is not a plain negative number as an option,
    so ``-p x -inf`` failed with "expected 2 arguments". Such a pair is passed on as
    ``--param-item=NAME=VALUE`` (one token with '=' is never read as an option); other pairs are
    left as typed.
    """
    out: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--":
            out += argv[i:]
            break
        value = argv[i + 2] if i + 2 < len(argv) else ""
        if token in ("-p", "--param") and value.startswith("-") and not value.startswith("--") \
                and value not in ("-p", "-f", "-h") and not argv[i + 1].startswith("-"):
            out.append(f"{PARAM_ITEM}={argv[i + 1]}={argv[i + 2]}")
            i += 3
            continue
        out.append(token)
        i += 1
    return out


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
    run.add_argument("-p", "--param", nargs=2, action="append", metavar=("NAME", "VALUE"),
                     help="a parameter value (a value may start with '-': -p shift -0.5)")
    run.add_argument(PARAM_ITEM, dest="param_item", action="append", help=argparse.SUPPRESS)
    run.add_argument("-f", "--file", help="a parameter-set YAML (its block for this notebook is used)")
    run.add_argument("--out", help="output folder (default reports/runs/<notebook>): new, empty, or an "
                     "earlier output of the same notebook; anything else is refused")
    run.add_argument("--timeout", type=positive_int("--timeout"), default=600,
                     help="per-cell timeout in seconds (at least 1)")
    run.set_defaults(func=_cmd_run)

    rep = sub.add_parser("reports", help="run every notebook with a parameter set into reports/")
    rep.add_argument("-f", "--file", help="parameter set (default notebooks/params/briefing.yml)")
    rep.add_argument("--jobs", type=positive_int("--jobs"), default=1, help="notebooks run at once (at least 1)")
    rep.add_argument("--force", action="store_true", help="re-run notebooks even when unchanged")
    rep.add_argument("--timeout", type=positive_int("--timeout"), default=600,
                     help="per-cell timeout in seconds (at least 1; make reports TIMEOUT=...)")
    rep.add_argument("--lang", help="the readers' language: en (default), fr, es, ru, zh (or `lang:` in the "
                     "parameter set); other languages than English go to reports/<set>-<lang>/")
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
    argv = _join_params(list(sys.argv[1:] if argv is None else argv))
    _load_extra_commands(argv)
    args = build_parser().parse_args(argv)
    from critique.core import parallel

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

        known = (catalog.CatalogError, DataError, ParameterError, RunError)
        if isinstance(exc, known):
            print(f"critique: error: {exc}", file=sys.stderr)
            return 2 if isinstance(exc, ParameterError) else 1
        if isinstance(exc, OSError):  # a read-only folder, a full disk, a missing file: one line
            print(f"critique: error: {os_error_line(exc)}", file=sys.stderr)
            return 1
        raise


def os_error_line(exc: OSError) -> str:
    """One line for a file-system error, naming the file and what to do."""
    import errno

    name = exc.filename if exc.filename is not None else ""
    what = exc.strerror or str(exc)
    hints = {errno.ENOSPC: "the disk is full; free space and run again (nothing half-written was kept)",
             errno.EDQUOT: "the disk quota is used up; free space and run again",
             errno.EACCES: "no permission to write there; choose a folder you can write, or fix its permissions",
             errno.EPERM: "no permission to write there; choose a folder you can write, or fix its permissions",
             errno.EROFS: "the file system is read-only; choose a writable folder"}
    hint = hints.get(exc.errno or 0, "")
    return f"{name}: {what}" + (f" ({hint})" if hint else "") if name else what + (f" ({hint})" if hint else "")


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: extra commands register themselves
    # in critique.publish.cli.EXTRA_COMMANDS, which would otherwise be a different dict.
    from critique.publish.cli import main as _main

    sys.exit(_main())
