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
from typing import NamedTuple

from rdflib import OWL, RDF, RDFS, BNode, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import KgError
from kg.vocabulary import ACTOR_CLASSES, KG, KG_URI, PROV, agreement_terms, node_id, relations


class Lit(NamedTuple):
    """An RDF literal as plain values (a tuple: cheap to make by the million and to spool)."""

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
S_KIND, S_OBLIGATION, S_ACRONYM = str(KG.kind), str(KG.obligation), str(KG.acronym)
S_OF_AGREEMENT, S_PARTY, S_STATUS, S_DATE = str(KG.agreement), str(KG.party), str(KG.status), str(KG.date)
S_ALIAS = str(KG.alias)
S_SHA, S_MODALITY, S_HYPOTHETICAL = str(KG.sha256), str(KG.modality), str(KG.Hypothetical)
S_CUE, S_SOURCE = str(KG.cue), str(KG.source)
S_EV_SUBJECT, S_EV_PREDICATE, S_EV_OBJECT = str(KG.subject), str(KG.predicate), str(KG.object)
S_SENTENCE, S_START, S_END, S_RULE, S_CONFIDENCE = (str(KG.sentence), str(KG.start), str(KG.end), str(KG.rule),
                                                    str(KG.confidence))
S_DERIVED = str(PROV.wasDerivedFrom)
S_DCT_SOURCE, S_ISSUED = str(DCTERMS.source), str(DCTERMS.issued)
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


def check_predicates(predicates: Iterable[str]) -> None:
    """kg: relation names outside the ontology are an error, raised before anything is written."""
    unknown = {_local(p) for p in predicates if p.startswith(S_KG) and p not in KG_OWN} - set(relations())
    if unknown:
        raise KgError(f"relations outside the ontology: {', '.join(sorted(unknown))}")


class GraphMapper:
    """One graph's rows, built a subject at a time from all of that subject's triples in the graph.

    Nothing here needs the whole graph, so `kg load` can feed subjects in sorted order from disk
    (`kg.rdf.stream`). What does span subjects is handed back to the caller: the relation keys of
    reified evidence (`evidenced`) and of plain vocabulary triples (`plain`); a plain triple becomes
    evidence of its own (`synthetic`) only when no reified evidence of the graph has its key.
    `rows` is the part built so far; `take()` hands it over and starts the next (same document).
    """

    def __init__(self, uri: str, doc_node: str | None, source: str | None, shorten: Shortener) -> None:
        self.doc_node, self.shorten, self.vocab = doc_node, shorten, relations()
        self.header = DocumentRows(uri=uri, source=source)
        self.rows = DocumentRows(uri=uri)
        self.evidenced: list[tuple[str, str, str]] = []
        self.plain: list[tuple[str, str, str]] = []
        self.described: set[str] = set()  # agreements the graph describes
        self.named: set[str] = set()  # agreements its events name

    def take(self) -> DocumentRows:
        rows, self.rows = self.rows, DocumentRows(uri=self.header.uri)
        return rows

    def size(self) -> int:
        rows = self.rows
        return len(rows.evidence) + len(rows.claims) + len(rows.resources) + len(rows.links) + len(rows.actors) \
            + len(rows.agreements) + len(rows.agreement_events)

    def finish(self, rows: DocumentRows) -> DocumentRows:
        """`rows` with the document's metadata, known once every subject has been seen."""
        header = self.header
        rows.title, rows.sha256, rows.source, rows.published = (header.title, header.sha256, header.source,
                                                                header.published)
        return rows

    def subject(self, s: str, pos: list[tuple[str, Term]]) -> None:
        """Map one subject, given every (predicate, object) it has in the graph."""
        vocab, rows = self.vocab, self.rows
        types = {o for p, o in pos if p == S_RDF_TYPE and isinstance(o, str)}
        if s == self.doc_node:
            values = dict(reversed(pos))  # the first value of each predicate
            header = self.header
            header.title, header.sha256 = _text(values.get(S_LABEL)), _text(values.get(S_SHA))
            header.source, header.published = _text(values.get(S_DCT_SOURCE)), _text(values.get(S_ISSUED))
        cls = next((c for iri, c in ACTOR_CLASS_IRIS.items() if iri in types), None)
        if cls:
            self._actor(s, pos, cls)
        reified = S_EVIDENCE in types or S_STATEMENT in types
        if reified:
            self._reified(s, pos, S_EVIDENCE in types, S_STATEMENT in types)
        if S_AGREEMENT in types:
            self._agreement(s, pos)
        if S_AGREEMENT_EVENT in types:
            self._agreement_event(s, pos)
        reified = reified or S_AGREEMENT in types or S_AGREEMENT_EVENT in types
        relation = _relation_of
        actor = cls is not None or any(relation(p) for p, _ in pos)
        for p, o in pos:
            if p.startswith(S_KG):
                name = relation(p)
                if name and isinstance(o, str):
                    self.plain.append(_oriented(s, name, o, vocab))
                    self._untyped(s)
                    self._untyped(o)
            elif not reified and not actor and s != self.doc_node:
                _third_party(rows, s, p, o, self.shorten)

    def synthetic(self, key: tuple[str, str, str]) -> None:
        """Evidence of a plain vocabulary triple that no reified evidence of the graph stands for."""
        self.rows.evidence.append({
            "uri": f"urn:kg:evidence:{node_id(self.header.uri, *key)}", "subject": key[0], "relation": key[1],
            "object": key[2], "sentence": None, "start": None, "end": None, "rule": "rdf", "confidence": 1.0,
        })
        self._untyped(key[0])
        self._untyped(key[2])

    def undescribed(self) -> None:
        """A row for each agreement the graph's events name but no triple describes (named by its IRI)."""
        for node in sorted(self.named - self.described):
            self.rows.agreements.append({"uri": f"urn:kg:agreement-mention:{node_id(self.header.uri, node)}",
                                         "agreement": node, "name": _local(node), "kind": None, "acronym": None,
                                         "obligations": []})
        self.described |= self.named

    def _agreement(self, node: str, pos: list[tuple[str, Term]]) -> None:
        """What the graph says of an agreement: name, kind, acronym, obligations (as the ontology's labels)."""
        values = dict(reversed(pos))
        self.described.add(node)
        self.rows.agreements.append({
            "uri": f"urn:kg:agreement-mention:{node_id(self.header.uri, node)}", "agreement": node,
            "name": _text(values.get(S_LABEL)) or _local(node), "kind": _term_label(values.get(S_KIND)),
            "acronym": _text(values.get(S_ACRONYM)),
            "obligations": sorted({label for p, o in pos if p == S_OBLIGATION and (label := _term_label(o))}),
        })

    def _agreement_event(self, node: str, pos: list[tuple[str, Term]]) -> None:
        """A kg:AgreementEvent: its status with whether it binds the party (the ontology's kg:binds); a
        party no triple types is a bare actor."""
        props = dict(reversed(pos))
        agreement, party, status = (props.get(p) for p in (S_OF_AGREEMENT, S_PARTY, S_STATUS))
        if not isinstance(agreement, str) or status is None:
            return
        self.named.add(agreement)
        party = party if isinstance(party, str) else None
        if party is not None:
            self._untyped(party)
        self.rows.agreement_events.append({
            "uri": node, **_provenance(props), "agreement": agreement, "party": party, "status": _term_label(status),
            "binds": _agreement_labels()[1].get(status) if isinstance(status, str) else None,
            "date": _text(props.get(S_DATE)),
        })

    def _untyped(self, node: str) -> None:
        """An actor known only from a relation: merged without a class, so a typed row (here or in
        another transaction) still sets its name and label."""
        self.rows.actors.setdefault(node, {"uri": node, "name": _local(node), "cls": None, "wikidata": None,
                                           "aliases": []})

    def _actor(self, node: str, pos: list[tuple[str, Term]], cls: str) -> None:
        label = next((o for p, o in pos if p == S_LABEL), None)
        wikidata = next((o for p, o in pos if p == S_SAME_AS and isinstance(o, str) and "wikidata.org" in o), None)
        self.rows.actors[node] = {
            "uri": node, "name": _text(label) or _local(node), "cls": cls,
            "wikidata": wikidata.rsplit("/", 1)[-1] if wikidata else None,
            "aliases": sorted(_text(o) for p, o in pos if p == S_ALIAS),
        }

    def _reified(self, node: str, pos: list[tuple[str, Term]], evidence: bool, statement: bool) -> None:
        props: dict[str, Term] = {}
        for p, value in pos:
            props.setdefault(p, value)
        for wanted, keys in ((evidence, (S_EV_SUBJECT, S_EV_PREDICATE, S_EV_OBJECT)),
                             (statement, (S_SUBJECT, S_PREDICATE, S_OBJECT))):
            if not wanted:
                continue
            s, p, o = (props.get(k) for k in keys)
            if not (isinstance(s, str) and isinstance(p, str) and isinstance(o, str) and _local(p) in self.vocab):
                continue
            row = _evidence_row(node, props, s, _local(p), o, self.vocab)
            self._untyped(row["subject"])
            self._untyped(row["object"])
            if keys[0] == S_EV_SUBJECT:
                self.rows.evidence.append(row)
                self.evidenced.append((row["subject"], row["relation"], row["object"]))
            else:
                row["modality"] = _local(_text(props.get(S_MODALITY)) or S_HYPOTHETICAL).lower()
                row["cue"] = _text(props.get(S_CUE))
                source = props.get(S_SOURCE)
                row["source"] = source if isinstance(source, str) else None
                self.rows.claims.append(row)


def quad_rows(quads: Iterable[Quad], default_graph: str = "", prefixes: dict[str, str] | None = None,
              source: str | None = None) -> Iterator[DocumentRows]:
    """One DocumentRows per graph of quads held in memory (a document's extraction; `kg load` streams
    through `kg.rdf.stream` instead); kg: relation names outside the ontology are an error (raised
    before the first row). A graph that names no kg:Document is a document itself: the default
    graph's IRI is `default_graph`, and its source `source`."""
    graphs: dict[str, dict[str, list[tuple[str, Term]]]] = {}
    docs: dict[str, str] = {}
    predicates: set[str] = set()
    for s, p, o, g in quads:
        predicates.add(p)
        graphs.setdefault(g, {}).setdefault(s, []).append((p, o))
        if p == S_RDF_TYPE and o == S_DOC:
            docs.setdefault(g, s)
    check_predicates(predicates)
    shorten = Shortener(prefixes)
    for name, subjects in graphs.items():
        doc = docs.get(name)
        uri = doc or name or default_graph or f"urn:kg:graph:{node_id(len(subjects))}"
        mapper = GraphMapper(uri, doc, None if doc else source, shorten)
        for s, pos in subjects.items():
            mapper.subject(s, pos)
        evidenced = set(mapper.evidenced)
        for key in dict.fromkeys(mapper.plain):
            if key not in evidenced:
                mapper.synthetic(key)
        mapper.undescribed()
        yield mapper.finish(mapper.take())


def dataset_rows(ds: Dataset) -> list[DocumentRows]:
    return list(quad_rows(rdflib_quads(ds), prefixes={p: str(n) for p, n in ds.namespaces()}))


def _text(term: Term | None) -> str | None:
    if term is None:
        return None
    return term.value if isinstance(term, Lit) else term


@lru_cache(maxsize=4096)
def _relation_of(predicate: str) -> str | None:
    """The ontology's relation a predicate IRI names, if any (asked once per triple, so cached)."""
    name = _local(predicate)
    return name if predicate.startswith(S_KG) and name in relations() else None


def _oriented(s: str, rel: str, o: str, vocab) -> tuple[str, str, str]:
    """Symmetric relations are stored once per pair, subject IRI first in sort order."""
    return (o, rel, s) if vocab[rel].symmetric and o < s else (s, rel, o)


def _evidence_row(node: str, props: dict[str, Term], s: str, rel: str, o: str, vocab) -> dict:
    s, rel, o = _oriented(s, rel, o, vocab)
    return {"uri": node, "subject": s, "relation": rel, "object": o, **_provenance(props)}


def _provenance(props: dict[str, Term]) -> dict:
    """An evidence node's sentence, offsets, rule, confidence and document, from its first values."""
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
