"""Sentences: the `kg_line_breaks` component (a line break ends a sentence, so titles stand on their
own, and a dateline such as 'KYIV, March 3 (Reuters) -' is a sentence of its own, so the parser does
not take its place for the subject of the first sentence) and the evidence a claim quotes from its
sentence (`evidence`)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:  # the relation extractor quotes its agreement events with `window`: no import cycle
    from kg.nlp.relations.claim import Claim

EVIDENCE_CHARS = 400  # the most of a sentence evidence quotes: run-on text gives a window this long
TERMINAL = tuple(".!?…:;\"'”’)]")  # how running text ends a sentence; a headline ends with none of these
PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")


@cache
def dateline_prefix() -> re.Pattern[str]:
    """The opening of a line that is a dateline (`dateline_prefix` in documents.json)."""
    data = json.loads(resources.files("kg.resources").joinpath("data", "documents.json").read_text(encoding="utf-8"))
    return re.compile(data["dateline_prefix"], flags=re.MULTILINE)


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a line break, and after a line's dateline, as a sentence start (before the
    parser sees the doc)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    for match in dateline_prefix().finditer(doc.text):
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and after.start > 0:
            doc[after.start].is_sent_start = True
            for token in doc[after.start + 1:after.start + 3]:  # nor does its first name end a sentence
                if token.is_sent_start is None and not token.is_space:
                    token.is_sent_start = False
    return doc


def evidence(claims: list[Claim], limit: int = EVIDENCE_CHARS) -> list[Claim]:
    """The claims of one piece of text, each quoting what a reader needs: a headline's claim is
    dropped when a body sentence of the piece makes the same claim (the body says it in full), and
    every sentence is `quote`d."""
    body = {_key(c) for c in claims if not _headline(c)}
    return [quote(c, limit) for c in claims if not (_headline(c) and _key(c) in body)]


def quote(claim: Claim, limit: int = EVIDENCE_CHARS) -> Claim:
    """The claim with its sentence trimmed of the whitespace around it and, when longer than `limit`
    (unpunctuated text makes a 'sentence' of a whole page), cut to a window of at most `limit`
    characters around the trigger (see `window`)."""
    sentence, start, end = window(claim.sentence, claim.trigger - claim.sent_start, limit)
    return replace(claim, sentence=sentence, sent_start=claim.sent_start + start, sent_end=claim.sent_start + end)


def window(text: str, trigger: int, limit: int = EVIDENCE_CHARS) -> tuple[str, int, int]:
    """A sentence's quote and where it lies in the sentence: trimmed, and when longer than `limit`, a
    window around the `trigger` offset cut between words with an ellipsis where it was cut. The
    offsets follow the quoted text, so the sentence between them is the quote without ellipses."""
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    sentence = text[start:end]
    if end - start > limit:
        low = max(start, min(trigger - limit // 2, end - limit))
        high = low + limit
        if low > start and (gap := re.search(r"\s+", text[low:high])):
            low += gap.end()
        if high < end and (gaps := [m.start() for m in re.finditer(r"\s+", text[low:high])]):
            high = low + gaps[-1]
        sentence = "… " * (low > start) + text[low:high] + " …" * (high < end)
        start, end = low, high
    return sentence, start, end


def _headline(claim: Claim) -> bool:
    """A title or subheading: a line that is a paragraph of its own, with no mark that ends running text."""
    text = claim.sentence
    return bool(PARAGRAPH_END.search(text[len(text.rstrip()):])) and not text.rstrip().endswith(TERMINAL)


def _key(claim: Claim) -> tuple[str, str, str, str]:
    return claim.subject, claim.relation, claim.object, claim.modality
