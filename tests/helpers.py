"""Shared helpers for tests: paths to shared data and the scorer."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

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
