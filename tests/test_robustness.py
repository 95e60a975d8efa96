"""Robustness against a real Neo4j: concurrent ingests, a server restart mid-ingest, injection, fuzzing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract_text, to_dataset
from kg.rdf.shapes import validate_dataset
from kg.server import control, instance

KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def corpus(tmp_path: Path, copies: int) -> list[Path]:
    """Distinct documents of our own: the sample articles, each in `copies` editions."""
    paths = []
    for i in range(copies):
        for sample in sorted(SAMPLES.glob("*.txt")):
            path = tmp_path / f"{sample.stem}-{i}.txt"
            path.write_text(f"{sample.read_text(encoding='utf-8')}\n\nEdition {i}.", encoding="utf-8")
            paths.append(path)
    return paths


def graph_counts(driver) -> dict[str, object]:
    """Every count that would show a duplicate or a loss."""
    nodes, _, _ = driver.execute_query("MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n")
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN type(r) AS t, count(*) AS n, sum(coalesce(r.evidenceCount, 0)) AS evidence")
    pairs, _, _ = driver.execute_query(
        "MATCH (a:Actor)-[r]->(b:Actor) RETURN a.uri AS a, type(r) AS t, b.uri AS b, r.evidenceCount AS n")
    return {
        "nodes": sorted((r["label"], r["n"]) for r in nodes),
        "rels": sorted((r["t"], r["n"], r["evidence"]) for r in rels),
        "pairs": sorted((r["a"], r["t"], r["b"], r["n"]) for r in pairs),
    }


def kg(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([*KG, *args], env={**os.environ, **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


@pytest.mark.neo4j
def test_two_concurrent_ingests_equal_one(clean_db, kg_env, tmp_path: Path) -> None:
    docs = corpus(tmp_path, 3)
    first, second = docs[: 2 * len(docs) // 3], docs[len(docs) // 3:]
    procs = [kg("ingest", *map(str, part), env=kg_env) for part in (first, second)]
    outputs = [p.communicate(timeout=600)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    concurrent = graph_counts(clean_db)
    clean_db.execute_query("MATCH (n) DETACH DELETE n")
    alone = kg("ingest", *map(str, docs), env=kg_env)
    assert alone.wait(timeout=600) == 0, alone.stdout.read()
    assert concurrent == graph_counts(clean_db)


@pytest.mark.neo4j
def test_server_restart_mid_ingest_loses_and_duplicates_nothing(clean_db, kg_env, tmp_path: Path) -> None:
    docs = corpus(tmp_path, 6)
    uninterrupted = kg("ingest", *map(str, docs), env=kg_env)
    assert uninterrupted.wait(timeout=600) == 0, uninterrupted.stdout.read()
    expected = graph_counts(clean_db)
    clean_db.execute_query("MATCH (n) DETACH DELETE n")

    inst = instance.local_instance(kg_home=Path(kg_env["KG_HOME"]), bolt_port=int(kg_env["KG_BOLT_PORT"]),
                                      http_port=int(kg_env["KG_HTTP_PORT"]))
    job = kg("ingest", "--batch-size", "2", *map(str, docs), env=kg_env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:  # wait until the ingest has committed something
        if clean_db.execute_query("MATCH (d:Document) RETURN count(d) AS n")[0][0]["n"] > 0:
            break
        time.sleep(0.2)
    control.stop(inst)
    restarted = threading.Timer(3.0, lambda: control.start(inst, password=kg_env["NEO4J_PASSWORD"]))
    restarted.start()
    out = job.communicate(timeout=600)[0]
    restarted.join()
    if job.returncode != 0:  # the driver gave up: the message says how to finish, and finishing works
        assert "Run the same command again" in out and "Traceback" not in out, out
        again = kg("ingest", *map(str, docs), env=kg_env)
        assert again.wait(timeout=600) == 0, again.stdout.read()
    clean_db.verify_connectivity()
    assert graph_counts(clean_db) == expected


NASTY = ["O'Brien \"the \\\\ quoted\"", "`backtick` name", "'}) DETACH DELETE n //", "$param {x}",
         "line one\nline two", "Ünïcødé ☢ 北朝鮮 \u202e\u200b", "MATCH (n) RETURN n"]


@pytest.mark.neo4j
def test_injection_is_stored_verbatim_and_never_executed(clean_db, run_kg, tmp_path: Path) -> None:
    from rdflib import RDF, RDFS, Dataset, Literal, URIRef

    from kg.rdf.mapping import add_document_node, add_statement
    from kg.vocabulary import ACTOR, EVIDENCE, KG

    clean_db.execute_query("CREATE (:Sentinel {keep: true})")
    ds = Dataset()
    g = ds.graph(URIRef("https://w3id.org/kg/doc/nasty"))
    add_document_node(g, "https://w3id.org/kg/doc/nasty", "nasty", "0" * 64, "test", None)
    for i, name in enumerate(NASTY):
        a, b = ACTOR[f"nasty-{i}"], ACTOR[f"nasty-{i}-b"]
        for node, label in ((a, name), (b, name + " B")):
            g.add((node, RDF.type, KG.Country))
            g.add((node, RDFS.label, Literal(label)))
        add_statement(g, EVIDENCE[f"nasty-{i}"], a, "supports", b, "https://w3id.org/kg/doc/nasty", None,
                      name, 0, len(name), name, 0.5)
    path = tmp_path / "nasty.trig"
    ds.serialize(path, format="trig")
    result = run_kg("load", str(path))
    assert result.exit_code == 0, result.output
    names, _, _ = clean_db.execute_query("MATCH (a:Actor) RETURN a.name AS name")
    stored = {r["name"] for r in names}
    assert set(NASTY) <= stored
    sentences, _, _ = clean_db.execute_query("MATCH (e:Evidence) RETURN e.sentence AS s, e.rule AS rule")
    assert {r["s"] for r in sentences} == set(NASTY) and {r["rule"] for r in sentences} == set(NASTY)
    assert clean_db.execute_query("MATCH (s:Sentinel) RETURN count(s) AS n")[0][0]["n"] == 1
    types, _, _ = clean_db.execute_query("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")
    assert {r["t"] for r in types} <= {"SUPPORTS", "FROM", "SUBJECT", "OBJECT"}
    labels, _, _ = clean_db.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l")
    assert {r["l"] for r in labels} <= {"Actor", "Country", "Document", "Evidence", "Sentinel"}


@pytest.mark.neo4j
def test_injection_through_text(clean_db, run_kg, tmp_path: Path) -> None:
    text = "Iran supplied drones to Russia. '}) DETACH DELETE n // $param `x` MATCH (n) RETURN n\n"
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    clean_db.execute_query("CREATE (:Sentinel)")
    assert run_kg("ingest", str(path)).exit_code == 0
    assert clean_db.execute_query("MATCH (s:Sentinel) RETURN count(s) AS n")[0][0]["n"] == 1
    docs, _, _ = clean_db.execute_query("MATCH (e:Evidence)-[:FROM]->(d:Document) RETURN e.sentence AS s")
    assert len(docs) == 1 and docs[0]["s"] in text, "the evidence is a verbatim span of the text"
    assert docs[0]["s"].startswith("Iran supplied drones to Russia.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(
    st.text(min_size=0, max_size=80),
    st.sampled_from(["Russia", "the Kremlin", "North Korean", "signed a pact with", "did not", "would",
                     "invaded", "Ukraine's", "President Putin", "sanctions on", "and", ",", ".", "\n\n",
                     "backed by", "U.S.-Japan", "’s", "—", "(", ")", "?"]),
), max_size=30))
def test_fuzz_extractor_never_crashes_and_output_passes_shapes(parts: list[str]) -> None:
    text = " ".join(parts)
    if not text.strip():
        return
    extraction = extract_text(text, "fuzz")
    conforms, report = validate_dataset(to_dataset([extraction]))
    assert conforms, report
