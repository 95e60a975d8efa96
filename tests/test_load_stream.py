"""`kg load` at dump scale: RDF streamed and sorted on disk, memory flat, a large graph loaded in
bounded transactions and seen only once complete, loaded files as documents (skipped unchanged,
forgotten whole)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest
from helpers import KG_MEASURED, write_synthetic_rdf
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.engines.local import load_files
from kg.graph import cypher, staged
from kg.graph.export import export_dataset
from kg.graph.loader import forget_document
from kg.graph.spool import SpooledDocument
from kg.rdf import stream
from kg.rdf.files import QuadStream, file_sha256
from kg.rdf.rows import quad_rows
from kg.rdf.stream import GroupSorter, file_documents
from kg.readers import document_iri, path_identity

THIRD_PARTY = (
    "@prefix ex: <http://example.org/> .\n@prefix schema: <http://schema.org/> .\n"
    "ex:alice a schema:Person ; schema:name \"Alice\" ; schema:knows ex:bob .\n"
    "ex:bob a schema:Person ; schema:name \"Bob\" .\n")


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 1000)), max_size=300), st.integers(1, 40))
@settings(max_examples=60, deadline=None)
def test_the_sorter_groups_like_a_dict_however_often_it_spills(pairs: list[tuple[int, int]], limit: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        sorter = GroupSorter(Path(tmp), limit)
        expected: dict[int, list[int]] = {}
        for key, value in pairs:
            sorter.add(key, value)
            expected.setdefault(key, []).append(value)
        got = list(sorter)
        assert [k for k, _ in got] == sorted(expected)
        assert {k: sorted(v) for k, v in got} == {k: sorted(v) for k, v in expected.items()}
        assert not list(Path(tmp).iterdir()), "runs are removed once merged"


def _summary(rows) -> tuple:
    return (sorted((e["uri"], e["subject"], e["relation"], e["object"]) for e in rows.evidence),
            sorted((a["uri"], a["cls"], a["name"]) for a in rows.actors.values()),
            sorted((r["uri"], tuple(r["labels"]), tuple(sorted(r["props"]))) for r in rows.resources.values()),
            sorted((link["from"], link["type"], link["to"]) for link in rows.links))


def test_a_shuffled_file_spilled_to_disk_maps_as_the_whole_file_in_memory(tmp_path: Path, monkeypatch) -> None:
    """The stream's rows equal the in-memory mapping's, with the sort spilling every few quads and the
    graph spooled in small parts, whatever the order of the triples."""
    ordered = tmp_path / "ordered.nt"
    write_synthetic_rdf(ordered, 4000, resources=True)
    lines = ordered.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(3).shuffle(lines)
    shuffled = tmp_path / "shuffled.nt"
    shuffled.write_text("".join(lines), encoding="utf-8")
    (expected,) = quad_rows(list(QuadStream(str(shuffled))), "urn:test:doc")
    monkeypatch.setattr(stream, "SORT_QUADS", 37)
    monkeypatch.setattr(stream, "PART_ROWS", 25)
    monkeypatch.setattr(stream, "SPOOL_ROWS", 25)
    spool = tmp_path / "spool"
    spool.mkdir()
    (doc,) = list(file_documents(QuadStream(str(shuffled)), "urn:test:doc", spool, sha256="ab" * 32))
    assert isinstance(doc, SpooledDocument) and doc.sha256 == "ab" * 32
    whole = type(expected)(uri=doc.uri)
    for part in [*doc.parts(), *doc.resource_parts()]:
        whole.evidence += part.evidence
        whole.links += part.links
        for uri, actor in part.actors.items():
            if actor["cls"] or uri not in whole.actors:
                whole.actors[uri] = actor
        for uri, res in part.resources.items():
            whole.resources.setdefault(uri, {"uri": uri, "labels": [], "props": {}})
            whole.resources[uri]["labels"] += res["labels"]
            whole.resources[uri]["props"].update(res["props"])
    assert _summary(whole) == _summary(expected)
    assert len(expected.evidence) > 50 and expected.resources and expected.links


def _nodes(driver, uri: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "CALL () { MATCH (e:Evidence) RETURN count(e) AS evidence } "
        "CALL () { MATCH (e:Staged) RETURN count(e) AS staged } "
        "CALL () { MATCH (r:Resource) RETURN count(r) AS resources } "
        "CALL () { MATCH (d:Document {uri: $uri}) RETURN count(d) AS documents } "
        "CALL () { MATCH (:Actor)-[r]->(:Actor) RETURN count(r) AS relationships } "
        "RETURN evidence, staged, resources, documents, relationships", uri=uri)
    return dict(records[0])


@pytest.mark.neo4j
def test_a_loaded_file_is_a_document_skipped_unchanged_and_forgotten_whole(clean_db, tmp_path: Path, run_kg,
                                                                          monkeypatch) -> None:
    """Stored like an ingested document (title, source, sha256, ingested); exported; a second load of
    the same bytes does nothing; `kg forget <path>` takes away its evidence, relationships and
    resources, but not a resource another file brought too."""
    monkeypatch.chdir(tmp_path)
    dump = Path("dump.nt")
    write_synthetic_rdf(dump, 3000, resources=True)
    other = Path("people.ttl")
    other.write_text(THIRD_PARTY + "<https://example.org/item/1> a schema:Person .\n", encoding="utf-8")
    uri = document_iri(path_identity(str(dump)))
    monkeypatch.setattr(stream, "PART_ROWS", 200)  # the staged path, in several parts
    monkeypatch.setattr(stream, "SPOOL_ROWS", 200)
    monkeypatch.setattr(staged, "STAGE_ROWS", 150)
    report = load_files(clean_db, [str(dump), str(other)])
    assert not report.failures and report.summary.documents_loaded == 2
    doc = clean_db.execute_query("MATCH (d:Document {uri: $uri}) RETURN d {.*} AS d", uri=uri).records[0]["d"]
    assert (doc["title"], doc["source"], doc["sha256"]) == ("dump.nt", "dump.nt", file_sha256(str(dump)))
    assert doc["ingestedAt"] and "loadingRun" not in doc
    before = _nodes(clean_db, uri)
    assert before["evidence"] > 100 and before["resources"] > 100 and before["relationships"] > 0
    assert uri in {str(g.identifier) for g in export_dataset(clean_db).graphs()}

    again = load_files(clean_db, [str(dump)])
    assert again.summary.documents_skipped == 1 and again.summary.documents_loaded == 0
    assert _nodes(clean_db, uri) == before

    result = run_kg("forget", str(dump))
    assert result.exit_code == 0, result.output
    after = _nodes(clean_db, uri)
    assert (after["evidence"], after["staged"], after["documents"], after["relationships"]) == (0, 0, 0, 0)
    left = clean_db.execute_query("MATCH (r:Resource) RETURN r.uri AS uri, r.documents AS docs").records
    assert {r["uri"] for r in left} == {"http://example.org/alice", "http://example.org/bob",
                                        "https://example.org/item/1"}, "what only the dump brought is gone"
    assert all(r["docs"] == [document_iri(path_identity(str(other)))] for r in left)
    assert not clean_db.execute_query("MATCH (a:Actor) WHERE NOT (a)--() RETURN a").records


@pytest.mark.neo4j
def test_a_load_interrupted_while_publishing_leaves_nothing(clean_db, tmp_path: Path, monkeypatch) -> None:
    """Ctrl-C half-way through writing the resources (the last step before the document counts as
    loaded): the document is withdrawn whole, and a new load completes it."""
    dump = tmp_path / "dump.nt"
    write_synthetic_rdf(dump, 3000, resources=True)
    uri = document_iri(path_identity(str(dump)))
    monkeypatch.setattr(stream, "PART_ROWS", 200)
    monkeypatch.setattr(stream, "SPOOL_ROWS", 200)
    monkeypatch.setattr(staged, "STAGE_ROWS", 150)
    real, calls = cypher.write_resources, []

    def interrupted(tx, docs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(tx, docs)

    monkeypatch.setattr(cypher, "write_resources", interrupted)
    with pytest.raises(KeyboardInterrupt):
        load_files(clean_db, [str(dump)])
    assert _nodes(clean_db, uri) == {"evidence": 0, "staged": 0, "resources": 0, "documents": 0, "relationships": 0}
    monkeypatch.setattr(cypher, "write_resources", real)
    assert load_files(clean_db, [str(dump)]).summary.documents_loaded == 1
    assert _nodes(clean_db, uri)["resources"] > 100


@pytest.mark.neo4j
@pytest.mark.large
def test_ctrl_c_during_a_large_load_leaves_nothing_visible(clean_db, kg_env, tmp_path: Path) -> None:
    """`kg load` of a large dump, interrupted with SIGINT once it has begun writing: exit code 130,
    and neither its evidence, resources nor its document are to be seen."""
    dump = tmp_path / "dump.nt"
    write_synthetic_rdf(dump, 300_000, resources=True)
    proc = subprocess.Popen([*KG_MEASURED, "load", str(dump)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **kg_env, "KG_PROGRESS_SECONDS": "1"})
    assert proc.stderr is not None
    for line in proc.stderr:
        if "writing" in line:
            break
    time.sleep(2)  # into the staged transactions
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err[-3000:]
    uri = document_iri(path_identity(str(dump)))
    assert _nodes(clean_db, uri) == {"evidence": 0, "staged": 0, "resources": 0, "documents": 0, "relationships": 0}


def _peak_mb(args: list[str], env: dict[str, str]) -> int:
    proc = subprocess.run([*KG_MEASURED, *args], capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = next(x for x in proc.stderr.splitlines() if x.startswith("peak-rss-kb"))
    return int(line.split()[1]) // 1024


@pytest.mark.neo4j
@pytest.mark.large
def test_peak_memory_does_not_grow_with_the_file(clean_db, kg_env, tmp_path: Path) -> None:
    """The same loader on 300,000 triples and on 30,000, each in its own process: the large one's peak
    resident memory within 1.5x the small one's (a whole-file parse would take about 5x)."""
    small, large = tmp_path / "small.nt", tmp_path / "large.nt"
    write_synthetic_rdf(small, 30_000, resources=True)
    write_synthetic_rdf(large, 300_000, resources=True)
    env = {**os.environ, **kg_env}
    peak_small = _peak_mb(["load", str(small)], env)
    forget_document(clean_db, document_iri(path_identity(str(small))))
    peak_large = _peak_mb(["load", str(large)], env)
    uri = document_iri(path_identity(str(large)))
    assert _nodes(clean_db, uri)["evidence"] > 25_000
    assert peak_large <= 1.5 * peak_small, f"{peak_large} MB for 300k triples, {peak_small} MB for 30k"
