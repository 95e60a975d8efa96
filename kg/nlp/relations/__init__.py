"""The `kg_relations` spaCy component: relation claims between actor mentions, with modality.

Triggers (verbs and nominalisations, with where their arguments sit) are data, in
kg/resources/data/relations.json, validated as `TriggerSpec`s when they load. This package holds the
general syntax, one module per construction: noun phrases and the actors they name (`mentions`),
the arguments of verbs (`arguments`: active, passive, participles, infinitives, relative
clauses), verb triggers (`verbs`), noun triggers (`nouns`: possessives, demonym adjectives,
hyphenated pairs, 'of/between/to/with' phrases, light verbs, copulas), leader titles (`leaders`),
membership lists (`lists`), and the assembly of claims with the attribution of a leader's acts to
the state they lead (`claim`).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.nlp.gazetteer import Actor, Gazetteer, default_gazetteer
from kg.nlp.modality import ModalityLexicon, word_forms
from kg.nlp.relations.agreements import Agreement, AgreementReader, AgreementWords
from kg.nlp.relations.arguments import VerbArguments
from kg.nlp.relations.claim import Claim, ClaimAssembly
from kg.nlp.relations.leaders import LeaderTitles
from kg.nlp.relations.lists import ListWords, MembershipLists
from kg.nlp.relations.mentions import NounPhrases
from kg.nlp.relations.nouns import NounTriggers
from kg.nlp.relations.provisions import DefenceProvisions, ProvisionWords
from kg.nlp.relations.spec import TriggerSpec
from kg.nlp.relations.syntax import RelationWords
from kg.nlp.relations.verbs import VerbTriggers
from kg.vocabulary import agreement_terms
from kg.vocabulary import relations as vocabulary

__all__ = ["Agreement", "Claim", "RelationExtractor"]

GERUND_ROLES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj"})  # "Fighting between A and B erupted"

if not Doc.has_extension("kg_claims"):
    Doc.set_extension("kg_claims", default=None)
    Doc.set_extension("kg_claim_actors", default=None)
    Doc.set_extension("kg_agreements", default=None)


def default_patterns() -> str:
    return resources.files("kg.resources").joinpath("data", "relations.json").read_text(encoding="utf-8")


@Language.factory("kg_relations", default_config={"patterns_path": None, "gazetteer_path": None},
                  assigns=["doc._.kg_claims", "doc._.kg_claim_actors", "doc._.kg_agreements"],
                  requires=["doc._.kg_mentions", "doc._.kg_actors", "token.dep"])
def make_relation_extractor(nlp: Language, name: str, patterns_path: str | None,
                            gazetteer_path: str | None) -> RelationExtractor:
    data = json.loads(Path(patterns_path).read_text(encoding="utf-8") if patterns_path else default_patterns())
    gazetteer = Gazetteer.from_file(Path(gazetteer_path)) if gazetteer_path else default_gazetteer()
    return RelationExtractor(data, gazetteer)


def misparsed_plural(token: Token) -> bool:
    """'announced asset freezes against X': a plural noun the parser took for a verb with the word
    before it as subject. Read as a noun, its argument is the clause's object."""
    return token.tag_ == "VBZ" and token.dep_ in ("ccomp", "conj", "dobj") and token.i > 0 \
        and token.doc[token.i - 1].dep_ in ("nsubj", "conj") and token.doc[token.i - 1].pos_ == "NOUN" \
        and token.lower_.endswith("s")


class RelationExtractor(ClaimAssembly, LeaderTitles, AgreementReader, DefenceProvisions, MembershipLists,
                        NounTriggers, VerbTriggers, VerbArguments, NounPhrases):
    """Finds claims of the vocabulary's relations in each sentence of a parsed doc."""

    def __init__(self, data: dict, gazetteer: Gazetteer) -> None:
        known = set(vocabulary())
        self.themes = {name: set(words) for name, words in data["themes"].items()}
        self.verbs = self._triggers(data["verbs"], "verbs", known)
        self.nouns = self._triggers(data["nouns"], "nouns", known)
        self.agent_nouns = set(data["agent_nouns"])
        self.titles = sorted((t.split() for t in data["leader_titles"]), key=len, reverse=True)
        self.hyphenated_titles = frozenset(t for t in data["leader_titles"] if "-" in t)
        self.lex = ModalityLexicon.from_data(data["modality"])
        self.lists = ListWords.from_data(data["lists"])
        self.words = RelationWords.from_data(data["words"])
        self.provisions = ProvisionWords.from_data(data["provisions"])
        self.agreement_words = AgreementWords.from_data(data["agreements"], agreement_terms())
        self.observer_verbs = frozenset(data["observer_verbs"])
        self.events = frozenset(data["events"])
        self.vocabulary = vocabulary()
        self.symmetric = {name for name, rel in self.vocabulary.items() if rel.symmetric}
        self.gazetteer = gazetteer

    def _triggers(self, entries: list[dict], section: str, known: set[str]) -> dict[str, list[TriggerSpec]]:
        table: dict[str, list[TriggerSpec]] = {}
        for n, entry in enumerate(entries):
            where = f"relations.json {section}[{n}] ({', '.join(entry.get('lemmas', [])[:2])})"
            spec = TriggerSpec.from_data(entry, where, known, set(self.themes))
            for lemma in spec.lemmas:
                table.setdefault(lemma, []).append(spec)
        return table

    def __call__(self, doc: Doc) -> Doc:
        actors: dict[str, Actor] = dict(doc._.kg_actors or {})  # kg_actors is the resolver's; this copy is ours
        claims: list[Claim] = []
        for sent in doc.sents:
            claims.extend(self._leaders(sent, actors))
            claims.extend(self._membership_lists(sent))
            for token in sent:
                if token._.kg_mention is not None:
                    continue  # "Treaty" in "Collective Security Treaty Organization" is a name, not a trigger
                if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                    for spec in self._specs(self.verbs, token):
                        claims.extend(self._verb_claims(token, spec))
                if token.pos_ in ("NOUN", "PROPN") or (token.tag_ == "VBG" and token.dep_ in GERUND_ROLES) \
                        or misparsed_plural(token):
                    for spec in self._specs(self.nouns, token):
                        claims.extend(self._noun_claims(token, spec))
        claims = self._ended(claims)
        claims.extend(self._defence_provisions(doc, claims))
        drafts = self._read_agreements(doc, claims)
        led = self._led(claims, actors)
        agreements, defence = self._settle(doc, drafts, led)
        doc._.kg_claims = self._lapsed(self._finish(claims + defence, actors, led), agreements)
        doc._.kg_agreements = agreements
        doc._.kg_claim_actors = actors  # the text's actors and the states leaders' acts are attributed to
        return doc

    @staticmethod
    def _specs(table: dict[str, list[TriggerSpec]], token: Token) -> list[TriggerSpec]:
        for form in word_forms(token):
            if form in table:
                return table[form]
        return []
