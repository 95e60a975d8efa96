"""Documents in Neo4j: identities that never collide, publication dates, untyped RDF, and the messages
a new user meets (one line per bad file, unknown actors)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PACT = "Russia and North Korea signed a mutual defence treaty."
AID = "Iran supplied drones to Russia."


def documents(driver) -> dict[str, dict]:
    records, _, _ = driver.execute_query(
        "MATCH (d:Document) OPTIONAL MATCH (e:Evidence)-[:FROM]->(d) "
        "RETURN d {.*} AS d, collect(e.sentence) AS sentences")
    return {r["d"]["uri"]: {**r["d"], "sentences": {s.strip() for s in r["sentences"]}} for r in records}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.neo4j
def test_same_names_in_two_folders_survive_ingest_reingest_and_forget(clean_db, run_kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(Path("feed/2024-06-01/article.txt"), f"First day\n\n{PACT}\n")
    write(Path("feed/2024-06-02/article.txt"), f"Second day\n\n{AID}\n")
    write(Path("feed/2024-06-02/article.html"), f"<html><head><title>Page</title></head><body><article><p>{AID} "
          "Officials said so on Monday in a statement that was widely reported.</p></article></body></html>")
    result = run_kg("ingest", "feed/")
    assert result.exit_code == 0, result.output
    assert "documents: 3 loaded, 0 unchanged" in result.output
    docs = documents(clean_db)
    first = "https://w3id.org/kg/doc/feed/2024-06-01/article.txt"
    second = "https://w3id.org/kg/doc/feed/2024-06-02/article.txt"
    assert set(docs) == {first, second, "https://w3id.org/kg/doc/feed/2024-06-02/article.html"}
    assert docs[first]["title"] == "First day" and docs[second]["title"] == "Second day"
    assert docs[first]["sentences"] == {PACT}

    again = run_kg("ingest", "feed/")
    assert "documents: 0 loaded, 3 unchanged" in again.output, again.output
    named = run_kg("ingest", "feed/2024-06-01/article.txt")  # the same file named directly: the same document
    assert "documents: 0 loaded, 1 unchanged" in named.output, named.output

    forgot = run_kg("forget", "feed/2024-06-01/article.txt")
    assert forgot.exit_code == 0 and first in forgot.output
    docs = documents(clean_db)
    assert first not in docs and docs[second]["sentences"] == {AID}
    assert run_kg("forget", second).exit_code == 0  # by IRI too
    gone = run_kg("forget", "feed/2024-06-01/article.txt")
    assert gone.exit_code == 2 and gone.output.startswith("error: feed/2024-06-01/article.txt: no such")


@pytest.mark.neo4j
def test_two_stdin_articles_both_survive(clean_db, run_kg):
    assert run_kg("ingest", "-", input=f"One\n\n{PACT}\n").exit_code == 0
    assert run_kg("ingest", "-", input=f"Two\n\n{AID}\n").exit_code == 0
    assert run_kg("ingest", "-", "--id", "wire/7", input=f"Three\n\n{AID}\n").exit_code == 0
    docs = documents(clean_db)
    assert len(docs) == 3 and "https://w3id.org/kg/doc/wire/7" in docs
    assert run_kg("forget", "wire/7").exit_code == 0
    assert len(documents(clean_db)) == 2


@pytest.mark.neo4j
def test_publication_dates_land_in_published_and_new_since(clean_db, run_kg, tmp_path):
    write(tmp_path / "c/front.md", f"---\ntitle: Front matter\ndate: 2024-03-02\n---\n# Heading\n\n{PACT}\n")
    write(tmp_path / "c/dateline.txt", f"Dispatch\n\nWARSAW, 12 June 2024 — {AID}\n")
    write(tmp_path / "c/page.html", "<html><head><title>Page</title><meta name='date' content='2024-05-14'></head>"
          "<body><article><p>Turkey sanctioned Syria, officials said on Monday in a statement that was widely "
          "reported across the region.</p></article></body></html>")
    write(tmp_path / "d/plain.txt", "Plain\n\nFrance sanctioned Syria.\n")
    assert run_kg("ingest", str(tmp_path / "c")).exit_code == 0
    assert run_kg("ingest", str(tmp_path / "d"), "--published", "2024-01-05").exit_code == 0
    by_title = {d["title"]: d for d in documents(clean_db).values()}
    assert {t: d["published"] for t, d in by_title.items()} == {
        "Front matter": "2024-03-02", "Dispatch": "2024-06-12", "Page": "2024-05-14", "Plain": "2024-01-05"}
    assert all(d["ingestedAt"] > "2025" for d in by_title.values())
    result = run_kg("query", "run", "new-since", "-p", "since=2024-04-01", "--format", "json")
    rows = json.loads(result.output)
    # The March (front matter) and January (--published) relations are older than `since`, though
    # ingested today; the dateline's and the HTML page's are new, first seen on their own dates.
    assert sorted((r["object"], r["status"], r["first_seen"]) for r in rows) == [
        ("Russia", "new", "2024-06-12"), ("Syria", "new", "2024-05-14")]


@pytest.mark.neo4j
def test_untyped_vocabulary_triples_load(clean_db, run_kg, tmp_path):
    ttl = write(tmp_path / "a.ttl", "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
                "@prefix actor: <https://w3id.org/kg/actor/> .\nactor:estonia kg:alliedWith actor:finland .\n")
    result = run_kg("load", str(ttl))
    assert result.exit_code == 0, result.output
    records, _, _ = clean_db.execute_query(
        "MATCH (a:Actor)-[r:ALLIED_WITH]-(b:Actor) RETURN labels(a) AS l, a.name AS n")
    assert sorted(r["n"] for r in records) == ["estonia", "finland"] and all(r["l"] == ["Actor"] for r in records)
    assert run_kg("forget", str(ttl)).exit_code == 0
    assert clean_db.execute_query("MATCH ()-[r:ALLIED_WITH]-() RETURN count(r) AS n").records[0]["n"] == 0


@pytest.mark.neo4j
def test_one_error_line_per_bad_file(clean_db, run_kg, tmp_path):
    result = run_kg("ingest", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2 and result.output == f"error: {tmp_path / 'nope.txt'}: no such file or directory\n"
    write(tmp_path / "dir/ok.txt", f"{PACT}\n")
    (tmp_path / "dir/x.pdf").write_bytes(b"%PDF-1.7")
    result = run_kg("ingest", str(tmp_path / "dir"))
    assert result.exit_code == 1 and result.output.count("error:") == 1
    assert f"error: {tmp_path / 'dir'}: skipped 1 unsupported file: x.pdf" in result.output


@pytest.mark.neo4j
def test_unknown_actor_is_said_with_near_names(clean_db, run_kg):
    assert run_kg("ingest", "-", input=f"Pact\n\n{PACT} Vladimir Putin visited Pyongyang.\n").exit_code == 0
    result = run_kg("query", "run", "allies", "-p", "country=Narnia")
    assert result.exit_code == 2 and result.output.startswith("error: --param country=Narnia: no actor")
    result = run_kg("query", "run", "allies", "-p", "country=North Kora")
    assert result.exit_code == 2 and "did you mean North Korea" in result.output
    result = run_kg("query", "run", "allies", "-p", "country=Estonia")
    assert result.exit_code == 2 and "Estonia is a known actor, but the graph has nothing on it" in result.output
