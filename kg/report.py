"""What a run reports: counts of what was written and the inputs that failed.

A batch goes on past an input it cannot read; these collect what happened so the caller (the CLI,
a notebook, a benchmark) can say so at the end and choose an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import KgError


@dataclass
class LoadSummary:
    """Counts of what one or more load transactions wrote."""

    documents_loaded: int = 0
    documents_skipped: int = 0
    actors: int = 0
    evidence: int = 0
    claims: int = 0
    relations_touched: int = 0
    resources: int = 0
    agreements: int = 0

    def add(self, other: LoadSummary) -> None:
        """Add another batch's counts to these."""
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


@dataclass
class BatchReport:
    """`kg extract`: documents extracted, and which inputs failed and why."""

    failures: list[str] = field(default_factory=list)
    documents: int = 0


@dataclass
class IngestReport:
    """`kg ingest` and `kg load` (either engine): what was loaded, what was unchanged, what failed."""

    summary: LoadSummary = field(default_factory=LoadSummary)
    failures: list[str] = field(default_factory=list)
    unchanged: int = 0


def summary_line(report: IngestReport) -> str:
    """The one line `kg ingest` and `kg load` end with."""
    s = report.summary
    return (f"documents: {s.documents_loaded} loaded, {s.documents_skipped} unchanged, {len(report.failures)} failed; "
            f"actors: {s.actors}; evidence: {s.evidence}; claims not asserted: {s.claims}; "
            f"relationships updated: {s.relations_touched}")


def exit_code(report: IngestReport) -> int:
    """The exit code of an ingest or load: 0, or 1 when some inputs failed; when every input failed,
    a KgError (exit code 2) saying so."""
    if report.failures and not (report.summary.documents_loaded or report.summary.documents_skipped):
        if len(report.failures) == 1:
            raise KgError(report.failures[0])
        raise KgError(f"nothing loaded: all {len(report.failures)} inputs failed")
    return 1 if report.failures else 0
