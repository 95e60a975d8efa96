"""SHACL validation of extraction output against schema/shapes.ttl (with the ontology loaded)."""

from __future__ import annotations

from functools import cache

from pyshacl import validate
from rdflib import Dataset, Graph

from kg.vocabulary import SCHEMA_DIR, ontology


@cache
def shapes() -> Graph:
    graph = Graph()
    graph.parse(SCHEMA_DIR / "shapes.ttl", format="turtle")
    return graph


def validate_dataset(ds: Dataset) -> tuple[bool, str]:
    """Validate every named graph on its own (each document must stand alone)."""
    reports = []
    conforms = True
    for graph in ds.graphs():
        if len(graph) == 0:
            continue
        data = Graph()
        for triple in graph:
            data.add(triple)
        data += ontology()  # the shapes ask which predicates are vocabulary relations
        ok, _, text = validate(data, shacl_graph=shapes(), inference="none", advanced=True, allow_warnings=False)
        if not ok:
            conforms = False
            reports.append(f"{graph.identifier}:\n{text}")
    return conforms, "\n".join(reports)
