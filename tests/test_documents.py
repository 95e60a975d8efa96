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
    assert sorted((r["object"], r["status"], r["first_seen"], r["first_seen_kind"]) for r in rows) == [
        ("Russia", "new", "2024-06-12", "published"), ("Syria", "new", "2024-05-14", "published")]

    # An undated text is dated by its ingestion, and every date column says so.
    assert run_kg("ingest", "-", input="Undated\n\nGermany sanctioned Iran.\n").exit_code == 0
    rows = json.loads(run_kg("query", "run", "new-since", "-p", "since=2024-04-01", "--format", "json").output)
    iran = next(r for r in rows if r["object"] == "Iran")
    assert iran["first_seen"] > "2025" and (iran["first_seen_kind"], iran["last_seen_kind"]) == ("ingested", "ingested")
    rows = json.loads(run_kg("query", "run", "evidence", "-p", "country=Germany", "-p", "other=Iran",
                             "--format", "json").output)
    assert [(r["date"], r["date_kind"]) for r in rows] == [(iran["first_seen"], "ingested")]
    rows = json.loads(run_kg("query", "run", "adversaries", "-p", "country=Syria", "--format", "json").output)
    assert {(r["adversary"], r["last_seen"], r["last_seen_kind"]) for r in rows} == {
        ("Turkey", "2024-05-14", "published"), ("France", "2024-01-05", "published")}


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


def inventory(run_kg, *args: str) -> list[dict]:
    """`kg documents --format json ARGS...` as rows (stdout only: notes go to stderr)."""
    result = run_kg("documents", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.neo4j
def test_documents_are_listed_in_three_formats_and_filtered(clean_db, run_kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(Path("feed/2024-06-01/article.md"), f"---\ntitle: First day\ndate: 2024-06-01T09:30:00Z\n---\n{PACT}\n")
    write(Path("feed/2024-06-02/article.txt"), f"Second day\n\nWARSAW, 2 June 2024 — {AID}\n")
    ttl = write(Path("third-party.ttl"), "@prefix kg: <https://w3id.org/kg/ontology#> .\n"
                "@prefix actor: <https://w3id.org/kg/actor/> .\nactor:estonia kg:alliedWith actor:finland .\n")
    assert run_kg("ingest", "feed/").exit_code == 0
    assert run_kg("ingest", "-", "--id", "wire/7", input=f"Wire\n\n{AID} Russia would never attack Finland.\n"
                  ).exit_code == 0
    assert run_kg("load", str(ttl)).exit_code == 0

    rows = inventory(run_kg)
    assert [r["identity"] for r in rows] == [  # newest first (the undated by their ingestion today)
        "third-party.ttl", "wire/7", "feed/2024-06-02/article.txt", "feed/2024-06-01/article.md"]
    by_id = {r["identity"]: r for r in rows}
    assert set(by_id) == {"feed/2024-06-01/article.md", "feed/2024-06-02/article.txt", "wire/7", "third-party.ttl"}
    first = by_id["feed/2024-06-01/article.md"]
    assert first == {"identity": "feed/2024-06-01/article.md",
                     "iri": "https://w3id.org/kg/doc/feed/2024-06-01/article.md", "title": "First day",
                     "source": "feed/2024-06-01/article.md", "published": "2024-06-01T09:30:00+00:00",
                     "ingested": first["ingested"], "evidence": first["evidence"], "claims": 0}
    assert first["ingested"] > "2025"
    assert first["evidence"] == clean_db.execute_query(
        "MATCH (e:Evidence)-[:FROM]->(:Document {uri: $uri}) RETURN count(e) AS n", uri=first["iri"]
    ).records[0]["n"] > 0
    assert by_id["wire/7"]["source"] == "<stdin>" and by_id["wire/7"]["published"] is None
    assert by_id["wire/7"]["evidence"] >= 1 and by_id["wire/7"]["claims"] >= 1  # "would never attack"
    assert by_id["third-party.ttl"]["iri"] == "https://w3id.org/kg/doc/third-party.ttl"

    # Dates: published, else ingested; a date bound keeps a datetime of that day.
    assert [r["identity"] for r in inventory(run_kg, "--until", "2024-06-01")] == ["feed/2024-06-01/article.md"]
    assert [r["identity"] for r in inventory(run_kg, "--since", "2 June 2024", "--until", "2024-12-31")] == [
        "feed/2024-06-02/article.txt"]
    assert {r["identity"] for r in inventory(run_kg, "--since", "2025-01-01")} >= {"wire/7"}
    assert "feed/2024-06-02/article.txt" not in {r["identity"] for r in inventory(run_kg, "--since", "2025-01-01")}
    # Text: any part of the identity or IRI, the title or the source path, in any case.
    assert [r["identity"] for r in inventory(run_kg, "--text", "SECOND")] == ["feed/2024-06-02/article.txt"]
    assert [r["identity"] for r in inventory(run_kg, "-t", "wire/")] == ["wire/7"]
    assert [r["identity"] for r in inventory(run_kg, "-t", "2024-06-01", "--since", "2024-06-02")] == []

    cut = run_kg("documents", "--format", "json", "--limit", "2")
    assert len(json.loads(cut.stdout)) == 2
    assert "note: the first 2 documents" in cut.stderr
    assert "note:" not in run_kg("documents", "--limit", "4").stderr

    result = run_kg("documents", "--format", "csv", "--text", "feed/")
    lines = result.stdout.splitlines()
    assert lines[0] == "identity,iri,title,source,published,ingested,evidence,claims"
    assert lines[1].startswith("feed/2024-06-02/article.txt,https://w3id.org/kg/doc/feed/2024-06-02/article.txt,"
                               "Second day,feed/2024-06-02/article.txt,2024-06-02,")
    assert len(lines) == 3

    table = run_kg("documents")
    assert table.exit_code == 0 and "Documents" in table.stdout and "4 rows" in table.stdout
    assert "wire/7" in table.stdout and "First day" in table.stdout

    bad = run_kg("documents", "--since", "someday")
    assert bad.exit_code == 2
    assert bad.output == "error: --since 'someday': not a date (use ISO 8601, such as 2024-06-12)\n"


@pytest.mark.neo4j
def test_forget_takes_anything_documents_lists(clean_db, run_kg, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(Path("feed/a.txt"), f"A\n\n{PACT}\n")
    write(Path("feed/b.txt"), f"B\n\n{AID}\n")
    write(Path("feed/c.txt"), "C\n\nFrance sanctioned Syria.\n")
    assert run_kg("ingest", "feed/a.txt", "feed/b.txt").exit_code == 0
    assert run_kg("ingest", "feed/c.txt", "--id", "wire/9").exit_code == 0  # its source is not its identity
    assert run_kg("ingest", "-", input="D\n\nTurkey sanctioned Syria.\n").exit_code == 0
    assert run_kg("ingest", "-", input="E\n\nGermany sanctioned Iran.\n").exit_code == 0
    listed = {r["title"]: r for r in inventory(run_kg)}

    # Unknown names: one line, with the near identities.
    result = run_kg("forget", "feed/a.tx")
    assert result.exit_code == 2
    assert result.output.startswith("error: feed/a.tx: no such document in the graph; did you mean feed/a.txt")
    assert result.output.count("\n") == 1
    result = run_kg("forget", "https://w3id.org/kg/doc/feed/a.tx")  # an IRI is compared as its identity
    assert result.exit_code == 2 and "no such document in the graph; did you mean feed/a.txt" in result.output
    result = run_kg("forget", "nothing-like-it")
    assert result.output == "error: nothing-like-it: no such document in the graph (`kg documents` lists them)\n"
    result = run_kg("forget", "<stdin>")  # two documents were read from stdin
    assert result.exit_code == 2 and result.output.startswith("error: <stdin>: 2 documents were read from this source")
    assert listed["D"]["identity"] in result.output and listed["E"]["identity"] in result.output

    assert run_kg("forget", listed["A"]["identity"]).output == f"forgot {listed['A']['iri']}\n"
    assert run_kg("forget", listed["B"]["iri"]).exit_code == 0
    assert run_kg("forget", listed["C"]["source"]).output == f"forgot {listed['C']['iri']}\n"  # feed/c.txt
    assert run_kg("forget", listed["D"]["identity"]).exit_code == 0
    assert run_kg("forget", "<stdin>").output == f"forgot {listed['E']['iri']}\n"  # now only one
    assert inventory(run_kg) == []
    assert clean_db.execute_query("MATCH (n) WHERE n:Evidence OR n:Claim OR n:Actor RETURN count(n) AS n"
                                  ).records[0]["n"] == 0
