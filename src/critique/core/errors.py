"""Errors shared by several layers, in one small module that everything may import.

Each message names the file, column, value or parameter that is wrong and, where it can, what would
be right (see ``shared/design/ARCHITECTURE.md``: no two modules import each other for an error).
"""
from __future__ import annotations


class DataError(Exception):
    """Bad input data: the message names the file, column, value or row."""


class ParameterError(ValueError):
    """A parameter the notebook does not accept: the message names it, the value and what is allowed."""


class RunError(RuntimeError):
    """A notebook that failed while executing."""
