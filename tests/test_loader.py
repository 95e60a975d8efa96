"""Loading into a real Neo4j: shape, idempotence, replacement, forgetting, any-RDF import, round trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import SAMPLES, SEED
from rdflib import Dataset, URIRef

from kg.engines.local import ingest, load_files
from kg.extract import extract_documents, to_dataset
from kg.graph.export import export_dataset
from kg.readers import read_document
from kg.vocabulary import KG, relations

pytestmark = pytest.mark.neo4j
VOCAB = set(relations())


def vocabulary_triples(ds: Dataset) -> set[tuple[str, str, str]]:
    """Plain vocabulary triples over all graphs, symmetric ones folded."""
    out = set()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        name = str(p).removeprefix(str(KG))
        if name in VOCAB and isinstance(o, URIRef):
            a, b = str(s), str(o)
            if relations()[name].symmetric and b < a:
                a, b = b, a
            out.add((a, name, b))
    return out


def counts(driver) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "CALL { MATCH (n) RETURN count(n) AS nodes } CALL { MATCH ()-[r]->() RETURN count(r) AS rels } "
        "CALL { MATCH (e:Evidence) RETURN count(e) AS evidence } RETURN nodes, rels, evidence")
    return dict(records[0])


def test_ingest_builds_the_documented_shape(clean_db) -> None:
    report = ingest(clean_db, [str(SEED)])
    assert report.summary.documents_loaded == 1 and not report.failures
    rows, _, _ = clean_db.execute_query(
        "MATCH (a:Actor:Country {name: 'Russia'})-[r:MUTUAL_DEFENSE]-(b:Actor:Country {name: 'North Korea'}) "
        "RETURN r.stance AS stance, r.evidenceCount AS n, r.confidence AS c, r.documents AS docs, "
        "r.firstSeen AS first, a.wikidata AS qid")
    assert len(rows) == 1, "a symmetric relation is stored once per pair"
    row = rows[0]
    assert row["stance"] == "cooperative" and row["n"] >= 1 and 0 < row["c"] <= 1
    assert row["docs"] and row["first"] and row["qid"] == "Q159"
    evidence, _, _ = clean_db.execute_query(
        "MATCH (e:Evidence {relation: 'mutualDefense'})-[:FROM]->(d:Document), (e)-[:SUBJECT]->(:Actor), "
        "(e)-[:OBJECT]->(:Actor) RETURN e.sentence AS sentence, d.sha256 AS sha")
    assert evidence and all("pact" in r["sentence"].lower() or "defense" in r["sentence"].lower() for r in evidence)
    assert len(evidence[0]["sha"]) == 64
    hostile, _, _ = clean_db.execute_query(
        "MATCH (:Actor {name: 'Russia'})-[r:INVADED]->(:Actor {name: 'Ukraine'}) RETURN r.stance AS s")
    assert [r["s"] for r in hostile] == ["hostile"]


def test_reingest_unchanged_is_skipped_and_changes_nothing(clean_db) -> None:
    ingest(clean_db, [str(SEED)])
    before = counts(clean_db)
    report = ingest(clean_db, [str(SEED)])
    assert report.unchanged == 1 and report.summary.documents_loaded == 0
    assert counts(clean_db) == before


def test_changed_document_replaces_only_its_own_evidence(clean_db, tmp_path: Path) -> None:
    doc = tmp_path / "brief.txt"
    doc.write_text("Iran supplied drones to Russia. France and Germany signed a defence pact.", encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text("Iran delivered missiles to Russia last year.", encoding="utf-8")
    ingest(clean_db, [str(doc), str(other)])
    doc.write_text("Iran supplied drones to Russia.", encoding="utf-8")
    report = ingest(clean_db, [str(doc), str(other)])
    assert report.summary.documents_loaded == 1 and report.unchanged == 1
    rows, _, _ = clean_db.execute_query(
        "MATCH (:Actor {name: 'Iran'})-[r:MILITARY_AID]->(:Actor {name: 'Russia'}) RETURN r.evidenceCount AS n")
    assert [r["n"] for r in rows] == [2], "both documents still support the aid"
    gone, _, _ = clean_db.execute_query("MATCH ()-[r:MUTUAL_DEFENSE]-() RETURN count(r) AS n")
    assert gone[0]["n"] == 0, "the pact only the old text asserted is gone"


def test_forget_removes_a_document_and_what_only_it_supported(clean_db, tmp_path: Path, run_kg) -> None:
    one = tmp_path / "one.txt"
    one.write_text("Iran supplied drones to Russia. Turkey sanctioned Syria.", encoding="utf-8")
    two = tmp_path / "two.txt"
    two.write_text("Iran delivered missiles to Russia.", encoding="utf-8")
    ingest(clean_db, [str(one), str(two)])
    result = run_kg("forget", str(one))
    assert result.exit_code == 0, result.output
    rows, _, _ = clean_db.execute_query(
        "MATCH (a:Actor)-[r]->(b:Actor) RETURN a.name AS a, type(r) AS t, b.name AS b, r.evidenceCount AS n")
    assert {(r["a"], r["t"], r["b"], r["n"]) for r in rows} == {("Iran", "MILITARY_AID", "Russia", 1)}
    assert run_kg("forget", str(one)).exit_code == 2


def test_round_trip_export_gives_the_extracted_triples(clean_db, tmp_path: Path) -> None:
    paths = [SEED, *sorted(SAMPLES.glob("*.txt"))]
    extracted = vocabulary_triples(to_dataset(extract_documents([read_document(p) for p in paths])))
    ingest(clean_db, [str(p) for p in paths])
    exported = export_dataset(clean_db)
    assert vocabulary_triples(exported) == extracted
    out = tmp_path / "export.trig"
    exported.serialize(out, format="trig")
    clean_db.execute_query("MATCH (n) DETACH DELETE n")
    report = load_files(clean_db, [str(out)])
    assert not report.failures
    assert vocabulary_triples(export_dataset(clean_db)) == extracted, "export -> load -> export is stable"


def test_load_third_party_rdf_the_n10s_way(clean_db, tmp_path: Path) -> None:
    ttl = tmp_path / "people.ttl"
    ttl.write_text(
        "@prefix ex: <http://example.org/> .\n@prefix schema: <http://schema.org/> .\n"
        "ex:alice a schema:Person ; schema:name \"Alice \\\"'}) DETACH DELETE n //\" ; schema:knows ex:bob .\n"
        "ex:bob a schema:Person ; schema:name \"Bob\" .\n", encoding="utf-8")
    report = load_files(clean_db, [str(ttl)])
    assert not report.failures
    rows, _, _ = clean_db.execute_query(
        "MATCH (a:Resource {uri: 'http://example.org/alice'})-[r]->(b:Resource) "
        "RETURN labels(a) AS labels, type(r) AS t, b.uri AS b, properties(a) AS props")
    assert len(rows) == 1
    assert any(re.fullmatch(r"schema\d*__Person", label) for label in rows[0]["labels"])
    assert re.fullmatch(r"schema\d*__knows", rows[0]["t"])
    name = next(v for k, v in rows[0]["props"].items() if re.fullmatch(r"schema\d*__name", k))
    assert name == "Alice \"'}) DETACH DELETE n //", "stored verbatim, not executed"


def test_load_refuses_relations_outside_the_ontology(clean_db, tmp_path: Path, run_kg) -> None:
    ttl = tmp_path / "bad.ttl"
    ttl.write_text("@prefix kg: <https://w3id.org/kg/ontology#> .\n"
                   "<https://w3id.org/kg/actor/a> kg:friendsWith <https://w3id.org/kg/actor/b> .\n", encoding="utf-8")
    result = run_kg("load", str(ttl))
    assert result.exit_code == 2
    assert "friendsWith" in result.output and "Traceback" not in result.output
    assert counts(clean_db)["nodes"] == 0


@pytest.mark.parametrize("suffix,text", [
    (".ttl", "<a> <b> ."), (".trig", "<http://x/g> { <http://x/a> <http://x/b> "), (".jsonld", "{\"@id\": ")])
def test_load_malformed_rdf_is_a_one_line_error(clean_db, tmp_path: Path, run_kg, suffix: str, text: str) -> None:
    bad = tmp_path / f"bad{suffix}"
    bad.write_text(text, encoding="utf-8")
    result = run_kg("load", str(bad))
    assert result.exit_code == 2, result.output
    assert str(bad) in result.output and "Traceback" not in result.output


def test_kg_ingest_cli_summary_and_batch_failures(clean_db, tmp_path: Path, run_kg) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Russia invaded Ukraine in 2022.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_kg("ingest", str(good), str(empty))
    assert result.exit_code == 1, result.output
    assert "1 loaded" in result.output and "empty file" in result.output
    rows, _, _ = clean_db.execute_query("MATCH (:Actor)-[r:INVADED]->(:Actor) RETURN count(r) AS n")
    assert rows[0]["n"] == 1
