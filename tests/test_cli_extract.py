"""`kg extract` from the command line: inputs, formats, explanations and clear errors."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import SEED
from rdflib import Dataset

from kg.cli import main

KG = [sys.executable, "-m", "kg.cli"]


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


@pytest.mark.parametrize("suffix,fmt", [(".trig", "trig"), (".nq", "nquads"), (".jsonld", "json-ld"),
                                        (".ttl", "turtle")])
def test_output_format_follows_the_extension(tmp_path: Path, suffix: str, fmt: str) -> None:
    out = tmp_path / f"seed{suffix}"
    result = run("extract", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    ds = Dataset()
    ds.parse(out, format=fmt)
    assert any("mutualDefense" in str(p) for _, p, _, _ in ds.quads((None, None, None, None)))


def test_stdin_and_explain(tmp_path: Path) -> None:
    result = run("extract", "-", "--explain", input="Russia invaded Ukraine in February 2022.\n")
    assert result.exit_code == 0, result.output
    assert "russia invaded ukraine" in result.output
    assert "“Russia invaded Ukraine in February 2022.”" in result.output
    assert "@prefix" in result.output


def test_directory_recursion_html_and_encodings(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text(
        "<html><head><title>Brief</title><style>p{color:red}</style><script>var Iran='x';</script></head>"
        "<body><nav>Menu</nav><article><p>Iran supplied drones to Russia during the war, officials said "
        "on Monday in a statement that was widely reported across the region.</p></article></body></html>",
        encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("Le Président: France sanctioned Syria.".encode("latin-1"))
    (tmp_path / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + "Turkey invaded Cyprus.".encode("utf-16-le"))
    (tmp_path / "skipped.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00")
    out = tmp_path / "out.nq"
    result = run("extract", str(tmp_path), "-o", str(out))
    assert result.exit_code == 1, result.output  # as for any bad file in a batch: the others are written
    assert f"error: {tmp_path}: skipped 1 unsupported file: skipped.png" in result.output
    text = out.read_text(encoding="utf-8")
    assert "militaryAid" in text and "sanctions" in text and "invaded" in text
    assert "var Iran" not in text


def test_bad_inputs_are_one_line_errors(tmp_path: Path) -> None:
    missing = run("extract", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and missing.output == f"error: {tmp_path / 'nope.txt'}: no such file or directory\n"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("extract", str(empty))
    assert result.exit_code == 2 and result.output == f"error: {empty}: empty file\n"
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run("extract", str(binary))
    assert result.exit_code == 2 and result.output == f"error: {binary}: binary file, not text\n"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    result = run("extract", str(pdf))
    assert result.exit_code == 2 and result.output.count("error:") == 1, result.output


def test_batch_with_bad_files_processes_the_good_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Russia invaded Ukraine.")
    bad = tmp_path / "bad.txt"
    bad.write_text("")
    out = tmp_path / "out.trig"
    result = run("extract", str(good), str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert "bad.txt: empty file" in result.output and "1 documents extracted, 1 failed" in result.output
    assert "invaded" in out.read_text()


def test_unknown_output_extension_is_refused_before_any_work(tmp_path: Path) -> None:
    result = run("extract", str(SEED), "-o", str(tmp_path / "out.xyz"))
    assert result.exit_code == 2 and "unknown RDF extension" in result.output


def test_workers_give_the_same_output(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"d{i}.txt").write_text(f"Iran supplied drones to Russia in {2020 + i}. Turkey sanctioned Syria.")
    single = run("extract", str(corpus), "-o", str(tmp_path / "one.nq"))
    double = run("extract", str(corpus), "--workers", "2", "-o", str(tmp_path / "two.nq"))
    assert single.exit_code == double.exit_code == 0, double.output

    def triples(name: str) -> set[str]:
        return {line for line in (tmp_path / name).read_text().splitlines() if "generatedAtTime" not in line}

    assert triples("one.nq") == triples("two.nq")


def test_help_texts_describe_themselves() -> None:
    for args in (["--help"], ["neo4j", "--help"], ["status", "--help"], ["extract", "--help"], ["ingest", "--help"],
                 ["load", "--help"], ["export", "--help"]):
        result = run(*args)
        assert result.exit_code == 0 and "Usage:" in result.output and len(result.output) > 200, args


def test_console_script_runs() -> None:
    done = subprocess.run([str(Path(sys.executable).parent / "kg"), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and "kg" in done.stdout


@pytest.mark.large
def test_large_file_is_read_in_pieces_with_a_progress_bar(tmp_path: Path) -> None:
    from helpers import SAMPLES

    from kg.extract import SEGMENT_CHARS

    article = (SAMPLES / "sahel-security-shift.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text("\n\n".join([article] * (2 * SEGMENT_CHARS // len(article) + 1)), encoding="utf-8")
    out = tmp_path / "big.nq"
    result = run("extract", str(big), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "extracting" in result.output and "kB" in result.output, "a progress bar counts the text"
    assert "militaryAid" in out.read_text(encoding="utf-8")


def test_unreadable_file_is_a_one_line_error() -> None:
    """Run as an unprivileged user (root reads files whatever their mode)."""
    import shutil
    import subprocess
    import sys
    import tempfile

    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) runs the check as an unprivileged user"
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp).chmod(0o755)
        locked = Path(tmp) / "locked.txt"
        locked.write_text("Russia invaded Ukraine.")
        locked.chmod(0)
        cmd = [sys.executable, "-c", "from kg.cli import main; main()", "extract", str(locked)]
        if os.geteuid() == 0:
            cmd = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "HOME": tmp}, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "locked.txt: permission denied" in done.stderr and "Traceback" not in done.stderr
