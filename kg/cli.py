"""The `kg` command: click only. Each command parses its options and calls its use case in `kg.app`."""

from __future__ import annotations

import os
import sys

import click

from kg import __version__
from kg.errors import KgError

ID_HELP = ("The document's identity, for one file or '-' (default: the path as named; stdin: its content "
           "hash). The same identity again replaces the document.")
PUBLISHED_HELP = ("Publication date of the documents (ISO 8601, such as 2024-06-12), over what they say "
                  "themselves (HTML metadata, front matter, a dateline).")


class KgGroup(click.Group):
    """Turns every KgError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug, not bad input: say so in one line unless asked for more
            if os.environ.get("KG_DEBUG"):
                raise
            click.echo(f"error: internal error ({type(exc).__name__}: {exc}); rerun with KG_DEBUG=1 for details",
                       err=True)
            sys.exit(3)


@click.group(cls=KgGroup)
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: build a knowledge graph of alliances and conflicts from geopolitical text.

    Text is read by a spaCy pipeline, turned into RDF triples of a fixed relation vocabulary
    (each backed by the sentence that asserts it), loaded into Neo4j, and explored with
    canned Cypher queries.
    """


# --------------------------------------------------------------------------------------------------
# Neo4j: the local server and `kg status`
# --------------------------------------------------------------------------------------------------


@main.group("neo4j", cls=KgGroup, short_help="Start, stop or inspect a local Neo4j server (no Docker).")
def neo4j_group() -> None:
    """Run a local Neo4j 5.26 Community server without Docker.

    The server is assembled from Maven Central on first start (needs `mvn` once, ~140 MB, cached in
    ~/.cache/kg/dist or KG_NEO4J_DIST) and run with the system Java 17+. Its data, logs and config
    live in $KG_HOME/neo4j (default ~/.cache/kg/neo4j); it listens on 127.0.0.1 only.
    """


@neo4j_group.command("start", short_help="Start the local server (downloads Neo4j once).")
@click.option("--bolt-port", type=int, default=None, help="Bolt port [env KG_BOLT_PORT; default 7687].")
@click.option(
    "--http-port", type=int, default=None, help="HTTP port of Browser [env KG_HTTP_PORT; default 7474]."
)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for Bolt to answer."
)
def neo4j_start(bolt_port: int | None, http_port: int | None, timeout: float) -> None:
    """Start the local Neo4j server and wait until it answers (no-op if it already runs).

    Prints the Bolt and Browser addresses and the user (neo4j). The password is NEO4J_PASSWORD if
    set; otherwise one is generated on first start and stored (mode 600) in
    $KG_HOME/neo4j-password, where other kg commands find it. It is printed only by `kg neo4j password`.
    """
    from kg import app

    app.neo4j_start(bolt_port, http_port, timeout)


@neo4j_group.command("password", short_help="Print the local server's password (user neo4j).")
def neo4j_password() -> None:
    """Print the password of the local server's user neo4j, for logging in to Neo4j Browser:
    NEO4J_PASSWORD if set (environment or .env), else the one `kg neo4j start` generated."""
    from kg import app

    app.neo4j_password()


@neo4j_group.command("stop", short_help="Stop the local server.")
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Seconds before SIGTERM becomes SIGKILL."
)
def neo4j_stop(timeout: float) -> None:
    """Stop the local Neo4j server (only the process recorded for $KG_HOME/neo4j)."""
    from kg import app

    app.neo4j_stop(timeout)


@neo4j_group.command("status", short_help="Show whether the local server runs, and where.")
def neo4j_status() -> None:
    """Show whether the local Neo4j server runs, its addresses and directories.

    Exits 0 when it runs, 3 when it does not.
    """
    from kg import app

    sys.exit(app.neo4j_status())


@main.command("status", short_help="Show the Neo4j version and node/relationship counts.")
def status_command() -> None:
    """Show the version and edition of the Neo4j server kg uses and its node and relationship counts.

    Connects with NEO4J_URI (default bolt://127.0.0.1:7687), NEO4J_USERNAME, NEO4J_PASSWORD (else the
    password file of the local server) and NEO4J_DATABASE, from the environment or ./.env.

    Exits 2 with a one-line message if the server cannot be reached or rejects the credentials.
    """
    from kg import app

    app.server_status()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-o", "--output", help="Output file; its extension picks the format (.trig .nq .ttl .jsonld).")
@click.option("--format", "fmt", help="RDF format by rdflib name (trig, nquads, turtle, json-ld ...).")
@click.option("--explain", is_flag=True, help="Print each triple with the sentence behind it (to stderr).")
@click.option("--workers", default=1, show_default=True, help="Processes running spaCy.")
@click.option("--id", "identity", help=ID_HELP)
@click.option("--published", help=PUBLISHED_HELP)
def extract(paths: tuple[str, ...], output: str | None, fmt: str | None, explain: bool, workers: int,
            identity: str | None, published: str | None) -> None:
    """Extract relation triples from text files, directories (recursively) or '-' (stdin).

    Reads .txt, .md and .html; writes RDF (default: TriG on stdout) with one named graph per
    document, evidence for every triple, and non-asserted claims as reified statements.
    """
    from kg import app

    sys.exit(app.run_extract(list(paths), output, fmt, explain, workers, identity, published))


@main.command("init")
def init_command() -> None:
    """Apply schema/constraints.cypher (uniqueness constraints and indexes); safe to repeat."""
    from kg import app

    app.run_init()


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--workers", default=1, show_default=True, help="Processes running spaCy.")
@click.option("--batch-size", default=20, show_default=True, help="Documents per write transaction.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="local: this process (and --workers processes); spark: a Spark job (needs kg[spark]; "
                   "master local[WORKERS] when --workers is given, else KG_SPARK_MASTER, else spark-submit's, "
                   "else local[*]).")
@click.option("--id", "identity", help=ID_HELP)
@click.option("--published", help=PUBLISHED_HELP)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[str, ...], workers: int, batch_size: int, engine: str,
           identity: str | None, published: str | None) -> None:
    """Extract triples from text files or directories and load them into Neo4j.

    A document is identified by its path as named (a directory's files: the directory as named,
    then the path inside it), or by --id; stdin by its content. Documents whose content is
    unchanged since their last ingest are skipped; a changed document replaces its own evidence only.

    With --engine spark, PATHS may also be JSON Lines or Parquet corpora (columns id, text and
    optional title, published, source), on any file system Spark reads (hdfs://, s3a:// ...).
    """
    from kg import app

    if engine == "spark":
        if identity is not None:
            raise KgError("--id is for one file or stdin, which `kg ingest` reads without Spark")
        given = ctx.get_parameter_source("workers") != click.core.ParameterSource.DEFAULT
        sys.exit(app.run_spark_ingest(list(paths), master=f"local[{workers}]" if given else None,
                                      batch_size=batch_size, published=published))
    sys.exit(app.run_ingest(list(paths), workers, batch_size, identity, published))


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--format", "fmt", help="RDF format by rdflib name; guessed from the extension otherwise.")
def load(files: tuple[str, ...], fmt: str | None) -> None:
    """Load RDF files (any rdflib format) into Neo4j.

    kg's own vocabulary maps to actors and typed relationships; other RDF maps the way
    neosemantics does by default (types to labels, literals to properties, IRIs to relationships).
    """
    from kg import app

    sys.exit(app.run_load(list(files), fmt))


@main.command()
@click.option("-o", "--output", help="Output file; its extension picks the format. Default: TriG on stdout.")
@click.option("--format", "fmt", help="RDF format by rdflib name.")
def export(output: str | None, fmt: str | None) -> None:
    """Write the graph back as RDF: one named graph per document, with evidence."""
    from kg import app

    app.run_export(output, fmt)


@main.command()
@click.option("--text", "-t", default="", help="Only documents whose IRI, title or source path contains TEXT "
              "(any case).")
@click.option("--since", help="Only documents dated on or after this date (published, else ingested; ISO 8601).")
@click.option("--until", help="Only documents dated on or before this date (published, else ingested).")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=1),
              help="Documents shown, newest first; a cut list says so on stderr.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
def documents(text: str, since: str | None, until: str | None, limit: int, fmt: str) -> None:
    """List the documents in the graph, newest first: identity, IRI, title, source path, published
    and ingested dates, evidence and claims. Ingested texts and RDF files given to `kg load` alike;
    `kg forget` takes any identity, IRI or source path listed."""
    from kg import app

    app.run_documents(text, since, until, limit, fmt)


@main.command()
@click.argument("document")
def forget(document: str) -> None:
    """Remove one document and what only it supported: name it by anything `kg documents` lists (its
    identity, IRI or source path), the path it was ingested from, its --id, or the RDF file it was
    loaded from."""
    from kg import app

    app.run_forget(document)


# --------------------------------------------------------------------------------------------------
# Canned queries: `kg query list|show|run|browser-favorites`
# --------------------------------------------------------------------------------------------------


@main.group("query", cls=KgGroup, short_help="List, show and run the canned Cypher queries.")
def query_group() -> None:
    """The canned queries of queries/*.cypher (or $KG_QUERIES_DIR): alliances, blocs, conflicts,
    arms flows, evidence ... Each declares its parameters and defaults in its header."""


@query_group.command("list", short_help="List the canned queries, what they return and their parameters.")
def query_list() -> None:
    """List the canned queries: title, what each returns, and its parameters with their defaults."""
    from kg import app

    app.query_list()


@query_group.command("show", short_help="Show a query, its parameters and its Browser form.")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter value for the Browser form (repeatable).")
@click.option("--browser", is_flag=True, help="Print only what to paste into Neo4j Browser (:param lines + query).")
def query_show(name: str, params: tuple[str, ...], browser: bool) -> None:
    """Show a query: title, description, parameters and its Cypher, then the Neo4j Browser form."""
    from kg import app

    app.query_show(name, list(params), browser)


@query_group.command("run", short_help="Run a canned query (table, json or csv).")
@click.argument("name")
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="Parameter value, coerced to the declared type (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True, help="Output format.")
def query_run(name: str, params: tuple[str, ...], fmt: str) -> None:
    """Run a canned query against Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).

    Paths print as 'Russia -[MUTUAL_DEFENSE]- North Korea'. Unknown queries or parameters exit 2
    with the valid names.
    """
    from kg import app

    app.query_run(name, list(params), fmt)


@query_group.command("browser-favorites", short_help="Write the queries as a Neo4j Browser favorites zip.")
@click.option("-o", "--output", default="kg-queries.zip", show_default=True,
              help="The zip file to write.")
@click.option("--folder", default="kg queries", show_default=True,
              help="Favorites folder the queries appear in.")
def query_browser_favorites(output: str, folder: str) -> None:
    """Write the canned queries as Neo4j Browser favorites: a zip of .cypher files.

    Drag the zip onto an open Neo4j Browser window: each query becomes a favorite (star icon in the
    sidebar) in FOLDER, with its parameters set by `:param` lines before the query.
    """
    from kg import app

    app.query_browser_favorites(output, folder)


@query_group.command("browser-style", short_help="Write kg's Neo4j Browser style (.grass).")
@click.option("-o", "--output", default="kg.grass", show_default=True, help="The .grass file to write.")
def query_browser_style(output: str) -> None:
    """Write kg's Neo4j Browser style: actors coloured by class and captioned by name, cooperative
    relations green, hostile ones red, presence and leadership grey.

    Drag the file onto an open Neo4j Browser window to apply it (the local server applies it on
    connect; the 'kg style' favorite does the same).
    """
    from kg import app

    app.query_browser_style(output)
