"""RDF quads -> the rows the Neo4j loader writes: documents, actors, evidence, claims, agreements, other
resources.

Vocabulary triples map to actors and typed relationships; anything else (third-party RDF) maps
the way neosemantics (n10s) does by default: rdf:type to labels, literals to properties, IRIs to
relationships, with names shortened to `prefix__local`.

Quads are plain Python values (see `Term`), so they can come from rdflib (extraction) or from
Oxigraph's much faster parsers (`kg load`) alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import KgError
from kg.vocabulary import ACTOR_CLASSES, KG, KG_URI, PROV, agreement_terms, node_id, relations


@dataclass(frozen=True)
class Lit:
    """An RDF literal as plain values."""

    value: str
    datatype: str | None = None
    language: str | None = None

    def python(self):
        kind = (self.datatype or "").rsplit("#", 1)[-1]
        try:
            if kind in ("integer", "int", "long", "short", "nonNegativeInteger"):
                return int(self.value)
            if kind in ("decimal", "double", "float"):
                return float(Decimal(self.value))
            if kind == "boolean":
                return self.value in ("true", "1")
        except (ValueError, ArithmeticError):
            pass
        return self.value


Term = str | Lit  # an IRI, a blank node ("_:id") or a literal
Quad = tuple[str, str, Term, str]  # subject, predicate, object, graph ("" for the default graph)

S_RDF_TYPE, S_LABEL, S_SAME_AS = str(RDF.type), str(RDFS.label), str(OWL.sameAs)
S_STATEMENT = str(RDF.Statement)
S_SUBJECT, S_PREDICATE, S_OBJECT = str(RDF.subject), str(RDF.predicate), str(RDF.object)
S_DOC, S_EVIDENCE, S_KG = str(KG.Document), str(KG.Evidence), str(KG)
S_AGREEMENT, S_AGREEMENT_EVENT = str(KG.Agreement), str(KG.AgreementEvent)
S_ALIAS = str(KG.alias)
S_KIND, S_OBLIGATION, S_ACRONYM = str(KG.kind), str(KG.obligation), str(KG.acronym)
S_OF_AGREEMENT, S_PARTY, S_STATUS, S_DATE = str(KG.agreement), str(KG.party), str(KG.status), str(KG.date)
S_SHA, S_MODALITY, S_HYPOTHETICAL = str(KG.sha256), str(KG.modality), str(KG.Hypothetical)
S_CUE, S_SOURCE = str(KG.cue), str(KG.source)
S_EV_SUBJECT, S_EV_PREDICATE, S_EV_OBJECT = str(KG.subject), str(KG.predicate), str(KG.object)
S_SENTENCE, S_START, S_END, S_RULE, S_CONFIDENCE = (str(KG.sentence), str(KG.start), str(KG.end), str(KG.rule),
                                                    str(KG.confidence))
S_DERIVED = str(PROV.wasDerivedFrom)
ACTOR_CLASS_IRIS = {str(KG[c]): c for c in ACTOR_CLASSES}
KG_OWN = {str(t) for t in (KG.subject, KG.predicate, KG.object, KG.modality, KG.cue, KG.source, KG.sentence,
                           KG.start, KG.end,
                           KG.rule, KG.confidence, KG.sha256, KG.alias, KG.evidence,
                           KG.kind, KG.obligation, KG.acronym, KG.agreement, KG.party, KG.status, KG.date,
                           KG.partyTo)}
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
    agreements: list[dict] = field(default_factory=list)  # what this document says of each agreement
    agreement_events: list[dict] = field(default_factory=list)


def rdflib_quads(ds: Dataset) -> Iterable[Quad]:
    """An rdflib Dataset as plain quads."""
    for s, p, o, g in ds.quads((None, None, None, None)):
        graph = "" if g is None or isinstance(g, BNode) or str(g).startswith("urn:x-rdflib:") else str(g)
        yield _rdflib_term(s), str(p), _rdflib_term(o), graph


def _rdflib_term(term) -> Term:
    if isinstance(term, Literal):
        return Lit(str(term), str(term.datatype) if term.datatype else None, term.language)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@lru_cache(maxsize=4096)
def _local(iri: str) -> str:
    return re.split(r"[#/]", iri.rstrip("/#"))[-1]


class Shortener:
    """n10s-style short names: a prefix per namespace, then '__', then the local name."""

    def __init__(self, prefixes: dict[str, str] | None = None) -> None:
        self.prefixes = {ns: prefix for prefix, ns in (prefixes or {}).items() if prefix}

    def __call__(self, iri: str) -> str:
        local = _local(iri)
        namespace = iri[: len(iri) - len(local)]
        if namespace not in self.prefixes:
            self.prefixes[namespace] = f"ns{len(self.prefixes)}"
        return SAFE_NAME.sub("_", f"{self.prefixes[namespace]}__{local}")


class _Graph:
    """One named graph indexed by subject, with the few look-ups the mapping needs."""

    def __init__(self) -> None:
        self.by_subject: dict[str, list[tuple[str, Term]]] = {}
        self.by_type: dict[str, list[str]] = {}

    def add(self, s: str, p: str, o: Term) -> None:
        pos = self.by_subject.get(s)
        if pos is None:
            pos = self.by_subject[s] = []
        pos.append((p, o))
        if p == S_RDF_TYPE and isinstance(o, str):
            self.by_type.setdefault(o, []).append(s)

    def value(self, s: str, p: str) -> Term | None:
        return next((o for pred, o in self.by_subject.get(s, ()) if pred == p), None)

    def values(self, s: str, p: str) -> list[Term]:
        return [o for pred, o in self.by_subject.get(s, ()) if pred == p]

    def typed(self, cls: str) -> list[str]:
        return list(dict.fromkeys(self.by_type.get(cls, ())))


def quad_rows(quads: Iterable[Quad], default_graph: str = "", prefixes: dict[str, str] | None = None,
              source: str | None = None) -> Iterator[DocumentRows]:
    """One DocumentRows per graph, built lazily; kg: relation names outside the ontology are an error
    (raised before the first row). A graph that names no kg:Document is a document itself: the
    default graph's IRI is `default_graph` (`kg load` gives the file's), and its source `source`."""
    vocab = relations()
    graphs: dict[str, _Graph] = {}
    seen_predicates: set[str] = set()
    for s, p, o, g in quads:
        seen_predicates.add(p)
        graph = graphs.get(g)
        if graph is None:
            graph = graphs[g] = _Graph()
        graph.add(s, p, o)
    unknown = {_local(p) for p in seen_predicates if p.startswith(S_KG) and p not in KG_OWN} - set(vocab)
    if unknown:
        raise KgError(f"relations outside the ontology: {', '.join(sorted(unknown))}")
    shorten = Shortener(prefixes)
    return (_graph_rows(name, graph, vocab, shorten, default_graph, source) for name, graph in graphs.items()
            if graph.by_subject)


def dataset_rows(ds: Dataset) -> list[DocumentRows]:
    return list(quad_rows(rdflib_quads(ds), prefixes={p: str(n) for p, n in ds.namespaces()}))


def _text(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, Lit) else term


def _graph_rows(name: str, graph: _Graph, vocab, shorten: Shortener, default_graph: str,
                source: str | None) -> DocumentRows:
    docs = graph.typed(S_DOC)
    doc_uri = docs[0] if docs else (name or default_graph or f"urn:kg:graph:{node_id(len(graph.by_subject))}")
    rows = DocumentRows(uri=doc_uri, source=None if docs else source)
    if docs:
        d = docs[0]
        rows.title = _text(graph.value(d, S_LABEL))
        rows.sha256 = _text(graph.value(d, S_SHA))
        rows.source = _text(graph.value(d, str(DCTERMS.source)))
        rows.published = _text(graph.value(d, str(DCTERMS.issued)))
    for cls_iri, cls in ACTOR_CLASS_IRIS.items():
        for node in graph.typed(cls_iri):
            _add_actor(rows, graph, node, cls)
    evidenced: set[tuple[str, str, str]] = set()
    reified = set(graph.typed(S_EVIDENCE)) | set(graph.typed(S_STATEMENT)) | set(graph.typed(S_AGREEMENT)) \
        | set(graph.typed(S_AGREEMENT_EVENT))
    for ev in graph.typed(S_EVIDENCE):
        s, p, o = (graph.value(ev, x) for x in (S_EV_SUBJECT, S_EV_PREDICATE, S_EV_OBJECT))
        if isinstance(s, str) and isinstance(p, str) and isinstance(o, str) and _local(p) in vocab:
            row = _evidence_row(graph, ev, s, _local(p), o, vocab)
            rows.evidence.append(row)
            evidenced.add((row["subject"], row["relation"], row["object"]))
    _add_agreements(rows, graph)
    for st in graph.typed(S_STATEMENT):
        s, p, o = (graph.value(st, x) for x in (S_SUBJECT, S_PREDICATE, S_OBJECT))
        if isinstance(s, str) and isinstance(p, str) and isinstance(o, str) and _local(p) in vocab:
            row = _evidence_row(graph, st, s, _local(p), o, vocab)
            row["modality"] = _local(_text(graph.value(st, S_MODALITY)) or S_HYPOTHETICAL).lower()
            row["cue"] = _text(graph.value(st, S_CUE))
            source = graph.value(st, S_SOURCE)
            row["source"] = source if isinstance(source, str) else None
            rows.claims.append(row)
    for s, pos in graph.by_subject.items():
        for p, o in pos:
            name = _local(p)
            if p.startswith(S_KG) and name in vocab:
                if not isinstance(o, str):
                    continue
                key = _oriented(s, name, o, vocab)
                if key not in evidenced:
                    evidenced.add(key)
                    rows.evidence.append({
                        "uri": f"urn:kg:evidence:{node_id(doc_uri, *key)}", "subject": key[0], "relation": name,
                        "object": key[2], "sentence": None, "start": None, "end": None, "rule": "rdf",
                        "confidence": 1.0,
                    })
                for node in (s, o):
                    rows.actors.setdefault(node, {"uri": node, "name": _local(node), "cls": None,
                                                  "wikidata": None, "aliases": []})
            elif s not in reified and s not in docs and s not in rows.actors and not p.startswith(S_KG):
                _third_party(rows, s, p, o, shorten)
    return rows


def _add_actor(rows: DocumentRows, graph: _Graph, node: str, cls: str) -> None:
    pos = graph.by_subject.get(node, ())
    wikidata = next((o for p, o in pos if p == S_SAME_AS and isinstance(o, str) and "wikidata.org" in o), None)
    rows.actors[node] = {
        "uri": node, "name": _text(graph.value(node, S_LABEL)) or _local(node), "cls": cls,
        "wikidata": wikidata.rsplit("/", 1)[-1] if wikidata else None,
        "aliases": sorted(_text(a) for a in graph.values(node, S_ALIAS)),
    }


def _oriented(s: str, rel: str, o: str, vocab) -> tuple[str, str, str]:
    """Symmetric relations are stored once per pair, subject IRI first in sort order."""
    return (o, rel, s) if vocab[rel].symmetric and o < s else (s, rel, o)


def _evidence_row(graph: _Graph, node: str, s: str, rel: str, o: str, vocab) -> dict:
    s, rel, o = _oriented(s, rel, o, vocab)
    return {"uri": node, "subject": s, "relation": rel, "object": o, **_provenance(graph, node)}


def _provenance(graph: _Graph, node: str) -> dict:
    """An evidence node's sentence, offsets, rule, confidence and document."""
    props: dict[str, Term] = {}
    for p, value in graph.by_subject.get(node, ()):
        props.setdefault(p, value)
    confidence, start, end = props.get(S_CONFIDENCE), props.get(S_START), props.get(S_END)
    return {
        "sentence": _text(props.get(S_SENTENCE)),
        "start": start.python() if isinstance(start, Lit) else None,
        "end": end.python() if isinstance(end, Lit) else None,
        "rule": _text(props.get(S_RULE)),
        "confidence": float(confidence.python()) if isinstance(confidence, Lit) else 1.0,
        "document": _text(props.get(S_DERIVED)),
    }


@lru_cache(maxsize=1)
def _agreement_labels() -> tuple[dict[str, str], dict[str, bool]]:
    """Labels of the ontology's agreement kinds, obligations and statuses by IRI, and what each status binds."""
    terms = agreement_terms()
    return ({KG_URI + k: v for k, v in {**terms.kinds, **terms.obligations, **terms.statuses}.items()},
            {KG_URI + k: v for k, v in terms.binds.items()})


def _term_label(term: Term | None) -> str | None:
    """An agreement kind, obligation or status by its ontology label ('defence pact'); else its local name."""
    if not isinstance(term, str):
        return _text(term)
    return _agreement_labels()[0].get(term) or _local(term)


def _add_agreements(rows: DocumentRows, graph: _Graph) -> None:
    """What the graph says of agreements: one row per agreement (name, kind, acronym, obligations as labels)
    and one per kg:AgreementEvent, its status with whether it binds the party (the ontology's kg:binds).
    An agreement only events name gets a row named by its IRI; a party no triple types is a bare actor."""
    binds = _agreement_labels()[1]
    described: dict[str, dict] = {}
    for node in graph.typed(S_AGREEMENT):
        described[node] = {
            "uri": f"urn:kg:agreement-mention:{node_id(rows.uri, node)}", "agreement": node,
            "name": _text(graph.value(node, S_LABEL)) or _local(node),
            "kind": _term_label(graph.value(node, S_KIND)), "acronym": _text(graph.value(node, S_ACRONYM)),
            "obligations": sorted({label for o in graph.values(node, S_OBLIGATION) if (label := _term_label(o))}),
        }
    for ev in graph.typed(S_AGREEMENT_EVENT):
        agreement, party, status = (graph.value(ev, p) for p in (S_OF_AGREEMENT, S_PARTY, S_STATUS))
        if not isinstance(agreement, str) or status is None:
            continue
        if agreement not in described:
            described[agreement] = {"uri": f"urn:kg:agreement-mention:{node_id(rows.uri, agreement)}",
                                    "agreement": agreement, "name": _local(agreement), "kind": None,
                                    "acronym": None, "obligations": []}
        party = party if isinstance(party, str) else None
        if party is not None:
            rows.actors.setdefault(party, {"uri": party, "name": _local(party), "cls": None, "wikidata": None,
                                           "aliases": []})
        rows.agreement_events.append({
            "uri": ev, **_provenance(graph, ev), "agreement": agreement, "party": party, "status": _term_label(status),
            "binds": binds.get(status) if isinstance(status, str) else None, "date": _text(graph.value(ev, S_DATE)),
        })
    rows.agreements.extend(described.values())


def _third_party(rows: DocumentRows, s: str, p: str, o: Term, shorten: Shortener) -> None:
    if s.startswith("_:"):
        return
    res = rows.resources.setdefault(s, {"uri": s, "labels": [], "props": {}})
    if p == S_RDF_TYPE and isinstance(o, str):
        res["labels"].append(shorten(o))
    elif isinstance(o, Lit):
        key, value = shorten(p), o.python()
        props = res["props"]
        if key not in props:
            props[key] = value
        else:
            props[key] = (props[key] if isinstance(props[key], list) else [props[key]]) + [value]
    elif not o.startswith("_:"):
        rows.resources.setdefault(o, {"uri": o, "labels": [], "props": {}})
        rows.links.append({"from": s, "type": shorten(p), "to": o})


__all__ = ["DocumentRows", "Lit", "Quad", "dataset_rows", "quad_rows", "rdflib_quads", "URIRef"]
