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
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from kg.nlp.gazetteer import slug
from kg.nlp.modality import ASSERTED, ModalityLexicon, modality_cue
from kg.nlp.relations.agreement_claims import AgreementClaims
from kg.nlp.relations.agreement_words import (
    DEFENCE,
    JOINED,
    NAMED,
    OTHER_KIND,
    PROPOSED,
    SIGNED,
    WITHDREW,
    Agreement,
    AgreementEvent,
    AgreementWords,
    acronym_after,
    headline,
    label,
    replace_party,
    sentence_date,
)
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.syntax import actor_class
from kg.nlp.segmentation import window
from kg.vocabulary import agreement_terms

__all__ = ["Agreement", "AgreementEvent", "AgreementReader", "AgreementWords"]


@dataclass
class _Draft:
    """An agreement while the document is read."""

    name: str
    kind: str
    nouns: set[str]
    acronym: str = ""
    obligations: dict[str, int] = field(default_factory=dict)  # obligation -> token index of its sentence
    events: list[tuple[AgreementEvent, bool]] = field(default_factory=list)  # and: said of a definite mention?
    named_parties: set[str] = field(default_factory=set)


class AgreementReader(AgreementClaims):
    """Mixin of the relation extractor: the document's agreements, and the claims they give."""

    agreement_words: AgreementWords
    lex: ModalityLexicon

    def _read_agreements(self, doc: Doc, claims: list[Claim]) -> list[_Draft]:
        drafts: list[_Draft] = []
        for sent in doc.sents:
            here: list[_Draft] = []
            heads: list[Token] = []
            for head in self._agreement_heads(sent, drafts):
                draft = self._resolve(head, drafts)
                here.append(draft)
                heads.append(head)
                self._frames(head, draft, claims)
            if drafts:
                self._intransitive_events(sent, (here or drafts)[-1])
            self._obligations(sent, here or drafts[-1:], heads)
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
            name = draft.name or f"{terms.kinds[draft.kind]} of {' and '.join(label(doc, p) for p in parties[:4])}"
            first = min((e.sent_start for e, _ in events if e.party), default=0)
            founders = sorted({e.party for e, _ in events if e.party and e.sent_start == first})
            described = f"{terms.kinds[draft.kind]} {' '.join(founders if len(founders) > 1 else parties)}"
            key = slug(draft.name or described)
            obligations = dict.fromkeys((*terms.implied.get(draft.kind, ()), *draft.obligations))
            agreement = Agreement(key, name, draft.kind, draft.acronym, tuple(obligations),
                                  tuple(e for e, _ in events))
            if key in found:  # one agreement mentioned twice as new ('a pact ... the A-B pact')
                old = found[key]
                agreement = Agreement(key, old.name, old.kind, old.acronym or agreement.acronym,
                                      tuple(dict.fromkeys((*old.obligations, *agreement.obligations))),
                                      old.events + agreement.events)
            found[key] = agreement
            if DEFENCE in obligations:
                claims += self._defence_claims(doc, agreement, events, draft.obligations.get(DEFENCE), terms)
            claims += self._signing_claims(doc, [e for e, _ in events])
        return list(found.values()), claims

    def _agreement_heads(self, sent: Span, drafts: list[_Draft]) -> list[Token]:
        nouns = self.agreement_words.nouns
        acronyms = {d.acronym for d in drafts if d.acronym}
        heads = []
        for token in sent:
            noun = token.pos_ in ("NOUN", "PROPN") and token.dep_ != "compound" \
                and (token.lemma_.lower() in nouns or token.lower_ in nouns)  # "treaty allies" are allies
            pronoun = token.lower_ == "it" and token.dep_ in ("dobj", "nsubjpass") and drafts \
                and self._status(token.head) is not None  # "Japan and the Philippines renewed it"
            if not (noun or token.text in acronyms or pronoun):
                continue
            mention = token._.kg_mention
            if mention is not None and (mention.key in self.gazetteer.actors or getattr(
                    token.head._.kg_mention, "key", None) == mention.key):
                continue  # "Collective Security Treaty Organization", "Government of National Accord" are actors
            heads.append(token)
        return heads

    def _resolve(self, head: Token, drafts: list[_Draft]) -> _Draft:
        """The agreement a mention names or refers to: by acronym, by name, the latest compatible one
        for a definite reference ('the treaty', 'their pact'), else a new one."""
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
            if latest is not None and not latest.name and kind == latest.kind != OTHER_KIND:
                # "their defence treaty ... The Treaty of X stipulates": the name of the one just spoken of
                latest.name, latest.acronym = name, acronym_after(tokens[-1])
                return latest
            draft = _Draft(name, kind, {head.lemma_.lower()}, acronym=acronym_after(tokens[-1]))
            drafts.append(draft)
            return draft
        parties = set(self._modifier_parties(head))
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in words.definite for c in head.children)
        if definite:
            for draft in reversed(drafts):
                if kind != OTHER_KIND and draft.kind not in (kind, OTHER_KIND):
                    continue
                known = draft.named_parties | {e.party for e, _ in draft.events if e.party}
                if parties and known and not parties <= known:
                    continue
                if head.lemma_.lower() in words.generic | draft.nouns or kind == draft.kind != OTHER_KIND:
                    if draft.kind == OTHER_KIND:
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
            if phrases(words):
                return kind
        return OTHER_KIND

    def _name(self, head: Token, tokens: list[Token]) -> str:
        """A proper name: a capitalised head not at the start of its sentence ('the Abraham Accords'), or a
        capitalised modifier that names no actor ('the New START treaty'), without determiners."""
        named_head = (head.is_title or head.is_upper) and head.i != head.sent.start
        named_modifier = any(t.pos_ == "PROPN" and t._.kg_mention is None and t.i < head.i and t.dep_ != "poss"
                             and not t.is_upper for t in tokens)
        if not (named_head or named_modifier) or headline(head.sent):
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
            status = PROPOSED
        events: list[tuple[str, str]] = [(p, NAMED) for p in named]
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
            subjects = self._verb_subjects(verb)
            for body in (c for c in verb.children if c.dep_ == "nsubj" and c.lemma_.lower() in words.legislatures):
                own = body._.kg_mention.key if body._.kg_mention is not None else None
                states = [k for c in body.children if c._.kg_mention is not None and c._.kg_mention.key != own
                          for k in self._actors_at(c)] + self._of_states(body)
                subjects = [k for k in subjects if k != own] + states  # "the Philippine Senate ratified it"
        if status in words.agreement_level and subjects:  # "Chad ended its defence pact with France"
            return events + [("", status)]
        partners = [k for c in verb.children if c.dep_ == "prep" and c.lower_ in ("with", "between")
                    for p in c.children if p.dep_ == "pobj" for k in self._actors_at(p)]
        if not subjects and status == SIGNED:
            subjects = [k for c in claims if c.relation == "signedAgreement" and c.sent_start == verb.sent.start_char
                        for k in (c.subject, c.object)]
        events += [(p, status) for p in [*(listed or subjects), *partners]]
        if status != WITHDREW:
            events += [(p, status) for p in named if p not in subjects]
        return events

    def _of_states(self, body: Token) -> list[str]:
        """'the parliament of Azerbaijan': the state a legislature belongs to."""
        return [k for c in body.children if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.children if p.dep_ == "pobj" for k in self._actors_at(p)]

    def _add_events(self, draft: _Draft, sent: Span, verb: Token, events: list[tuple[str, str]],
                    definite: bool) -> None:
        date = sentence_date(sent, verb)
        quoted, start, end = window(sent.text, verb.idx - sent.start_char)  # bounded like claims' evidence
        seen = set()
        for party, status in events:
            if (party, status) in seen or (status == NAMED and any(p == party and s != NAMED for p, s in events)):
                continue
            seen.add((party, status))
            event = AgreementEvent(status, party, date if status != NAMED else "", sent.start_char + start,
                                   sent.start_char + end, quoted, f"agreement:{status}", 0.75)
            draft.events.append((event, definite))

    def _intransitive_events(self, sent: Span, draft: _Draft) -> None:
        """'The Bahamas joined in 1982; Mexico left in 2004': joining or leaving with no object is about
        the agreement of the sentence, else the latest one."""
        for verb in sent:
            status = self._status(verb) if verb.pos_ == "VERB" else None
            objects = [c for c in verb.children if c.dep_ in ("dobj", "xcomp", "attr")
                       or (c.dep_ == "prep" and c.lower_ in ("from", "to", "into"))]
            if status in (JOINED, WITHDREW) and not objects:
                events = self._status_events(verb, verb, "intransitive", status, [], [], [])
                if events:
                    self._add_events(draft, sent, verb, events, True)

    def _status(self, verb: Token) -> str | None:
        for phrase, status in self.agreement_words.statuses.get(verb.lemma_.lower(), ()):
            if len(phrase) == 1:
                return status
            rest = [t.lemma_.lower() for t in verb.subtree if t.i > verb.i][:len(phrase) - 1]
            if tuple(rest) == phrase[1:]:
                return status
        return None

    # ---------------------------------------------------------------------------------------- obligations

    def _obligations(self, sent: Span, targets: list[_Draft], heads: list[Token]) -> None:
        """What a sentence binds the parties of the agreements it speaks of to: defence when it is a
        provision (see `DefenceProvisions`), the others by their phrases. When the sentence names
        several agreements, an obligation goes to the one named nearest its words."""
        if not targets:
            return
        words = [t.lower_ for t in sent]
        about = self.agreement_words.parties(words) or any(
            t.lemma_.lower() in self.agreement_words.nouns and t._.kg_mention is None for t in sent)
        if not about:
            return
        found: list[tuple[str, int]] = []  # obligation, where its words are in the sentence
        if self._is_provision(sent) and self._provision_modality(sent) == ASSERTED:
            found.append((DEFENCE, next(iter(self.provisions.defence_phrases.find(words)), sent.root.i - sent.start)))
        if modality_cue(sent.root, self.lex)[0] == ASSERTED:
            found += [(o, at[0]) for o, phrases in self.agreement_words.obligations
                      if (at := phrases.find(words)) and not (found and o == "MilitaryAssistance")]
        either = self._coordinated_states(sent) if any(o == DEFENCE for o, _ in found) else []  # "if either A or B"
        for obligation, at in found:
            nearest = min(zip(heads, targets, strict=True), key=lambda h: abs(h[0].i - sent.start - at))[1] \
                if heads else targets[-1]
            nearest.obligations.setdefault(obligation, sent.root.i)
            if obligation == DEFENCE and either and not nearest.named_parties:
                self._add_events(nearest, sent, sent.root, [(p, NAMED) for p in either], True)


