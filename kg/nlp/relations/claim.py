"""Claims: one relation a sentence states, and how the extractor assembles, attributes and checks them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

from spacy.tokens import Token

from kg.nlp.gazetteer import Actor, Gazetteer
from kg.nlp.modality import ASSERTED, ModalityLexicon, modality_cue, past_episode
from kg.nlp.relations.syntax import actor_class
from kg.vocabulary import Relation

ENDED = ":ended"  # rule suffix of a claim that says a state ended ('X left the alliance')


@dataclass(frozen=True)
class Claim:
    """One relation a sentence states (or only mentions, when modality is not 'asserted')."""

    subject: str
    relation: str
    object: str
    modality: str
    sent_start: int
    sent_end: int
    rule: str
    confidence: float
    sentence: str = ""  # kept with the claim: a long document's text is never held whole
    trigger: int = 0  # offset of the word that states it, to order claims within a sentence
    cue: str = ""  # the word that keeps a claim out of the facts ('would', 'denied', 'former')
    source: str = ""  # who reports, alleges or denies it ('Moscow accused Kyiv of ...': Russia)


class ClaimAssembly:
    """Mixin of the relation extractor: claims from argument lists, then attribution and class checks."""

    lex: ModalityLexicon
    gazetteer: Gazetteer
    symmetric: set[str]
    vocabulary: dict[str, Relation]
    events: frozenset[str]

    def _claim(self, anchor: Token, s: str, rel: str, o: str, rule: str, conf: float, mod: str,
               cue: str = "") -> Claim:
        sent = anchor.sent
        source = self._source(anchor, cue) if mod in ("reported", "negated") and cue else ""
        return Claim(s, rel, o, mod, sent.start_char, sent.end_char, rule, conf, sent.text, anchor.idx,
                     "" if mod == ASSERTED else cue, source)

    def _source(self, anchor: Token, cue: str) -> str:
        """The subject of the verb that reports or denies a claim: 'Iran denies sending drones' -> Iran."""
        verb = next((t for t in (anchor, *anchor.ancestors) if t.text == cue and t.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            return ""
        found = [k for c in verb.children if c.dep_ == "nsubj" for k in self._actors_at(c)]
        return found[0] if found else ""

    def _pairs(self, anchor: Token, rel: str, subjects: list[str], objects: list[str], rule: str,
               conf: float, object_class: list[str] | None = None, presupposed: bool = False) -> list[Claim]:
        """Claims between every subject and object; a `presupposed` anchor (a noun phrase that describes,
        'the CSTO countries (A, B)') takes only its own markers, not the modality of the clause around it."""
        if object_class:
            objects = [o for o in objects if actor_class(anchor.doc, o) in object_class]
        if not subjects or not objects:
            return []
        mod, cue = modality_cue(anchor, self.lex, stop_at={anchor.head.i} if presupposed else None)
        if mod == ASSERTED and rel not in self.events and (event := past_episode(anchor)):
            mod, cue = "past", event
        return [self._claim(anchor, s, rel, o, rule, conf, mod, cue) for s in dict.fromkeys(subjects)
                for o in dict.fromkeys(objects) if s != o]

    def _members(self, anchor: Token, rel: str, members: list[str], rule: str, conf: float) -> list[Claim]:
        if rel not in self.symmetric:
            return []
        mod, cue = modality_cue(anchor, self.lex)
        if mod == ASSERTED and rel not in self.events and (event := past_episode(anchor)):
            mod, cue = "past", event
        unique = list(dict.fromkeys(members))
        return [self._claim(anchor, a, rel, b, rule, conf, mod, cue) for a, b in combinations(unique, 2)]

    def _led(self, claims: list[Claim], actors: dict[str, Actor]) -> dict[str, str]:
        """The state each leader in the text acts for: the one the text says they lead, else the one
        country the gazetteer says they lead now."""
        led: dict[str, str] = {}
        for claim in claims:
            if claim.relation == "leaderOf" and claim.modality == ASSERTED and self._fits(claim, actors):
                led.setdefault(claim.subject, claim.object)
        for key, actor in actors.items():
            if actor.cls == "Person" and key not in led:
                states = {self.gazetteer.by_name.get(r.of) for r in self.gazetteer.current_leadership(key)}
                countries = [k for k in states if k and self.gazetteer.actors[k].cls == "Country"]
                if len(countries) == 1:
                    led[key] = countries[0]
        return led

    def _finish(self, claims: list[Claim], actors: dict[str, Actor], led: dict[str, str]) -> list[Claim]:
        """Attribute leaders' acts to their states (`led`), check classes, drop duplicates (best first)."""
        for state in set(led.values()) - set(actors):
            if state in self.gazetteer.actors:
                actors[state] = self.gazetteer.actors[state]  # attributed acts name a state not in the text
        best: dict[tuple, Claim] = {}
        placed = {(c.subject, c.sent_start) for c in claims if c.relation == "militaryPresence"
                  and getattr(actors.get(c.object), "cls", None) == "Country"}
        claims = [c for c in claims if not (c.relation == "militaryPresence" and (c.subject, c.sent_start) in placed
                                            and getattr(actors.get(c.object), "cls", None) == "Region")]
        for claim in claims:
            if claim.relation != "leaderOf":
                claim = replace(claim, subject=led.get(claim.subject, claim.subject),
                                object=led.get(claim.object, claim.object))
            if claim.subject == claim.object or not self._fits(claim, actors):
                continue
            s, o = claim.subject, claim.object
            if claim.relation in self.symmetric and o < s:
                s, o = o, s
                claim = replace(claim, subject=s, object=o)
            key = (s, claim.relation, o, claim.sent_start, claim.modality == ASSERTED)
            if key not in best or best[key].confidence < claim.confidence:
                best[key] = claim
        return sorted(best.values(), key=lambda c: (c.sent_start, c.relation, c.subject, c.object))

    def _fits(self, claim: Claim, actors: dict[str, Actor]) -> bool:
        """Do the actors' classes fit the relation's domain and range in the ontology?"""
        s, o = actors.get(claim.subject), actors.get(claim.object)
        relation = self.vocabulary[claim.relation]
        return s is not None and o is not None and s.cls in relation.domain and o.cls in relation.range

    def _ended(self, claims: list[Claim]) -> list[Claim]:
        """A state the document later says ended ('Mexico left in 2004') no longer holds, unless it is
        stated again after that ('left in 2013 but rejoined in 2019'): the latest statement wins."""
        latest: dict[tuple[str, str, str], Claim] = {}
        for claim in sorted(claims, key=lambda c: (c.sent_start, c.trigger)):
            if claim.modality == ASSERTED or claim.rule.endswith(ENDED):
                latest[(claim.subject, claim.relation, claim.object)] = claim
        ended = {key for key, claim in latest.items() if claim.rule.endswith(ENDED)}
        return [replace(c, modality="past", cue=latest[(c.subject, c.relation, c.object)].cue)
                if c.modality == ASSERTED and (c.subject, c.relation, c.object) in ended else c for c in claims]
