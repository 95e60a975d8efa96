"""Sentences: the `kg_line_breaks` component (a line break ends a sentence, so titles stand on their
own) and the evidence a claim quotes from its sentence (`evidence`)."""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.relations.claim import Claim

EVIDENCE_CHARS = 400  # the most of a sentence evidence quotes: run-on text gives a window this long
TERMINAL = tuple(".!?…:;\"'”’)]")  # how running text ends a sentence; a headline ends with none of these
PARAGRAPH_END = re.compile(r"\n[^\S\n]*\n")


@Language.component("kg_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the token after a line break as a sentence start (before the parser sees the doc)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
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
    characters around the trigger, between words, with an ellipsis where it was cut. The offsets
    follow the quoted text, so the document's text between them is the quote without ellipses."""
    text = claim.sentence
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    sentence = text[start:end]
    if end - start > limit:
        trigger = claim.trigger - claim.sent_start
        low = max(start, min(trigger - limit // 2, end - limit))
        high = low + limit
        if low > start and (gap := re.search(r"\s+", text[low:high])):
            low += gap.end()
        if high < end and (gaps := [m.start() for m in re.finditer(r"\s+", text[low:high])]):
            high = low + gaps[-1]
        sentence = "… " * (low > start) + text[low:high] + " …" * (high < end)
        start, end = low, high
    return replace(claim, sentence=sentence, sent_start=claim.sent_start + start, sent_end=claim.sent_start + end)


def _headline(claim: Claim) -> bool:
    """A title or subheading: a line that is a paragraph of its own, with no mark that ends running text."""
    text = claim.sentence
    return bool(PARAGRAPH_END.search(text[len(text.rstrip()):])) and not text.rstrip().endswith(TERMINAL)


def _key(claim: Claim) -> tuple[str, str, str, str]:
    return claim.subject, claim.relation, claim.object, claim.modality
