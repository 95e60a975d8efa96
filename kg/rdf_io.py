"""Reading and writing RDF files in the format their extension (or the user) names."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.util import guess_format

from kg.errors import KgError

WRITE_FORMATS = {".trig": "trig", ".nq": "nquads", ".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld",
                 ".nt": "nt", ".rdf": "xml", ".xml": "xml", ".n3": "n3"}
QUAD_FORMATS = {"trig", "nquads", "json-ld", "trix"}


def output_format(path: str | None, fmt: str | None) -> str:
    if fmt:
        return fmt
    if path and path != "-":
        suffix = Path(path).suffix.lower()
        if suffix not in WRITE_FORMATS:
            raise KgError(f"{path}: unknown RDF extension {suffix!r}; use --format")
        return WRITE_FORMATS[suffix]
    return "trig"


def write_dataset(ds: Dataset, path: str | None, fmt: str | None = None) -> None:
    """Write to a file (atomically: a failure leaves no half file) or to stdout."""
    fmt = output_format(path, fmt)
    target: Graph = ds
    if fmt not in QUAD_FORMATS:
        target = Graph()
        for prefix, ns in ds.namespaces():
            target.bind(prefix, ns)
        for s, p, o, _ in ds.quads((None, None, None, None)):
            target.add((s, p, o))
    data = target.serialize(format=fmt)
    if not path or path == "-":
        sys.stdout.write(data)
        return
    out = Path(path)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(data, encoding="utf-8")
    tmp.replace(out)


def read_rdf(path: str, fmt: str | None = None) -> Dataset:
    """Parse any RDF file rdflib knows into a Dataset; a syntax error is a one-line KgError."""
    file = Path(path)
    if not file.is_file():
        raise KgError(f"{path}: no such file")
    fmt = fmt or guess_format(path) or "turtle"
    ds = Dataset()
    try:
        ds.parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: not valid {fmt}: {reason}") from None
    return ds
