"""The `kg_line_breaks` component: a line break ends a sentence, so titles stand on their own, and a
dateline ('KYIV, March 3 (Reuters) -') is a sentence of its own, so the parser does not take its
place for the subject of the first sentence."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc


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
    return doc
