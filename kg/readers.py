"""Reading input documents: plain text, Markdown and HTML, in whatever encoding they come in.

Every failure becomes a KgError naming the file and the reason, so a batch can list it and go on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.nlp.gazetteer import slug
from kg.vocabulary import DOC

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"%PDF", b"\x1f\x8b", b"\x7fELF")


CHUNK_BYTES = 1 << 20  # read at a time
HEAD_BYTES = 1 << 16  # looked at to tell binary, HTML and BOMs
DETECT_BYTES = 4 << 20  # given to the encoding detector


@dataclass(frozen=True)
class Document:
    """One input text, with what the graph records about it.

    Text from a file is not kept: `chunks()` reads it again, a megabyte at a time, so a document
    of any size costs bounded memory. Text from elsewhere (strings, stdin, HTML) is held in `text`.
    """

    uri: str
    source: str
    title: str
    sha256: str
    text: str | None = None
    published: str | None = None
    path: Path | None = None
    encoding: str = "utf-8"
    size: int = 0  # characters

    def __post_init__(self) -> None:
        if self.text is not None:
            object.__setattr__(self, "size", len(self.text))

    def chunks(self) -> Iterator[str]:
        """The text, in order, in pieces of about a megabyte."""
        if self.text is not None:
            yield self.text
        elif self.path is not None:
            yield from decoded_chunks(self.path, self.encoding, "replace")

    def read_text(self) -> str:
        return "".join(self.chunks())


def expand_paths(paths: list[str]) -> Iterator[Path | str]:
    """Files named, files under directories named (recursively, by suffix), or '-' for stdin."""
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        else:
            yield path


def decode(data: bytes, name: str) -> str:
    """Bytes to text: BOMs honoured, UTF-8 preferred, then a detected legacy encoding."""
    if not data.strip():
        raise KgError(f"{name}: empty file")
    if data.startswith(BINARY_SIGNATURES):
        raise KgError(f"{name}: binary file, not text")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    if b"\x00" in data[:4096]:
        raise KgError(f"{name}: binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return data.decode("utf-8", errors="replace")
    return str(best)


def html_to_text(html: str) -> tuple[str, str | None, str | None]:
    """Main text of an HTML page without boilerplate, scripts or styles; with its title and date."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta else None
    date = meta.date if meta else None
    return text, title, date


def decoded_chunks(path: Path, encoding: str, errors: str = "strict") -> Iterator[str]:
    """A file's text a block at a time, with '\r\n' as '\n' even across block boundaries."""
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    carry = ""
    with path.open("rb") as f:
        while True:
            block = f.read(CHUNK_BYTES)
            chunk = carry + decoder.decode(block, final=not block)
            carry = ""
            if block and chunk.endswith("\r"):
                chunk, carry = chunk[:-1], "\r"
            if chunk:
                yield chunk.replace("\r\n", "\n")
            if not block:
                return


def _title(head: str) -> str:
    first = next((line.strip() for line in head.splitlines() if line.strip()), "")
    return re.sub(r"^#+\s*", "", first)[:200]


def make_document(text: str, source: str, name: str, title: str | None = None,
                  published: str | None = None) -> Document:
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise KgError(f"{source}: no text to read")
    title = title or _title(text)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Document(uri=str(DOC[slug(name)]), source=source, title=title, text=text, sha256=digest,
                    published=published)


def read_document(path: Path | str) -> Document:
    """Read one file (or stdin for '-') into a Document."""
    if path == "-":
        return make_document(decode(sys.stdin.buffer.read(), "<stdin>"), "<stdin>", "stdin")
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise KgError(f"{name}: no such file or directory")
    if not os.access(path, os.R_OK):
        raise KgError(f"{name}: permission denied")
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
        if _is_html(name, head):
            return _html_document(decode(path.read_bytes(), name), name, path.stem)
        if not head.strip() and path.stat().st_size <= len(head):
            raise KgError(f"{name}: empty file")
        return _scan(path, name, head)
    except OSError as exc:
        raise KgError(f"{name}: cannot read ({exc.strerror})") from None


def document_from_bytes(data: bytes, source: str) -> Document:
    """A file's bytes already in memory (as Spark's executors get them) as the Document that
    `read_document` makes of the file: same decoding, HTML handling, IRI, title and sha256."""
    stem = Path(source.rsplit("/", 1)[-1]).stem
    text = decode(data, source)
    if _is_html(source, data[:HEAD_BYTES]):
        return _html_document(text, source, stem)
    return make_document(text, source, stem)


def _is_html(name: str, head: bytes) -> bool:
    return name.lower().endswith((".html", ".htm")) or _looks_like_html(head)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:15].lower()
    return start.startswith((b"<!doctype", b"<html"))


def _html_document(html: str, name: str, stem: str) -> Document:
    body, title, date = html_to_text(html)
    if not body.strip():
        raise KgError(f"{name}: no readable text in the HTML")
    return make_document(body, name, stem, title=title, published=date)


def _scan(path: Path, name: str, head: bytes) -> Document:
    """Check, decode and hash a text file in one streaming pass, keeping only its metadata.

    The encoding is the BOM's, else UTF-8, else (when UTF-8 fails anywhere) the one detected in
    the first megabytes, decoding whatever does not fit as U+FFFD.
    """
    if head.startswith(BINARY_SIGNATURES):
        raise KgError(f"{name}: binary file, not text")
    bom = next((enc for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                                     (codecs.BOM_UTF16_BE, "utf-16")) if head.startswith(bom)), None)
    if bom is None and b"\x00" in head[:4096]:
        raise KgError(f"{name}: binary file, not text")
    try:
        return _digest(path, name, bom or "utf-8", "strict")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    with path.open("rb") as f:
        best = from_bytes(f.read(DETECT_BYTES)).best()
    return _digest(path, name, best.encoding if best else "utf-8", "replace")


def _digest(path: Path, name: str, encoding: str, errors: str) -> Document:
    sha, size, head = hashlib.sha256(), 0, ""
    for chunk in decoded_chunks(path, encoding, errors):
        sha.update(chunk.encode("utf-8", "surrogatepass"))
        size += len(chunk)
        if len(head) < 65_536 and (head or chunk.strip()):
            head += chunk[:65_536]
    if not head.strip():
        raise KgError(f"{name}: no text to read")
    return Document(uri=str(DOC[slug(path.stem)]), source=name, title=_title(head), sha256=sha.hexdigest(),
                    path=path, encoding=encoding, size=size)
