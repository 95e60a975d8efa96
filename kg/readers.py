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
from kg.gazetteer import slug
from kg.vocabulary import DOC

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04", b"%PDF", b"\x1f\x8b", b"\x7fELF")


@dataclass(frozen=True)
class Document:
    """One input text, with what the graph records about it."""

    uri: str
    source: str
    title: str
    text: str
    sha256: str
    published: str | None = None


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


def make_document(text: str, source: str, name: str, title: str | None = None,
                  published: str | None = None) -> Document:
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise KgError(f"{source}: no text to read")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    title = title or re.sub(r"^#+\s*", "", first)[:200]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
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
        data = path.read_bytes()
    except OSError as exc:
        raise KgError(f"{name}: cannot read ({exc.strerror})") from None
    text = decode(data, name)
    if path.suffix.lower() in (".html", ".htm") or text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        body, title, date = html_to_text(text)
        if not body.strip():
            raise KgError(f"{name}: no readable text in the HTML")
        return make_document(body, name, path.stem, title=title, published=date)
    return make_document(text, name, path.stem)
