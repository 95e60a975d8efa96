"""Agreements as a document describes them, and the words that find them.

`Agreement` and `AgreementEvent` are what extraction hands on (to RDF); `AgreementWords` is the
`agreements` section of relations.json, checked against the ontology's kinds, obligations and
statuses; the rest are the text helpers the reader (`kg.nlp.relations.agreements`) needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from dateutil import parser as dateparser
from spacy.tokens import Doc, Span, Token

from kg.nlp.relations.syntax import Phrases
from kg.vocabulary import ACTOR_CLASSES, AgreementTerms

# The ontology's terms that the reader's logic turns on (checked against it when the words load).
NAMED, PROPOSED, SIGNED, JOINED, WITHDREW = "Named", "Proposed", "Signed", "Joined", "Withdrew"
OTHER_KIND = "OtherAgreement"
DEFENCE = "Defence"  # the obligation that binds parties to defend each other: `mutualDefense`


@dataclass(frozen=True)
class AgreementEvent:
    """A sentence saying something happened to an agreement: for one party (`party`) or, with no party,
    for all (it entered into force, expired, was suspended). Statuses are the ontology's
    kg:AgreementStatus local names; `date` is ISO 8601 as precise as the text ('2024', '2024-06-19')."""

    status: str
    party: str
    date: str
    sent_start: int
    sent_end: int
    sentence: str
    rule: str
    confidence: float


@dataclass(frozen=True)
class Agreement:
    """An agreement a document names or describes, under a key stable across documents: the slug of its
    name, or of its kind and parties when it has no name ('a new defence pact' of Russia and North Korea)."""

    key: str
    name: str
    kind: str  # kg:AgreementKind local name
    acronym: str
    obligations: tuple[str, ...]  # kg:Obligation local names
    events: tuple[AgreementEvent, ...]

    def parties(self) -> list[str]:
        return list(dict.fromkeys(e.party for e in self.events if e.party))

    def bound(self, binds: dict[str, bool]) -> list[str]:
        """The parties the document leaves bound: each one's latest binding or unbinding event decides,
        and an agreement-wide end (expired, suspended, ended) after it unbinds everyone."""
        state: dict[str, bool] = {}
        for event in sorted(self.events, key=lambda e: e.sent_start):
            effect = binds.get(event.status)
            if effect is None:
                continue
            if event.party:
                state[event.party] = effect
            elif not effect:
                state = dict.fromkeys(state, False)
        return [p for p, bound in state.items() if bound]


@dataclass(frozen=True)
class AgreementWords:
    """The `agreements` section of relations.json, checked against the ontology's terms."""

    nouns: frozenset[str]
    generic: frozenset[str]  # a definite 'the agreement' may refer to an agreement of any kind
    definite: frozenset[str]
    kinds: tuple[tuple[str, Phrases], ...]  # in order: the first kind that matches wins
    statuses: dict[str, list[tuple[tuple[str, ...], str]]]  # first lemma -> phrases ('enter into force') longest first
    agreement_level: frozenset[str]
    obligations: tuple[tuple[str, Phrases], ...]
    parties: Phrases  # 'the parties', 'each other': a sentence about the latest agreement
    signing: frozenset[str]  # the statuses that are `signedAgreement` between the parties of one sentence
    party_classes: frozenset[str]  # actor classes that can be party to an agreement (not a bloc or region)
    hosts: frozenset[str]  # 'hosted the leaders to sign': the guests sign, not the host
    legislatures: frozenset[str]  # 'the Philippine Senate ratified it': the state is the party

    @classmethod
    def from_data(cls, data: dict, terms: AgreementTerms) -> AgreementWords:
        missing = ({NAMED, PROPOSED, SIGNED, JOINED, WITHDREW} - set(terms.statuses)) \
            | ({OTHER_KIND} - set(terms.kinds)) | ({DEFENCE} - set(terms.obligations))
        if missing:
            raise ValueError(f"the ontology lacks agreement terms the reader needs: {sorted(missing)}")
        for section, known in (("kinds", terms.kinds), ("statuses", terms.statuses),
                               ("obligations", terms.obligations), ("party_classes", ACTOR_CLASSES)):
            unknown = set(data[section]) - set(known)
            if unknown:
                raise ValueError(f"relations.json 'agreements' {section}: not in the ontology: {sorted(unknown)}")
        return cls(
            nouns=frozenset(data["nouns"]), generic=frozenset(data["generic"]), definite=frozenset(data["definite"]),
            kinds=tuple((k, Phrases(ps)) for k, ps in data["kinds"].items()),
            statuses=_by_first_lemma(data["statuses"]),
            agreement_level=frozenset(data["agreement_level"]),
            obligations=tuple((k, Phrases(ps)) for k, ps in data["obligations"].items()),
            parties=Phrases(data["parties"]),
            signing=frozenset(data["signing"]),
            party_classes=frozenset(data["party_classes"]),
            hosts=frozenset(data["hosts"]),
            legislatures=frozenset(data["legislatures"]),
        )


def replace_party(event: AgreementEvent, party: str) -> AgreementEvent:
    return event if party == event.party else AgreementEvent(event.status, party, event.date, event.sent_start,
                                                             event.sent_end, event.sentence, event.rule,
                                                             event.confidence)


def _by_first_lemma(statuses: dict[str, list[str]]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Status phrases by their first lemma, longest first: 'enter into force' before 'enter'."""
    table: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for status, phrases in statuses.items():
        for phrase in phrases:
            words = tuple(phrase.split())
            table.setdefault(words[0], []).append((words, status))
    return {lemma: sorted(entries, key=lambda e: -len(e[0])) for lemma, entries in table.items()}


def headline(sent: Span) -> bool:
    """'Defense Pact Between Russia and North Korea': every word capitalised, no full stop; its capitals
    name nothing."""
    return not sent.text.rstrip().endswith((".", "!", "?")) and all(
        t.is_title or t.is_upper or t.is_stop or not t.is_alpha for t in sent)


def label(doc: Doc, key: str) -> str:
    actor = (doc._.kg_actors or {}).get(key)
    return actor.name if actor is not None else key


def acronym_after(last: Token) -> str:
    """'the Inter-American Treaty of Reciprocal Assistance (TIAR)': the acronym the text defines."""
    doc = last.doc
    i = last.i + 1
    if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and doc[i + 1].is_upper \
            and len(doc[i + 1].text) > 1:
        return doc[i + 1].text
    return ""


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def sentence_date(sent: Span, verb: Token) -> str:
    """The date of the sentence's DATE entity nearest the verb, as precise as its text (a year, a month,
    a day); '' for a date with no year ('on Tuesday'), which only the article's date could place."""
    dates = sorted((e for e in _date_spans(sent) if _YEAR.search(e.text)),
                   key=lambda e: (not governed(e.root, verb), abs(e.start - verb.i)))
    for ent in dates:
        try:
            a, b = (dateparser.parse(ent.text, default=d, fuzzy=True) for d in _DEFAULTS)
        except (ValueError, OverflowError):
            continue
        if a.year != b.year:
            continue
        if a.month != b.month:
            return f"{a.year:04d}"
        if a.day != b.day:
            return f"{a.year:04d}-{a.month:02d}"
        return f"{a.year:04d}-{a.month:02d}-{a.day:02d}"
    return ""


def _date_spans(sent: Span) -> list[Span]:
    """The sentence's DATE entities, read from its tokens (`Span.ents` rebuilds the whole doc's)."""
    spans, start = [], None
    for token in sent:
        if start is not None and (token.ent_iob_ != "I" or token.ent_type_ != "DATE"):
            spans.append(sent.doc[start:token.i])
            start = None
        if token.ent_iob_ == "B" and token.ent_type_ == "DATE":
            start = token.i
    if start is not None:
        spans.append(sent.doc[start:sent.end])
    return spans


def governed(token: Token, verb: Token) -> bool:
    """Is `token` in the verb's own clause, not in a clause coordinated with it ('left in 2013 but
    rejoined in 2019')?"""
    for ancestor in (token, *token.ancestors):
        if ancestor.head.i == verb.i:
            return ancestor.dep_ != "conj"
        if ancestor.dep_ == "conj" and ancestor.head.pos_ == "VERB":
            return False
    return False
