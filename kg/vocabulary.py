"""Namespaces and the relation vocabulary, read from the ontology in schema/ (the one source of truth).

Relation names, their symmetry and their stance (cooperative, hostile, neutral) come from
`schema/ontology.ttl`, so the extractor, the loader and the queries can never disagree on them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.namespace import ClosedNamespace

from kg.resources import schema_dir

KG_URI = "https://w3id.org/kg/ontology#"
ACTOR = Namespace("https://w3id.org/kg/actor/")
DOC = Namespace("https://w3id.org/kg/doc/")
EVIDENCE = Namespace("https://w3id.org/kg/evidence/")
CLAIM = Namespace("https://w3id.org/kg/claim/")
AGREEMENT = Namespace("https://w3id.org/kg/agreement/")
WD = Namespace("http://www.wikidata.org/entity/")
PROV = Namespace("http://www.w3.org/ns/prov#")

ACTOR_CLASSES = ("Country", "Organization", "Person", "Region", "Bloc")
SCHEMA_DIR = schema_dir()


def _ontology_terms() -> list[str]:
    """Local names the ontology defines: kg's namespace is closed over them, so a typo fails."""
    graph = Graph()
    graph.parse(SCHEMA_DIR / "ontology.ttl", format="turtle")
    return sorted({str(term).removeprefix(KG_URI) for term in graph.all_nodes() if str(term).startswith(KG_URI)}
                  - {""})


KG = ClosedNamespace(KG_URI, _ontology_terms())


@dataclass(frozen=True)
class Relation:
    """One relation of the vocabulary, as the ontology defines it."""

    name: str
    symmetric: bool
    stance: str
    domain: frozenset[str] = frozenset(ACTOR_CLASSES)  # actor classes its subject may have
    range: frozenset[str] = frozenset(ACTOR_CLASSES)  # actor classes its object may have

    @property
    def rel_type(self) -> str:
        """The Neo4j relationship type: the local name in UPPER_SNAKE_CASE."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).upper()


@cache
def ontology() -> Graph:
    graph = Graph()
    graph.parse(SCHEMA_DIR / "ontology.ttl", format="turtle")
    return graph


@cache
def relations() -> dict[str, Relation]:
    """Every relation of the vocabulary by local name."""
    graph = ontology()
    found: dict[str, Relation] = {}
    for prop in graph.subjects(RDF.type, KG.Relation):
        name = str(prop).removeprefix(str(KG))
        stance = "neutral"
        for parent in graph.objects(prop, RDFS.subPropertyOf):
            if parent == KG.cooperative:
                stance = "cooperative"
            elif parent == KG.hostile:
                stance = "hostile"
        found[name] = Relation(name, (prop, RDF.type, OWL.SymmetricProperty) in graph, stance,
                               _actor_classes(graph, graph.value(prop, RDFS.domain)),
                               _actor_classes(graph, graph.value(prop, RDFS.range)))
    return found


def actor_classes(name: str) -> frozenset[str]:
    """The actor classes at or below the ontology's class `name` ('Polity': Country, Organization, Bloc)."""
    return _actor_classes(ontology(), KG[name])


def _actor_classes(graph: Graph, cls: object) -> frozenset[str]:
    """The actor classes that are `cls` or below it in the ontology's class tree."""
    return frozenset(name for name in ACTOR_CLASSES if cls in graph.transitive_objects(KG[name], RDFS.subClassOf))


def node_id(*parts: object) -> str:
    """A stable 20-hex-digit id for what `parts` name, so re-extracting a text gives the same IRIs."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class AgreementTerms:
    """The ontology's agreement kinds, obligations and statuses by local name, with their labels."""

    kinds: dict[str, str]
    implied: dict[str, tuple[str, ...]]  # kind -> the obligations it implies (a defence pact: Defence)
    obligations: dict[str, str]
    statuses: dict[str, str]
    binds: dict[str, bool]  # status -> bound from then on (True) or no longer (False); absent: neither


@cache
def agreement_terms() -> AgreementTerms:
    graph = ontology()

    def local(term: object) -> str:
        return str(term).removeprefix(KG_URI)

    def labelled(cls: object) -> dict[str, str]:
        return {local(t): str(graph.value(t, RDFS.label)) for t in sorted(graph.subjects(RDF.type, cls))}

    kinds = labelled(KG.AgreementKind)
    statuses = labelled(KG.AgreementStatus)
    return AgreementTerms(
        kinds=kinds,
        implied={k: tuple(sorted(local(o) for o in graph.objects(KG[k], KG.impliesObligation))) for k in kinds},
        obligations=labelled(KG.Obligation),
        statuses=statuses,
        binds={s: bool(v.toPython()) for s in statuses if (v := graph.value(KG[s], KG.binds)) is not None},
    )
