"""Extraction results -> an rdflib Dataset: one named graph per document.

Each graph holds the document, its asserted plain triples, the actors they name (label, class,
Wikidata link) and PROV-O evidence for every plain triple. Claims that are not asserted are kept
only as reified rdf:Statements carrying their modality, so nothing is lost and nothing false is said.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.nlp.gazetteer import Actor
from kg.nlp.relations import Claim
from kg.nlp.relations.agreements import Agreement
from kg.readers import Document
from kg.vocabulary import ACTOR, AGREEMENT, CLAIM, EVIDENCE, KG, PROV, WD, agreement_terms, node_id

MODALITIES = {
    "negated": KG.Negated, "hypothetical": KG.Hypothetical, "intended": KG.Intended, "demanded": KG.Demanded,
    "prevented": KG.Prevented, "past": KG.Past, "reported": KG.Reported, "question": KG.Question,
}


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in (("kg", KG), ("actor", ACTOR), ("ev", EVIDENCE), ("claim", CLAIM), ("prov", PROV),
                       ("wd", WD), ("dcterms", DCTERMS), ("owl", OWL), ("agreement", AGREEMENT)):
        ds.bind(prefix, ns)
    return ds


def actor_iri(key: str) -> URIRef:
    return ACTOR[key]


def add_document(ds: Dataset, doc: Document, claims: Iterable[Claim], actors: dict[str, Actor],
                 header: bool = True, agreements: Iterable[Agreement] = ()) -> None:
    """Add one document's graph (or, without `header`, a later piece of it) to the dataset."""
    g = ds.graph(URIRef(doc.uri))
    if header:
        add_document_node(g, doc.uri, doc.title, doc.sha256, doc.source, doc.published)
        g.add((URIRef(doc.uri), PROV.generatedAtTime,
               Literal(datetime.now(UTC).replace(microsecond=0), datatype=XSD.dateTime)))
    used: set[str] = set()
    for claim in claims:
        used.update(k for k in (claim.subject, claim.object, claim.source) if k)
        asserted = claim.modality == "asserted"
        ids = (doc.uri, claim.subject, claim.relation, claim.object, claim.sent_start)
        node = EVIDENCE[node_id(*ids)] if asserted else CLAIM[node_id(*ids, claim.modality)]
        add_statement(g, node, actor_iri(claim.subject), claim.relation, actor_iri(claim.object), doc.uri,
                      None if asserted else claim.modality, claim.sentence,
                      claim.sent_start, claim.sent_end, claim.rule, claim.confidence, claim.cue,
                      actor_iri(claim.source) if claim.source else None)
    for agreement in agreements:
        used.update(add_agreement(g, agreement, doc.uri))
    for key in sorted(used):
        add_actor(g, actors[key])


def add_document_node(g, uri: str, title: str | None, sha256: str | None, source: str | None,
                      published: str | None) -> None:
    d = URIRef(uri)
    g.add((d, RDF.type, KG.Document))
    for pred, value in ((RDFS.label, title), (KG.sha256, sha256), (DCTERMS.source, source),
                        (DCTERMS.issued, published)):
        if value:
            g.add((d, pred, Literal(value)))


def add_statement(g, node: URIRef, s: URIRef, relation: str, o: URIRef, doc_uri: str, modality: str | None,
                  sentence: str | None, start: int | None, end: int | None, rule: str | None,
                  confidence: float, cue: str | None = None, source: URIRef | None = None) -> None:
    """One claim with its provenance: an asserted triple with its kg:Evidence when `modality` is None,
    else only a reified rdf:Statement carrying the modality, the word that marks it (`cue`) and the
    actor who reports or denies it (`source`)."""
    p = KG[relation]
    if modality is None:
        g.add((s, p, o))
        g.add((node, RDF.type, KG.Evidence))
        g.add((node, KG.subject, s))
        g.add((node, KG.predicate, p))
        g.add((node, KG.object, o))
    else:
        g.add((node, RDF.type, RDF.Statement))
        g.add((node, RDF.subject, s))
        g.add((node, RDF.predicate, p))
        g.add((node, RDF.object, o))
        g.add((node, KG.modality, MODALITIES.get(modality, KG.Hypothetical)))
        if cue:
            g.add((node, KG.cue, Literal(cue)))
        if source is not None:
            g.add((node, KG.source, source))
    g.add((node, PROV.wasDerivedFrom, URIRef(doc_uri)))
    for pred, value in ((KG.sentence, sentence), (KG.start, start), (KG.end, end), (KG.rule, rule)):
        if value is not None:
            g.add((node, pred, Literal(value)))
    g.add((node, KG.confidence, Literal(Decimal(str(round(confidence, 3))))))


DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


def add_agreement(g, agreement: Agreement, doc_uri: str) -> set[str]:
    """An agreement with its kind, obligations and acronym, each event as kg:AgreementEvent evidence,
    and `kg:partyTo` for each party the document leaves bound; returns the parties' actor keys."""
    node = AGREEMENT[agreement.key]
    add_agreement_node(g, node, agreement.name, KG[agreement.kind], [KG[o] for o in agreement.obligations],
                       agreement.acronym)
    for e in agreement.events:
        add_agreement_event(g, EVIDENCE[node_id(doc_uri, agreement.key, e.status, e.party, e.sent_start)], node,
                            KG[e.status], actor_iri(e.party) if e.party else None, e.date, doc_uri, e.sentence,
                            e.sent_start, e.sent_end, e.rule, e.confidence)
    for party in agreement.bound(agreement_terms().binds):
        g.add((actor_iri(party), KG.partyTo, node))
    return set(agreement.parties())


def add_agreement_node(g, node: URIRef, name: str, kind: URIRef, obligations: Iterable[URIRef],
                       acronym: str | None) -> None:
    g.add((node, RDF.type, KG.Agreement))
    g.add((node, RDFS.label, Literal(name, lang="en")))
    g.add((node, KG.kind, kind))
    for obligation in obligations:
        g.add((node, KG.obligation, obligation))
    if acronym:
        g.add((node, KG.acronym, Literal(acronym)))


def add_agreement_event(g, ev: URIRef, agreement: URIRef, status: URIRef, party: URIRef | None, date: str | None,
                        doc_uri: str, sentence: str, start: int, end: int, rule: str, confidence: float) -> None:
    """One kg:AgreementEvent: what happened to the agreement, for `party` or (None) for all, with its evidence."""
    g.add((ev, RDF.type, KG.AgreementEvent))
    g.add((ev, KG.agreement, agreement))
    g.add((ev, KG.status, status))
    if party is not None:
        g.add((ev, KG.party, party))
    if date:
        g.add((ev, KG.date, Literal(date, datatype=DATE_TYPES.get(len(date), XSD.string))))
    g.add((ev, PROV.wasDerivedFrom, URIRef(doc_uri)))
    for pred, value in ((KG.sentence, sentence), (KG.start, start), (KG.end, end), (KG.rule, rule)):
        g.add((ev, pred, Literal(value)))
    g.add((ev, KG.confidence, Literal(Decimal(str(round(confidence, 3))))))


def add_actor(g, actor: Actor) -> None:
    add_actor_node(g, actor_iri(actor.key), actor.cls, actor.name, actor.qid, actor.aliases)


def add_actor_node(g, node: URIRef, cls: str | None, name: str, qid: str | None, aliases: Iterable[str]) -> None:
    """An actor: its class, one English label, its Wikidata item and its aliases."""
    if cls:
        g.add((node, RDF.type, KG[cls]))
    g.add((node, RDFS.label, Literal(name, lang="en")))
    if qid:
        g.add((node, OWL.sameAs, WD[qid]))
    for alias in aliases:
        g.add((node, KG.alias, Literal(alias)))
