"""Extraction throughput against the bare spaCy pipeline it builds on, measured side by side.

    .venv/bin/python bench/extraction_speed.py [--repeat 20] [--workers 2]

Both runs parse the same texts (our sample articles and test sentences, repeated) in the same
process; the ratio is what the goal is stated in (kg extraction <= 1.25x bare nlp.pipe).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from kg.extract import extract_documents, to_dataset
from kg.readers import make_document
from kg.settings import load_settings

REPO = Path(__file__).resolve().parents[1]


def corpus(repeat: int) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    cases = json.loads((REPO / "tests" / "data" / "sentences.json").read_text(encoding="utf-8"))
    texts.append(" ".join(c["text"] for c in cases))
    return texts * repeat


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    texts = corpus(args.repeat)
    docs = [make_document(t, f"bench-{i}", f"bench-{i}") for i, t in enumerate(texts)]
    words = sum(len(t.split()) for t in texts)
    bare = spacy.load(load_settings().spacy_model, exclude=["senter"])
    list(bare.pipe(texts[:2]))
    list(extract_documents(docs[:2]))  # load both pipelines before timing

    t_bare = timed(lambda: list(bare.pipe(texts, batch_size=16)))
    t_kg = timed(lambda: list(extract_documents(docs)))
    t_rdf = timed(lambda: to_dataset(extract_documents(docs)))
    t_workers = timed(lambda: list(extract_documents(docs, workers=args.workers)))
    print(f"corpus: {len(texts)} documents, {words} words")
    print(f"bare nlp.pipe           {t_bare:7.2f} s  {words / t_bare:9.0f} words/s  1.00x")
    print(f"kg extraction           {t_kg:7.2f} s  {words / t_kg:9.0f} words/s  {t_kg / t_bare:.2f}x")
    print(f"kg extraction + RDF     {t_rdf:7.2f} s  {words / t_rdf:9.0f} words/s  {t_rdf / t_bare:.2f}x")
    print(f"kg --workers {args.workers}         {t_workers:7.2f} s  {words / t_workers:9.0f} words/s  "
          f"{t_workers / t_bare:.2f}x (includes starting the workers)")


if __name__ == "__main__":
    main()
