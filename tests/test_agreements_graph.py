"""Agreements from text to Neo4j: the :Agreement, its events and PARTY_TO, replaced and forgotten with
their documents, and the `treaties`, `bound-to-defend` and `allies` queries with `as_of`.

Every text here is our own writing.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import neo4j
import pytest
from helpers import SEED
from rdflib import Literal

from kg.engines.local import ingest
from kg.extract import extract_text, to_dataset
from kg.graph.export import export_dataset
from kg.graph.loader import forget_document, load_documents
from kg.graph.results import run
from kg.graph.spool import SpooledDocument
from kg.graph.staged import load_spooled
from kg.rdf.rows import DocumentRows, dataset_rows
from kg.rdf.shapes import validate_dataset
from kg.settings import Settings
from kg.vocabulary import KG

# A treaty named once ("a security treaty") and referred to as "the treaty", "the pact" and "the agreement".
REFERRED = ("Azerbaijan and Turkey signed a security treaty in June 2021. "
            "Under the treaty, each side will provide military assistance to the other if either country is "
            "attacked. Officials said the pact had deepened their military ties. "
            "The agreement was ratified by Azerbaijan in 2022.\n")
# Three signatories, a provision, and one of them leaving.
WITHDRAWAL = ("Geneva, 5 May 2024 — Peru, Chile and Bolivia signed a mutual defence pact in 1998. "
              "Under the pact, an attack on one party is an attack on all. "
              "Bolivia withdrew from the pact in 2019.\n")
NOT_YET_LEFT = ("Geneva, 5 May 2024 — Peru, Chile and Bolivia signed a mutual defence pact in 1998. "
                "Under the pact, an attack on one party is an attack on all.\n")
ANDEAN = "https://w3id.org/kg/agreement/defence-pact-bolivia-chile-peru"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(driver: neo4j.Driver, cypher: str, **params) -> list[dict]:
    return [r.data() for r in driver.execute_query(cypher, params).records]


def _parties(driver: neo4j.Driver, agreement: str | None = None) -> dict[str, dict]:
    rows = _rows(driver, "MATCH (x:Actor)-[r:PARTY_TO]->(a:Agreement) WHERE $a IS NULL OR a.uri = $a "
                         "RETURN x.name AS party, r {.*} AS r", a=agreement)
    return {row["party"]: row["r"] for row in rows}


def _counts(driver: neo4j.Driver) -> dict[str, int]:
    return _rows(driver, "RETURN COUNT { (:Agreement) } AS agreements, COUNT { (:AgreementEvent) } AS events, "
                         "COUNT { (:AgreementMention) } AS mentions, COUNT { ()-[:PARTY_TO]->() } AS partyTo, "
                         "COUNT { ()-[:PARTY]->() } AS party, COUNT { (:Document) } AS documents")[0]


def _query(driver: neo4j.Driver, settings: Settings, name: str, **params) -> list[dict]:
    return run(driver, name, params, settings.database).rows()


# --------------------------------------------------------------------------------------------------
# RDF (no database)
# --------------------------------------------------------------------------------------------------


def test_agreement_rdf_passes_the_shapes_and_the_shapes_bite() -> None:
    ds = to_dataset([extract_text(REFERRED, "referred"), extract_text(WITHDRAWAL, "withdrawal")])
    conforms, report = validate_dataset(ds)
    assert conforms, report
    graph = next(g for g in ds.graphs() if (None, KG.kind, None) in g)
    agreement = next(graph.subjects(KG.kind, None))
    graph.add((agreement, KG.kind, KG.Defence))  # an obligation is no kind, and one kind only
    event = next(graph.subjects(KG.agreement, None))
    graph.remove((event, KG.status, None))
    graph.add((event, KG.date, Literal("June 2021")))
    conforms, report = validate_dataset(ds)
    assert not conforms
    assert "exactly one kind" in report and "exactly one kg:AgreementStatus" in report


def test_rows_carry_agreements_and_events_with_labels() -> None:
    rows = dataset_rows(to_dataset([extract_text(WITHDRAWAL, "withdrawal")]))[0]
    assert [(m["agreement"], m["kind"], m["obligations"]) for m in rows.agreements] == [
        (ANDEAN, "defence pact", ["defence"])]
    left = [e for e in rows.agreement_events if e["status"] == "withdrew"]
    assert len(left) == 1 and left[0]["binds"] is False and left[0]["date"] == "2019"
    assert left[0]["party"].endswith("/bolivia") and "withdrew" in left[0]["sentence"]
    assert {e["status"] for e in rows.agreement_events} == {"signed", "withdrew"}


def test_agreement_rows_survive_the_spark_engines_json_hand_over() -> None:
    """The Spark engine ships each document's rows from the executors as JSON (kg.engines.spark)."""
    rows = dataset_rows(to_dataset([extract_text(WITHDRAWAL, "withdrawal")]))[0]
    assert DocumentRows(**json.loads(json.dumps(asdict(rows)))) == rows
    assert rows.agreements and rows.agreement_events


# --------------------------------------------------------------------------------------------------
# Neo4j
# --------------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_a_treaty_referred_to_three_ways_is_one_agreement(clean_db, tmp_path: Path) -> None:
    report = ingest(clean_db, [_write(tmp_path, "referred.txt", REFERRED)], published="2025-03-03")
    assert report.summary.documents_loaded == 1 and report.summary.agreements == 1
    agreements = _rows(clean_db, "MATCH (a:Agreement) RETURN a {.*} AS a")
    assert len(agreements) == 1
    agreement = agreements[0]["a"]
    assert agreement["kind"] == "security agreement" and "defence" in agreement["obligations"]
    parties = _parties(clean_db)
    assert set(parties) == {"Azerbaijan", "Turkey"}
    assert all(p["bound"] for p in parties.values())
    assert parties["Azerbaijan"]["status"] == "ratified" and parties["Azerbaijan"]["since"] == "2021-06"
    assert parties["Turkey"]["status"] == "signed" and parties["Turkey"]["evidenceCount"] == 1
    assert parties["Azerbaijan"]["evidenceCount"] == 2 and parties["Azerbaijan"]["firstSeen"] == "2025-03-03"
    assert parties["Azerbaijan"]["firstSeenKind"] == parties["Azerbaijan"]["lastSeenKind"] == "published"
    events = _rows(clean_db, "MATCH (e:AgreementEvent)-[:FROM]->(d:Document), (e)-[:ABOUT]->(a:Agreement) "
                             "OPTIONAL MATCH (e)-[:PARTY]->(x:Actor) "
                             "RETURN e.status AS status, e.date AS date, x.name AS party, e.seen AS seen")
    assert {(e["status"], e["date"], e["party"]) for e in events} == {
        ("signed", "2021-06", "Azerbaijan"), ("signed", "2021-06", "Turkey"), ("ratified", "2022", "Azerbaijan")}
    assert {e["seen"] for e in events} == {"2025-03-03"}


@pytest.mark.neo4j
def test_the_seed_pact_binds_russia_to_defend_north_korea(clean_db, run_kg) -> None:
    result = run_kg("ingest", str(SEED))
    assert result.exit_code == 0, result.output
    pacts = _rows(clean_db, "MATCH (r:Actor {name: 'Russia'})-[:PARTY_TO {status: 'signed', bound: true}]->"
                            "(a:Agreement)<-[:PARTY_TO {bound: true}]-(k:Actor {name: 'North Korea'}) "
                            "WHERE 'defence' IN a.obligations RETURN a.name AS name")
    assert pacts, "an agreement with parties Russia and North Korea and a defence obligation"
    result = run_kg("query", "run", "bound-to-defend", "--param", "country=North Korea", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    russia = [r for r in rows if r["defender"] == "Russia" and r["basis"] == "agreement"]
    assert russia and {r["agreement"] for r in russia} <= {p["name"] for p in pacts}
    assert rows[0]["basis"] == "agreement" and all(r["actor"] == "North Korea" for r in rows)


@pytest.mark.neo4j
def test_a_withdrawal_counts_by_as_of(clean_db, neo4j_settings: Settings, tmp_path: Path) -> None:
    ingest(clean_db, [_write(tmp_path, "withdrawal.txt", WITHDRAWAL)])
    parties = _parties(clean_db, ANDEAN)
    left = {"status": "withdrew", "bound": False, "since": "1998", "until": "2019"}
    assert parties["Bolivia"].items() >= left.items()
    assert parties["Chile"]["status"] == "signed" and parties["Chile"]["bound"] and "until" not in parties["Chile"]

    def defenders(country: str, as_of: str) -> set[str]:
        rows = _query(clean_db, neo4j_settings, "bound-to-defend", country=country, as_of=as_of)
        return {r["defender"] for r in rows if r["basis"] == "agreement"}

    assert defenders("Peru", "") == {"Chile"}
    assert defenders("Peru", "2018-12-31") == {"Chile", "Bolivia"}
    assert defenders("Peru", "2020-01-01") == {"Chile"}
    assert defenders("Peru", "1990-01-01") == set()
    assert defenders("Bolivia", "2010-06-01") == {"Chile", "Peru"}
    assert defenders("Bolivia", "") == set()

    now = _query(clean_db, neo4j_settings, "treaties", country="Bolivia")
    assert [(r["status"], r["since"], r["until"]) for r in now] == [("withdrew", "1998", "2019")]
    assert now[0]["kind"] == "defence pact" and now[0]["obligations"] == ["defence"]
    assert now[0]["parties"] == ["Bolivia (withdrew, since 1998, until 2019)", "Chile (signed, since 1998)",
                                 "Peru (signed, since 1998)"]
    assert now[0]["evidence"] == 4 and now[0]["sentence"] == "Bolivia withdrew from the pact in 2019."
    before = _query(clean_db, neo4j_settings, "treaties", country="Bolivia", as_of="2018-01-01")
    assert len(before) == 1 and len(before[0]["parties"]) == 3
    assert _query(clean_db, neo4j_settings, "treaties", country="Bolivia", as_of="2020-01-01") == []
    assert len(_query(clean_db, neo4j_settings, "treaties", country="Chile", as_of="2020-01-01")[0]["parties"]) == 2

    allies = {r["partner"] for r in _query(clean_db, neo4j_settings, "allies", country="Peru")}
    assert allies >= {"Chile", "Bolivia"}
    assert allies == {r["partner"] for r in _query(clean_db, neo4j_settings, "allies", country="Peru",
                                                   as_of="2024-05-05")}
    assert _query(clean_db, neo4j_settings, "allies", country="Peru", as_of="2024-05-04") == []


@pytest.mark.neo4j
def test_reingest_is_idempotent_and_a_changed_document_replaces_its_events(clean_db, tmp_path: Path) -> None:
    path = _write(tmp_path, "pact.txt", WITHDRAWAL)
    ingest(clean_db, [path])
    first = _counts(clean_db)
    assert first["agreements"] == 1 and first["events"] == 4 and first["partyTo"] == 3
    again = ingest(clean_db, [path])
    assert again.summary.documents_skipped == 1 and _counts(clean_db) == first
    load_documents(clean_db, dataset_rows(to_dataset([extract_text(WITHDRAWAL, path)])))  # forced, not skipped
    assert _counts(clean_db) == first
    _write(tmp_path, "pact.txt", NOT_YET_LEFT)
    ingest(clean_db, [path])
    assert _counts(clean_db) == {**first, "events": 3, "party": 3}
    assert _parties(clean_db, ANDEAN)["Bolivia"]["status"] == "signed"
    assert all(p["bound"] for p in _parties(clean_db).values())


@pytest.mark.neo4j
def test_forgetting_documents_removes_their_agreements(clean_db, tmp_path: Path) -> None:
    left, stayed = _write(tmp_path, "left.txt", WITHDRAWAL), _write(tmp_path, "stayed.txt", NOT_YET_LEFT)
    ingest(clean_db, [left, stayed])
    both = _parties(clean_db, ANDEAN)
    assert both["Bolivia"]["evidenceCount"] == 3 and len(both["Bolivia"]["documents"]) == 2
    assert both["Bolivia"]["status"] == "withdrew"  # 2019 comes after 1998, whichever document says so
    assert forget_document(clean_db, dataset_rows(to_dataset([extract_text(WITHDRAWAL, left)]))[0].uri)
    remaining = _parties(clean_db, ANDEAN)
    assert remaining["Bolivia"].items() >= {"status": "signed", "bound": True, "evidenceCount": 1}.items()
    assert "until" not in remaining["Bolivia"]
    assert _counts(clean_db)["events"] == 3 and _counts(clean_db)["mentions"] == 1
    assert forget_document(clean_db, dataset_rows(to_dataset([extract_text(NOT_YET_LEFT, stayed)]))[0].uri)
    assert _counts(clean_db) == {"agreements": 0, "events": 0, "mentions": 0, "partyTo": 0, "party": 0,
                                 "documents": 0}


@pytest.mark.neo4j
def test_an_agreement_wide_end_in_a_later_document_ends_every_party(clean_db, tmp_path: Path) -> None:
    ingest(clean_db, [_write(tmp_path, "signed.txt", NOT_YET_LEFT)])
    ended = ("Geneva, 2 February 2026 — Peru, Chile and Bolivia signed a mutual defence pact in 1998. "
             "The pact expired in 2025.\n")
    ingest(clean_db, [_write(tmp_path, "ended.txt", ended)])
    parties = _parties(clean_db, ANDEAN)
    assert {p: (r["status"], r["bound"], r.get("until")) for p, r in parties.items()} == {
        p: ("expired", False, "2025") for p in ("Bolivia", "Chile", "Peru")}


@pytest.mark.neo4j
def test_a_long_document_publishes_its_agreements_with_it(clean_db, driver, tmp_path: Path) -> None:
    """A spooled document (two parts, as a long text gives) writes its agreements when it is published."""
    parts = [extract_text(NOT_YET_LEFT, "long.txt"), extract_text(REFERRED, "long.txt")]
    spooled = SpooledDocument.create(tmp_path, parts[0].document)
    for part in parts:
        for rows in dataset_rows(to_dataset([part])):
            spooled.append(rows)
    with driver.session() as session:
        summary = load_spooled(session, spooled)
    assert summary.documents_loaded == 1 and summary.agreements == 2
    written = {"agreements": 2, "mentions": 2, "events": 6, "partyTo": 5, "documents": 1}
    assert _counts(clean_db).items() >= written.items()
    with driver.session() as session:
        assert load_spooled(session, spooled).documents_skipped == 1
    assert _counts(clean_db)["events"] == 6


@pytest.mark.neo4j
def test_export_and_load_give_the_same_agreements(clean_db, tmp_path: Path, run_kg) -> None:
    """`kg export` writes agreements back as RDF that passes the shapes, and `kg load` of it (plain quads
    through Oxigraph) rebuilds the same agreements, events and party links."""
    ingest(clean_db, [_write(tmp_path, "left.txt", WITHDRAWAL)])
    ingest(clean_db, [_write(tmp_path, "referred.txt", REFERRED)], published="2025-03-03")  # dates hold on reload
    before = (_counts(clean_db), _parties(clean_db), _rows(clean_db, "MATCH (a:Agreement) RETURN a {.*} AS a "
                                                                    "ORDER BY a.uri"))
    exported = export_dataset(clean_db)
    conforms, report = validate_dataset(exported)
    assert conforms, report
    assert len(set(exported.quads((None, KG.partyTo, None, None)))) == 4  # Bolivia left: not bound
    out = tmp_path / "graph.trig"
    exported.serialize(out, format="trig")
    clean_db.execute_query("MATCH (n) DETACH DELETE n")
    result = run_kg("load", str(out))
    assert result.exit_code == 0, result.output
    after = (_counts(clean_db), _parties(clean_db), _rows(clean_db, "MATCH (a:Agreement) RETURN a {.*} AS a "
                                                                   "ORDER BY a.uri"))
    assert after == before


@pytest.mark.neo4j
def test_load_reads_agreements_from_any_rdf(clean_db, tmp_path: Path, run_kg) -> None:
    """Hand-written Turtle: an event whose party has no rdf:type and an agreement only its events name."""
    path = tmp_path / "pact.ttl"
    path.write_text("""
@prefix kg: <https://w3id.org/kg/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.org/event/1> a kg:AgreementEvent ; kg:agreement <https://example.org/pact> ;
    kg:status kg:Joined ; kg:party <https://example.org/vanuatu> ; kg:date "2003"^^xsd:gYear ;
    kg:sentence "Vanuatu joined the pact in 2003." ;
    kg:start 0 ; kg:end 32 ; kg:rule "hand" ; kg:confidence 0.9 .
<https://example.org/event/2> a kg:AgreementEvent ; kg:agreement <https://example.org/pact> ;
    kg:status kg:Withdrew ; kg:party <https://example.org/fiji> ; kg:date "2010"^^xsd:gYear ;
    kg:sentence "Fiji left the pact in 2010." ; kg:start 33 ; kg:end 60 ; kg:rule "hand" ; kg:confidence 0.9 .
<https://example.org/event/3> a kg:AgreementEvent ; kg:agreement <https://example.org/pact> ;
    kg:status kg:Named ; kg:party <https://example.org/fiji> ; kg:sentence "The Fiji-Vanuatu pact is old." ;
    kg:start 61 ; kg:end 90 ; kg:rule "hand" ; kg:confidence 0.9 .
<https://example.org/event/4> a kg:AgreementEvent ; kg:agreement <https://example.org/pact> ;
    kg:status kg:Named ; kg:party <https://example.org/vanuatu> ; kg:sentence "The Fiji-Vanuatu pact is old." ;
    kg:start 61 ; kg:end 90 ; kg:rule "hand" ; kg:confidence 0.9 .
""", encoding="utf-8")
    result = run_kg("load", str(path))
    assert result.exit_code == 0, result.output
    parties = _parties(clean_db)  # a later mention as a party neither hides a status nor undoes a withdrawal
    assert parties["vanuatu"].items() >= {"status": "joined", "bound": True, "since": "2003"}.items()
    assert parties["fiji"].items() >= {"status": "withdrew", "bound": False, "until": "2010"}.items()
    assert _rows(clean_db, "MATCH (a:Agreement) RETURN a.name AS name, a.kind AS kind") == [
        {"name": "pact", "kind": None}]
    assert not _rows(clean_db, "MATCH (r:Resource) RETURN r.uri AS uri")
