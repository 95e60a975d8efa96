"""Reading documents without a server: identities that never collide, and publication dates from
front matter, datelines, HTML, `--published` and corpus fields."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef
from rdflib.namespace import DCTERMS

from kg.cli import main
from kg.errors import KgError
from kg.extract import read_inputs
from kg.readers import (
    document_from_bytes,
    document_identity,
    document_iri,
    expand_paths,
    iso_date,
    make_document,
    path_identity,
    read_document,
    text_metadata,
)

ARTICLE = "Pact signed\n\nRussia and North Korea signed a mutual defence treaty.\n"


def feed(root: Path) -> list[Path]:
    """Same file names in two folders, and the same stem in two formats."""
    paths = []
    for day in ("2024-06-01", "2024-06-02"):
        (root / day).mkdir(parents=True)
        path = root / day / "article.txt"
        path.write_text(f"Day {day}\n\nRussia and North Korea signed a pact.\n", encoding="utf-8")
        paths.append(path)
    html = root / "2024-06-01" / "article.html"
    html.write_text("<html><head><title>Same stem</title><meta name='date' content='2024-05-14'></head><body>"
                    "<article><p>Iran supplied drones to Russia during the war, officials said on Monday in a "
                    "statement that was widely reported.</p></article></body></html>", encoding="utf-8")
    return [*paths, html]


def test_same_names_in_two_folders_are_two_documents(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    feed(Path("feed"))
    failures: list[str] = []
    docs = list(read_inputs(["feed/"], failures))
    assert failures == []
    assert [d.identity for d in docs] == ["feed/2024-06-01/article.html", "feed/2024-06-01/article.txt",
                                          "feed/2024-06-02/article.txt"]
    assert len({d.uri for d in docs}) == 3
    assert docs[1].uri == "https://w3id.org/kg/doc/feed/2024-06-01/article.txt"


def test_a_file_keeps_its_identity_however_it_is_named(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    feed(Path("feed"))
    names = ("feed/2024-06-01/article.txt", "./feed//2024-06-02/../2024-06-01/article.txt",
             str(tmp_path / "feed/2024-06-01/article.txt"))
    named = {read_document(p).uri for p in names}
    from_dir = next(d.uri for d in read_inputs(["feed"], []) if d.identity.endswith("01/article.txt"))
    assert named == {from_dir}
    spark_side = document_from_bytes(Path("feed/2024-06-01/article.txt").read_bytes(), "feed/2024-06-01/article.txt")
    assert spark_side.uri == from_dir and spark_side.sha256 == read_document("feed/2024-06-01/article.txt").sha256


def test_iris_are_one_to_one() -> None:
    identities = ["a.txt", "a-txt", "a_txt", "A.txt", "a b.txt", "a/b.txt", "a-b.txt", "../a.txt", "%2E%2E/a.txt",
                  "/abs/a.txt", "abs/a.txt", "hdfs://nn/news/a.txt"]
    iris = [document_iri(i) for i in identities]
    assert len(set(iris)) == len(identities)
    assert all(URIRef(i) for i in iris) and not any("/../" in i or " " in i for i in iris)
    assert [document_identity(i) for i in iris] == identities  # `kg documents` shows what was named
    assert document_identity("urn:kg:graph:0123abcd") == "urn:kg:graph:0123abcd"


def test_stdin_is_named_by_content_or_id(monkeypatch) -> None:
    def piped(text: str, identity: str | None = None):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        return read_document("-", identity)

    first, second, again = piped(ARTICLE), piped(ARTICLE + "More.\n"), piped(ARTICLE)
    assert first.uri != second.uri and first.uri == again.uri and first.identity.startswith("stdin-")
    assert piped(ARTICLE, "wire/0042").uri == "https://w3id.org/kg/doc/wire/0042"


def test_id_names_one_document_only(tmp_path: Path) -> None:
    paths = feed(tmp_path)
    [doc] = read_inputs([str(paths[0])], [], identity="my-article")
    assert doc.identity == "my-article"
    with pytest.raises(KgError, match="--id names one document"):
        list(read_inputs([str(tmp_path)], [], identity="x"))


def test_front_matter_gives_title_and_date_and_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: A pact in the east\ndate: 2024-03-02\ntags: [x]\n---\n# Heading\n\n" + ARTICLE,
                    encoding="utf-8")
    doc = read_document(path)
    assert (doc.title, doc.published) == ("A pact in the east", "2024-03-02")
    assert doc.read_text().startswith("# Heading") and doc.size == len(doc.read_text())
    in_memory = document_from_bytes(path.read_bytes(), str(path))
    assert (in_memory.text, in_memory.title, in_memory.published, in_memory.sha256) == (
        doc.read_text(), doc.title, doc.published, doc.sha256)


@pytest.mark.parametrize("top,published", [
    ("WARSAW, 12 June 2024 — Poland and Finland signed a pact.", "2024-06-12"),
    ("Nairobi, 3 March 2025: Kenya and Somalia signed a pact.", "2025-03-03"),
    ("WASHINGTON, June 3, 2024 - The United States sanctioned Iran.", "2024-06-03"),
    ("Title line\n\nMOSCOW, Tuesday, 4 June 2024 — Russia said.", "2024-06-04"),
    ("Russia, China and Iran signed a pact in 2024 - the ministers said.", None),
    ("In June 2024 Poland and Finland signed a pact.", None),
])
def test_datelines(top: str, published: str | None) -> None:
    assert text_metadata(top + "\n\nMore text.\n").published == published
    assert make_document(top, "t", "t").published == published


def test_dates_are_iso_8601() -> None:
    assert iso_date("2024-06-12") == "2024-06-12"
    assert iso_date("12 June 2024") == "2024-06-12"
    assert iso_date("2024-06-12T10:00") == "2024-06-12T10:00:00+00:00"
    assert iso_date("Tue, 04 Jun 2024 10:00:00 GMT") == "2024-06-04T10:00:00+00:00"
    assert iso_date("not a date") is None


def test_published_option_and_corpus_field_win(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("WARSAW, 12 June 2024 — Poland and Finland signed a pact.\n", encoding="utf-8")
    [doc] = read_inputs([str(path)], [], published="2024-01-05")
    assert doc.published == "2024-01-05"
    assert make_document("WARSAW, 12 June 2024 — x.", "c", "id-1", published="2023-02-01").published == "2023-02-01"


def test_html_date_and_the_extract_output(tmp_path: Path) -> None:
    paths = feed(tmp_path)
    assert read_document(paths[2]).published == "2024-05-14"
    out = tmp_path / "out.trig"
    result = CliRunner().invoke(main, ["extract", str(paths[0]), "--published", "2024-02-29", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out, format="trig")
    assert {str(o) for _, _, o, _ in ds.quads((None, DCTERMS.issued, None, None))} == {"2024-02-29"}
    bad = CliRunner().invoke(main, ["extract", str(paths[0]), "--published", "soon"])
    assert bad.exit_code == 2
    assert bad.output == "error: --published 'soon': not a date (use ISO 8601, such as 2024-06-12)\n"


def test_unsupported_files_of_a_directory_are_listed(tmp_path: Path) -> None:
    feed(tmp_path)
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.7")
    skipped: list[str] = []
    files = list(expand_paths([str(tmp_path)], skipped))
    assert len(files) == 3 and skipped == [f"{tmp_path}: skipped 1 unsupported file: x.pdf"]


def test_path_identity_normalises() -> None:
    assert path_identity("./feed//a/../b.txt") == "feed/b.txt"
    assert path_identity("s3a://bucket/news/a.txt") == "s3a://bucket/news/a.txt"
