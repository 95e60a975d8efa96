"""Reading input documents: plain text, Markdown and HTML, in whatever encoding they come in.

Every failure becomes a KgError naming the file and the reason, so a batch can list it and go on.

A document's identity is the path it was named by (a file under a named directory: that
directory as named, then its path inside), normalised; or an explicit id (`--id`, a corpus
record's `id`, stdin's content hash). Its IRI encodes the identity losslessly, so two different
files never share a document. Both engines read through here, so both give the same identities.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote

from kg.errors import KgError
from kg.resources import PACKAGE
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
    identity: str = ""
    skip: int = 0  # characters of front matter before the text (a file's; `text` has none)

    def __post_init__(self) -> None:
        if self.text is not None:
            object.__setattr__(self, "size", len(self.text))

    def chunks(self) -> Iterator[str]:
        """The text, in order, in pieces of about a megabyte."""
        if self.text is not None:
            yield self.text
        elif self.path is not None:
            skip = self.skip
            for chunk in decoded_chunks(self.path, self.encoding, "replace"):
                if skip:
                    chunk, skip = chunk[skip:], max(0, skip - len(chunk))
                if chunk:
                    yield chunk

    def read_text(self) -> str:
        return "".join(self.chunks())


def expand_paths(paths: list[str], skipped: list[str] | None = None) -> Iterator[Path | str]:
    """Files named, files under directories named (recursively, by suffix), or '-' for stdin.

    A directory's files of other types are not read; `skipped` receives one line per directory
    that had any, so the user hears of them."""
    for raw in paths:
        if raw == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            yield from (p for p in files if p.suffix.lower() in SUFFIXES)
            notice = unsupported_notice(path, files)
            if notice and skipped is not None:
                skipped.append(notice)
        else:
            yield path


def unsupported_notice(root: Path, files: list[Path]) -> str | None:
    """'feed: skipped 2 unsupported files: a.pdf, b.docx' for a directory's files kg cannot read
    (hidden files such as .DS_Store are not worth a word)."""
    names = [p.relative_to(root).as_posix() for p in files
             if p.suffix.lower() not in SUFFIXES and not p.name.startswith(".")]
    if not names:
        return None
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"{root}: skipped {len(names)} unsupported file{'s' if len(names) > 1 else ''}: {shown}"


def has_scheme(raw: str) -> bool:
    """Whether a path is a URL such as hdfs://... or s3a://... rather than a local path."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:/", raw))


def path_identity(name: str) -> str:
    """The identity of a file named `name`: the path normalised ('./feed//a.txt' is 'feed/a.txt'),
    relative to the working directory when it lies under it, with '/' separators; URLs as they are."""
    if has_scheme(name):
        return name
    path = os.path.normpath(name)
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        if not relative.startswith(".."):
            path = relative
    return Path(path).as_posix()


def document_iri(identity: str) -> str:
    """The document's IRI: its identity, each path segment percent-encoded. Readable
    ('doc/feed/2024-06-01/article.txt') and one-to-one, so different identities never meet."""
    segments = [quote(part, safe="-._~") for part in identity.split("/")]
    segments = [part.replace(".", "%2E") if part in (".", "..") else part for part in segments]
    return str(DOC["/".join(segments)])


def document_identity(iri: str) -> str:
    """The identity a document IRI encodes (`document_iri` undone); an IRI kg did not make (an old
    `urn:kg:graph:...`, another namespace) is its own identity."""
    if not iri.startswith(str(DOC)):
        return iri
    return unquote(iri.removeprefix(str(DOC)))


def stdin_identity(text: str) -> str:
    """Text piped in without --id is named by its content, so two different articles stay two."""
    return f"stdin-{_sha256(text)[:16]}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------------------------------
# Dates and a text's own metadata
# --------------------------------------------------------------------------------------------------


@cache
def _metadata_rules() -> dict:
    return json.loads((PACKAGE / "data" / "documents.json").read_text(encoding="utf-8"))


def iso_date(value: object) -> str | None:
    """A date as ISO 8601: '2024-06-12' when it has no time of day, else '2024-06-12T09:30:00+00:00'
    (a time without a zone is taken as UTC). None when there is none or it cannot be read."""
    from dateutil import parser

    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = str(value).strip()
        try:
            moment = parser.isoparse(text)
        except ValueError:
            try:
                moment = parser.parse(text)
            except (ValueError, OverflowError):
                return None
        if not re.search(r"\d:\d\d|T\d", text):
            return moment.date().isoformat()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


def published_option(value: str | None, option: str = "--published") -> str | None:
    """A date option (`--published`, `--since` ...) as ISO 8601; a value that is not a date is the
    user's mistake, said in one line."""
    if value is None:
        return None
    published = iso_date(value)
    if published is None:
        raise KgError(f"{option} {value!r}: not a date (use ISO 8601, such as 2024-06-12)")
    return published


@dataclass(frozen=True)
class TextMetadata:
    """What the top of a text says about itself."""

    skip: int = 0  # characters of front matter
    title: str | None = None
    published: str | None = None


def text_metadata(head: str) -> TextMetadata:
    """YAML front matter (title, date) and a dateline ('WARSAW, 12 June 2024 —') at the top of a text.

    Front matter is '---' on the first line, YAML, then '---' or '...'; it is not part of the text."""
    import yaml

    rules = _metadata_rules()
    skip, title, published = 0, None, None
    match = re.match(r"---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)", head, flags=re.S)
    if match:
        try:
            fields = yaml.safe_load(match.group(1) or "")
        except yaml.YAMLError:
            fields = None
        if isinstance(fields, dict):
            skip = match.end()
            keys = rules["front_matter"]
            published = next((iso_date(fields[k]) for k in keys["published"] if fields.get(k)), None)
            title = next((str(fields[k]).strip() for k in keys["title"] if fields.get(k)), None)
    if published is None:
        dateline = re.compile(rules["dateline"])
        lines = [line for line in head[skip:skip + 4096].splitlines() if line.strip()]
        for line in lines[: rules["dateline_lines"]]:
            found = dateline.match(line)
            if found and (published := iso_date(found["date"])):
                break
    return TextMetadata(skip, title, published)


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
                  published: str | None = None, metadata: bool = True) -> Document:
    """A text held in memory, identified by `name`. With `metadata`, its front matter is taken off
    and read, and a dateline dates it, unless `title` or `published` are given; the sha256 is the
    whole text's, as `read_document` hashes a file."""
    text = text.replace("\r\n", "\n")
    digest = _sha256(text)
    meta = text_metadata(text[:65_536]) if metadata else TextMetadata()
    text = text[meta.skip:]
    if not text.strip():
        raise KgError(f"{source}: no text to read")
    return Document(uri=document_iri(name), source=source, title=title or meta.title or _title(text), text=text,
                    sha256=digest, published=iso_date(published) or meta.published, identity=name)


def read_document(path: Path | str, identity: str | None = None) -> Document:
    """Read one file (or stdin for '-') into a Document, identified by `identity` if given, else by
    its path (stdin: by its content)."""
    if path == "-":
        text = decode(sys.stdin.buffer.read(), "<stdin>").replace("\r\n", "\n")
        return make_document(text, "<stdin>", identity or stdin_identity(text))
    path = Path(path)
    name = str(path)
    identity = identity or path_identity(name)
    if not path.exists():
        raise KgError(f"{name}: no such file or directory")
    if path.is_dir():
        raise KgError(f"{name}: is a directory")
    if not os.access(path, os.R_OK):
        raise KgError(f"{name}: permission denied")
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
        if _is_html(name, head):
            return _html_document(decode(path.read_bytes(), name), name, identity)
        if not head.strip() and path.stat().st_size <= len(head):
            raise KgError(f"{name}: empty file")
        return _scan(path, name, head, identity)
    except OSError as exc:
        raise KgError(f"{name}: cannot read ({exc.strerror})") from None


def document_from_bytes(data: bytes, source: str, identity: str | None = None) -> Document:
    """A file's bytes already in memory (as Spark's executors get them) as the Document that
    `read_document` makes of the file: same decoding, HTML handling, identity, IRI, title, date
    and sha256. `identity` defaults to the path's."""
    identity = identity or path_identity(source)
    text = decode(data, source)
    if _is_html(source, data[:HEAD_BYTES]):
        return _html_document(text, source, identity)
    return make_document(text, source, identity)


def _is_html(name: str, head: bytes) -> bool:
    return name.lower().endswith((".html", ".htm")) or _looks_like_html(head)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:15].lower()
    return start.startswith((b"<!doctype", b"<html"))


def _html_document(html: str, name: str, identity: str) -> Document:
    body, title, published = html_to_text(html)
    if not body.strip():
        raise KgError(f"{name}: no readable text in the HTML")
    return make_document(body, name, identity, title=title, published=published, metadata=False)


def _scan(path: Path, name: str, head: bytes, identity: str) -> Document:
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
        return _digest(path, name, bom or "utf-8", "strict", identity)
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    with path.open("rb") as f:
        best = from_bytes(f.read(DETECT_BYTES)).best()
    return _digest(path, name, best.encoding if best else "utf-8", "replace", identity)


def _digest(path: Path, name: str, encoding: str, errors: str, identity: str) -> Document:
    sha, size, head = hashlib.sha256(), 0, ""
    for chunk in decoded_chunks(path, encoding, errors):
        sha.update(chunk.encode("utf-8", "surrogatepass"))
        size += len(chunk)
        if len(head) < 65_536 and (head or chunk.strip()):
            head += chunk[:65_536]
    meta = text_metadata(head)
    body = head[meta.skip:]
    if not body.strip():
        raise KgError(f"{name}: no text to read")
    return Document(uri=document_iri(identity), source=name, title=meta.title or _title(body),
                    sha256=sha.hexdigest(), published=meta.published, path=path, encoding=encoding,
                    size=size - meta.skip, identity=identity, skip=meta.skip)
