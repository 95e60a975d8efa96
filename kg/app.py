"""The use cases behind each `kg` command: do the work, print what the user should see, return the
exit code. Callable from tests and notebooks without click; `kg.cli` only parses options.

Library modules return results and report progress through callbacks; this is where they meet the
terminal.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.progress import stderr, text_progress, track
from kg.report import BatchReport, IngestReport, exit_code, summary_line

if TYPE_CHECKING:  # spaCy and rdflib load only for the commands that need them: `kg neo4j ...` stays quick
    from kg.extract import Extraction
    from kg.graph.results import QueryResult


def say(message: str) -> None:
    """Progress and notices, on stderr, so stdout stays the command's output."""
    stderr.print(message, highlight=False, markup=False)


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


# --------------------------------------------------------------------------------------------------
# Text and RDF: extract, ingest, load, export, forget, init
# --------------------------------------------------------------------------------------------------


def run_extract(paths: list[str], output: str | None, fmt: str | None, explain: bool, workers: int,
                identity: str | None = None, published: str | None = None) -> int:
    """Extract, write RDF, report failures. Exit code 0, 1 when some inputs failed, 2 when all did.

    Each document (each piece of a long one) is written out as soon as it is extracted."""
    from kg.extract import extract_parts, read_inputs, to_dataset
    from kg.rdf.files import DatasetWriter
    from kg.readers import expand_paths, published_option

    report = BatchReport()
    files = list(expand_paths(paths))
    documents = read_inputs(paths, report.failures, identity, published_option(published))
    with DatasetWriter(output, fmt) as writer, text_progress(input_size(files), "extracting") as advance:
        parts = extract_parts(documents, workers=workers, on_progress=advance)
        if advance is None:
            parts = track(parts, len(files), "extracting", weight=lambda part: part.last)
        for part in parts:
            if explain:
                if part.part == 0:
                    stderr.print(f"[bold]{part.document.source}[/bold]", highlight=False)
                for line in explain_lines(part):
                    say(line)
            writer.write(to_dataset([part]))
            report.documents += part.last
        if report.documents == 0 and len(report.failures) == 1:
            raise KgError(report.failures[0])  # printed once, by the CLI
        for failure in report.failures:
            say(f"error: {failure}")
        if report.documents == 0:
            raise KgError(f"no document could be read ({len(report.failures)} failed)")
    if report.failures:
        say(f"{report.documents} documents extracted, {len(report.failures)} failed")
        return 1
    return 0


def report_and_exit_code(report: IngestReport) -> int:
    """Print the failures and the summary of an ingest or load; the exit code the CLI returns.
    A lone failure of a run that did nothing else is raised, not printed, so it shows once."""
    nothing_else = not (report.summary.documents_loaded or report.summary.documents_skipped)
    if not (nothing_else and len(report.failures) == 1):
        for failure in report.failures:
            say(f"error: {failure}")
    code = exit_code(report)
    print(summary_line(report))
    return code


def run_init() -> None:
    from kg.graph.cypher import apply_constraints
    from kg.graph.db import connect
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        n = apply_constraints(driver, settings.database)
    print(f"{n} constraints and indexes in place")


def run_ingest(paths: list[str], workers: int, batch_size: int = 20, identity: str | None = None,
               published: str | None = None) -> int:
    from kg.engines.local import ingest
    from kg.graph.db import connect
    from kg.readers import published_option
    from kg.settings import load_settings

    published = published_option(published)
    settings = load_settings()
    with connect(settings) as driver:
        report = ingest(driver, paths, settings.database, workers=workers, batch_size=max(1, batch_size),
                        progress=say, identity=identity, published=published)
    return report_and_exit_code(report)


def run_spark_ingest(paths: list[str], master: str | None = None, batch_size: int = 20,
                     published: str | None = None) -> int:
    """`kg ingest --engine spark`: the same summary and exit codes as `kg ingest`."""
    from kg.engines.spark import spark_ingest
    from kg.readers import published_option

    report = spark_ingest(paths, master=master, batch_size=batch_size, progress=say,
                          published=published_option(published))
    return report_and_exit_code(report)


def run_load(files: list[str], fmt: str | None) -> int:
    from kg.engines.local import load_files
    from kg.graph.db import connect
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        report = load_files(driver, files, settings.database, fmt, progress=say)
    return report_and_exit_code(report)


def run_export(output: str | None, fmt: str | None) -> None:
    from kg.graph.db import connect
    from kg.graph.export import export_dataset
    from kg.rdf.files import output_format, write_dataset
    from kg.settings import load_settings

    output_format(output, fmt)
    settings = load_settings()
    with connect(settings) as driver:
        ds = export_dataset(driver, settings.database)
    write_dataset(ds, output, fmt)


def run_forget(document: str) -> None:
    from kg.graph.db import connect
    from kg.graph.documents import find_document
    from kg.graph.loader import forget_document
    from kg.settings import load_settings

    settings = load_settings()
    with connect(settings) as driver:
        uri = find_document(driver, document, settings.database)
        if not forget_document(driver, uri, settings.database):  # forgotten meanwhile by another run
            raise KgError(f"{document}: no such document in the graph")
    print(f"forgot {uri}")


def run_documents(text: str, since: str | None, until: str | None, limit: int, fmt: str) -> None:
    """List the documents (`kg documents`); on stderr, whether the limit cut the list."""
    from kg.graph.db import connect
    from kg.graph.documents import list_documents
    from kg.readers import published_option
    from kg.settings import load_settings

    values = {"text": text, "from_date": published_option(since, "--since") or "",
              "to_date": published_option(until, "--until") or "", "limit": limit}
    settings = load_settings()
    with connect(settings) as driver:
        result, cut = list_documents(driver, values, settings.database)
    if cut:
        say(f"note: the first {limit} documents, newest first; --limit N shows more")
    print_result(result, fmt)


# --------------------------------------------------------------------------------------------------
# Neo4j: the local server and `kg status`
# --------------------------------------------------------------------------------------------------


def neo4j_start(bolt_port: int | None, http_port: int | None, timeout: float) -> None:
    from kg.server import control
    from kg.server.instance import DEFAULT_BOLT_PORT, LOCAL_USER, local_instance

    inst = local_instance(bolt_port=bolt_port, http_port=http_port)
    info = control.start(inst, timeout=timeout, progress=say)
    verb = f"started in {info['seconds']:.1f} s" if info["started"] else "already running"
    print(f"Neo4j {info['version']} {verb} (pid {info['pid']})")
    print(f"  bolt      {info['bolt_uri']}")
    print(f"  browser   {info['browser_url']}  (kg's style is applied on login)")
    print(f"  user      {LOCAL_USER}")
    if os.environ.get("NEO4J_PASSWORD"):  # start() has read ./.env into the environment
        print("  password  NEO4J_PASSWORD (from the environment or .env)")
    else:
        print(f"  password  `kg neo4j password` prints it (kept in {info['password_file']}, mode 600)")
    print(f"  data      {info['data_dir']}")
    if inst.bolt_port != DEFAULT_BOLT_PORT:
        print(f"  other kg commands need: export NEO4J_URI={info['bolt_uri']}")


def neo4j_password() -> None:
    """The local server's password on stdout, alone (for `$(kg neo4j password)` or a copy)."""
    from kg.settings import load_settings

    password = load_settings().password
    if not password:
        raise KgError("no password yet: `kg neo4j start` generates one on first start (or set NEO4J_PASSWORD)")
    print(password)


def neo4j_stop(timeout: float) -> None:
    from kg.server import control

    print("Neo4j stopped" if control.stop(timeout=timeout, progress=say) else "Neo4j was not running")


def neo4j_status() -> int:
    """The local server's state; exit code 0 when it runs, 3 when it does not."""
    from kg.server import control

    info = control.status()
    state = f"running (pid {info['pid']})" if info["running"] else "not running"
    print(f"local Neo4j {info['version']}: {state}")
    for key in ("bolt_uri", "browser_url", "home", "data_dir", "logs_dir", "password_file", "dist_dir"):
        print(f"  {key:<14}{info[key]}")
    return 0 if info["running"] else 3


def server_status() -> None:
    from kg.graph.db import server_status

    info = server_status()
    print(f"Neo4j {info['version']} {info['edition']} at {info['address']} (user {info['user']})")
    print(f"  agent          {info['agent']} (Bolt {info['protocol']})")
    print(f"  database       {info['database']}")
    print(f"  nodes          {info['nodes']}")
    print(f"  relationships  {info['relationships']}")


# --------------------------------------------------------------------------------------------------
# Canned queries
# --------------------------------------------------------------------------------------------------


def query_list() -> None:
    """Each query's name and title, then what it returns and its parameters, indented: plain lines
    that wrap in any terminal and read the same piped."""
    from kg.graph.queries import load_queries, summary_rows

    for row in summary_rows(list(load_queries().values())):
        print(f"{row['name']}  {row['title']}")
        if row["description"]:
            print(f"    {row['description']}")
        print(f"    parameters: {row['parameters'] or '(none)'}")


def query_show(name: str, params: list[str], browser: bool) -> None:
    from kg.graph.queries import get_query, parse_assignments, render_browser

    query = get_query(name)
    text = render_browser(query, parse_assignments(params))
    if browser:
        print(text, end="")
        return
    print(f"{query.name}: {query.title}")
    if query.description:
        print(f"  {query.description}")
    print("parameters:")
    for p in query.params or ():
        print(f"  {p.describe()}")
    if not query.params:
        print("  (none)")
    print("\n// Cypher")
    print(query.cypher)
    print("\n// Neo4j Browser")
    print(text, end="")


def query_run(name: str, params: list[str], fmt: str) -> None:
    """Run a canned query and print its rows; on stderr, why it may have none (an unknown actor is an
    error, a person where a state is meant a note) and whether its limit cut it."""
    from kg.graph.actors import check_actors
    from kg.graph.db import connect
    from kg.graph.queries import bind, get_query, parse_assignments
    from kg.graph.results import run
    from kg.settings import load_settings

    query = get_query(name)
    values = parse_assignments(params)
    bound = bind(query, values)  # bad names or values fail before connecting
    settings = load_settings()
    with connect(settings) as driver:
        notes = check_actors(driver, query, bound, settings.database)
        result = run(driver, query, values, settings.database)
    if not result.records:
        for note in notes:
            say(note)
    for key in ("limit", "max_paths"):
        limit = bound.get(key)
        if isinstance(limit, int) and limit > 0 and len(result.records) >= limit:
            say(f"note: the first {limit} rows (the query's {key}); --param {key}=N shows more")
    print_result(result, fmt)


def print_result(result: QueryResult, fmt: str) -> None:
    """Rows on stdout as a table, JSON or CSV."""
    from kg.graph.results import format_csv, format_json, rich_table

    if fmt == "json":
        print(format_json(result), end="")
    elif fmt == "csv":
        print(format_csv(result), end="")
    else:
        from rich.console import Console

        # Piped output is not cut to 80 columns: long sentences and lists stay readable.
        Console(width=None if sys.stdout.isatty() else 200).print(rich_table(result))


def query_browser_favorites(output: str, folder: str) -> None:
    from kg.graph.queries import write_browser_favorites

    names = write_browser_favorites(output, folder=folder)
    print(f"{len(names)} favorites written to {output}: drag it onto Neo4j Browser to import")


def query_browser_style(output: str) -> None:
    from kg.graph.style import grass

    Path(output).write_text(grass(), encoding="utf-8")
    print(f"Browser style written to {output}: drag it onto Neo4j Browser to apply")
