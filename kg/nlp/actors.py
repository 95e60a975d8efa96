"""spaCy components that find actor mentions: a gazetteer ruler (before NER) and a resolver (after it).

`kg_actor_ruler` marks every surface form of the gazetteer (names, aliases, demonyms, capitals
used as metonyms); the statistical NER then fills in around them. `kg_actors` turns entities into
`Mention`s of actors, giving unknown named entities an actor of their own so nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.nlp.gazetteer import Actor, Gazetteer, default_gazetteer, normalise, slug

RULER_LABEL = "KG"
# Every state is in the gazetteer, so an unknown GPE is a city or province: a Region. Unknown NORP
# adjectives ("Kurdish") name no actor of their own.
NER_CLASSES = {"GPE": "Region", "LOC": "Region", "ORG": "Organization", "PERSON": "Person"}


@dataclass(frozen=True)
class Mention:
    """A stretch of tokens that names an actor."""

    start: int
    end: int
    key: str
    kind: str  # name | demonym | metonym | pronoun


def _register_extensions() -> None:
    if not Doc.has_extension("kg_mentions"):
        Doc.set_extension("kg_mentions", default=None)
        Doc.set_extension("kg_actors", default=None)
        Token.set_extension("kg_mention", default=None)


_register_extensions()


@Language.factory("kg_actor_ruler", default_config={"gazetteer_path": None}, assigns=["doc.ents"])
def make_actor_ruler(nlp: Language, name: str, gazetteer_path: str | None) -> ActorRuler:
    return ActorRuler(nlp, _gazetteer(gazetteer_path))


@Language.factory("kg_actors", default_config={"gazetteer_path": None, "unknown_labels": NER_CLASSES},
                  assigns=["doc._.kg_mentions", "doc._.kg_actors", "token._.kg_mention"], requires=["doc.ents"])
def make_actor_resolver(
    nlp: Language, name: str, gazetteer_path: str | None, unknown_labels: dict[str, str]
) -> ActorResolver:
    return ActorResolver(_gazetteer(gazetteer_path), unknown_labels)


def _gazetteer(path: str | None) -> Gazetteer:
    from pathlib import Path

    return Gazetteer.from_file(Path(path)) if path else default_gazetteer()


class ActorRuler:
    """Marks gazetteer surface forms as entities, longest match first, case as written."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lookalike_prefixes = gazetteer.lookalike_prefixes
        by_id: dict[str, list] = {}
        for actor in gazetteer.actors.values():
            for form, kind in actor.surface_forms().items():
                variants = {form, f"the {form}", f"The {form}"} if kind == "name" else {form}
                if kind == "name" and len(form) > 3 and not form.isupper():
                    variants.add(form.upper())  # statements and headlines in capitals: "the people of NIGER"
                by_id.setdefault(f"{actor.key}#{kind}", []).extend(nlp.make_doc(v) for v in variants)
        for match_id, docs in by_id.items():
            self.matcher.add(match_id, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            if start > 1 and doc[start - 1].text == "-" and not doc[start - 2].whitespace_ \
                    and doc[start - 2].lower_ in self.lookalike_prefixes:
                continue  # "a mini-NATO"
            spans.append(Span(doc, start, end, label=RULER_LABEL, kb_id=doc.vocab.strings[match_id]))
        if spans:
            kept = filter_spans(spans + list(doc.ents))
            doc.ents = kept
        return doc


class ActorResolver:
    """Turns entities into actor mentions, and links later surname-only mentions of a person."""

    def __init__(self, gazetteer: Gazetteer, unknown_labels: dict[str, str]) -> None:
        self.gazetteer = gazetteer
        self.unknown_labels = unknown_labels
        self.name_stops = {w for t in gazetteer.top_titles for w in t.split()} | gazetteer.honorifics

    def __call__(self, doc: Doc) -> Doc:
        self._honoured_persons(doc)
        mentions: list[Mention] = []
        actors: dict[str, Actor] = {}
        states = {e.kb_id_.partition("#")[0] for e in doc.ents if e.label_ == RULER_LABEL}
        for ent in doc.ents:
            ent = self._whole_name(ent)
            found = self._resolve(ent, actors, states)
            if found is None:
                continue
            actor, kind = found
            actors[actor.key] = actor
            mention = Mention(ent.start, ent.end, actor.key, kind)
            mentions.append(mention)
            for token in ent:
                token._.kg_mention = mention
        aliases = self._defined_aliases(doc, mentions, actors)
        if aliases:
            mentions = [replace(m, key=aliases.get(m.key, m.key)) for m in mentions]
            for mention in mentions:
                for token in doc[mention.start:mention.end]:
                    token._.kg_mention = mention
            actors = {k: a for k, a in actors.items() if k not in aliases}
        doc._.kg_mentions = mentions
        doc._.kg_actors = actors
        return doc

    def _whole_name(self, ent: Span) -> Span:
        """A one-word name the recogniser cut short ('Samia Suluhu [Hassan]'): the proper nouns before it
        that the parser attaches to it (not titles or honorifics) belong to the name, which is then not
        mistaken for another leader called Hassan."""
        if ent.label_ != "PERSON" or len(ent) != 1:
            return ent
        doc, start = ent.doc, ent.start
        while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].dep_ == "compound" \
                and doc[start - 1].head.i == ent.start and not doc[start - 1].ent_type_ \
                and doc[start - 1].lower_ not in self.name_stops:
            start -= 1
        return ent if start == ent.start else Span(doc, start, ent.end, label=ent.label_)

    def _honoured_persons(self, doc: Doc) -> None:
        """'the Honourable Mia Amor Mottley', 'H.E. Mr. Celso Amorim': a name after an honorific is a person's,
        whatever the statistical NER made of it; the honorific is not part of the name."""
        honorifics = self.gazetteer.honorifics
        persons: list[Span] = []
        i = 0
        while i < len(doc):
            start = i
            while i < len(doc) and (doc[i].lower_ in honorifics or (i > start and doc[i].lower_ == "the")):
                i += 1
            if i == start:
                i += 1
                continue
            end = i
            while end < len(doc) and end - i < 5 and doc[end].is_title and doc[end].pos_ == "PROPN":
                end += 1
            if end - i >= 2:
                persons.append(Span(doc, i, end, label="PERSON"))
            i = end
        if not persons:
            return
        kept = [e for e in doc.ents if e.label_ == RULER_LABEL or not any(_overlap(e, p) for p in persons)]
        doc.ents = filter_spans(kept + [p for p in persons if not any(_overlap(e, p) for e in kept)])

    def _defined_aliases(self, doc: Doc, mentions: list[Mention], actors: dict[str, Actor]) -> dict[str, str]:
        """Names the text defines for an actor named just before: 'Kata'ib Hezbollah (KH)', 'the Houthis,
        formally known as Ansar Allah'. Only a name the gazetteer does not know is taken as an alias."""
        aliases: dict[str, str] = {}
        for first, second in zip(mentions, mentions[1:], strict=False):
            if first.key == second.key or second.key in self.gazetteer.actors or second.key in aliases:
                continue
            between = [t.lower_ for t in doc[first.end:second.start]]
            after = doc[second.end].text if second.end < len(doc) else ""
            acronym = between in (["("], [",", "("]) and after == ")" and doc[second.start:second.end].text.isupper()
            defined = " ".join(w for w in between if w not in (",", "(")) in self.gazetteer.alias_marks
            if (acronym or defined) and actors[first.key].cls == actors[second.key].cls:
                aliases[second.key] = aliases.get(first.key, first.key)
        return aliases

    def _resolve(self, ent: Span, seen: dict[str, Actor], states: set[str]) -> tuple[Actor, str] | None:
        if ent.label_ == RULER_LABEL:
            key, _, kind = ent.kb_id_.partition("#")
            return self.gazetteer.actors[key], kind
        cls = self.unknown_labels.get(ent.label_)
        if cls is None:
            return None
        text = normalise(ent.text)
        known = self.gazetteer.lookup(text)
        if known:
            return known
        if not _looks_like_name(text) or _hyphen_fragment(ent) or "[" in text:  # "forces[1][3]": footnotes
            return None
        if text.lower().removeprefix("the ") in self.gazetteer.generic_names:
            return None  # "The Council decided ...": an institution, but whose the text does not say here
        if cls == "Person" and ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN":
            return None  # "Patriot batteries", "Javelin missiles": an unknown name on a thing is its make
        if cls == "Person":
            for actor in seen.values():
                if actor.cls == "Person" and actor.name.split()[-1] == text.split()[-1]:
                    return actor, "name"
            leader = self.gazetteer.leader_by_word(text, states) if " " not in text else None
            if leader is not None:
                return leader, "name"
        return Actor(key=slug(text), name=text, cls=cls), "name"


def _looks_like_name(text: str) -> bool:
    """Only capitalised, short, letter-bearing strings become actors of their own."""
    words = text.split()
    return 0 < len(words) <= 5 and bool(re.match(r"[A-Z]", text)) and any(c.isalpha() for c in text)


def _hyphen_fragment(ent: Span) -> bool:
    """'Inter' of 'Inter-American Treaty': a piece of a hyphenated word is no name of its own."""
    doc = ent.doc
    before = doc[ent.start - 1] if ent.start > 0 else None
    after = doc[ent.end] if ent.end < len(doc) else None
    if ent[-1].text in ("-", "–") or ent[0].text in ("-", "–"):
        return True
    return (after is not None and after.text in ("-", "–") and not ent[-1].whitespace_) or (
        before is not None and before.text in ("-", "–") and not before.whitespace_)


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end
