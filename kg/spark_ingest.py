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
   - then everything the connector cannot express, through `kg.loader.load_documents`, the loader
     of `kg ingest`, fed in corpus order from the driver: replacing a changed document's evidence,
     Evidence/Claim nodes and links, and recomputing relationship aggregates. It sets the sha256
     last, in the same transaction, so a document is "done" only once all of it is committed; a
     job killed half-way leaves documents without sha256, which the next run re-does.

A re-run of the same corpus reads and hashes it, finds every sha256 stored and writes nothing.

The loader runs on the driver, one transaction of `batch_size` documents at a time, as in
`kg ingest`: extraction (the expensive part) is what Spark spreads out; the writes stay serial, so
relationship aggregates never depend on interleaved transactions and the order of writes is the
corpus order.

Needs `pip install 'kg[spark]'` (pyspark 3.5) and Java 17+. The connector jar
(org.neo4j:neo4j-connector-apache-spark_2.12, a self-contained jar) is fetched once with Maven into
$XDG_CACHE_HOME/kg/spark (or KG_SPARK_CONNECTOR_JAR names a copy); under spark-submit, pass it with
--jars, or with --packages plus --exclude-packages of its `_common` artifact (5.0.3's POM names a
`_common` 5.0.3 that Maven Central lacks; the jar itself bundles it).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.readers import SUFFIXES, Document, decode, expand_paths, html_to_text, make_document
from kg.settings import user_cache

if TYPE_CHECKING:  # pyspark is an optional extra: imported only when a job runs
    from pyspark.sql import DataFrame, SparkSession

    from kg.ingest import IngestReport
    from kg.settings import Settings

CONNECTOR_GROUP = "org.neo4j"
CONNECTOR_ARTIFACT = "neo4j-connector-apache-spark_2.12"
CONNECTOR_VERSION = "5.0.3_for_spark_3"
CONNECTOR = f"{CONNECTOR_GROUP}:{CONNECTOR_ARTIFACT}:{CONNECTOR_VERSION}"
DATA_SOURCE = "org.neo4j.spark.DataSource"

# What Spark 3.5 needs opened on Java 17 (the list of Spark's own launcher, JavaModuleOptions).
JAVA17_OPTIONS = " ".join([
    "-XX:+IgnoreUnrecognizedVMOptions",
    *(f"--add-opens=java.base/{pkg}=ALL-UNNAMED" for pkg in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
        "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
        "sun.util.calendar")),
    "-Djdk.reflect.useDirectMethodHandle=false",
])

RECORD_SUFFIXES = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet"}
DOCS_PER_TASK = 200

# The loader's actor write (kg.loader), one row of the DataFrame as `event`; labels come from the
# ontology's classes only, never from the data.
ACTOR_QUERY_HEAD = (
    "MERGE (a:Actor {uri: event.uri}) "
    "SET a.name = CASE WHEN event.cls IS NULL AND a.name IS NOT NULL THEN a.name ELSE event.name END, "
    "a.wikidata = coalesce(event.wikidata, a.wikidata), "
    "a.aliases = CASE WHEN size(event.aliases) > 0 THEN event.aliases ELSE coalesce(a.aliases, []) END "
    "SET a.nameLower = toLower(a.name), a.search = [x IN [a.name] + a.aliases | toLower(x)] "
)
KNOWN_QUERY = "MATCH (d:Document) WHERE d.sha256 IS NOT NULL RETURN d.uri AS uri, d.sha256 AS sha256"


def actor_query() -> str:
    from kg.rdf.vocabulary import ACTOR_CLASSES

    labels = " ".join(f"FOREACH (_ IN CASE WHEN event.cls = '{cls}' THEN [1] ELSE [] END | SET a:{cls})"
                      for cls in ACTOR_CLASSES if re.fullmatch(r"[A-Za-z]\w*", cls))
    return ACTOR_QUERY_HEAD + labels


# --------------------------------------------------------------------------------------------------
# The Spark session and the connector jar
# --------------------------------------------------------------------------------------------------


def spark_cache_dir() -> Path:
    """Where the connector jar (and Spark's log configuration) are kept, outside any repository."""
    override = os.environ.get("KG_SPARK_CACHE")
    if override:
        return Path(override).expanduser()
    return user_cache("spark")


def connector_jar(progress: Callable[[str], None] | None = None) -> Path:
    """The connector jar: KG_SPARK_CONNECTOR_JAR, else the cached copy, else fetched with Maven once.

    The published jar bundles the Neo4j Java driver and its other dependencies, so it is the only
    jar Spark needs (`mvn dependency:copy`, no transitive resolution).
    """
    override = os.environ.get("KG_SPARK_CONNECTOR_JAR")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise KgError(f"KG_SPARK_CONNECTOR_JAR names {path}, which is not a file")
        return path
    target = spark_cache_dir() / "jars" / f"{CONNECTOR_ARTIFACT}-{CONNECTOR_VERSION}.jar"
    if target.is_file():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KgError(f"Maven (`mvn`) is needed once to download the Neo4j Connector for Apache Spark ({CONNECTOR}); "
                      "install it or set KG_SPARK_CONNECTOR_JAR to a copy of the jar")
    if progress:
        progress(f"Downloading {CONNECTOR} from Maven Central (first run only, ~6 MB)...")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".connector-", dir=target.parent))
    try:
        cmd = [mvn, "-q", "-B", "dependency:copy", f"-Dartifact={CONNECTOR}", f"-DoutputDirectory={tmp}"]
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        fetched = tmp / target.name
        if proc.returncode != 0 or not fetched.is_file():
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-12:])
            raise KgError(f"downloading {CONNECTOR} with Maven failed (exit {proc.returncode}):\n{tail}")
        os.replace(fetched, target)  # atomic: a concurrent download just overwrites with the same bytes
        return target
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _log_config() -> Path:
    """A quiet log4j2 configuration for local runs: warnings and errors only, no start-up chatter."""
    path = spark_cache_dir() / "log4j2.properties"
    text = (
        "rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n"
        "logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader\nlogger.hadoop.level = error\n"
        "logger.utils.name = org.apache.spark.util.Utils\nlogger.utils.level = error\n"
        "logger.blockmanager.name = org.apache.spark.storage.BlockManager\nlogger.blockmanager.level = error\n"
    )
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise KgError("the Spark engine needs pyspark: pip install 'kg[spark]'") from None


def under_spark_submit() -> bool:
    """True when this Python process was started by spark-submit (its JVM is already running)."""
    return bool(os.environ.get("PYSPARK_GATEWAY_PORT"))


def spark_session(master: str | None = None, app_name: str = "kg-ingest", conf: dict[str, str] | None = None,
                  progress: Callable[[str], None] | None = None) -> SparkSession:
    """A SparkSession ready for the ingest: the active one if there is one, else a new one.

    A new session gets the connector jar and the Java 17 options; its master is `master`, else
    KG_SPARK_MASTER, else what spark-submit set, else local[*]. Local masters also get the Python
    of this process for the workers, loopback addresses and no web UI.
    """
    _require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or os.environ.get("KG_SPARK_MASTER") or (None if under_spark_submit() else "local[*]")
    builder = SparkSession.builder.appName(app_name)
    options: dict[str, str] = {}
    if not under_spark_submit():
        # The driver JVM is started by this process: it gets the jar and the Java options now (under
        # spark-submit, its --jars/--packages and --conf decide).
        options.update({
            "spark.jars": str(connector_jar(progress)),
            "spark.driver.extraJavaOptions": f"{JAVA17_OPTIONS} -Dlog4j.configurationFile={_log_config()}",
            "spark.executor.extraJavaOptions": JAVA17_OPTIONS,
            "spark.ui.showConsoleProgress": "true" if sys.stderr.isatty() else "false",
        })
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python, with kg installed
        options.update({
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.pyspark.python": sys.executable,
            "spark.pyspark.driver.python": sys.executable,
            "spark.sql.shuffle.partitions": "16",  # not 200 tiny tasks per shuffle on one machine
        })
    options.update(conf or {})
    for key, value in options.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def stop_spark(spark: SparkSession) -> None:
    """Stop the session and, unless spark-submit owns it, the JVM this process started for it."""
    from pyspark import SparkContext

    spark.stop()
    if under_spark_submit():
        return
    gateway = SparkContext._gateway
    if gateway is None:
        return
    proc = getattr(gateway, "proc", None)
    with contextlib.suppress(Exception):  # best effort: the JVM is stopped below anyway
        gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if proc is not None:
        try:
            if proc.stdin:
                proc.stdin.close()  # the gateway JVM exits when its stdin closes
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=10)


# --------------------------------------------------------------------------------------------------
# Reading: inputs -> prepared documents (uri, sha256, text ...), one row each
# --------------------------------------------------------------------------------------------------

DOC_FIELDS = ("uri", "sha256", "source", "title", "published", "text")


def _doc_schema():
    from pyspark.sql.types import ArrayType, IntegerType, StringType, StructField, StructType

    return StructType([
        StructField("arg", IntegerType(), False),
        StructField("key", ArrayType(StringType()), False),
        *(StructField(name, StringType(), True) for name in DOC_FIELDS),
        StructField("error", StringType(), True),
    ])


def _has_scheme(raw: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:/", raw))


def _input_kind(raw: str, fmt: str | None) -> str:
    """'text', 'json' or 'parquet' for one path argument."""
    if fmt:
        return fmt
    suffix = Path(raw.rstrip("/")).suffix.lower()
    if suffix in RECORD_SUFFIXES:
        return RECORD_SUFFIXES[suffix]
    if not _has_scheme(raw) and Path(raw).is_dir():
        names = {p.suffix.lower() for p in Path(raw).rglob("*") if p.is_file()}
        if ".parquet" in names:
            return "parquet"
        if names & {".jsonl", ".ndjson"} and not names & SUFFIXES:
            return "json"
    return "text"


def document_from_bytes(data: bytes, source: str) -> Document:
    """What `kg.readers.read_document` makes of a file's bytes (same decoding, HTML handling, IRI)."""
    text = decode(data, source)
    stem = Path(source.rsplit("/", 1)[-1]).stem
    if source.lower().endswith((".html", ".htm")) or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        body, title, date = html_to_text(text)
        if not body.strip():
            raise KgError(f"{source}: no readable text in the HTML")
        return make_document(body, source, stem, title=title, published=date)
    return make_document(text, source, stem)


def _file_args(args: list[tuple[int, str]]) -> list[dict]:
    """Per text-path argument: how Spark will name its files, and how `kg ingest` names them."""
    out = []
    for index, raw in args:
        if _has_scheme(raw) and not raw.startswith("file:"):
            out.append({"arg": index, "raw": raw, "root": raw.rstrip("/"), "dir": None, "local": False})
            continue
        local = raw[5:] if raw.startswith("file:") else raw
        path = Path(local)
        out.append({"arg": index, "raw": str(path), "root": "file:" + os.path.abspath(local),
                    "dir": path.is_dir(), "local": True})
    return out


def _local_listing(args: list[tuple[int, str]]) -> tuple[list[str], list[tuple]]:
    """What Spark's file listing would miss of what `kg ingest` reads under local paths: hidden files
    (names starting with '.' or '_', which Spark skips) to read on the driver, and empty files (which
    Spark drops) to report as `kg ingest` does."""
    extra, empty = [], []
    for index, raw in args:
        if _has_scheme(raw):
            continue
        root = Path(raw)
        for path in expand_paths([raw]):
            rel = path.relative_to(root).parts if root.is_dir() else ()
            try:
                size = path.stat().st_size
            except OSError:
                continue  # unreadable: Spark's own read reports it
            if size == 0:
                empty.append((index, list(rel), None, None, str(path), None, None, None, f"{path}: empty file"))
            elif any(part.startswith((".", "_")) for part in rel):
                extra.append(os.path.abspath(path))
    return extra, empty


def _prepare_files(spec: list[dict]) -> Callable[[Iterable[Any]], Iterator[tuple]]:
    by_root = {s["root"]: s for s in spec}

    def prepare(rows: Iterable[Any]) -> Iterator[tuple]:
        for row in rows:
            path = row.path
            found, rel = None, None
            if path in by_root:
                found, rel = by_root[path], ""
            else:
                parent = path
                while "/" in parent and found is None:
                    parent = parent.rsplit("/", 1)[0]
                    if parent in by_root:
                        found, rel = by_root[parent], path[len(parent) + 1:]
            if found is None:  # Spark named it in a way we cannot map back: keep its own name
                found, rel = {**spec[0], "local": False}, path
            if found["local"]:
                source = str(Path(found["raw"]) / rel) if rel else found["raw"]
                if found["dir"] and Path(rel).suffix.lower() not in SUFFIXES:
                    continue  # `kg ingest` reads only known suffixes under a directory
            else:
                source = path
                if rel and Path(rel).suffix.lower() not in SUFFIXES:
                    continue
            key = rel.split("/") if rel else []
            try:
                doc = document_from_bytes(bytes(row.content), source)
            except KgError as exc:
                yield (found["arg"], key, None, None, source, None, None, None, str(exc))
                continue
            yield (found["arg"], key, *(getattr(doc, f) for f in DOC_FIELDS), None)

    return prepare


def _prepare_records(arg: int, label: str) -> Callable[[Iterable[Any]], Iterator[tuple]]:
    def prepare(rows: Iterable[Any]) -> Iterator[tuple]:
        for row in rows:
            values = row.asDict()
            ident = values.get("id")
            ident = None if ident is None else str(ident)
            key = [f"{values['_n']:020d}"]
            source = values.get("source") or (f"{label}#{ident}" if ident else label)
            try:
                if not ident:
                    raise KgError(f"{label}: a record has no id")
                text = values.get("text")
                if not isinstance(text, str):
                    raise KgError(f"{source}: no text to read")
                published = values.get("published")
                doc = make_document(text, str(source), ident, title=values.get("title") or None,
                                    published=None if published is None else str(published))
            except KgError as exc:
                yield (arg, key, None, None, str(source), None, None, None, str(exc))
                continue
            yield (arg, key, *(getattr(doc, f) for f in DOC_FIELDS), None)

    return prepare


def read_corpus(spark: SparkSession, paths: list[str], fmt: str | None = None) -> DataFrame:
    """Inputs as prepared documents: arg, key (the order `kg ingest` reads them in), uri, sha256,
    source, title, published, text, and error (set, with the rest null, for an unreadable input).

    `paths`: text files or directories (.txt .md .html, recursively), or JSON Lines / Parquet
    corpora (a file, or a directory of part files) with columns id, text and optional title,
    published, source. `fmt` ('text', 'json', 'parquet') overrides the guess from each path.
    """
    from pyspark.sql import Row
    from pyspark.sql import functions as F

    if "-" in paths:
        raise KgError("the Spark engine cannot read stdin ('-'); name files or directories")
    frames = []
    text_args: list[tuple[int, str]] = []
    missing: list[tuple] = []
    for index, raw in enumerate(paths):
        if not _has_scheme(raw) and not Path(raw).exists():
            missing.append((index, [], None, None, raw, None, None, None, f"{raw}: no such file or directory"))
            continue
        kind = _input_kind(raw, fmt)
        if kind == "text":
            text_args.append((index, raw))
            continue
        if kind not in ("json", "parquet"):
            raise KgError(f"unknown corpus format {kind!r} (text, json or parquet)")
        records = spark.read.json(raw) if kind == "json" else spark.read.parquet(raw)
        records = records.withColumn("_n", F.monotonically_increasing_id())
        frames.append(records.rdd.mapPartitions(_prepare_records(index, raw)))
    if text_args:
        spec = _file_args(text_args)
        extra, empty = _local_listing(text_args)
        missing.extend(empty)
        files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                 .load([raw for _, raw in text_args]).select("path", "content").rdd)
        if extra:  # few, local: read here (Spark skips such names even when named explicitly)
            hidden = [Row(path=f"file:{path}", content=bytearray(Path(path).read_bytes())) for path in extra]
            files = files.union(spark.sparkContext.parallelize(hidden, 1))
        frames.append(files.mapPartitions(_prepare_files(spec)))
    if missing:
        frames.append(spark.sparkContext.parallelize(missing, 1))
    schema = _doc_schema()
    if not frames:
        return spark.createDataFrame([], schema)
    rdd = frames[0] if len(frames) == 1 else spark.sparkContext.union(frames)
    return spark.createDataFrame(rdd, schema)


def corpus_documents(df: DataFrame) -> DataFrame:
    """A DataFrame of records (id, text, optional title, published, source) as prepared documents."""
    from pyspark.sql import functions as F

    missing = {"id", "text"} - set(df.columns)
    if missing:
        raise KgError(f"the corpus DataFrame lacks column(s) {', '.join(sorted(missing))}")
    records = df.withColumn("_n", F.monotonically_increasing_id())
    return df.sparkSession.createDataFrame(records.rdd.mapPartitions(_prepare_records(0, "dataframe")),
                                           _doc_schema())


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
# Writing: connector for nodes, kg.loader for the rest
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
            .option("query", KNOWN_QUERY).load().select("uri", "sha256"))


def write_actor_nodes(rows: DataFrame, settings: Settings) -> None:
    """Actor nodes of the extracted documents, through the connector (one writer: actors are few and
    shared by many documents, so parallel writers would only wait on each other's locks)."""
    from pyspark.sql import functions as F

    actors = rows.select(F.explode("actors").alias("a")).select("a.*").dropDuplicates()
    (actors.coalesce(1).write.format(DATA_SOURCE).mode("Append").options(**connector_options(settings))
     .option("query", actor_query()).save())


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
                 timings: dict[str, float] | None = None) -> IngestReport:
    """Ingest `paths` (see `read_corpus`) or a `corpus` DataFrame (id, text, title?, published?,
    source?) into the Neo4j of `settings` (default: the environment) with Spark.

    Uses `spark` or the active session, else starts one (`spark_session(master)`) and stops it at
    the end. Returns the report `kg ingest` returns; `timings`, when given, receives the seconds
    spent reading (and skipping), extracting, writing nodes with the connector and loading.
    """
    from neo4j.exceptions import DriverError, Neo4jError
    from pyspark import StorageLevel

    from kg.db import connect, interrupted
    from kg.ingest import IngestReport
    from kg.loader import apply_constraints, load_documents
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
            docs = corpus_documents(corpus) if corpus is not None else read_corpus(spark, list(paths), fmt)
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
        reason = ("the Neo4j Connector for Apache Spark is not on the classpath: give spark-submit --jars with "
                  "its jar (`python -c 'import kg.spark_ingest as s; print(s.connector_jar())'` fetches it), or "
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


def run_spark_ingest(paths: list[str], master: str | None = None, batch_size: int = 20) -> int:
    """`kg ingest --engine spark`: the same summary and exit codes as `kg ingest`."""
    from kg.commands import report_and_exit_code
    from kg.progress import stderr

    report = spark_ingest(paths, master=master, batch_size=batch_size,
                          progress=lambda m: stderr.print(m, highlight=False))
    return report_and_exit_code(report)


def main(argv: list[str] | None = None) -> int:
    """Entry for spark-submit: `spark-submit [--packages CONNECTOR ...] kg/spark_ingest.py PATH...`.

    The session (master, jars, resources) is spark-submit's; Neo4j settings come from the
    environment of the driver (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE).
    """
    import argparse

    parser = argparse.ArgumentParser(prog="spark_ingest.py", description="kg ingest on Spark (see kg.spark_ingest)")
    parser.add_argument("paths", nargs="+", help="text files or directories, JSON Lines or Parquet corpora")
    parser.add_argument("--format", choices=("text", "json", "parquet"), help="corpus format (default: guessed)")
    parser.add_argument("--batch-size", type=int, default=20, help="documents per write transaction")
    args = parser.parse_args(argv)
    try:
        from kg.commands import report_and_exit_code

        return report_and_exit_code(spark_ingest(args.paths, fmt=args.format, batch_size=args.batch_size))
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code


if __name__ == "__main__":
    # Run as the module proper (not __main__), so executors unpickle its functions by reference.
    from kg.spark_ingest import main as _main

    sys.exit(_main())
