"""Large inputs: files read a block at a time, text parsed a piece at a time, memory bounded,
progress shown; a long document still loads whole or not at all."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from helpers import KG_MEASURED, write_long_text
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import readers
from kg.engines.local import ingest
from kg.extract import SEGMENT_CHARS, extract_documents, extract_parts, pieces, to_dataset
from kg.graph import loader, staged
from kg.graph.loader import forget_document
from kg.graph.spool import SpooledDocument
from kg.rdf.rows import dataset_rows
from kg.readers import make_document, read_document


@given(st.text(st.sampled_from("ab \n\r\t—é.😀"), min_size=1, max_size=200).filter(str.strip),
       st.integers(1, 16), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]))
@settings(max_examples=80, deadline=None)
def test_a_file_read_in_blocks_is_the_file_read_whole(text: str, block: int, encoding: str) -> None:
    """Block boundaries inside a multi-byte character or between '\\r' and '\\n' change nothing."""
    if encoding == "latin-1":
        text = text.encode("latin-1", "ignore").decode("latin-1")
        if not text.strip() or text.isascii():
            return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.txt"
        path.write_bytes(text.encode(encoding))
        whole = make_document(readers.decode(path.read_bytes(), str(path)), str(path), "doc")
        with mock.patch.object(readers, "CHUNK_BYTES", block):
            streamed = read_document(path)
            assert streamed.text is None and streamed.path == path
            assert (streamed.sha256, streamed.title, streamed.size) == (whole.sha256, whole.title, whole.size)
            assert streamed.read_text() == whole.text


@given(st.text(st.sampled_from("ab. \n"), max_size=300), st.lists(st.integers(1, 40), max_size=20),
       st.integers(4, 50))
def test_pieces_do_not_depend_on_how_the_text_arrives(text: str, cuts: list[int], size: int) -> None:
    chunks, start = [], 0
    for cut in cuts:
        chunks.append(text[start:start + cut])
        start += cut
    chunks.append(text[start:])
    whole = list(pieces([text], size))
    assert list(pieces(chunks, size)) == whole
    assert "".join(piece for _, piece in whole) == text
    assert all(text[offset:offset + len(piece)] == piece for offset, piece in whole)
    assert all(len(piece) <= size for _, piece in whole)


@pytest.mark.large
def test_a_long_file_is_extracted_in_parts_with_true_sentences(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    write_long_text(path, int(2.5 * SEGMENT_CHARS))
    document = read_document(path)
    parts = list(extract_parts([document]))
    assert [p.part for p in parts] == list(range(len(parts))) and len(parts) >= 3
    assert [p.last for p in parts] == [False] * (len(parts) - 1) + [True]
    text = path.read_text(encoding="utf-8")
    claims = [c for p in parts for c in p.claims]
    assert len({c.relation for c in claims}) >= 3
    assert all(text[c.sent_start:c.sent_end] == c.sentence for c in claims)
    [in_memory] = extract_documents([make_document(text, str(path), "long")])
    assert in_memory.claims == claims
    [in_workers] = extract_documents([document], workers=2)
    assert in_workers.claims == claims


def _document_counts(driver, uri: str) -> dict[str, int]:
    records, _, _ = driver.execute_query(
        "OPTIONAL MATCH (:Actor)-[r]->(:Actor) "
        "RETURN COUNT { (:Document {uri: $uri}) } AS documents, "
        "COUNT { MATCH (e)-[:FROM]->(:Document {uri: $uri}) WHERE e:Evidence OR e:Claim } AS items, "
        "COUNT { (:Evidence) } AS evidence, coalesce(sum(r.evidenceCount), 0) AS counted, "
        "COUNT { (:Staged) } AS staged, COUNT { (:Actor) } AS actors",
        uri=uri)
    return dict(records[0])


NOTHING = {"documents": 0, "items": 0, "evidence": 0, "counted": 0, "staged": 0, "actors": 0}


@pytest.fixture
def small_transactions(monkeypatch) -> None:
    """A long document's load in many small transactions, as a 50 MB one would be."""
    monkeypatch.setattr(staged, "STAGE_ROWS", 100)
    monkeypatch.setattr(staged, "PUBLISH_ROWS", 150)
    monkeypatch.setattr(loader, "DELETE_CHUNK", 150)
    monkeypatch.setattr(loader, "RECOMPUTE_CHUNK", 5)


def _failing_after_first_part(original):
    def parts(self):
        found = original(self)
        yield next(found)
        raise OSError("disk gone")
    return parts


@pytest.fixture(scope="module")
def long_original(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("long") / "long.txt"
    write_long_text(path, int(2.5 * SEGMENT_CHARS))
    [extraction] = extract_documents([read_document(path)])
    return path, len({(c.subject, c.relation, c.object, c.sent_start) for c in extraction.claims})


@pytest.fixture
def long_text(long_original: tuple[Path, int], tmp_path: Path) -> tuple[Path, int]:
    """A text of 2.5 pieces (a copy each test may change), and how many distinct claims it gives."""
    path = tmp_path / "long.txt"
    shutil.copyfile(long_original[0], path)
    return path, long_original[1]


@pytest.mark.neo4j
def test_a_long_document_loads_whole_or_not_at_all(clean_db, neo4j_settings, long_text, small_transactions) -> None:
    path, expected = long_text
    uri, database = read_document(path).uri, neo4j_settings.database

    with (mock.patch.object(SpooledDocument, "parts", _failing_after_first_part(SpooledDocument.parts)),
          pytest.raises(OSError)):
        ingest(clean_db, [str(path)], database)
    assert _document_counts(clean_db, uri) == NOTHING

    report = ingest(clean_db, [str(path)], database)
    assert report.summary.documents_loaded == 1
    loaded = _document_counts(clean_db, uri)
    assert loaded["documents"] == 1 and loaded["items"] == expected and loaded["staged"] == 0
    assert loaded["counted"] == loaded["evidence"] > 0
    kinds = clean_db.execute_query(  # published evidence is dated like evidence loaded at once
        "MATCH (e:Evidence)-[:FROM]->(:Document {uri: $uri}) RETURN collect(DISTINCT e.seenKind) AS kinds",
        uri=uri, database_=database).records[0]["kinds"]
    assert kinds == ["ingested"]

    assert ingest(clean_db, [str(path)], database).summary.documents_skipped == 1
    assert _document_counts(clean_db, uri) == loaded

    with path.open("a", encoding="utf-8") as f:
        f.write("Dispatch last — Iran supplied drones to Venezuela.\n")
    changed = ingest(clean_db, [str(path)], database)
    assert changed.summary.documents_loaded == 1
    reloaded = _document_counts(clean_db, uri)
    assert reloaded["items"] == expected + 1 and reloaded["counted"] == reloaded["evidence"] == loaded["evidence"] + 1
    assert reloaded["staged"] == 0

    assert forget_document(clean_db, uri, database)
    assert _document_counts(clean_db, uri) == NOTHING


@pytest.mark.neo4j
def test_a_killed_load_shows_nothing_and_the_next_run_finishes_it(clean_db, neo4j_settings, long_text,
                                                                   small_transactions) -> None:
    """A process killed outright cleans nothing up: what it staged stays out of sight until the
    next load of the document replaces it."""
    path, expected = long_text
    uri, database = read_document(path).uri, neo4j_settings.database
    with (mock.patch.object(SpooledDocument, "parts", _failing_after_first_part(SpooledDocument.parts)),
          mock.patch.object(staged, "_discard", lambda *args: None), pytest.raises(OSError)):
        ingest(clean_db, [str(path)], database)
    left = _document_counts(clean_db, uri)
    assert left["staged"] > 0 and (left["items"], left["evidence"], left["counted"]) == (0, 0, 0)
    records, _, _ = clean_db.execute_query("MATCH (d:Document) RETURN d.sha256 AS sha", database_=database)
    assert [r["sha"] for r in records] == [None]

    assert ingest(clean_db, [str(path)], database).summary.documents_loaded == 1
    done = _document_counts(clean_db, uri)
    assert done["items"] == expected and done["staged"] == 0 and done["counted"] == done["evidence"] > 0


def _spooled(path: Path, directory: Path) -> SpooledDocument:
    document = read_document(path)
    spooled = SpooledDocument.create(directory, document)
    for part in extract_parts([document]):
        for rows in dataset_rows(to_dataset([part])):
            spooled.append(rows)
    return spooled


@pytest.mark.neo4j
def test_a_second_loader_takes_a_long_document_over(clean_db, neo4j_settings, long_text, small_transactions,
                                                    tmp_path: Path) -> None:
    """Two processes loading the same long document end with one copy: the later claim wins and
    the earlier loader stops at its next transaction."""
    path, expected = long_text
    spooled = _spooled(path, tmp_path)
    database = neo4j_settings.database
    original = SpooledDocument.parts
    second: list = []

    def interleaved(self):
        found = original(self)
        yield next(found)
        if not second:
            second.append(None)  # the second loader reads its parts straight through
            with clean_db.session(database=database) as session:
                second[0] = staged.load_spooled(session, spooled)
        yield from found

    with mock.patch.object(SpooledDocument, "parts", interleaved), clean_db.session(database=database) as session:
        first = staged.load_spooled(session, spooled)
    assert (first.documents_loaded, first.documents_skipped) == (0, 1)
    assert second[0].documents_loaded == 1
    done = _document_counts(clean_db, spooled.uri)
    assert done["items"] == expected and done["staged"] == 0 and done["counted"] == done["evidence"] > 0


def _run_measured(args: list[str], env: dict[str, str], stop_at_percent: int | None = None,
                  ) -> tuple[int, str, int]:
    """Run kg, optionally interrupting it (Ctrl-C) once its progress lines pass a percentage;
    return its exit code, its stderr and its peak resident memory in kB."""
    proc = subprocess.Popen([*KG_MEASURED, *args], env={**os.environ, **env, "KG_PROGRESS_SECONDS": "1"},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stderr:
        lines.append(line)
        percent = re.search(r"\((\d+)%\)", line)
        if stop_at_percent is not None and percent and int(percent.group(1)) >= stop_at_percent:
            proc.send_signal(signal.SIGINT)
            stop_at_percent = None
    proc.wait(timeout=120)
    proc.stdout.close()
    output = "".join(lines)
    peak = re.search(r"peak-rss-kb (\d+)", output)
    assert peak, output
    return proc.returncode, output, int(peak.group(1))


@pytest.fixture(scope="module")
def one_and_fifty_mb(tmp_path_factory) -> tuple[Path, Path]:
    """A 1 MB text (the baseline) and a 50 MB one from the same generator."""
    directory = tmp_path_factory.mktemp("large")
    small, big = directory / "small.txt", directory / "big.txt"
    write_long_text(small, 1_000_000)
    write_long_text(big, 50_000_000)
    return small, big


@pytest.mark.neo4j
def test_a_50_mb_file_is_ingested_in_bounded_memory_with_progress(clean_db, kg_env, one_and_fifty_mb) -> None:
    """Memory while ingesting a 50 MB file stays that of a 1 MB one (the baseline, run side by side).

    Parsing all 50 MB would take about 25 minutes here, so the big run is interrupted once 2% is
    done; the interruption must leave nothing of the document behind."""
    small, big = one_and_fifty_mb
    code, output, small_peak = _run_measured(["ingest", str(small)], kg_env)
    assert code == 0, output
    assert "ingesting: 1.0 MB of 1.0 MB (100%)" in output, output

    code, output, big_peak = _run_measured(["ingest", str(big)], kg_env, stop_at_percent=2)
    assert code == 130 and "interrupted" in output and "Traceback" not in output, output
    assert re.search(r"ingesting: [\d.]+ MB of 50\.\d MB \([2-9]%\)", output), output
    assert big_peak < 1.2 * small_peak, f"peak memory: {big_peak} kB for 50 MB, {small_peak} kB for 1 MB"

    records, _, _ = clean_db.execute_query("MATCH (d:Document) RETURN d.source AS source, d.sha256 IS NULL AS open")
    assert [(r["source"], r["open"]) for r in records] == [(str(small), False)]


@pytest.mark.neo4j
def test_a_50_mb_file_is_extracted_in_bounded_memory_with_progress(kg_env, one_and_fifty_mb, tmp_path: Path) -> None:
    """The same for `kg extract`: its output is written as it goes, so memory does not grow with
    the text, and an interrupted run leaves no output file, whole or half."""
    small, big = one_and_fifty_mb
    out = tmp_path / "out.trig"
    code, output, small_peak = _run_measured(["extract", str(small), "-o", str(out)], kg_env)
    assert code == 0, output
    assert "extracting: 1.0 MB of 1.0 MB (100%)" in output, output
    assert out.stat().st_size > 100_000 and "kg:Evidence" in out.read_text(encoding="utf-8")

    out = tmp_path / "big.trig"
    code, output, big_peak = _run_measured(["extract", str(big), "-o", str(out)], kg_env, stop_at_percent=2)
    assert code == 130 and "interrupted" in output and "Traceback" not in output, output
    assert re.search(r"extracting: [\d.]+ MB of 50\.\d MB \([2-9]%\)", output), output
    assert big_peak < 1.2 * small_peak, f"peak memory: {big_peak} kB for 50 MB, {small_peak} kB for 1 MB"
    assert list(tmp_path.glob("big.trig*")) == []
