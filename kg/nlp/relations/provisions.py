"""Defence provisions: an agreement whose parties must defend each other gives `mutualDefense`.

Whatever words name the treaty (vocabulary.md v1.1), a sentence that binds parties to help each
other against an attack ("an attack on any member is an attack on all", "the parties will
provide each other with assistance in the event of aggression", "signed as a means of mutual
defence") gives `mutualDefense` between the agreement and its members, when the agreement is an
organisation whose members the document lists, between coordinated states it names ("if either
A or B is attacked"), or between the parties of the latest agreement it says was signed. Words
are in the `provisions` section of kg/resources/data/relations.json.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from spacy.tokens import Doc, Span, Token

from kg.nlp.modality import ASSERTED, ModalityLexicon
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.syntax import Phrases, actor_class


@dataclass(frozen=True)
class ProvisionWords:
    """The `provisions` section of relations.json."""

    defence_phrases: Phrases  # 'mutual defense', 'attack on all'
    attack: frozenset[str]
    reciprocal: Phrases  # 'each other', 'either', 'any member'
    assistance: frozenset[str]
    agreement_nouns: frozenset[str]  # a sentence speaking of an agreement named before
    denials: frozenset[str]  # 'no mutual defence clause', 'without mutual defence'
    commitments: frozenset[str]  # 'pledged to defend each other': a commitment verb states the provision

    @classmethod
    def from_data(cls, data: dict[str, list[str]]) -> ProvisionWords:
        expected = set(cls.__dataclass_fields__)
        if set(data) != expected:
            raise ValueError(f"relations.json 'provisions': expected keys {sorted(expected)}, got {sorted(data)}")
        return cls(defence_phrases=Phrases(data["defence_phrases"]),
                   attack=frozenset(data["attack"]),
                   reciprocal=Phrases(data["reciprocal"]),
                   assistance=frozenset(data["assistance"]),
                   agreement_nouns=frozenset(data["agreement_nouns"]),
                   denials=frozenset(data["denials"]), commitments=frozenset(data["commitments"]))


class DefenceProvisions:
    """Mixin of the relation extractor: `mutualDefense` from provisions, read over the whole document."""

    provisions: ProvisionWords
    lex: ModalityLexicon

    def _defence_provisions(self, doc: Doc, claims: list[Claim]) -> list[Claim]:
        """Provision claims, given the document's other claims with ended states already applied
        (members who left are no parties)."""
        found: list[Claim] = []
        for sent in doc.sents:
            if not self._is_provision(sent) or self._provision_modality(sent) != ASSERTED:
                continue
            rule = "provision:mutualDefense"
            agreement = next((org for t in sent if (org := self._organisation_ref(t))), None)
            if agreement is None and any(t.lemma_.lower() in self.provisions.agreement_nouns for t in sent):
                agreement = self._latest_organisation(sent[0], "treaty")  # "the treaty", "the parties"
            parties: list[tuple[str, str]] = []
            if agreement is not None:
                members = [c.subject for c in claims if c.relation == "memberOf" and c.object == agreement
                           and c.modality == ASSERTED]
                parties += [(agreement, m) for m in dict.fromkeys(members)]
            coordinated = self._coordinated_states(sent)
            parties += list(combinations(coordinated, 2))
            if not parties:  # "the treaty commits A and B to come to each other's aid"
                parties += list(combinations(self._coordinated_states(sent, preconj=False), 2))
            if not parties:
                signed = [c for c in claims if c.relation == "signedAgreement" and c.modality == ASSERTED
                          and c.sent_start <= sent.start_char]
                parties += [(c.subject, c.object) for c in signed if c.sent_start == signed[-1].sent_start]
            anchor = sent.root
            found += [self._claim(anchor, a, "mutualDefense", b, rule, 0.75, ASSERTED) for a, b in parties if a != b]
        return found

    def _is_provision(self, sent: Span) -> bool:
        words = [t.lower_ for t in sent]
        found = self.provisions.defence_phrases.find(words)
        if found:
            return not all(self._denied(sent[i]) for i in found)
        lemmas = {t.lemma_.lower() for t in sent}
        return bool(lemmas & self.provisions.attack) and bool(lemmas & self.provisions.assistance) \
            and self.provisions.reciprocal(words)

    def _denied(self, token: Token) -> bool:
        """'contains no mutual defence clause', 'a partnership without mutual defence': the phrase is denied."""
        noun = token
        while noun.dep_ in ("amod", "compound", "nmod") and noun.head.i != noun.i:
            noun = noun.head
        if any(c.lower_ in self.provisions.denials for c in noun.children if c.dep_ == "det"):
            return True
        head = noun.head
        return (noun.dep_ == "pobj" and head.lower_ in self.provisions.denials) or (
            noun.dep_ in ("dobj", "attr") and any(c.dep_ == "neg" for c in head.children))

    def _provision_modality(self, sent: Span) -> str:
        """A provision is conditional by nature ('would help if attacked'); it is not asserted when its
        main clause is negated or demanded ('should act if'), or names a pact only proposed."""
        root = sent.root
        passive = any(c.dep_ == "auxpass" for c in root.children)  # "is considered an attack on all"
        if not passive and root.lemma_.lower() not in self.provisions.commitments \
                and self.lex.verbs.get(root.lemma_.lower(), ASSERTED) != ASSERTED:
            return self.lex.verbs[root.lemma_.lower()]  # "Russia proposed a mutual defence pact"
        for child in root.children:
            if child.dep_ == "neg":
                return "negated"
            if child.dep_ == "aux" and self.lex.modal_aux.get(child.lower_) == "demanded":
                return "demanded"
        for token in sent:
            mark = self.lex.adjectives.get(token.lower_)
            if token.dep_ == "amod" and mark in ("intended", "hypothetical", "past"):
                return mark
        return ASSERTED

    @staticmethod
    def _coordinated_states(sent: Span, preconj: bool = True) -> list[str]:
        """States coordinated as alternatives or pairs: 'either A or B', 'both A and B'; without
        `preconj`, any coordination of states ('commits A and B to ...')."""
        for token in sent:
            if (token.lower_ in ("either", "both") and token.dep_ == "preconj") or (
                    not preconj and token._.kg_mention is not None and token.dep_ != "conj"
                    and any(c.dep_ == "conj" for c in token.children)):
                head: Token = token.head if token.dep_ == "preconj" else token
                group = [head, *(c for c in head.subtree if c.dep_ == "conj")]
                keys = [t._.kg_mention.key for t in group if t._.kg_mention is not None
                        and actor_class(sent.doc, t._.kg_mention.key) == "Country"]
                if len(set(keys)) > 1:
                    return list(dict.fromkeys(keys))
        return []
