"""Ingest on Apache Spark: `kg ingest --engine spark`, and the same as a Python API.

The job, step by step (the graph it leaves is the one `kg ingest` leaves for the same corpus):

1. Read: text files and directories (Spark's binaryFile source, so hdfs:// or s3a:// paths work
   too) or a JSON Lines / Parquet corpus with columns `id`, `text` and optional `title`,
   `published`, `source`. Executors turn each input into a `kg.readers.Document` exactly as
   `kg ingest` does (same decoding, HTML extraction, IRI, title and sha256).
2. Skip unchanged: the (uri, sha256) of the graph's Document nodes are read with the Neo4j
   Connector for Apache Spark and joined: a document whose sha256 is already stored is not parsed.
3. Extract in the executors (`mapPartitions`): spaCy is loaded once per Python worker
   (`kg.nlp.pipeline.shared_pipeline`, reused across tasks), then the same code as `kg extract`/
   `kg ingest` builds each document's RDF and its `DocumentRows`, shipped back as JSON.
4. Write, in this order:
   - Actor nodes with the connector (one Cypher statement per row batch, the loader's own MERGE and
     SET logic, labels from the ontology only);
   - Document nodes with the connector (node write, key `uri`: MERGE), without their sha256;
   - then everything the connector cannot express, through `kg.graph.loader.load_documents`, the loader
     of `kg ingest`, fed in corpus order from the driver: replacing a changed document's evidence,
     Evidence/Claim nodes and links, and recomputing relationship aggregates. It sets the sha256
     last, in the same transaction, so a document is "done" only once all of it is committed; a
     job killed half-way leaves documents without sha256, which the next run re-does.

A re-run of the same corpus reads and hashes it, finds every sha256 stored and writes nothing.

The loader runs on the driver, one transaction of `batch_size` documents at a time, as in
`kg ingest`: extraction (the expensive part) is what Spark spreads out; the writes stay serial, so
relationship aggregates never depend on interleaved transactions and the order of writes is the
corpus order.

Needs `pip install 'kg[spark]'` (pyspark 3.5) and Java 17+; the session and the connector jar are
`kg.engines.spark_session`'s, the reading `kg.engines.spark_read`'s.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kg.engines.spark_read import corpus_documents, read_corpus
from kg.engines.spark_session import CONNECTOR, CONNECTOR_ARTIFACT, CONNECTOR_GROUP, spark_session, stop_spark
from kg.errors import KgError
from kg.graph.cypher import KNOWN_DOCUMENTS, connector_actor_query
from kg.readers import Document
from kg.report import IngestReport, exit_code, summary_line

if TYPE_CHECKING:  # pyspark is an optional extra: imported only when a job runs
    from pyspark.sql import DataFrame, SparkSession

    from kg.settings import Settings

DATA_SOURCE = "org.neo4j.spark.DataSource"
DOCS_PER_TASK = 200


# --------------------------------------------------------------------------------------------------
# Extraction in the executors
# --------------------------------------------------------------------------------------------------


def _rows_schema():
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    actor = StructType([StructField(name, StringType(), True) for name in ("uri", "name", "cls", "wikidata")]
                       + [StructField("aliases", ArrayType(StringType()), True)])
    return StructType([
        StructField("arg", IntegerType(), False),
        StructField("key", ArrayType(StringType()), False),
        *(StructField(name, StringType(), True) for name in ("uri", "sha256", "source", "title", "published")),
        StructField("actors", ArrayType(actor), False),
        StructField("rows", StringType(), False),
    ])


def _extract_partition(model: str | None) -> Callable[[Iterable[Any]], Iterator[tuple]]:
    def extract(rows: Iterable[Any]) -> Iterator[tuple]:
        from kg.extract import extract_documents, to_dataset
        from kg.rdf.rows import dataset_rows

        rows = list(rows)
        documents = [Document(uri=r.uri, source=r.source, title=r.title, text=r.text, sha256=r.sha256,
                              published=r.published) for r in rows]
        for row, doc, extraction in zip(rows, documents, extract_documents(documents, model=model), strict=True):
            if extraction.document is not doc:
                raise RuntimeError(f"extraction out of order at {doc.uri}")
            items = dataset_rows(to_dataset([extraction]))
            actors = {uri: a for item in items for uri, a in item.actors.items()}
            yield (row.arg, row.key, row.uri, row.sha256, row.source, row.title, row.published,
                   [(a["uri"], a["name"], a["cls"], a["wikidata"], list(a["aliases"])) for a in actors.values()],
                   json.dumps([asdict(item) for item in items], ensure_ascii=False, allow_nan=False))

    return extract


def extract_rows(docs: DataFrame, model: str | None = None, docs_per_task: int = DOCS_PER_TASK,
                 count: int | None = None) -> DataFrame:
    """Prepared documents -> per document its actors and its DocumentRows (JSON), extracted in the
    executors with the pipeline of `kg extract` (KG_SPACY_MODEL unless `model` names another)."""
    from kg.settings import load_settings

    spark = docs.sparkSession
    model = model or load_settings().spacy_model
    count = docs.count() if count is None else count
    slices = max(1, min(count, max(2 * spark.sparkContext.defaultParallelism, -(-count // docs_per_task))))
    rdd = docs.repartition(slices).rdd.mapPartitions(_extract_partition(model))
    return spark.createDataFrame(rdd, _rows_schema())


# --------------------------------------------------------------------------------------------------
# Writing: connector for nodes, kg.graph.loader for the rest
# --------------------------------------------------------------------------------------------------


def connector_options(settings: Settings) -> dict[str, str]:
    options = {
        "url": settings.uri,
        "authentication.type": "basic",
        "authentication.basic.username": settings.username,
        "authentication.basic.password": settings.password or "",
    }
    if settings.database:
        options["database"] = settings.database
    return options


def known_documents(spark: SparkSession, settings: Settings) -> DataFrame:
    """(uri, sha256) of the Document nodes already loaded, read with the connector."""
    return (spark.read.format(DATA_SOURCE).options(**connector_options(settings))
            .option("query", KNOWN_DOCUMENTS).load().select("uri", "sha256"))


def write_actor_nodes(rows: DataFrame, settings: Settings) -> None:
    """Actor nodes of the extracted documents, through the connector (one writer: actors are few and
    shared by many documents, so parallel writers would only wait on each other's locks)."""
    from pyspark.sql import functions as F

    actors = rows.select(F.explode("actors").alias("a")).select("a.*").dropDuplicates()
    (actors.coalesce(1).write.format(DATA_SOURCE).mode("Append").options(**connector_options(settings))
     .option("query", connector_actor_query()).save())


def write_document_nodes(rows: DataFrame, settings: Settings) -> None:
    """Document nodes (MERGE on uri) through the connector, without their sha256, which the loader
    sets once the document's evidence is committed."""
    docs = rows.select("uri", "title", "source", "published").dropDuplicates(["uri"])
    (docs.write.format(DATA_SOURCE).mode("Overwrite").options(**connector_options(settings))
     .option("labels", ":Document").option("node.keys", "uri").save())


def _document_rows(rows: DataFrame) -> Iterator:
    from kg.rdf.rows import DocumentRows

    for record in rows.orderBy("arg", "key").select("rows").toLocalIterator(prefetchPartitions=True):
        for item in json.loads(record.rows):
            yield DocumentRows(**item)


def spark_ingest(paths: list[str] | None = None, *, corpus: DataFrame | None = None,
                 settings: Settings | None = None, spark: SparkSession | None = None, master: str | None = None,
                 fmt: str | None = None, batch_size: int = 20, progress: Callable[[str], None] | None = None,
                 timings: dict[str, float] | None = None, published: str | None = None) -> IngestReport:
    """Ingest `paths` (see `read_corpus`) or a `corpus` DataFrame (id, text, title?, published?,
    source?) into the Neo4j of `settings` (default: the environment) with Spark.

    Uses `spark` or the active session, else starts one (`spark_session(master)`) and stops it at
    the end. Returns the report `kg ingest` returns; `timings`, when given, receives the seconds
    spent reading (and skipping), extracting, writing nodes with the connector and loading.
    `published` (`--published`, ISO 8601) dates every document read from `paths`.
    """
    from neo4j.exceptions import DriverError, Neo4jError
    from pyspark import StorageLevel

    from kg.graph.cypher import apply_constraints
    from kg.graph.db import connect, interrupted
    from kg.graph.loader import load_documents
    from kg.progress import track
    from kg.settings import load_settings

    if (paths is None) == (corpus is None):
        raise KgError("give either paths or a corpus DataFrame")
    settings = settings or load_settings()
    report = IngestReport()
    clock = _Clock(timings)
    with connect(settings) as driver:
        apply_constraints(driver, settings.database)
        own = spark is None and corpus is None
        if spark is None:
            spark = corpus.sparkSession if corpus is not None else spark_session(master, progress=progress)
        try:
            docs = corpus_documents(corpus) if corpus is not None else read_corpus(spark, list(paths), fmt, published)
            known = known_documents(spark, settings).withColumnRenamed("sha256", "known_sha256")
            docs = docs.join(known, "uri", "left").persist(StorageLevel.MEMORY_AND_DISK)
            try:
                report.failures = [r.error for r in docs.filter("error IS NOT NULL").orderBy("arg", "key")
                                   .select("error").collect()]
                readable = docs.filter("error IS NULL")
                todo = readable.filter("known_sha256 IS NULL OR known_sha256 <> sha256").drop("known_sha256")
                total, count = readable.count(), todo.count()
                clock.lap("read")
                report.unchanged = total - count
                report.summary.documents_skipped += report.unchanged
                if count:
                    rows = extract_rows(todo, settings.spacy_model, count=count)
                    rows = rows.persist(StorageLevel.MEMORY_AND_DISK)
                    try:
                        rows.count()  # extract once, here; the writes below read the persisted rows
                        clock.lap("extract")
                        docs.unpersist()
                        write_actor_nodes(rows, settings)
                        write_document_nodes(rows, settings)
                        clock.lap("connector")
                        fed = _Counted(_document_rows(rows))
                        try:
                            part = load_documents(driver, track(fed, count, "loading"), settings.database,
                                                  batch_size=batch_size)
                        except (DriverError, Neo4jError) as exc:
                            # The loader writes one batch while it reads the next: all but those two were committed.
                            raise interrupted(exc, max(0, fed.n - 2 * batch_size)) from None
                        report.summary.add(part)
                        clock.lap("load")
                    finally:
                        rows.unpersist()
            finally:
                docs.unpersist()
        except Exception as exc:
            raise _spark_error(exc) from None
        finally:
            if own:
                stop_spark(spark)
    return report


def _spark_error(exc: Exception) -> Exception:
    """A failed Spark job as a one-line KgError (read while the JVM still answers); KG_DEBUG keeps it."""
    if isinstance(exc, KgError) or os.environ.get("KG_DEBUG"):
        return exc
    module = type(exc).__module__ or ""
    if not module.startswith(("py4j", "pyspark")):
        return exc
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - the gateway may be gone already
        text = type(exc).__name__
    errors = re.findall(r"^(?:[\w.]+(?:Error|Exception)): .+$", text, flags=re.M)
    python = [e for e in errors if not e.startswith(("org.", "java.", "py4j.", "scala."))]
    reason = (python or errors or [text.strip().splitlines()[0] if text.strip() else type(exc).__name__])[-1]
    if DATA_SOURCE in text and "find" in text.lower():
        reason = ("the Neo4j Connector for Apache Spark is not on the classpath: give spark-submit --jars with its "
                  "jar (`python -c 'import kg.engines.spark_session as s; print(s.connector_jar())'` fetches it), or "
                  f"--packages {CONNECTOR} --exclude-packages {CONNECTOR_GROUP}:{CONNECTOR_ARTIFACT}_common")
    return KgError(f"the Spark job failed: {reason[:500]} (rerun with KG_DEBUG=1 for Spark's trace)")


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        import time

        self.timings, self.now = timings, time.perf_counter
        self.last = self.now()

    def lap(self, name: str) -> None:
        now = self.now()
        if self.timings is not None:
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
        self.last = now


class _Counted:
    """An iterator that counts what it has handed out."""

    def __init__(self, items: Iterable) -> None:
        self.items, self.n = iter(items), 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self):
        item = next(self.items)
        self.n += 1
        return item


def main(argv: list[str] | None = None) -> int:
    """Entry for spark-submit: `spark-submit [--packages CONNECTOR ...] kg/engines/spark.py PATH...`.

    The session (master, jars, resources) is spark-submit's; Neo4j settings come from the
    environment of the driver (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="spark.py", description="kg ingest on Spark (see kg.engines.spark)")
    parser.add_argument("paths", nargs="+", help="text files or directories, JSON Lines or Parquet corpora")
    parser.add_argument("--format", choices=("text", "json", "parquet"), help="corpus format (default: guessed)")
    parser.add_argument("--batch-size", type=int, default=20, help="documents per write transaction")
    args = parser.parse_args(argv)
    try:
        report = spark_ingest(args.paths, fmt=args.format, batch_size=args.batch_size)
        for failure in report.failures:
            print(f"error: {failure}", file=sys.stderr)
        code = exit_code(report)
        print(summary_line(report))
        return code
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    # Run as the module proper (not __main__), so executors unpickle its functions by reference.
    from kg.engines.spark import main as _main

    sys.exit(_main())
