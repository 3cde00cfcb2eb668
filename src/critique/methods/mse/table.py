"""Capture-history tables: who appears on which list, and how many of them.

A table for ``k`` lists holds the count of every one of the ``2**k - 1`` observable capture histories
(the all-zero history, the people on no list, is the unknown that multiple systems estimation
estimates). Histories missing from the input are filled with zero, as in ``tidylists`` of the R
package SparseMSE (Chan, Silverman & Vincent 2021) and ``tidy_lists`` of MultipleSystemsEstimation.

Cell ``c`` (``c = 1 .. 2**k - 1``) is the history whose list ``j`` bit is ``(c >> j) & 1``; the order
is fixed so that design matrices for every model of a table share their columns.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from critique.core.errors import DataError

COUNT = "count"
# Columns of a published table that describe the row, not list membership.
METADATA_COLUMNS = ("citation", "source_url", "verification", "note", "notes")
MAX_LISTS = 12  # 4,095 cells: beyond this the exhaustive machinery makes no sense


class CaptureTableError(DataError, ValueError):
    """A capture-history table that cannot be used: the message names the column, row and value."""


class OnlyListWarning(UserWarning):
    """A list with nobody found only on it: a covariate taken for a list looks like this."""


def histories(k: int) -> np.ndarray:
    """The ``(2**k - 1) x k`` 0/1 matrix of observable histories, cell ``c`` in row ``c - 1``."""
    codes = np.arange(1, 2**k)
    return ((codes[:, None] >> np.arange(k)[None, :]) & 1).astype(np.int8)


@dataclass(frozen=True)
class CaptureTable:
    """Counts of every observable capture history of ``len(lists)`` lists.

    ``counts[c - 1]`` is the number of distinct people with history code ``c`` (bit ``j`` set when the
    person is on ``lists[j]``). Build one with :meth:`from_frame`; it validates and fills zeros.
    """

    lists: tuple[str, ...]
    counts: np.ndarray
    labels: dict[str, str] = field(default_factory=dict)
    name: str = ""

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_frame(cls, frame: pd.DataFrame, lists: Sequence[str] | None = None, *,
                   count: str = COUNT, labels: dict[str, str] | None = None,
                   name: str = "") -> "CaptureTable":
        """Validate a frame of 0/1 list columns plus a count column and fill unobserved histories.

        ``lists``: the list columns, in order. Without it the lists are inferred, and refused when
        ambiguous: every column other than ``count`` and the metadata columns (citation,
        source_url, verification, note) must be a 0/1 column and every one of them must have
        somebody found only on it. A 0/1 covariate (sex, an age band) beside the lists has nobody
        "only" on it, and taking it for a list changes the estimate (a Korea-like table with two
        covariates gives 141 instead of 735); name the lists to use such a table. With ``lists``
        given, a list with nobody only on it is allowed, with an :class:`OnlyListWarning`.

        Rows with the same history are summed (covariate rows collapse onto their history). Raises
        :class:`CaptureTableError` naming the column, row and value for: fewer than two lists, a
        list column with a value other than 0/1, a missing/negative/fractional count, or a row on
        no list with a non-zero count (the unobserved cell cannot be observed).
        """
        where = f" in table '{name}'" if name else ""
        if not isinstance(frame, pd.DataFrame):
            raise CaptureTableError(f"capture table{where}: expected a pandas DataFrame, got "
                                    f"{type(frame).__name__}")
        if count not in frame.columns:
            raise CaptureTableError(f"capture table{where}: no count column '{count}' "
                                    f"(columns: {', '.join(map(str, frame.columns))})")
        inferred = lists is None
        if inferred:
            lists = [c for c in frame.columns if c != count and str(c) not in METADATA_COLUMNS]
            for c in lists:
                values = pd.to_numeric(frame[c], errors="coerce")
                if values.isna().any() or not values.isin([0, 1]).all():
                    shown = ", ".join(map(str, pd.unique(frame[c])[:4]))
                    raise CaptureTableError(
                        f"capture table{where}: column '{c}' has values other than 0/1 ({shown}), "
                        "so it is not a list; name the list columns with lists=[...]")
        lists = [str(c) for c in lists]
        missing = [c for c in lists if c not in frame.columns]
        if missing:
            raise CaptureTableError(f"capture table{where}: list column(s) {missing} not found "
                                    f"(columns: {', '.join(map(str, frame.columns))})")
        if len(lists) < 2:
            raise CaptureTableError(
                f"capture table{where}: {len(lists)} list column(s) ({', '.join(lists) or 'none'}); "
                "multiple systems estimation needs at least two lists")
        if len(lists) > MAX_LISTS:
            raise CaptureTableError(f"capture table{where}: {len(lists)} lists; at most {MAX_LISTS}")
        if len(set(lists)) != len(lists):
            raise CaptureTableError(f"capture table{where}: duplicate list names {lists}")
        bits = np.zeros((len(frame), len(lists)), dtype=np.int64)
        for j, col in enumerate(lists):
            bits[:, j] = _zero_one(frame[col], col, where)
        n = _counts(frame[count], count, where)
        codes = bits @ (1 << np.arange(len(lists)))
        empty = np.flatnonzero((codes == 0) & (n > 0))
        if empty.size:
            r = int(empty[0])
            raise CaptureTableError(
                f"capture table{where}: row {r} has a count of {n[r]} on no list; the all-zero "
                "history is the unobserved dark figure and cannot have a count")
        full = np.zeros(2 ** len(lists), dtype=np.int64)
        np.add.at(full, codes, n)
        alone = [c for j, c in enumerate(lists) if full[1 << j] == 0]
        if alone:
            text = (f"capture table{where}: nobody is found only on {', '.join(alone)}; a list "
                    "usually has people no other list found, while a covariate (sex, age band) "
                    "taken for a list has none")
            if inferred:
                raise CaptureTableError(text + "; if these are lists, name every list column with "
                                        "lists=[...]")
            warnings.warn(text, OnlyListWarning, stacklevel=2)
        return cls(tuple(lists), full[1:], dict(labels or {}), name)

    @classmethod
    def from_csv(cls, path: str | Path, lists: Sequence[str] | None = None, *,
                 count: str = COUNT, name: str = "") -> "CaptureTable":
        """Your own table: a CSV of 0/1 list columns plus a count column (see :meth:`from_frame`
        for ``lists`` and the checks). The raw file is only read."""
        path = Path(path)
        if not path.is_file():
            raise CaptureTableError(f"capture table: file {path} not found")
        try:
            frame = pd.read_csv(path)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as err:
            raise CaptureTableError(f"capture table: {path} is not a readable CSV ({err})") from err
        return cls.from_frame(frame, lists, count=count, name=name or path.stem)

    @classmethod
    def from_dataset(cls, dataset_id: str) -> "CaptureTable":
        """The published table ``dataset_id`` (e.g. ``mse-uk-2013-5``) via ``critique.datasets.load``.

        List columns and their labels come from the dataset's sidecar (``lists``, ``list_labels``).
        """
        from critique import datasets
        from critique.datasets import published

        frame = datasets.load(dataset_id)
        meta = published.meta(dataset_id)
        return cls.from_frame(frame, meta.get("lists"), labels=meta.get("list_labels") or {},
                              name=dataset_id)

    # ----------------------------------------------------------------- views
    @property
    def k(self) -> int:
        """Number of lists."""
        return len(self.lists)

    @property
    def histories(self) -> np.ndarray:
        """``(2**k - 1) x k`` 0/1 matrix, row ``c - 1`` for history code ``c``."""
        return histories(self.k)

    @property
    def n_observed(self) -> int:
        """People on at least one list."""
        return int(self.counts.sum())

    def list_totals(self) -> pd.Series:
        """People on each list (whatever else they are on)."""
        return pd.Series(self.histories.T.astype(np.int64) @ self.counts, index=list(self.lists))

    def overlap(self, term: Iterable[int | str]) -> int:
        """People on every list of ``term`` (indices or names): the term's margin."""
        idx = self.index(term)
        on_all = self.histories[:, idx].all(axis=1)
        return int(self.counts[on_all].sum())

    def empty_pairs(self) -> list[tuple[str, str]]:
        """Pairs of lists with no one in common (their pairwise margin is zero)."""
        return [(self.lists[i], self.lists[j]) for i in range(self.k) for j in range(i + 1, self.k)
                if self.overlap((i, j)) == 0]

    def index(self, names: Iterable[int | str]) -> list[int]:
        """List indices of ``names`` (names or integer indices)."""
        out = []
        for x in names:
            if isinstance(x, (int, np.integer)):
                if not 0 <= int(x) < self.k:
                    raise CaptureTableError(f"list index {x} out of range 0..{self.k - 1}")
                out.append(int(x))
            elif str(x) in self.lists:
                out.append(self.lists.index(str(x)))
            else:
                raise CaptureTableError(f"unknown list '{x}' (lists: {', '.join(self.lists)})")
        return out

    def cell(self, history: str | Sequence[int] | Iterable[str]) -> int:
        """Row index of a history given as a 0/1 string ('00100'), a 0/1 sequence, or list names.

        ``"PFNCA-only"`` style is spelled ``cell(["PFNCA"])``: the people on that list and no other.
        """
        if isinstance(history, str) and set(history) <= {"0", "1"} and len(history) == self.k:
            bits = [int(ch) for ch in history]
        else:
            seq = list(history) if not isinstance(history, str) else [history]
            if len(seq) == self.k and all(isinstance(v, (int, np.integer)) and v in (0, 1)
                                          for v in seq):
                bits = [int(v) for v in seq]
            else:
                on = set(self.index(seq))
                bits = [1 if j in on else 0 for j in range(self.k)]
        code = sum(b << j for j, b in enumerate(bits))
        if code == 0:
            raise CaptureTableError("the all-zero history is the unobserved cell; pick a history "
                                    "with at least one list")
        return code - 1

    def history_label(self, row: int) -> str:
        """Names of the lists of cell ``row`` joined by '+', e.g. 'NG+PFNCA'."""
        return "+".join(n for j, n in enumerate(self.lists) if (row + 1) >> j & 1)

    def frame(self, include_zeros: bool = True) -> pd.DataFrame:
        """The table as a frame: one 0/1 column per list and ``count``."""
        out = pd.DataFrame(self.histories.astype(np.int64), columns=list(self.lists))
        out[COUNT] = self.counts
        return out if include_zeros else out[out[COUNT] > 0].reset_index(drop=True)

    # ----------------------------------------------------------------- derived tables
    def with_counts(self, counts: np.ndarray, name: str | None = None) -> "CaptureTable":
        """The same lists with new counts (validated non-negative integers)."""
        arr = np.asarray(counts)
        if arr.shape != self.counts.shape:
            raise CaptureTableError(f"counts of shape {arr.shape}; expected {self.counts.shape}")
        if (arr < 0).any():
            r = int(np.flatnonzero(arr < 0)[0])
            raise CaptureTableError(f"history {self.history_label(r)} would have count {arr[r]} < 0")
        return CaptureTable(self.lists, arr.astype(np.int64), self.labels,
                            self.name if name is None else name)

    def add_to_cell(self, history, delta: int) -> "CaptureTable":
        """Add ``delta`` people (negative: remove) to one capture-history cell."""
        counts = self.counts.copy()
        counts[self.cell(history)] += int(delta)
        return self.with_counts(counts)

    def drop_list(self, name: str) -> "CaptureTable":
        """The table without list ``name``: people only on that list disappear from view."""
        (j,) = self.index([name])
        keep = [i for i in range(self.k) if i != j]
        frame = self.frame()
        names = [self.lists[i] for i in keep]
        frame = frame[frame[names].sum(axis=1) > 0]  # people only on the dropped list vanish
        return CaptureTable.from_frame(frame, names,
                                       labels={n: v for n, v in self.labels.items() if n != name},
                                       name=f"{self.name} without {name}".strip())

    def merge_lists(self, a: str, b: str, name: str | None = None) -> "CaptureTable":
        """Lists ``a`` and ``b`` merged into one (a person is on it if on either), as PF+NCA -> PFNCA."""
        ia, ib = self.index([a, b])
        if ia == ib:
            raise CaptureTableError(f"merge_lists: cannot merge list '{a}' with itself")
        name = name or f"{a}{b}"
        frame = self.frame()
        merged = (frame[a] | frame[b]).astype(np.int64)
        cols = [c for c in self.lists if c not in (a, b)]
        out = frame[cols].copy()
        out.insert(min(ia, ib), name, merged)
        out[COUNT] = frame[COUNT]
        labels = {n: v for n, v in self.labels.items() if n not in (a, b)}
        return CaptureTable.from_frame(out, list(out.columns[:-1]), labels=labels,
                                       name=f"{self.name} {a}+{b}".strip())


def as_table(obj, lists: Sequence[str] | None = None, *, count: str = COUNT) -> CaptureTable:
    """A :class:`CaptureTable` from what a user has: a CaptureTable (returned as is), a DataFrame
    of 0/1 list columns plus ``count`` (:meth:`CaptureTable.from_frame`), a shipped dataset id
    such as ``"mse-uk-2013-5"``, or a path to a CSV file (:meth:`CaptureTable.from_csv`).

    Raises :class:`CaptureTableError` saying what is needed for anything else.
    """
    if isinstance(obj, CaptureTable):
        return obj
    if isinstance(obj, pd.DataFrame):
        return CaptureTable.from_frame(obj, lists, count=count)
    if isinstance(obj, (str, Path)):
        text = str(obj)
        if text.lower().endswith(".csv") or Path(text).is_file():
            return CaptureTable.from_csv(text, lists, count=count)
        return CaptureTable.from_dataset(text)
    raise CaptureTableError(
        f"expected a capture table: a CaptureTable, a DataFrame of 0/1 list columns plus a "
        f"'{count}' column, a dataset id (e.g. 'mse-uk-2013-5') or a CSV path; got "
        f"{type(obj).__name__}")


def _show(value) -> str:
    """A cell value as the user typed it (numpy scalars unwrapped)."""
    return repr(value.item() if hasattr(value, "item") else value)


def _zero_one(col: pd.Series, name: str, where: str) -> np.ndarray:
    values = pd.to_numeric(col, errors="coerce")
    bad = values.isna() | ~values.isin([0, 1])
    if bad.any():
        r = int(np.flatnonzero(bad.to_numpy())[0])
        raise CaptureTableError(f"capture table{where}: list column '{name}' row {r} has value "
                                f"{_show(col.iloc[r])}; list columns must be 0 or 1")
    return values.to_numpy(dtype=np.int64)


def _counts(col: pd.Series, name: str, where: str) -> np.ndarray:
    values = pd.to_numeric(col, errors="coerce")
    arr = values.to_numpy(dtype=float, na_value=np.nan)
    for test, what in ((np.isnan(arr), "is missing or not a number"),
                       (arr < 0, "is negative"),
                       (np.isfinite(arr) & (arr != np.round(arr)), "is not a whole number"),
                       (~np.isfinite(arr) & ~np.isnan(arr), "is infinite")):
        if test.any():
            r = int(np.flatnonzero(test)[0])
            raise CaptureTableError(f"capture table{where}: column '{name}' row {r} value "
                                    f"{_show(col.iloc[r])} {what}; counts must be non-negative integers")
    return arr.astype(np.int64)
