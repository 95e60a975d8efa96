"""`kg ingest --engine spark` (Spark local[2] + the Neo4j Connector for Apache Spark) leaves exactly the
graph `kg ingest` leaves, and a re-run changes nothing.

Each Spark run starts a JVM (~5 s); the connector jar is fetched with Maven on the first run
(cached in $XDG_CACHE_HOME/kg/spark).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from helpers import SAMPLES, SEED

if not os.environ.get("CI"):  # CI installs kg[spark] (scripts/test.sh) and must run these
    pytest.importorskip("pyspark", reason="needs the spark extra: pip install -e '.[spark]'")

from kg.engines.spark import spark_ingest  # noqa: E402
from kg.graph.cypher import connector_actor_query  # noqa: E402
from kg.readers import document_from_bytes, path_identity, read_document  # noqa: E402

# Spark jobs, and (most of them) the test Neo4j: neither in the fast tier.
pytestmark = [pytest.mark.spark, pytest.mark.neo4j]
MASTER = "local[2]"

# Short texts of our own wording; one in a sub-directory, one HTML page, one empty file.
TEXTS = {
    "baltic-air-policing.txt": (
        "Allies rotate jets over the Baltic\n\n"
        "Poland and Lithuania signed a defence cooperation agreement on Tuesday. "
        "Germany will deploy a brigade to Lithuania, and the United States supplies Patriot batteries to Poland. "
        "Russia condemned the deployment as a provocation."
    ),
    "gulf-mediation.txt": (
        "Qatar mediates again\n\n"
        "Qatar hosted talks between Israel and Hamas this week. Egypt also mediated between the two sides. "
        "The United States imposed sanctions on Iran over its drone transfers to Russia."
    ),
    "pacific/ocean-patrols.md": (
        "# Patrols in the South China Sea\n\n"
        "Japan and the Philippines signed a reciprocal access agreement. "
        "China condemned the pact, and Chinese coast guard ships blocked a Philippine resupply mission. "
        "Australia joined joint naval exercises with Japan and the Philippines."
    ),
    "arms-trade.txt": (
        "Arms flows shift\n\n"
        "North Korea supplied artillery shells to Russia, according to South Korea. "
        "India bought S-400 systems from Russia while France sold Rafale jets to India. "
        "Turkey and Greece agreed to hold confidence-building talks."
    ),
    "caucasus-brief.html": (
        "<!doctype html><html><head><title>Caucasus brief</title></head><body><article>"
        "<h1>Caucasus brief</h1>"
        "<p>Armenia froze its participation in the CSTO. Armenia and France signed a contract for air defence "
        "radars, and France supplies armoured vehicles to Armenia.</p>"
        "<p>Azerbaijan and Turkey held joint military drills near the border. Iran warned Azerbaijan against "
        "any change of borders in the region.</p></article></body></html>"
    ),
    "sahel-notes.txt": (
        "Sahel notes\n\n"
        "Mali, Burkina Faso and Niger formed the Alliance of Sahel States. "
        "Russia delivered attack helicopters to Mali. ECOWAS imposed sanctions on Niger after the coup. "
        "France withdrew its troops from Niger."
    ),
    "empty.txt": "",
}
TIME_PROPERTIES = {"ingestedAt", "seen", "firstSeen", "lastSeen"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("spark-corpus")
    for name, text in TEXTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    shutil.copy(SEED, root / SEED.name)
    return root


def wipe(driver, database: str | None) -> None:
    while driver.execute_query("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n",
                               database_=database)[0][0]["n"]:
        pass


def snapshot(driver, database: str | None, with_times: bool = False) -> dict:
    """The graph as comparable values: counts, triples, and every node and relationship with its
    properties (times left out unless asked; a relationship's `documents` compared as a set)."""

    def query(cypher: str) -> list:
        return driver.execute_query(cypher, database_=database)[0]

    def props(values: dict) -> str:
        kept = {k: (sorted(v) if k == "documents" else v) for k, v in values.items()
                if with_times or k not in TIME_PROPERTIES}
        return json.dumps(kept, sort_keys=True, default=str)

    return {
        "labels": {r["l"]: r["n"] for r in query("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")},
        "types": {r["t"]: r["n"] for r in query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")},
        "evidence": query("MATCH (e:Evidence) RETURN count(e) AS n")[0]["n"],
        "triples": {(r["s"], r["t"], r["o"], r["n"]) for r in query(
            "MATCH (a:Actor)-[r]->(b:Actor) RETURN a.uri AS s, type(r) AS t, b.uri AS o, r.evidenceCount AS n")},
        "nodes": {(r["uri"], tuple(sorted(r["labels"])), props(r["props"])) for r in query(
            "MATCH (n) RETURN n.uri AS uri, labels(n) AS labels, properties(n) AS props")},
        "relationships": sorted((r["s"], r["t"], r["o"], props(r["props"])) for r in query(
            "MATCH (a)-[r]->(b) RETURN a.uri AS s, type(r) AS t, b.uri AS o, properties(r) AS props")),
    }


def test_spark_ingest_builds_the_same_graph_as_kg_ingest(clean_db, neo4j_settings, run_kg, corpus) -> None:
    db = neo4j_settings.database
    spark = run_kg("ingest", "--engine", "spark", str(corpus), env={"KG_SPARK_MASTER": MASTER})
    assert spark.exit_code == 1, spark.output  # the empty file fails, the rest loads
    assert f"{corpus / 'empty.txt'}: empty file" in spark.output
    assert "documents: 7 loaded, 0 unchanged, 1 failed" in spark.output, spark.output
    by_spark, full = snapshot(clean_db, db), snapshot(clean_db, db, with_times=True)
    assert by_spark["labels"]["Document"] == 7 and by_spark["evidence"] > 10
    assert len(by_spark["triples"]) > 10

    again = run_kg("ingest", "--engine", "spark", str(corpus), env={"KG_SPARK_MASTER": MASTER})
    assert "documents: 0 loaded, 7 unchanged, 1 failed" in again.output, again.output
    assert snapshot(clean_db, db, with_times=True) == full, "a re-run must change nothing"

    wipe(clean_db, db)
    local = run_kg("ingest", str(corpus))
    assert "documents: 7 loaded, 0 unchanged, 1 failed" in local.output, local.output
    by_local = snapshot(clean_db, db)
    for part in ("labels", "types", "evidence", "triples", "nodes", "relationships"):
        assert by_spark[part] == by_local[part], f"{part} differ"

    # And a Spark ingest over kg ingest's graph finds every document unchanged.
    over = run_kg("ingest", "--engine", "spark", str(corpus), env={"KG_SPARK_MASTER": MASTER})
    assert "documents: 0 loaded, 7 unchanged, 1 failed" in over.output, over.output


def test_json_lines_corpus_through_the_python_api(clean_db, neo4j_settings, run_kg, tmp_path) -> None:
    """Records (id, text, title?, published?, source?) give the graph their files give `kg ingest`."""
    db = neo4j_settings.database
    files = sorted(SAMPLES.glob("*.txt"))[:2] + [SEED]
    records = [{"id": path_identity(str(path)), "text": path.read_text(encoding="utf-8"), "source": str(path)}
               for path in files]  # the identities `kg ingest` gives the same files
    records.append({"id": "no-text", "text": "  "})
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    report = spark_ingest([str(corpus)], settings=neo4j_settings, master=MASTER)
    assert report.summary.documents_loaded == 3 and report.failures == [f"{corpus}#no-text: no text to read"]
    by_spark = snapshot(clean_db, db)

    wipe(clean_db, db)
    assert run_kg("ingest", *map(str, files)).exit_code == 0
    assert snapshot(clean_db, db) == by_spark


def test_file_bytes_read_like_kg_ingest(tmp_path) -> None:
    for name, text in TEXTS.items():
        if not text:
            continue
        path = tmp_path / Path(name).name
        path.write_text(text, encoding="utf-8")
        in_memory, from_file = document_from_bytes(path.read_bytes(), str(path)), read_document(path)
        assert (in_memory.uri, in_memory.title, in_memory.sha256, in_memory.size) == (
            from_file.uri, from_file.title, from_file.sha256, from_file.size)
        assert in_memory.read_text() == from_file.read_text()


def test_actor_labels_come_from_the_ontology_only() -> None:
    from kg.vocabulary import ACTOR_CLASSES

    query = connector_actor_query()
    assert query.count("SET a:") == len(ACTOR_CLASSES)
    assert query.startswith("WITH event AS row ") and "$" not in query
