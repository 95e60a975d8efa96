"""Reading for the Spark engine: inputs -> prepared documents (uri, sha256, text ...), one row each.

Text files come through Spark's binaryFile source (so hdfs:// or s3a:// paths work too) and become
`kg.readers.Document`s in the executors with `kg.readers.document_from_bytes`, exactly as `kg ingest`
reads them; JSON Lines and Parquet corpora give one document per record.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import KgError
from kg.readers import SUFFIXES, document_from_bytes, expand_paths, make_document, path_identity

if TYPE_CHECKING:  # pyspark is an optional extra: imported only when a job runs
    from pyspark.sql import DataFrame, SparkSession

RECORD_SUFFIXES = {".jsonl": "json", ".ndjson": "json", ".json": "json", ".parquet": "parquet"}
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
                    "dir": path.is_dir(), "local": True, "identity": path_identity(local)})
    return out


def _local_listing(args: list[tuple[int, str]]) -> tuple[list[str], list[tuple]]:
    """What Spark's file listing would miss of what `kg ingest` reads under local paths: hidden files
    (names starting with '.' or '_', which Spark skips) to read on the driver, and empty files (which
    Spark drops) and files of unsupported types to report as `kg ingest` does."""
    extra, empty = [], []
    for index, raw in args:
        if _has_scheme(raw):
            continue
        root = Path(raw)
        skipped: list[str] = []
        for path in expand_paths([raw], skipped):
            rel = path.relative_to(root).parts if root.is_dir() else ()
            try:
                size = path.stat().st_size
            except OSError:
                continue  # unreadable: Spark's own read reports it
            if size == 0:
                empty.append((index, list(rel), None, None, str(path), None, None, None, f"{path}: empty file"))
            elif any(part.startswith((".", "_")) for part in rel):
                extra.append(os.path.abspath(path))
        empty.extend((index, ["\uffff"], None, None, raw, None, None, None, notice) for notice in skipped)
    return extra, empty


def _prepare_files(spec: list[dict], published: str | None) -> Callable[[Iterable[Any]], Iterator[tuple]]:
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
                identity = f"{found['identity']}/{rel}" if rel else found["identity"]
                if found["dir"] and Path(rel).suffix.lower() not in SUFFIXES:
                    continue  # `kg ingest` reads only known suffixes under a directory (and says so)
            else:
                source = identity = path
                if rel and Path(rel).suffix.lower() not in SUFFIXES:
                    continue
            key = rel.split("/") if rel else []
            try:
                doc = document_from_bytes(bytes(row.content), source, identity)
            except KgError as exc:
                yield (found["arg"], key, None, None, source, None, None, None, str(exc))
                continue
            if published:
                doc = replace(doc, published=published)
            yield (found["arg"], key, *(getattr(doc, f) for f in DOC_FIELDS), None)

    return prepare


def _prepare_records(arg: int, label: str, published_override: str | None = None,
                     ) -> Callable[[Iterable[Any]], Iterator[tuple]]:
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
                published = published_override or values.get("published")
                doc = make_document(text, str(source), ident, title=values.get("title") or None,
                                    published=None if published is None else str(published))
            except KgError as exc:
                yield (arg, key, None, None, str(source), None, None, None, str(exc))
                continue
            yield (arg, key, *(getattr(doc, f) for f in DOC_FIELDS), None)

    return prepare


def read_corpus(spark: SparkSession, paths: list[str], fmt: str | None = None, published: str | None = None,
                ) -> DataFrame:
    """Inputs as prepared documents: arg, key (the order `kg ingest` reads them in), uri, sha256,
    source, title, published, text, and error (set, with the rest null, for an unreadable input).

    `paths`: text files or directories (.txt .md .html, recursively), or JSON Lines / Parquet
    corpora (a file, or a directory of part files) with columns id, text and optional title,
    published, source. `fmt` ('text', 'json', 'parquet') overrides the guess from each path;
    `published` (`--published`) dates every document.
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
        frames.append(records.rdd.mapPartitions(_prepare_records(index, raw, published)))
    if text_args:
        spec = _file_args(text_args)
        extra, empty = _local_listing(text_args)
        missing.extend(empty)
        files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                 .load([raw for _, raw in text_args]).select("path", "content").rdd)
        if extra:  # few, local: read here (Spark skips such names even when named explicitly)
            hidden = [Row(path=f"file:{path}", content=bytearray(Path(path).read_bytes())) for path in extra]
            files = files.union(spark.sparkContext.parallelize(hidden, 1))
        frames.append(files.mapPartitions(_prepare_files(spec, published)))
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


