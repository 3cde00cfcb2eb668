"""What an analysis object hands its notebook: findings as ``(key, value, note)`` triples, recorded in one call.

Analysis objects (``misid.analyse``, ``tip.tiers.analyse``, ``scorecards.analyse``, ...) keep their findings
in a ``_findings`` list of triples and inherit :class:`RecordsFindings` for the two methods the notebooks and
tests use; ``critique.publish.findings.record_all`` records any number of them at once.
"""
from __future__ import annotations

from typing import Any, Callable

Finding = tuple[str, Any, "str | None"]
Recorder = Callable[[str, Any, "str | None"], Any]


class RecordsFindings:
    """Mixin for a result dataclass with a ``_findings: list[Finding]`` field."""

    _findings: list[Finding]

    def findings(self) -> list[Finding]:
        """Every finding, in the order the analysis made them: ``(key, value, note)``."""
        return list(self._findings)

    def record(self, record: Recorder) -> None:
        """Record every finding with ``record(key, value, note)`` (``critique.publish.findings.record``)."""
        for key, value, note in self._findings:
            record(key, value, note)
