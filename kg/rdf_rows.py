"""RDF -> the rows the Neo4j loader writes: documents, actors, evidence, claims, other resources.

Vocabulary triples map to actors and typed relationships; anything else (third-party RDF) maps
the way neosemantics (n10s) does by default: rdf:type to labels, literals to properties, IRIs to
relationships, with names shortened to `prefix__local`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import KgError
from kg.vocabulary import ACTOR_CLASSES, KG, PROV, relations

ACTOR_CLASS_IRIS = {KG[c]: c for c in ACTOR_CLASSES}
KG_OWN = {KG.subject, KG.predicate, KG.object, KG.modality, KG.sentence, KG.start, KG.end, KG.rule,
          KG.confidence, KG.sha256, KG.alias, KG.evidence}
SAFE_NAME = re.compile(r"[^A-Za-z0-9_]")


@dataclass
class DocumentRows:
    """Everything one document (one named graph) contributes to the graph."""

    uri: str
    title: str | None = None
    sha256: str | None = None
    source: str | None = None
    published: str | None = None
    actors: dict[str, dict] = field(default_factory=dict)
    evidence: list[dict] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    resources: dict[str, dict] = field(default_factory=dict)
    links: list[dict] = field(default_factory=list)


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def _literal(value: Literal):
    python = value.toPython()
    return python if isinstance(python, str | int | float | bool) else str(value)


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


class Shortener:
    """n10s-style short names: a prefix per namespace, then '__', then the local name."""

    def __init__(self, ds: Dataset) -> None:
        self.prefixes = {str(ns): prefix for prefix, ns in ds.namespaces() if prefix}

    def __call__(self, iri: str) -> str:
        local = _local(iri)
        namespace = iri[: len(iri) - len(local)]
        if namespace not in self.prefixes:
            self.prefixes[namespace] = f"ns{len(self.prefixes)}"
        return SAFE_NAME.sub("_", f"{self.prefixes[namespace]}__{local}")


def dataset_rows(ds: Dataset, sha256: str | None = None) -> list[DocumentRows]:
    """One DocumentRows per non-empty graph; unknown kg: relation names are an error."""
    vocab = relations()
    unknown = sorted({_local(str(p)) for _, p, _, _ in ds.quads((None, None, None, None))
                      if str(p).startswith(str(KG)) and URIRef(p) not in KG_OWN and _local(str(p)) not in vocab})
    if unknown:
        raise KgError(f"relations outside the ontology: {', '.join(unknown)}")
    shorten = Shortener(ds)
    out = []
    for graph in ds.graphs():
        if len(graph) == 0:
            continue
        out.append(_graph_rows(graph, vocab, shorten, sha256))
    return out


def _graph_rows(graph, vocab, shorten: Shortener, sha256: str | None) -> DocumentRows:
    docs = list(graph.subjects(RDF.type, KG.Document))
    doc_uri = str(docs[0]) if docs else str(graph.identifier)
    if isinstance(graph.identifier, BNode) or str(graph.identifier).startswith("urn:x-rdflib:"):
        doc_uri = str(docs[0]) if docs else f"urn:kg:graph:{sha256 or _hash(len(graph))}"
    rows = DocumentRows(uri=doc_uri)
    if docs:
        d = docs[0]
        rows.title = _str(graph.value(d, RDFS.label))
        rows.sha256 = _str(graph.value(d, KG.sha256))
        rows.source = _str(graph.value(d, DCTERMS.source))
        rows.published = _str(graph.value(d, DCTERMS.issued))
    rows.sha256 = rows.sha256 or sha256
    for node, cls_iri in ((s, o) for s, o in graph.subject_objects(RDF.type) if o in ACTOR_CLASS_IRIS):
        wikidata = next((str(o) for o in graph.objects(node, OWL.sameAs) if "wikidata.org" in str(o)), None)
        rows.actors[str(node)] = {
            "uri": str(node),
            "name": _str(graph.value(node, RDFS.label)) or _local(str(node)),
            "cls": ACTOR_CLASS_IRIS[cls_iri],
            "wikidata": wikidata.rsplit("/", 1)[-1] if wikidata else None,
            "aliases": sorted(str(a) for a in graph.objects(node, KG.alias)),
        }
    evidenced: set[tuple[str, str, str]] = set()
    for ev in graph.subjects(RDF.type, KG.Evidence):
        s, p, o = graph.value(ev, KG.subject), graph.value(ev, KG.predicate), graph.value(ev, KG.object)
        if s is None or p is None or o is None:
            continue
        row = _evidence_row(graph, ev, str(s), _local(str(p)), str(o), vocab)
        rows.evidence.append(row)
        evidenced.add((row["subject"], row["relation"], row["object"]))
    for st in graph.subjects(RDF.type, RDF.Statement):
        s, p, o = graph.value(st, RDF.subject), graph.value(st, RDF.predicate), graph.value(st, RDF.object)
        if s is None or p is None or o is None or _local(str(p)) not in vocab:
            continue
        row = _evidence_row(graph, st, str(s), _local(str(p)), str(o), vocab)
        row["modality"] = _local(str(graph.value(st, KG.modality) or KG.Hypothetical)).lower()
        rows.claims.append(row)
    reified = set(graph.subjects(RDF.type, RDF.Statement)) | set(graph.subjects(RDF.type, KG.Evidence))
    for s, p, o in graph:
        name = _local(str(p))
        if str(p).startswith(str(KG)) and name in vocab:
            key = _oriented(str(s), name, str(o), vocab)
            if key not in evidenced:
                evidenced.add(key)
                rows.evidence.append({
                    "uri": f"urn:kg:evidence:{_hash(doc_uri, *key)}", "subject": key[0], "relation": name,
                    "object": key[2], "sentence": None, "start": None, "end": None, "rule": "rdf",
                    "confidence": 1.0,
                })
            for node in (s, o):
                rows.actors.setdefault(str(node), {"uri": str(node), "name": _local(str(node)), "cls": None,
                                                   "wikidata": None, "aliases": []})
        elif s not in reified and s not in docs and str(s) not in rows.actors and not str(p).startswith(str(KG)):
            _third_party(rows, s, p, o, shorten)
    return rows


def _oriented(s: str, rel: str, o: str, vocab) -> tuple[str, str, str]:
    """Symmetric relations are stored once per pair, subject IRI first in sort order."""
    return (o, rel, s) if vocab[rel].symmetric and o < s else (s, rel, o)


def _evidence_row(graph, node, s: str, rel: str, o: str, vocab) -> dict:
    s, rel, o = _oriented(s, rel, o, vocab)
    confidence = graph.value(node, KG.confidence)
    return {
        "uri": str(node), "subject": s, "relation": rel, "object": o,
        "sentence": _str(graph.value(node, KG.sentence)),
        "start": _int(graph.value(node, KG.start)), "end": _int(graph.value(node, KG.end)),
        "rule": _str(graph.value(node, KG.rule)),
        "confidence": float(confidence) if confidence is not None else 1.0,
        "document": _str(graph.value(node, PROV.wasDerivedFrom)),
    }


def _third_party(rows: DocumentRows, s, p, o, shorten: Shortener) -> None:
    if isinstance(s, BNode):
        return
    res = rows.resources.setdefault(str(s), {"uri": str(s), "labels": [], "props": {}})
    if p == RDF.type and isinstance(o, URIRef):
        res["labels"].append(shorten(str(o)))
    elif isinstance(o, Literal):
        key = shorten(str(p))
        props = res["props"]
        props[key] = props[key] + [_literal(o)] if key in props and isinstance(props[key], list) else (
            [props[key], _literal(o)] if key in props else _literal(o))
    elif isinstance(o, URIRef):
        rows.resources.setdefault(str(o), {"uri": str(o), "labels": [], "props": {}})
        rows.links.append({"from": str(s), "type": shorten(str(p)), "to": str(o)})


def _str(value) -> str | None:
    return str(value) if value is not None else None


def _int(value) -> int | None:
    return int(value) if value is not None else None
