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
