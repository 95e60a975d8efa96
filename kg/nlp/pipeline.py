"""Builds the spaCy pipeline: the statistical English model plus kg's registered components."""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

import kg.nlp.actors  # noqa: F401  (registers the kg_actor_ruler and kg_actors factories)
import kg.nlp.relations  # noqa: F401  (registers the kg_relations factory)
import kg.nlp.segmentation  # noqa: F401  (registers the kg_line_breaks component)
from kg.errors import KgError
from kg.settings import load_settings

KG_COMPONENTS = ("kg_line_breaks", "kg_actor_ruler", "kg_actors", "kg_relations")


def build_pipeline(model: str | None = None) -> Language:
    """Load the spaCy model named by KG_SPACY_MODEL and add the kg components to it."""
    name = model or load_settings().spacy_model
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError as exc:
        raise KgError(f"spaCy pipeline {name!r} is not installed (set KG_SPACY_MODEL or install it): {exc}") from None
    _split_hyphenated_abbreviations(nlp)
    nlp.add_pipe("kg_line_breaks", before="parser")
    nlp.add_pipe("kg_actor_ruler", before="ner")
    nlp.add_pipe("kg_actors", after="ner")
    nlp.add_pipe("kg_relations", last=True)
    nlp.max_length = 2_000_000
    return nlp


def _split_hyphenated_abbreviations(nlp: Language) -> None:
    """Split 'U.S.-Japan' like 'Russia-Iran' (spaCy's default infixes need a letter before the hyphen)."""
    infixes = [*nlp.Defaults.infixes, r"(?<=[A-Z]\.)[-\u2013](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


@cache
def shared_pipeline(model: str | None = None) -> Language:
    """One pipeline per process: loading spaCy costs seconds, extraction milliseconds."""
    return build_pipeline(model)
