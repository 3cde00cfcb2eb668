"""Loaders of the tables in data/published/ (placeholder: being written)."""
from __future__ import annotations


def sha256_of_table(dataset_id: str) -> str:  # replaced by the real module
    raise NotImplementedError


def meta(dataset_id: str) -> dict:
    raise NotImplementedError


def source_line(dataset_id: str) -> str:
    raise NotImplementedError
