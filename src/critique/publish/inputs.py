"""Input files a notebook declares in its parameters, checked before any cell runs.

A parameter whose help comment says ``file: csv`` takes the path of a user's file; one that says
``column of: NAME`` names a column (or, for a list, columns) of the file given in parameter
``NAME``. When such a path is given, :func:`check_declared_inputs` (run by
:func:`critique.publish.parameters.validate_parameters`, so by ``critique run`` and ``critique reports``
before any kernel starts) reads the file's header and refuses, in one line naming the notebook,
the parameter and the value: a missing file, a folder, an unreadable file, an Excel workbook, text
that is not UTF-8, an empty file, a header with no rows, a header that is one column because the
file is separated by ';' or tabs, and a column name (given, or the parameter's default) that is
not in the header. Without the check a typo in a path surfaced in the cell that reads the table,
after minutes of other work (issue 30).

A value is read as a path when it holds a path separator, ends in an extension (``.csv``) or
names an existing file; other values (a shipped dataset id such as ``mse-uk-2013-5``) are left to
the notebook, or, when the declaration says ``file: csv, dataset``, must be a known dataset id. A
relative path is read from the project root, where the runner starts the kernel.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from pathlib import Path
from typing import Any, Mapping

from critique.datasets import paths
from critique.core.errors import ParameterError

_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (a zip) and .xls (OLE2)
MAX_BYTES = 200 * 1024 * 1024  # a user's table larger than this is refused rather than read twice


def looks_like_path(value: object) -> bool:
    """Whether a parameter value is meant as a file path (see the module docstring)."""
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip()
    return ("/" in text or "\\" in text or bool(re.search(r"\.[A-Za-z0-9]{1,5}$", text))
            or resolve(text).is_file())


def resolve(value: str) -> Path:
    """A path as the notebook's kernel reads it: absolute as given, else from the project root."""
    path = Path(value.strip()).expanduser()
    return path if path.is_absolute() else paths.root() / path


def table_header(value: str, kinds: tuple[str, ...], where: str) -> list[str]:
    """The column names of the CSV file ``value``; ``ParameterError`` (prefixed ``where``) otherwise."""
    path = resolve(value)
    shown = repr(value)
    if not path.exists():
        hint = " (a relative path is read from the project root)" if not Path(value).is_absolute() else ""
        if not Path(value).is_absolute() and Path(value).expanduser().exists():
            hint = " (it exists from the current folder: give an absolute path or one from the project root)"
        raise ParameterError(f"{where}: file not found: {shown}{hint}")
    if path.is_dir():
        raise ParameterError(f"{where}: {shown} is a folder, not a "
                             f"{'/'.join(k for k in kinds if k != 'dataset') or 'data'} file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ParameterError(f"{where}: {shown} is {size:,} bytes; larger than {MAX_BYTES:,} is refused")
        data = path.read_bytes()
    except PermissionError:
        raise ParameterError(f"{where}: {shown} cannot be read (permission denied)") from None
    except OSError as exc:
        raise ParameterError(f"{where}: {shown} cannot be read ({exc.strerror or exc})") from None
    if "csv" not in kinds:
        return []
    if data.startswith(_EXCEL_MAGIC):
        raise ParameterError(f"{where}: {shown} is an Excel workbook, not CSV text; save the sheet "
                             "as 'CSV UTF-8' and give that file")
    if not data.strip():
        raise ParameterError(f"{where}: {shown} is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParameterError(f"{where}: {shown} is not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                             f"position {exc.start}); save it as 'CSV UTF-8'") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    header = [cell.strip() for cell in rows[0]]
    if len(header) == 1:
        for sep, label in ((";", "semicolons"), ("\t", "tabs"), ("|", "'|'")):
            if sep in header[0]:
                raise ParameterError(f"{where}: {shown} has one column {header[0][:60]!r}: it seems "
                                     f"separated by {label}; save it with commas")
    seen = [name for i, name in enumerate(header) if name in header[:i]]
    if seen:
        raise ParameterError(f"{where}: {shown} names column {seen[0]!r} twice")
    if len(rows) < 2:
        raise ParameterError(f"{where}: {shown} has a header but no rows")
    return header


def check_dataset_id(value: str, where: str) -> None:
    """A value that is not a path, for a parameter declared ``file: csv, dataset``: a known dataset
    id (``critique.datasets.ids()``, optionally ``@release``), else ``ParameterError`` with the
    closest ids."""
    from critique import datasets

    known = datasets.ids()
    source = value.strip().partition("@")[0]
    if source in known:
        return
    close = difflib.get_close_matches(source, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ParameterError(f"{where}: {value!r} is neither a file path nor a dataset id{hint}")


def check_declared_inputs(notebook_name: str, specs: Mapping[str, Any], checked: Mapping[str, Any]) -> None:
    """Check every declared input file and column (given values, else the defaults).

    ``specs``: :class:`critique.publish.parameters.ParameterSpec` by name; ``checked``: the validated
    values the run will use. Raises ``ParameterError`` naming the notebook, the parameter, the
    value and, for a column, the columns the file has.
    """
    values = {name: checked.get(name, spec.default) for name, spec in specs.items()}
    headers: dict[str, tuple[str, list[str]]] = {}
    for spec in specs.values():
        value = values[spec.name]
        where = f"{notebook_name}: parameter '{spec.name}'"
        if spec.file_kinds and looks_like_path(value):
            headers[spec.name] = (value, table_header(value, spec.file_kinds, where))
        elif spec.file_kinds and "dataset" in spec.file_kinds and isinstance(value, str) and value.strip():
            check_dataset_id(value, where)
    for spec in specs.values():
        if not spec.column_of or spec.column_of not in headers:
            continue
        file_value, columns = headers[spec.column_of]
        value = values[spec.name]
        for item in value if isinstance(value, list) else [value]:
            if item in ("", None) or not columns or str(item) in columns:
                continue
            default = "" if spec.name in checked else " (its default)"
            close = difflib.get_close_matches(str(item), columns, n=1, cutoff=0.4)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ParameterError(f"{notebook_name}: parameter '{spec.name}': {item!r}{default} is not a "
                                 f"column of {file_value!r} (columns: {', '.join(columns)}){hint}")
