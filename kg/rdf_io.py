"""Reading and writing RDF files in the format their extension (or the user) names."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Dataset, Graph

from kg.errors import KgError
from kg.rdf_rows import Lit, Quad, Term

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


OX_FORMATS = {"turtle": "TURTLE", "ttl": "TURTLE", "trig": "TRIG", "nquads": "N_QUADS", "nq": "N_QUADS",
              "nt": "N_TRIPLES", "ntriples": "N_TRIPLES", "json-ld": "JSON_LD", "jsonld": "JSON_LD",
              "xml": "RDF_XML", "rdf": "RDF_XML", "owl": "RDF_XML", "n3": "N3"}


def _ox_format(path: str, fmt: str | None):
    import pyoxigraph as ox

    if fmt:
        name = OX_FORMATS.get(fmt.lower())
        if name is None:
            raise KgError(f"{path}: unknown RDF format {fmt!r} (one of: {', '.join(sorted(OX_FORMATS))})")
        return getattr(ox.RdfFormat, name)
    suffix = Path(path).suffix.lower().lstrip(".")
    found = ox.RdfFormat.from_extension(suffix) if suffix else None
    if found is None:
        raise KgError(f"{path}: cannot tell the RDF format from {suffix!r}; use --format")
    return found


def read_quads(path: str, fmt: str | None = None) -> tuple[list[Quad], dict[str, str]]:
    """Parse any RDF file with Oxigraph's parsers (fast, streaming) into plain quads and its prefixes.

    A syntax error is a one-line KgError naming the file and the place.
    """
    import pyoxigraph as ox

    file = Path(path)
    if not file.is_file():
        raise KgError(f"{path}: no such file")
    rdf_format = _ox_format(path, fmt)
    quads: list[Quad] = []
    named, literal, blank = ox.NamedNode, ox.Literal, ox.BlankNode

    def term(t) -> Term:
        if type(t) is named:
            return t.value
        if type(t) is literal:
            return Lit(t.value, t.datatype.value if t.datatype else None, t.language)
        return f"_:{t.value}" if type(t) is blank else t.value

    try:
        parser = ox.parse(path=str(file), format=rdf_format, base_iri=file.resolve().as_uri())
        for q in parser:
            g = q.graph_name
            quads.append((term(q.subject), q.predicate.value, term(q.object), g.value if type(g) is named else ""))
        prefixes = dict(getattr(parser, "prefixes", {}) or {})
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise KgError(f"{path}: not valid {rdf_format}: {reason}") from None
    except OSError as exc:
        raise KgError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return quads, prefixes
