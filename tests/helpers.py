"""Shared helpers for tests: paths to shared data, the scorer, hand-written documents."""

from __future__ import annotations

import importlib.util
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
