"""The work behind each CLI command, callable from tests and notebooks without click."""

from __future__ import annotations

import contextlib
import os

from kg.errors import KgError
from kg.extract import BatchReport, Extraction, extract_parts, read_inputs, to_dataset
from kg.progress import stderr, text_progress, track
from kg.rdf.files import DatasetWriter, output_format, write_dataset
from kg.readers import expand_paths


def input_size(files: list) -> int:
    """Bytes of the named files (what a progress bar in text can count on before reading them)."""
    total = 0
    for file in files:
        with contextlib.suppress(OSError, TypeError):
            total += os.path.getsize(file)
    return total


def explain_lines(extraction: Extraction) -> list[str]:
    """One line per claim: the triple, its modality, rule and the sentence it comes from."""
    lines = []
    for c in extraction.claims:
        mark = "" if c.modality == "asserted" else f" [{c.modality}, not asserted]"
        sentence = " ".join(c.sentence.split())
        lines.append(f"{c.subject} {c.relation} {c.object}{mark}  ({c.rule}, {c.confidence:.2f})\n    “{sentence}”")
    return lines


def run_extract(paths: list[str], output: str | None, fmt: str | None, explain: bool, workers: int) -> int:
    """Extract, write RDF, report failures. Exit code 0, 1 when some inputs failed, 2 when all did.

    Each document (each piece of a long one) is written out as soon as it is extracted."""
    report = BatchReport()
    files = list(expand_paths(paths))
    documents = read_inputs(paths, report)
    with DatasetWriter(output, fmt) as writer, text_progress(input_size(files), "extracting") as advance:
        parts = extract_parts(documents, workers=workers, on_progress=advance)
        if advance is None:
            parts = track(parts, len(files), "extracting", weight=lambda part: part.last)
        for part in parts:
            if explain:
                if part.part == 0:
                    stderr.print(f"[bold]{part.document.source}[/bold]", highlight=False)
                for line in explain_lines(part):
                    stderr.print(line, highlight=False, markup=False)
            writer.write(to_dataset([part]))
            report.documents += part.last
        for failure in report.failures:
            stderr.print(f"error: {failure}", markup=False, highlight=False)
        if report.documents == 0:
            if len(report.failures) == 1:
                raise KgError(report.failures[0])
            raise KgError(f"no document could be read ({len(report.failures)} failed)")
    if report.failures:
        stderr.print(f"{report.documents} documents extracted, {len(report.failures)} failed", highlight=False)
        return 1
    return 0


def _summary_line(report) -> str:
    s = report.summary
    return (f"documents: {s.documents_loaded} loaded, {s.documents_skipped} unchanged, {len(report.failures)} failed; "
            f"actors: {s.actors}; evidence: {s.evidence}; claims not asserted: {s.claims}; "
            f"relationships updated: {s.relations_touched}")


def report_and_exit_code(report) -> int:
    """Print the failures and the summary of an ingest or load; the exit code the CLI returns."""
    for failure in report.failures:
        stderr.print(f"error: {failure}", markup=False, highlight=False)
    if report.failures and not (report.summary.documents_loaded or report.summary.documents_skipped):
        if len(report.failures) == 1:
            raise KgError(report.failures[0])
        raise KgError(f"nothing loaded: all {len(report.failures)} inputs failed")
    print(_summary_line(report))
    return 1 if report.failures else 0


def run_init() -> None:
    from kg.db import connect
    from kg.loader import apply_constraints
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        n = apply_constraints(driver, settings.database)
    print(f"{n} constraints and indexes in place")


def run_ingest(paths: list[str], workers: int, batch_size: int = 20) -> int:
    from kg.db import connect
    from kg.ingest import ingest
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        report = ingest(driver, paths, settings.database, workers=workers, batch_size=max(1, batch_size))
    return report_and_exit_code(report)


def run_load(files: list[str], fmt: str | None) -> int:
    from kg.db import connect
    from kg.ingest import load_files
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        report = load_files(driver, files, settings.database, fmt)
    return report_and_exit_code(report)


def run_export(output: str | None, fmt: str | None) -> None:
    from kg.db import connect
    from kg.ingest import export_dataset
    from kg.settings import load_settings

    output_format(output, fmt)
    settings = load_settings()
    with connect(settings) as driver:
        ds = export_dataset(driver, settings.database)
    write_dataset(ds, output, fmt)


def run_forget(document: str) -> None:
    from pathlib import Path

    from kg.db import connect
    from kg.loader import forget_document
    from kg.nlp.gazetteer import slug
    from kg.rdf.vocabulary import DOC
    from kg.settings import load_settings

    uri = document if "://" in document or document.startswith("urn:") else str(DOC[slug(Path(document).stem)])
    settings = load_settings()
    with connect(settings) as driver:
        if not forget_document(driver, uri, settings.database):
            raise KgError(f"{document}: no such document in the graph")
    print(f"forgot {uri}")
