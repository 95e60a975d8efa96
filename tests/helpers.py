"""Shared helpers for tests: paths to shared data, the scorer, hand-written documents."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

from kg.nlp.gazetteer import slug
from kg.rdf.rows import DocumentRows
from kg.vocabulary import ACTOR, DOC, EVIDENCE, relations

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "corpus" / "seed-russia-north-korea-pact.txt"
SEED_GOLD = SHARED / "eval" / "gold" / "seed-russia-north-korea-pact.json"
SAMPLES = REPO / "samples"
# Runs kg and reports its peak resident memory on exit, however it exits.
KG_MEASURED = [sys.executable, "-c", (
    "import atexit, resource, sys\n"
    "atexit.register(lambda: print(f'peak-rss-kb {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}',"
    " file=sys.stderr))\n"
    "from kg.cli import main\n"
    "main()\n")]


@cache
def scorer():
    """The shared evaluation script, imported as a module."""
    spec = importlib.util.spec_from_file_location("kg_shared_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_long_text(path: Path, chars: int) -> int:
    """Write about `chars` characters of news-like text (our own sample articles' paragraphs, in
    numbered dispatches with non-ASCII punctuation) to `path`; return how many were written."""
    paragraphs = [p.strip() for f in sorted(SAMPLES.glob("*.txt"))
                  for p in f.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    written = 0
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while written < chars:
            block = f"Dispatch {n} — {paragraphs[n % len(paragraphs)]}\n\n"
            out.write(block)
            written += len(block)
            n += 1
    return written


def hand_written_document(name: str, triples: list[tuple[str, str, str, int]], classes: dict[str, str],
                          published: str = "2024-01-01") -> DocumentRows:
    """Loader rows of a document asserting each (subject, relation, object, count) `count` times,
    for a graph of exactly known shape (load with kg.graph.loader.load_documents)."""
    doc = DocumentRows(uri=str(DOC[name]), title=name, sha256="0" * 64, source=f"tests/{name}",
                       published=published)
    vocab = relations()
    for actor, cls in classes.items():
        actor_uri = str(ACTOR[slug(actor)])
        doc.actors[actor_uri] = {"uri": actor_uri, "name": actor, "cls": cls, "wikidata": None, "aliases": []}
    for subject, relation, obj, count in triples:
        s, o = str(ACTOR[slug(subject)]), str(ACTOR[slug(obj)])
        if vocab[relation].symmetric and o < s:
            s, o = o, s
        for i in range(count):
            sentence = f"{subject} {relation} {obj} ({i})."
            doc.evidence.append({
                "uri": str(EVIDENCE[f"{name}-{slug(subject)}-{relation}-{slug(obj)}-{i}"]),
                "subject": s, "relation": relation, "object": o, "sentence": sentence, "start": 0,
                "end": len(sentence), "rule": "test", "confidence": 0.9,
            })
    return doc


def write_synthetic_rdf(path: Path, triples: int, per_graph: int | None = None, resources: bool = False,
                        seed: int = 7) -> int:
    """Write about `triples` N-Triples of kg's shape to `path`, line by line (memory stays flat):
    the actors once, then claims of 8 triples each (a vocabulary triple and its evidence). With
    `per_graph`, N-Quads with that many claims per named graph (one document each); with
    `resources`, each claim also brings a third-party resource (a type, a literal, a link: 3 more).
    Return how many triples (or quads) were written."""
    import random

    from rdflib import Graph

    from kg.nlp.gazetteer import default_gazetteer
    from kg.rdf.mapping import actor_iri, add_actor

    rng = random.Random(seed)
    actors = [a for a in default_gazetteer().actors.values() if a.cls in ("Country", "Organization")]
    names = list(relations())
    head = Graph()
    for actor in actors:
        add_actor(head, actor)
    written = len(head)
    kg, prov = "https://w3id.org/kg/ontology#", "http://www.w3.org/ns/prov#"
    with path.open("w", encoding="utf-8") as out:
        graph = f" <{DOC['synthetic-0']}>" if per_graph else ""
        for line in head.serialize(format="nt").splitlines():
            if line.strip():
                out.write(f"{line[:-2]}{graph} .\n")
        claim = 0
        while written < triples:
            doc = DOC[f"synthetic-{claim // per_graph if per_graph else 0}"]
            graph = f" <{doc}>" if per_graph else ""
            s, o = rng.sample(actors, 2)
            si, oi = f"<{actor_iri(s.key)}>", f"<{actor_iri(o.key)}>"
            ev = f"<{EVIDENCE[f'synthetic-{claim}']}>"
            p = f"<{kg}{rng.choice(names)}>"
            lines = [f"{si} {p} {oi}", f"{ev} <{RDF_TYPE}> <{kg}Evidence>", f"{ev} <{kg}subject> {si}",
                     f"{ev} <{kg}predicate> {p}", f"{ev} <{kg}object> {oi}", f"{ev} <{prov}wasDerivedFrom> <{doc}>",
                     f'{ev} <{kg}sentence> "{s.name} and {o.name}, sentence {claim}."',
                     f'{ev} <{kg}confidence> "0.8"^^<http://www.w3.org/2001/XMLSchema#decimal>']
            if resources:
                res = f"<https://example.org/item/{claim}>"
                lines += [f"{res} <{RDF_TYPE}> <https://example.org/Item>",
                          f'{res} <https://example.org/name> "Item {claim}"',
                          f"{res} <https://example.org/about> <https://example.org/item/{claim // 2}>"]
            out.write("".join(f"{line}{graph} .\n" for line in lines))
            written += len(lines)
            claim += 1
    return written


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
