"""Agreements as entities of a document: treaties, pacts and accords with their parties, obligations
and dates, as alliance datasets (ATOP, Correlates of War) code them.

A text names an agreement once ("the Treaty of X (TX)", "a new defence pact") and then refers to it
("the treaty", "the pact", "TX"): a definite reference or a defined acronym resolves to the latest
compatible agreement of the document. Parties come from the usual frames ("signed by A and B",
"between A and B", "the A-B pact", "A's treaty with B", "A ratified/joined/left the pact"),
obligations from the agreement's kind and from provision sentences, and each party's status from the
verb that governs the mention, with a date when the sentence gives one. A defence obligation gives
`mutualDefense` between the parties the document leaves bound. Words are in the `agreements` section
of relations.json; kinds, obligations and statuses are the ontology's.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import combinations

from dateutil import parser as dateparser
from spacy.tokens import Doc, Span, Token

from kg.nlp.modality import ASSERTED, ModalityLexicon, modality_cue
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.syntax import actor_class
from kg.vocabulary import ACTOR_CLASSES, AgreementTerms, agreement_terms


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
    kinds: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]  # in order: the first kind that matches wins
    statuses: dict[tuple[str, ...], str]  # a verb lemma, or a phrase of lemmas ('enter into force')
    agreement_level: frozenset[str]
    obligations: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    parties: tuple[tuple[str, ...], ...]  # 'the parties', 'each other': a sentence about the latest agreement
    signing: frozenset[str]  # the statuses that are `signedAgreement` between the parties of one sentence
    party_classes: frozenset[str]  # actor classes that can be party to an agreement (not a bloc or region)
    hosts: frozenset[str]  # 'hosted the leaders to sign': the guests sign, not the host

    @classmethod
    def from_data(cls, data: dict, terms: AgreementTerms) -> AgreementWords:
        for section, known in (("kinds", terms.kinds), ("statuses", terms.statuses),
                               ("obligations", terms.obligations), ("party_classes", ACTOR_CLASSES)):
            unknown = set(data[section]) - set(known)
            if unknown:
                raise ValueError(f"relations.json 'agreements' {section}: not in the ontology: {sorted(unknown)}")
        return cls(
            nouns=frozenset(data["nouns"]), generic=frozenset(data["generic"]), definite=frozenset(data["definite"]),
            kinds=tuple((k, tuple(tuple(p.split()) for p in ps)) for k, ps in data["kinds"].items()),
            statuses=dict(sorted(((tuple(p.split()), status) for status, ps in data["statuses"].items() for p in ps),
                                 key=lambda item: -len(item[0]))),  # 'enter into force' before 'enter'

            agreement_level=frozenset(data["agreement_level"]),
            obligations=tuple((k, tuple(tuple(p.split()) for p in ps)) for k, ps in data["obligations"].items()),
            parties=tuple(tuple(p.split()) for p in data["parties"]),
            signing=frozenset(data["signing"]),
            party_classes=frozenset(data["party_classes"]),
            hosts=frozenset(data["hosts"]),
        )


@dataclass
class _Draft:
    """An agreement while the document is read."""

    name: str
    kind: str
    nouns: set[str]
    acronym: str = ""
    obligations: dict[str, int] = field(default_factory=dict)  # obligation -> token index of its sentence
    events: list[tuple[AgreementEvent, bool]] = field(default_factory=list)  # with: from a definite mention
    named_parties: set[str] = field(default_factory=set)


class AgreementReader:
    """Mixin of the relation extractor: the document's agreements, and `mutualDefense` from them."""

    agreement_words: AgreementWords
    lex: ModalityLexicon

    def _read_agreements(self, doc: Doc, claims: list[Claim]) -> list[_Draft]:
        drafts: list[_Draft] = []
        for sent in doc.sents:
            here: list[_Draft] = []
            for head in self._agreement_heads(sent, drafts):
                draft = self._resolve(head, drafts)
                if draft is not None:
                    here.append(draft)
                    self._frames(head, draft, claims)
            if drafts:
                self._intransitive_events(sent, (here or drafts)[-1])
            self._obligations(sent, here or drafts[-1:])
        return drafts

    def _settle(self, doc: Doc, drafts: list[_Draft], led: dict[str, str]) -> tuple[list[Agreement], list[Claim]]:
        """Agreements under stable keys, their parties attributed to the states their leaders act for,
        and `mutualDefense` between the bound parties of each defence agreement."""
        terms = agreement_terms()
        polities = self.agreement_words.party_classes
        found: dict[str, Agreement] = {}
        claims: list[Claim] = []
        for draft in drafts:
            events = [(replace_party(e, led.get(e.party, e.party)), definite) for e, definite in draft.events]
            events = [(e, d) for e, d in events if not e.party or actor_class(doc, e.party) in polities
                      or e.party in led.values()]
            parties = sorted({e.party for e, _ in events if e.party})
            if not draft.name and len(parties) < 2:
                continue
            name = draft.name or f"{terms.kinds[draft.kind]} of {' and '.join(_label(doc, p) for p in parties[:4])}"
            first = min((e.sent_start for e, _ in events if e.party), default=0)
            founders = sorted({e.party for e, _ in events if e.party and e.sent_start == first})
            described = f"{terms.kinds[draft.kind]} {' '.join(founders if len(founders) > 1 else parties)}"
            key = _slug(draft.name or described)
            obligations = dict.fromkeys((*terms.implied.get(draft.kind, ()), *draft.obligations))
            agreement = Agreement(key, name, draft.kind, draft.acronym, tuple(obligations),
                                  tuple(e for e, _ in events))
            if key in found:  # one agreement mentioned twice as new ('a pact ... the A-B pact')
                old = found[key]
                agreement = Agreement(key, old.name, old.kind, old.acronym or agreement.acronym,
                                      tuple(dict.fromkeys((*old.obligations, *agreement.obligations))),
                                      old.events + agreement.events)
            found[key] = agreement
            if "Defence" in obligations:
                claims += self._defence_claims(doc, draft, agreement, events, terms)
            claims += self._signing_claims(doc, [e for e, _ in events])
        return list(found.values()), claims

    @staticmethod
    def _lapsed(claims: list[Claim], agreements: list[Agreement]) -> list[Claim]:
        """A defence agreement the document says ended, expired, was suspended or was left no longer
        binds: its parties' `mutualDefense` stated before that is past, unless another agreement of the
        document still binds them."""
        terms = agreement_terms()
        defence = [a for a in agreements if "Defence" in a.obligations]
        still = {frozenset(pair) for a in defence for pair in combinations(a.bound(terms.binds), 2)}
        ended: dict[frozenset[str], AgreementEvent] = {}
        for agreement in defence:
            parties = agreement.parties()
            for event in agreement.events:
                if terms.binds.get(event.status) is not False:
                    continue
                pairs = [frozenset((event.party, p)) for p in parties if p != event.party] if event.party \
                    else [frozenset(pair) for pair in combinations(parties, 2)]
                ended.update((pair, event) for pair in pairs if pair not in still)
        lapsed = []
        for claim in claims:
            event = ended.get(frozenset((claim.subject, claim.object)))
            if claim.relation == "mutualDefense" and claim.modality == ASSERTED and event is not None \
                    and claim.sent_start <= event.sent_start:
                claim = replace(claim, modality="past", cue=terms.statuses[event.status])
            lapsed.append(claim)
        return lapsed

    def _signing_claims(self, doc: Doc, events: list[AgreementEvent]) -> list[Claim]:
        """`signedAgreement` between the parties one sentence says signed or ratified an agreement ('the
        agreement they made with Turkey', 'the pact between A and B was signed in 2020')."""
        claims = []
        for start in sorted({e.sent_start for e in events}):
            here = [e for e in events if e.sent_start == start]
            signing = any(not e.party and e.status in self.agreement_words.signing for e in here)
            signers = [e.party for e in here if e.party and (e.status in self.agreement_words.signing
                                                             or (signing and e.status == "Named"))]
            anchor = doc.char_span(start, here[0].sent_end, alignment_mode="expand")
            if anchor is None:
                continue
            claims += [self._claim(anchor.root, a, "signedAgreement", b, "agreement:signedAgreement", 0.7, ASSERTED)
                       for a, b in combinations(sorted(set(signers)), 2)]
        return claims

    def _defence_claims(self, doc: Doc, draft: _Draft, agreement: Agreement,
                        events: list[tuple[AgreementEvent, bool]], terms: AgreementTerms) -> list[Claim]:
        """A party named only in passing by an indefinite mention ('talks on a Russia-Iran pact') is not
        bound; one that signed, ratified, joined or is named by a definite mention is."""
        firm = Agreement(agreement.key, agreement.name, agreement.kind, agreement.acronym, agreement.obligations,
                         tuple(e for e, definite in events if e.status != "Named" or definite))
        bound = [p for p in firm.bound(terms.binds) if actor_class(doc, p) != "Person"]
        anchor_at = draft.obligations.get("Defence")
        claims = []
        for a, b in combinations(sorted(bound), 2):
            anchor = doc[anchor_at] if anchor_at is not None else None
            if anchor is None:  # the kind says defence: the latest sentence naming either party
                at = max((e.sent_start for e in firm.events if e.party in (a, b)), default=0)
                anchor = doc.char_span(at, at + 1, alignment_mode="expand")[0] if at < len(doc.text) else doc[0]
            claims.append(self._claim(anchor, a, "mutualDefense", b, "agreement:mutualDefense", 0.7, ASSERTED))
        return claims

    # ---------------------------------------------------------------------------------------- mentions

    def _agreement_heads(self, sent: Span, drafts: list[_Draft]) -> list[Token]:
        acronyms = {d.acronym for d in drafts if d.acronym}
        heads = []
        for token in sent:
            mention = token._.kg_mention
            inside = token.head._.kg_mention is not None and token.head._.kg_mention.key == getattr(mention, "key", "")
            if token.dep_ == "compound" or (mention is not None and (mention.key in self.gazetteer.actors or inside)):
                continue  # "Collective Security Treaty Organization", "Government of National Accord" are actors
            noun = token.pos_ in ("NOUN", "PROPN") and (token.lemma_.lower() in self.agreement_words.nouns
                                                         or token.lower_ in self.agreement_words.nouns)
            pronoun = token.lower_ == "it" and token.dep_ in ("dobj", "nsubjpass") and drafts \
                and self._status(token.head) is not None  # "Japan and the Philippines renewed it"
            if noun or token.text in acronyms or pronoun:
                heads.append(token)
        return heads

    def _resolve(self, head: Token, drafts: list[_Draft]) -> _Draft | None:
        words = self.agreement_words
        if head.lower_ == "it":
            return drafts[-1]
        by_acronym = next((d for d in reversed(drafts) if d.acronym and d.acronym == head.text), None)
        if by_acronym is not None:
            return by_acronym
        tokens = self._mention_tokens(head)
        kind = self._kind(tokens + self._described_by(head), head)
        name = self._name(head, tokens)
        if name:
            same = next((d for d in drafts if d.name.lower() == name.lower()), None)
            if same is not None:
                return same
            latest = drafts[-1] if drafts else None
            if latest is not None and not latest.name and kind == latest.kind != "OtherAgreement":
                # "their defence treaty ... The Treaty of X stipulates": the name of the one just spoken of
                latest.name, latest.acronym = name, _acronym_after(tokens[-1])
                return latest
            draft = _Draft(name, kind, {head.lemma_.lower()}, acronym=_acronym_after(tokens[-1]))
            drafts.append(draft)
            return draft
        parties = set(self._modifier_parties(head))
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in words.definite for c in head.children)
        if definite:
            for draft in reversed(drafts):
                if kind != "OtherAgreement" and draft.kind not in (kind, "OtherAgreement"):
                    continue
                known = draft.named_parties | {e.party for e, _ in draft.events if e.party}
                if parties and known and not parties <= known:
                    continue
                if head.lemma_.lower() in words.generic | draft.nouns or kind == draft.kind != "OtherAgreement":
                    if draft.kind == "OtherAgreement":
                        draft.kind = kind
                    draft.nouns.add(head.lemma_.lower())
                    return draft
        draft = _Draft("", kind, {head.lemma_.lower()})
        drafts.append(draft)
        return draft

    @staticmethod
    def _mention_tokens(head: Token) -> list[Token]:
        """The mention's words: its left modifiers, the head, and a capitalised 'of/on ...' that names it."""
        tokens = list(head.doc[head.left_edge.i:head.i + 1])
        if head.is_title or head.is_upper:
            for prep in head.rights:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "on", "for"):
                    name = list(itertools.takewhile(lambda t: t.lower_ not in ("between", "among", "with", "("),
                                                    prep.subtree))
                    if all(t.is_title or t.is_upper or t.is_stop or t.is_punct for t in name):
                        tokens += name
                    break
        return tokens

    @staticmethod
    def _described_by(head: Token) -> list[Token]:
        """Words after the head that say what kind of agreement it is: 'a deal for security cooperation'."""
        return [t for prep in head.rights if prep.dep_ == "prep" and prep.lower_ in ("for", "on", "of")
                for t in prep.subtree]

    def _kind(self, tokens: list[Token], head: Token) -> str:
        words = [t.lower_ for t in tokens] + [head.lemma_.lower()]
        for kind, phrases in self.agreement_words.kinds:
            if any(_contains(words, phrase) for phrase in phrases):
                return kind
        return "OtherAgreement"

    def _name(self, head: Token, tokens: list[Token]) -> str:
        """A proper name: a capitalised head not at the start of its sentence ('the Abraham Accords'), or a
        capitalised modifier that names no actor ('the New START treaty'), without determiners."""
        named_head = (head.is_title or head.is_upper) and head.i != head.sent.start
        named_modifier = any(t.pos_ == "PROPN" and t._.kg_mention is None and t.i < head.i and t.dep_ != "poss"
                             and not t.is_upper for t in tokens)
        if not (named_head or named_modifier) or _headline(head.sent):
            return ""
        start = next((i for i, t in enumerate(tokens) if t.dep_ not in ("det", "poss", "case")
                      and not (t.dep_ == "amod" and t.is_lower) and t.head.dep_ != "poss"), 0)
        return " ".join(t.text for t in tokens[start:]).replace(" - ", "-").replace(" 's", "'s")

    def _modifier_parties(self, head: Token) -> list[str]:
        """Actors named inside the mention ('the Russia-North Korea pact', 'Japan's treaty') or by its
        'between'/'with' phrases."""
        found = [t._.kg_mention.key for t in head.doc[head.left_edge.i:head.i] if t._.kg_mention is not None]
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("between", "with", "among"):
                found += [k for p in child.children if p.dep_ == "pobj" for k in self._actors_at(p)]
            elif child.dep_ == "poss" and child._.kg_mention is None:  # "the two countries' treaty"
                found += self._actors_at(child)
        return list(dict.fromkeys(found))

    def _listed_parties(self, head: Token) -> list[str]:
        """Members listed after the mention: 'twenty states entered the pact: A, B and C'."""
        return [k for c in head.children if c.dep_ == "appos" for k in self._actors_at(c)]

    # ---------------------------------------------------------------------------------------- frames

    def _frames(self, head: Token, draft: _Draft, claims: list[Claim]) -> None:
        """Parties and statuses from the words around one mention."""
        words = self.agreement_words
        sent = head.sent
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in words.definite for c in head.children) \
            or bool(draft.name)
        named = self._modifier_parties(head)
        if draft.name:  # "the UN Charter", "the Inter-American Treaty": no party in the name but a country's
            named = [k for k in named if actor_class(head.doc, k) == "Country" and not any(
                t.pos_ == "ADJ" and t._.kg_mention is not None and t._.kg_mention.key == k for t in head.subtree)]
        draft.named_parties.update(named)
        anchor = head.head if head.dep_ == "conj" else head  # "signed the accords and two agreements"
        verb, role = anchor.head, anchor.dep_
        if role == "pobj" and verb.dep_ in ("prep", "agent"):
            verb, role = verb.head, f"prep:{verb.lower_}"
        status = self._status(verb) if verb.pos_ in ("VERB", "AUX") and verb.i != anchor.i else None
        listed = self._listed_parties(head)
        events = self._status_events(verb if status else head, verb, role, status, named, listed, claims)
        if events is not None:
            self._add_events(draft, sent, verb, events, definite)
        for clause in head.children:  # "the pact signed by A and B", "the agreement they made with C"
            status = self._status(clause) if clause.dep_ in ("relcl", "acl") and clause.pos_ == "VERB" else None
            if status is not None:
                role = "nsubjpass" if clause.tag_ == "VBN" and clause.dep_ == "acl" else "relcl"
                events = self._status_events(clause, clause, role, status, named, [], claims)
                if events is not None:
                    self._add_events(draft, sent, clause, events, definite)

    def _status_events(self, said: Token, verb: Token, role: str, status: str | None, named: list[str],
                       listed: list[str], claims: list[Claim]) -> list[tuple[str, str]] | None:
        """(party, status) pairs, '' for the whole agreement, of what the word `said` says; None when
        the sentence says nothing happened ('refused to sign', 'might strike a deal')."""
        words = self.agreement_words
        mod, _ = modality_cue(said, self.lex)
        if mod in ("negated", "prevented", "question", "reported"):
            return None
        if mod not in (ASSERTED, "past"):
            if status is None or agreement_terms().binds.get(status) is not True:
                return None
            status = "Proposed"
        events: list[tuple[str, str]] = [(p, "Named") for p in named]
        if status is None:
            return events
        if role in ("nsubj", "nsubjpass") and (status in words.agreement_level or not named):
            agents = self._agents(verb) if role == "nsubjpass" else []
            if agents and status not in words.agreement_level:
                return events + [(p, status) for p in agents]
            return events + [("", status)]
        if role == "prep:by" and self._passive(verb):  # "A and B are bound by a treaty"
            subjects = [k for t in self._passive_subject(verb) for k in self._actors_at(t)]
        elif verb.dep_ in ("xcomp", "advcl") and verb.head.lemma_.lower() in words.hosts:  # "hosted X to sign"
            guests = [c for c in verb.head.children if c.dep_ == "dobj"]
            venues = {k for g in guests for p in g.children if p.dep_ == "prep" and p.lower_ in ("in", "at")
                      for t in p.children for k in self._actors_at(t)}  # "the leaders of A and B in Cairo"
            subjects = [k for g in guests for k in self._actors_at(g) if k not in venues]
        else:
            subjects = [k for k in self._verb_subjects(verb) if not _in_dateline(verb.doc, k, verb.sent)]
        if status in words.agreement_level and subjects:  # "Chad ended its defence pact with France"
            return events + [("", status)]
        partners = [k for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
                    for p in c.children if p.dep_ == "pobj" for k in self._actors_at(p)]
        if not subjects and status == "Signed":
            subjects = [k for c in claims if c.relation == "signedAgreement" and c.sent_start == verb.sent.start_char
                        for k in (c.subject, c.object)]
        events += [(p, status) for p in [*(listed or subjects), *partners]]
        if status != "Withdrew":
            events += [(p, status) for p in named if p not in subjects]
        return events

    def _add_events(self, draft: _Draft, sent: Span, verb: Token, events: list[tuple[str, str]],
                    definite: bool) -> None:
        date = _date(sent, verb)
        seen = set()
        for party, status in events:
            if (party, status) in seen or (status == "Named" and any(p == party and s != "Named" for p, s in events)):
                continue
            seen.add((party, status))
            event = AgreementEvent(status, party, date if status != "Named" else "", sent.start_char, sent.end_char,
                                   sent.text, f"agreement:{status}", 0.75)
            draft.events.append((event, definite))

    def _intransitive_events(self, sent: Span, draft: _Draft) -> None:
        """'The Bahamas joined in 1982; Mexico left in 2004': joining or leaving with no object is about
        the agreement of the sentence, else the latest one."""
        for verb in sent:
            status = self._status(verb) if verb.pos_ == "VERB" else None
            objects = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "attr")
                       or (c.dep_ == "prep" and c.lower_ in ("from", "to", "into"))]
            if status in ("Joined", "Withdrew") and not objects:
                events = self._status_events(verb, verb, "intransitive", status, [], [], [])
                if events:
                    self._add_events(draft, sent, verb, events, True)

    def _status(self, verb: Token) -> str | None:
        lemma = verb.lemma_.lower()
        for phrase, status in self.agreement_words.statuses.items():
            if phrase[0] != lemma:
                continue
            if len(phrase) == 1:
                return status
            rest = [t.lemma_.lower() for t in verb.subtree if t.i > verb.i][:len(phrase) - 1]
            if tuple(rest) == phrase[1:]:
                return status
        return None

    # ---------------------------------------------------------------------------------------- obligations

    def _obligations(self, sent: Span, targets: list[_Draft]) -> None:
        """What a sentence binds the parties of the agreements it speaks of to: defence when it is a
        provision (see `DefenceProvisions`), the others by their phrases."""
        if not targets:
            return
        words = [t.lower_ for t in sent]
        about = any(t._.kg_mention is None and t.lemma_.lower() in self.agreement_words.nouns for t in sent) \
            or any(_contains(words, p) for p in self.agreement_words.parties)
        if not about:
            return
        found = []
        if self._is_provision(sent) and self._provision_modality(sent) == ASSERTED:
            found.append("Defence")
        if modality_cue(sent.root, self.lex)[0] == ASSERTED:
            found += [o for o, phrases in self.agreement_words.obligations
                      if any(_contains(words, p) for p in phrases) and not (found and o == "MilitaryAssistance")]
        either = self._coordinated_states(sent) if "Defence" in found else []  # "if either A or B is attacked"
        for draft in targets:
            for obligation in found:
                draft.obligations.setdefault(obligation, sent.root.i)
            if either and not draft.named_parties:
                self._add_events(draft, sent, sent.root, [(p, "Named") for p in either], True)


def replace_party(event: AgreementEvent, party: str) -> AgreementEvent:
    return event if party == event.party else AgreementEvent(event.status, party, event.date, event.sent_start,
                                                             event.sent_end, event.sentence, event.rule,
                                                             event.confidence)


def _headline(sent: Span) -> bool:
    """'Defense Pact Between Russia and North Korea': every word capitalised, no full stop; its capitals
    name nothing."""
    return not sent.text.rstrip().endswith((".", "!", "?")) and all(
        t.is_title or t.is_upper or t.is_stop or not t.is_alpha for t in sent)


def _in_dateline(doc: Doc, key: str, sent: Span) -> bool:
    """'Seoul, 3 March 2025 - Russia and ... signed': the place of a dateline is no party."""
    for token in sent[:4]:
        if token._.kg_mention is not None and token._.kg_mention.key == key:
            rest = sent[token.i - sent.start + 1:token.i - sent.start + 3]
            return any(t.text == "," for t in rest[:1]) and any(t.ent_type_ == "DATE" for t in rest)
    return False


def _label(doc: Doc, key: str) -> str:
    actor = (doc._.kg_actors or {}).get(key)
    return actor.name if actor is not None else key


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _acronym_after(last: Token) -> str:
    """'the Inter-American Treaty of Reciprocal Assistance (TIAR)': the acronym the text defines."""
    doc = last.doc
    i = last.i + 1
    if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")" and doc[i + 1].is_upper \
            and len(doc[i + 1].text) > 1:
        return doc[i + 1].text
    return ""


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def _date(sent: Span, verb: Token) -> str:
    """The date of the sentence's DATE entity nearest the verb, as precise as its text (a year, a month,
    a day); '' for a date with no year ('on Tuesday'), which only the article's date could place."""
    dates = sorted((e for e in sent.ents if e.label_ == "DATE" and _YEAR.search(e.text)),
                   key=lambda e: (not _governed(e.root, verb), abs(e.start - verb.i)))
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


def _governed(token: Token, verb: Token) -> bool:
    """Is `token` in the verb's own clause, not in a clause coordinated with it ('left in 2013 but
    rejoined in 2019')?"""
    for ancestor in (token, *token.ancestors):
        if ancestor.head.i == verb.i:
            return ancestor.dep_ != "conj"
        if ancestor.dep_ == "conj" and ancestor.head.pos_ == "VERB":
            return False
    return False


def _contains(words: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(words[i:i + n]) == phrase for i in range(len(words) - n + 1))
