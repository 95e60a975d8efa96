"""Extraction results -> an rdflib Dataset: one named graph per document.

Each graph holds the document, its asserted plain triples, the actors they name (label, class,
Wikidata link) and PROV-O evidence for every plain triple. Claims that are not asserted are kept
only as reified rdf:Statements carrying their modality, so nothing is lost and nothing false is said.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.gazetteer import Actor
from kg.readers import Document
from kg.relations import Claim
from kg.vocabulary import ACTOR, CLAIM, EVIDENCE, KG, PROV, WD

MODALITIES = {
    "negated": KG.Negated, "hypothetical": KG.Hypothetical, "intended": KG.Intended, "demanded": KG.Demanded,
    "prevented": KG.Prevented, "past": KG.Past, "reported": KG.Reported, "question": KG.Question,
}


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in (("kg", KG), ("actor", ACTOR), ("ev", EVIDENCE), ("claim", CLAIM), ("prov", PROV),
                       ("wd", WD), ("dcterms", DCTERMS), ("owl", OWL)):
        ds.bind(prefix, ns)
    return ds


def actor_iri(key: str) -> URIRef:
    return ACTOR[key]


def _node_id(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def add_document(ds: Dataset, doc: Document, claims: Iterable[Claim], actors: dict[str, Actor]) -> None:
    """Add one document's graph to the dataset."""
    g = ds.graph(URIRef(doc.uri))
    d = URIRef(doc.uri)
    g.add((d, RDF.type, KG.Document))
    g.add((d, RDFS.label, Literal(doc.title)))
    g.add((d, KG.sha256, Literal(doc.sha256)))
    g.add((d, DCTERMS.source, Literal(doc.source)))
    if doc.published:
        g.add((d, DCTERMS.issued, Literal(doc.published)))
    g.add((d, PROV.generatedAtTime, Literal(datetime.now(UTC).replace(microsecond=0), datatype=XSD.dateTime)))
    used: set[str] = set()
    for claim in claims:
        s, o = actor_iri(claim.subject), actor_iri(claim.object)
        p = KG[claim.relation]
        used.update((claim.subject, claim.object))
        sentence = doc.text[claim.sent_start:claim.sent_end]
        if claim.modality == "asserted":
            g.add((s, p, o))
            node = EVIDENCE[_node_id(doc.uri, claim.subject, claim.relation, claim.object, claim.sent_start)]
            g.add((node, RDF.type, KG.Evidence))
            g.add((node, KG.subject, s))
            g.add((node, KG.predicate, p))
            g.add((node, KG.object, o))
        else:
            node = CLAIM[_node_id(doc.uri, claim.subject, claim.relation, claim.object, claim.sent_start,
                                  claim.modality)]
            g.add((node, RDF.type, RDF.Statement))
            g.add((node, RDF.subject, s))
            g.add((node, RDF.predicate, p))
            g.add((node, RDF.object, o))
            g.add((node, KG.modality, MODALITIES.get(claim.modality, KG.Hypothetical)))
        g.add((node, PROV.wasDerivedFrom, d))
        g.add((node, KG.sentence, Literal(sentence)))
        g.add((node, KG.start, Literal(claim.sent_start)))
        g.add((node, KG.end, Literal(claim.sent_end)))
        g.add((node, KG.rule, Literal(claim.rule)))
        g.add((node, KG.confidence, Literal(Decimal(str(round(claim.confidence, 3))))))
    for key in sorted(used):
        add_actor(g, actors[key])


def add_actor(g, actor: Actor) -> None:
    node = actor_iri(actor.key)
    g.add((node, RDF.type, KG[actor.cls]))
    g.add((node, RDFS.label, Literal(actor.name, lang="en")))
    if actor.qid:
        g.add((node, OWL.sameAs, WD[actor.qid]))
    for alias in actor.aliases:
        g.add((node, KG.alias, Literal(alias)))
