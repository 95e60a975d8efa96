"""The `kg_relations` spaCy component: relation claims between actor mentions, with modality.

Triggers (verbs and nominalisations, with where their arguments sit) are data, in
kg/data/relations.json. This module holds the general syntax: subjects and objects of verbs
(active, passive, participles, infinitives, relative clauses), arguments of nouns (possessives,
demonym adjectives, compounds and hyphenated pairs, 'of/between/to/with' phrases), coordination,
light verbs ('signed a pact with'), copulas ('X is a member of Y'), leader titles, and the
attribution of a leader's acts to the state they lead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from importlib.resources import files
from itertools import combinations
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.nlp.actors import Mention
from kg.nlp.gazetteer import Actor, default_gazetteer
from kg.nlp.modality import ASSERTED, ModalityLexicon, modality, word_forms
from kg.rdf.vocabulary import relations as vocabulary

DATA = files("kg.resources") / "data" / "relations.json"
STATE_CLASSES = {"Country", "Organization", "Bloc"}
PRONOUNS = {"its", "their", "it", "they"}
PARTS = {"part", "fifth", "third", "quarter", "half", "much", "most", "portion", "swath", "swathe", "chunk",
         "area", "territory", "region", "province", "city", "soil", "land", "border", "coast", "capital"}
OBJECT_CONTROL = {"urge", "ask", "call", "press", "force", "allow", "order", "encourage", "persuade", "push",
                  "pressure", "compel", "permit", "invite", "tell", "request", "require", "authorize", "authorise",
                  "help", "enable", "warn", "advise", "oblige", "lead"}
RELATIVE = {"that", "which", "who", "whom"}
PAIR_NOUNS = {"country", "nation", "state", "side", "government", "power", "neighbour", "neighbor", "ally", "partner"}


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


if not Doc.has_extension("kg_claims"):
    Doc.set_extension("kg_claims", default=None)


@Language.factory("kg_relations", default_config={"patterns_path": None})
def make_relation_extractor(nlp: Language, name: str, patterns_path: str | None) -> RelationExtractor:
    data = json.loads(Path(patterns_path or DATA).read_text(encoding="utf-8"))
    return RelationExtractor(data)


class RelationExtractor:
    """Finds claims of the vocabulary's relations in each sentence of a parsed doc."""

    def __init__(self, data: dict) -> None:
        self.themes = {name: set(words) for name, words in data["themes"].items()}
        self.verbs: dict[str, list[dict]] = {}
        for spec in data["verbs"]:
            for lemma in spec["lemmas"]:
                self.verbs.setdefault(lemma, []).append(spec)
        self.nouns: dict[str, list[dict]] = {}
        for spec in data["nouns"]:
            for lemma in spec["lemmas"]:
                self.nouns.setdefault(lemma, []).append(spec)
        self.agent_nouns = set(data["agent_nouns"])
        self.titles = sorted((t.split() for t in data["leader_titles"]), key=len, reverse=True)
        self.lex = ModalityLexicon.from_data(data["modality"])
        self.symmetric = {name for name, rel in vocabulary().items() if rel.symmetric}
        self.gazetteer = default_gazetteer()

    # ------------------------------------------------------------------ entry point
    def __call__(self, doc: Doc) -> Doc:
        actors: dict[str, Actor] = doc._.kg_actors or {}
        claims: list[Claim] = []
        for sent in doc.sents:
            claims.extend(self._leaders(sent, actors))
            for token in sent:
                if token._.kg_mention is not None:
                    continue  # "Treaty" in "Collective Security Treaty Organization" is a name, not a trigger
                if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                    for spec in self._specs(self.verbs, token):
                        claims.extend(self._verb_claims(token, spec))
                elif token.pos_ in ("NOUN", "PROPN"):
                    for spec in self._specs(self.nouns, token):
                        claims.extend(self._noun_claims(token, spec))
        doc._.kg_claims = self._finish(claims, actors)
        return doc

    @staticmethod
    def _specs(table: dict[str, list[dict]], token: Token) -> list[dict]:
        for form in word_forms(token):
            if form in table:
                return table[form]
        return []

    # ------------------------------------------------------------------ mentions
    def _actors_at(self, token: Token, depth: int = 0) -> list[str]:
        """The actors a noun phrase headed by `token` names, coordination included."""
        if depth > 4:
            return []
        found: list[str] = []
        mention: Mention | None = token._.kg_mention
        if mention is not None:
            found.append(mention.key)
        elif token.dep_ == "appos" and token.head._.kg_mention is not None:
            found.extend(self._actors_at(token.head, depth + 1))
        elif token.lower_ in PRONOUNS:
            found.extend(self._pronoun(token))
        elif token.lower_ in RELATIVE and token.head.dep_ == "relcl":
            found.extend(self._actors_at(token.head.head, depth + 1))
        else:
            if token.pos_ in ("NOUN", "PROPN"):
                found.extend(self._modifier_actors(token, of=token.lemma_.lower() in self.agent_nouns))
            if not found and token.lemma_.lower() in PAIR_NOUNS:
                found.extend(self._pair_reference(token))
            if not found and token.dep_ in ("attr", "oprd"):
                found.extend(self._copula_subjects(token, depth))
            elif not found and token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN") \
                    and token.head._.kg_mention is None:
                found.extend(self._actors_at(token.head, depth + 1))
        if mention is not None or token.pos_ == "PROPN" or found:
            for child in token.children:
                if child.dep_ == "conj" or (child.dep_ == "appos" and child._.kg_mention is not None
                                            and mention is not None):
                    found.extend(k for k in self._actors_at(child, depth + 1) if k not in found)
        return found

    def _modifier_actors(self, token: Token, of: bool = True) -> list[str]:
        """'Russian troops', 'Iran's government', 'the government of Iran' or 'in Niamey' -> the actor."""
        found = []
        for child in token.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child._.kg_mention is not None:
                found.extend(k for k in self._actors_at(child) if k not in found)
            elif child.dep_ == "poss" and child.lower_ in PRONOUNS and token.dep_ != "appos":
                found.extend(self._pronoun(child))
            elif (of or token.lemma_.lower() in PARTS) and child.dep_ == "prep" and child.lower_ in ("of", "in"):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if pobj._.kg_mention is not None:
                        found.append(pobj._.kg_mention.key)
                    elif pobj.lemma_.lower() in PARTS:  # "a fifth of Ukraine's territory"
                        found.extend(self._modifier_actors(pobj, of=False))
        return found

    def _copula_subjects(self, token: Token, depth: int) -> list[str]:
        verb = token.head
        while verb.dep_ == "conj" and verb.head.pos_ in ("NOUN", "PROPN"):
            verb = verb.head.head
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return self._actors_at(child, depth + 1)
        return []

    def _pronoun(self, token: Token) -> list[str]:
        """'its'/'their' refer back to the nearest preceding state-like actor in the sentence."""
        for prev in reversed(list(token.sent[: token.i - token.sent.start])):
            mention = prev._.kg_mention
            if mention is not None and mention.kind != "demonym":
                actor = token.doc._.kg_actors.get(mention.key)
                if actor is not None and actor.cls in STATE_CLASSES:
                    return [mention.key]
        return []

    def _pair_reference(self, token: Token) -> list[str]:
        """'both countries', 'the two sides' -> the last two states mentioned before."""
        if not any(c.lower_ in ("both", "two") for c in token.children):
            return []
        keys: list[str] = []
        doc = token.doc
        for mention in reversed(doc._.kg_mentions or []):
            if mention.start >= token.i:
                continue
            actor = doc._.kg_actors.get(mention.key)
            if actor is not None and actor.cls in STATE_CLASSES and mention.key not in keys:
                keys.append(mention.key)
            if len(keys) == 2:
                return keys
        return []

    # ------------------------------------------------------------------ verbs
    @staticmethod
    def _passive(verb: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass", "agent") for c in verb.children):
            return True
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return True
        own = any(c.dep_ in ("nsubj", "aux") for c in verb.children)
        return verb.dep_ == "conj" and verb.tag_ == "VBN" and not own and any(
            c.dep_ in ("nsubjpass", "auxpass") for c in verb.head.children)

    @staticmethod
    def _participle_misparse(verb: Token) -> bool:
        """'X, backed by Y, wants ...' parsed with 'backed' as the active main verb of X."""
        deps = {c.dep_ for c in verb.children}
        return "agent" in deps and "nsubj" in deps and not deps & {"auxpass", "nsubjpass"}

    @staticmethod
    def _passive_subject(verb: Token) -> list[Token]:
        """The surface subject of a passive verb, shared along coordinated verbs."""
        while True:
            found = [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not found and any(c.dep_ == "agent" for c in verb.children):
                found = [c for c in verb.children if c.dep_ == "nsubj"]  # 'X, backed by Y,' parsed as active
            if found or verb.dep_ != "conj":
                return found
            verb = verb.head

    def _agents(self, verb: Token) -> list[str]:
        """'by X' of a passive verb, or of the verb coordinated with it ('financed and armed by Iran')."""
        for candidate in (verb, *(c for c in verb.children if c.dep_ == "conj"), verb.head):
            for child in candidate.children:
                if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                    return [k for p in child.children if p.dep_ == "pobj" for k in self._actors_at(p)]
        return []

    def _verb_subjects(self, verb: Token, depth: int = 0) -> list[str]:
        if depth > 2:
            return []
        if self._passive(verb):
            return self._agents(verb)
        for child in (*verb.children, *(g for c in verb.children if c.dep_ == "aux" for g in c.children)):
            if child.dep_ in ("nsubj", "csubj"):
                return self._actors_at(child)
        if verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG"):
            return self._actors_at(verb.head)
        if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return self._light_subjects(verb.head)  # "X signed a contract to supply Y"
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in OBJECT_CONTROL:
            controller = [c for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass")]
            if controller:  # "urged Beijing not to supply ...": Beijing would supply
                return [k for c in controller for k in self._actors_at(c)]
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acomp", "oprd") and verb.head.pos_ in ("VERB", "AUX"):
            head = verb.head
            if self._participle_misparse(head):
                return [k for c in head.children if c.dep_ == "nsubj" for k in self._actors_at(c)]
            return self._verb_subjects(head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            return self._verb_subjects(verb.head.head, depth + 1) if verb.head.head.pos_ == "VERB" else []
        return []

    def _prep_objects(self, heads: list[Token], prep_word: str) -> list[Token]:
        """Objects of `prep_word` phrases on the heads, or nested one phrase down ('alongside X against Y')."""
        out: list[Token] = []
        for nested in (False, True):
            for head in heads:
                for child in head.children:
                    if child.dep_ not in ("prep", "agent", "dative"):
                        continue
                    pobjs = [p for p in child.children if p.dep_ == "pobj"]
                    if not nested and child.lower_ == prep_word:
                        out.extend(pobjs)
                    elif nested:
                        out.extend(p for pobj in pobjs for p in self._prep_objects([pobj], prep_word))
                        if out:
                            return out
            if out:
                return out
        return out

    def _verb_objects(self, verb: Token, places: list[str], deep: bool) -> list[Token]:
        passive = self._passive(verb)
        dobj = [c for c in verb.children if c.dep_ == "dobj"]
        tokens: list[Token] = []
        for place in places:
            if place == "dobj":
                if passive and verb.dep_ != "acl":
                    tokens.extend(self._passive_subject(verb))
                elif verb.dep_ == "acl" and verb.tag_ == "VBN":
                    tokens.append(verb.head)
                else:
                    tokens.extend(dobj)
            elif place in ("dative", "npadvmod"):
                tokens.extend(c for c in verb.children if c.dep_ == place)
            elif place.startswith("prep:"):
                tokens.extend(self._prep_objects([verb, *dobj], place[5:]))
            if tokens:
                break
        if deep and not any(self._actors_at(t) for t in tokens):
            for child in verb.children:
                if child.dep_ in ("dobj", "prep"):
                    tokens.extend(t for t in child.subtree if t._.kg_mention is not None)
        return tokens

    def _role(self, verb: Token, sources: str | list[str]) -> list[str]:
        """Actors in one syntactic role: the agent ('nsubj'), the patient ('dobj') or a 'prep:X' phrase.

        For verbs whose grammatical subject is not the relation's subject ('Qatar hosts U.S. troops',
        'Finland was admitted to NATO', 'Israel received bombs from American stocks').
        """
        if isinstance(sources, list):
            return next((found for found in (self._role(verb, s) for s in sources) if found), [])
        source = sources
        passive = self._passive(verb)
        if source == "nsubj":
            if passive:
                return self._agents(verb)
            return self._verb_subjects(verb)
        if source == "dobj":
            carriers = self._passive_subject(verb) if passive else [c for c in verb.children if c.dep_ == "dobj"]
            return [k for t in carriers for k in (self._actors_at(t) or self._modifier_actors(t))]
        if source.startswith("prep:"):
            return [k for t in self._prep_objects([verb], source[5:]) for k in self._actors_at(t)]
        return []

    def _has_theme(self, tokens: list[Token], theme: str) -> bool:
        """Does a phrase speak of the theme: 'arms shipments', 'hundreds of drones', 'military aid'?"""
        words = self.themes[theme]
        for token in tokens:
            of_objects = [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                          for p in c.children if p.dep_ == "pobj"]
            for head in (token, *of_objects):
                for t in (head, *head.children):
                    if t.dep_ in ("det", "punct", "prep", "cc"):
                        continue
                    if any(form in words for form in word_forms(t)):
                        return True
        return False

    def _verb_claims(self, verb: Token, spec: dict) -> list[Claim]:
        relation = spec["relation"]
        if verb.dep_ == "amod" and verb.tag_ == "VBN":  # "the Iran-backed Houthis"
            agents = [k for c in verb.children if c.dep_ in ("npadvmod", "compound", "nmod", "advmod")
                      for k in self._actors_at(c)]
            patients = self._actors_at(verb.head)
            return self._pairs(verb, relation, agents, patients, f"verb:{relation}:{verb.lemma_.lower()}:hyphen", 0.85)
        dobj = [c for c in verb.children if c.dep_ == "dobj"]
        theme = spec.get("theme")
        if theme:
            themed = dobj + (self._prep_objects([verb, *dobj], "with") if spec.get("theme_with") else [])
            themed += [c for c in verb.children if c.dep_ == "nsubjpass"]
            if not self._has_theme(themed, theme):
                return []
        subjects = self._verb_subjects(verb)
        if spec.get("theme_subject") and (self._passive(verb) or not subjects):
            carriers = self._passive_subject(verb) or [c for c in verb.children if c.dep_ == "nsubj"] or dobj
            subjects = [k for t in carriers for k in self._modifier_actors(t)]
        if spec.get("clause_target") and not self._has_theme(list(verb.subtree), spec["clause_target"]):
            return []  # a warning is a threat only when it speaks of force
        addressee = [c for c in verb.children if c.dep_ in ("dobj", "npadvmod", "dative") and self._actors_at(c)]
        if spec.get("clause_target") and not addressee:
            clause = [c for c in verb.children if c.dep_ == "ccomp"]
            if clause and self._has_theme([t for c in clause for t in c.subtree], spec["clause_target"]):
                own = set(subjects)
                skip = {t.i for c in clause for x in c.children if x.dep_ in ("conj", "csubj", "nsubj")
                        for t in x.subtree}
                objects = [m for c in clause for t in c.subtree if t._.kg_mention is not None and t.i not in skip
                           for m in self._actors_at(t) if m not in own]
                rule = f"verb:{relation}:{verb.lemma_.lower()}:clause"
                return self._pairs(verb, relation, subjects, list(dict.fromkeys(objects)), rule, 0.75)
        if spec.get("roles"):
            subjects = self._role(verb, spec["roles"]["subject"])
            objects = self._role(verb, spec["roles"]["object"])
            rule = f"verb:{relation}:{verb.lemma_.lower()}"
            claims = self._pairs(verb, relation, subjects, objects, rule, 0.85)
            if spec.get("members_relation") and self._has_theme(dobj, spec.get("members_theme", "agreement")):
                claims.extend(self._members(verb, spec["members_relation"], subjects, rule + ":founders", 0.8))
            return claims
        if spec.get("xcomp_object") and not any(self._actors_at(d) for d in dobj):
            for xcomp in (c for c in verb.children if c.dep_ == "xcomp"):
                objects = next((found for place in ("dobj", "prep:on", "prep:against", "prep:to", "prep:into")
                                if (found := [k for t in self._verb_objects(xcomp, [place], False)
                                              for k in self._actors_at(t)])), [])
                if objects:
                    return self._pairs(verb, relation, subjects, objects, f"verb:{relation}:{verb.lemma_.lower()}:to",
                                       0.8)
        places = list(spec["object"])
        if spec.get("theme_with") and any(d._.kg_mention for d in dobj):
            places = ["dobj", *places]
        objects = [k for t in self._verb_objects(verb, places, spec.get("deep_object", False))
                   for k in self._actors_at(t)]
        rule = f"verb:{relation}:{verb.lemma_.lower()}"
        claims = self._pairs(verb, relation, subjects, objects, rule, spec.get("confidence", 0.9),
                             spec.get("object_class"))
        has_object = (bool(dobj) and not theme) or any(
            self._prep_objects([verb], p[5:]) for p in spec["object"] if p.startswith("prep:"))
        if not objects and not has_object and spec.get("symmetric_subjects") and len(subjects) > 1:
            claims.extend(self._members(verb, relation, subjects, rule + ":coordinated", 0.85))
        if relation == "signedAgreement":
            agreement = next((d for d in dobj if self._has_theme([d], "defense")), None)
            if agreement is not None:
                members = subjects + objects
                claims.extend(self._members(verb, "mutualDefense", members, rule + ":defense", 0.85))
        return claims

    # ------------------------------------------------------------------ nouns
    def _noun_claims(self, noun: Token, spec: dict) -> list[Claim]:
        relation = spec["relation"]
        group = [noun] + ([noun.head] if noun.dep_ == "conj" else [])
        if spec.get("theme") and not self._has_theme(group, spec["theme"]):
            return []
        if spec.get("not_theme") and self._has_theme([noun], spec["not_theme"]):
            return []
        rule = f"noun:{relation}:{noun.lemma_.lower()}"
        subjects: list[str] = []
        objects: list[str] = []
        members: list[str] = []
        for head in group:
            for child in head.children:
                mention = child._.kg_mention
                if child.dep_ == "poss":
                    keys = self._actors_at(child)
                    (objects if "poss" in spec["object"] and self._copular(noun) else subjects).extend(keys)
                elif child.dep_ in ("amod", "compound", "nmod", "npadvmod") and mention is not None:
                    side = objects if spec.get("prenominal") == "object" else subjects
                    if mention.key not in side:
                        side.append(mention.key)
                elif child.dep_ in ("prep", "agent"):
                    word = child.lower_
                    pobj_keys = [k for p in child.children if p.dep_ == "pobj" for k in self._actors_at(p)]
                    if word == "between" or (word == "of" and spec.get("of") == "members"):
                        members.extend(pobj_keys)
                    elif word in ("by", "from") or (word == "of" and spec.get("of") == "subject"):
                        subjects.extend(pobj_keys)
                    elif f"prep:{word}" in spec["object"]:
                        objects.extend(pobj_keys)
        top = noun.head if noun.dep_ == "conj" else noun
        anchor = noun
        if not objects and top.dep_ in ("dobj", "attr", "pobj"):
            verb = self._governing_verb(top)
            if verb is not None:
                anchor = verb
                objects.extend(
                    k for p in spec["object"] if p.startswith("prep:")
                    for t in self._prep_objects([verb], p[5:]) for k in self._actors_at(t)
                )
                if not objects and top.dep_ == "pobj" and self._passive(verb) and not spec.get("pair"):
                    objects.extend(k for t in self._passive_subject(verb) for k in self._actors_at(t))
        if spec.get("pair") and not members and noun.dep_ in ("nsubj", "nsubjpass", "dobj"):
            members = [k for t in self._prep_objects([noun.head], "between") for k in self._actors_at(t)]
        if spec.get("pair") and len(subjects) < 2:
            owner = noun.head if noun.dep_ == "compound" else noun
            prenominal = [t._.kg_mention.key for t in owner.subtree
                          if t.i < noun.i and t._.kg_mention is not None and t.dep_ != "poss"]
            if len(set(prenominal)) >= 2:
                subjects = list(dict.fromkeys(prenominal))
        confidence = 0.8
        if spec.get("pair") and len(subjects) >= 2 and not objects:
            members.extend(subjects)
            subjects = []
        if not subjects and not members and spec.get("light"):
            subjects = self._light_subjects(noun)
            confidence = 0.75
            if spec.get("pair") and len(subjects) >= 2 and not objects:
                members, subjects = subjects, []
        following = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        if spec.get("copular") and not objects and subjects and following is not None \
                and following._.kg_mention is not None and following._.kg_mention.start == following.i:
            objects, subjects = subjects, self._actors_at(following)  # "Russia's ally Belarus"
        elif spec.get("prenominal") == "object" and objects and not subjects and following is not None \
                and following._.kg_mention is not None and following._.kg_mention.start == following.i:
            subjects = self._actors_at(following)  # "NATO member Poland"
        named = [c._.kg_mention.key for c in noun.children if c.dep_ == "appos" and c._.kg_mention is not None]
        if named and spec.get("named_membership"):
            founders = members + subjects
            claims = self._pairs(anchor, "memberOf", founders, named, rule + ":named", confidence)
            return claims + (self._members(noun, relation, founders, rule + ":members", confidence)
                             if len(founders) > 1 else [])
        if members:
            if objects or subjects:
                return self._pairs(anchor, relation, members + subjects, objects, rule, confidence,
                                   spec.get("object_class"))
            return self._members(noun, relation, members, rule + ":members", confidence)
        return self._pairs(anchor, relation, subjects, objects, rule, confidence, spec.get("object_class"))

    @staticmethod
    def _governing_verb(token: Token) -> Token | None:
        """The nearest verb above a noun through object and prepositional links."""
        current = token
        for _ in range(4):
            if current.dep_ not in ("dobj", "attr", "pobj", "prep", "conj", "oprd"):
                return None
            current = current.head
            if current.pos_ in ("VERB", "AUX"):
                return current
        return None

    def _copular(self, noun: Token) -> bool:
        """Is the noun predicated of a subject: 'X is an ally of Y', 'X, Y's ally', 'X is among Y's backers'?"""
        if noun.dep_ in ("attr", "appos") or (noun.dep_ == "conj" and noun.head.dep_ == "attr"):
            return True
        if noun.dep_ == "pobj" and noun.head.lower_ in ("among", "of"):
            head = noun.head.head
            if head.lower_ in ("one", "some", "many"):
                head = head.head if head.dep_ == "attr" else head
            return head.lemma_ in ("be", "become", "remain")
        return False

    def _light_subjects(self, noun: Token) -> list[str]:
        """The subject a noun trigger borrows from its verb: 'X signed a pact', 'X is an ally'."""
        head = noun
        while head.dep_ in ("conj", "compound") and head.head is not head:
            head = head.head
        if head.dep_ == "appos":
            return self._actors_at(head.head)
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in ("one", "some", "many"):
            head = head.head.head
        elif head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
            return self._light_subjects(head.head.head)  # "signed a declaration of alliance"
        if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.dep_ == "appos":
            return self._actors_at(head.head.head.head)
        if head.dep_ in ("dobj", "attr", "oprd", "nsubjpass"):
            verb = head.head
        elif head.dep_ == "pobj" and head.head.dep_ in ("prep", "agent"):
            verb = head.head.head
        else:
            return []
        if verb.pos_ not in ("VERB", "AUX"):
            return []
        if head.dep_ == "attr":
            return self._copula_subjects(head, 0)
        if self._passive(verb) and head.dep_ == "pobj":
            return [k for t in self._passive_subject(verb) for k in self._actors_at(t)]
        return self._verb_subjects(verb)

    # ------------------------------------------------------------------ leaders
    def _leaders(self, sent, actors: dict[str, Actor]) -> list[Claim]:
        """'Russian President Putin', 'Turkey's president, Erdogan', 'X, the prime minister of Y'."""
        claims = []
        doc = sent.doc
        for mention in sorted({t._.kg_mention for t in sent if t._.kg_mention is not None}, key=lambda m: m.start):
            actor = actors.get(mention.key)
            if actor is None or actor.cls != "Person":
                continue
            title = self._title_before(doc, mention.start, sent.start)
            state: str | None = None
            rule = "title:before"
            anchor = doc[mention.start]
            if title is not None:
                t_start, t_end = title
                state = self._state_before(doc, t_start, sent.start)
                anchor = doc[t_start]
            else:
                state, t_start, rule = self._title_after(doc, mention.end, sent.end)
                if t_start is not None:
                    anchor = doc[t_start]
                    title = (t_start, t_start + 1)
            if title is None:
                continue
            if state is None:
                state = self._gazetteer_state(mention.key, doc[title[0]:title[1]].text)
                rule = "title:gazetteer"
            if state is None or state == mention.key:
                continue
            marker = self._title_modality(doc, title[0], sent.start)
            mod = marker or self._leader_clause(anchor)
            claims.append(self._claim(anchor, mention.key, "leaderOf", state, rule, 0.9, mod))
        return claims

    def _title_at(self, doc: Doc, end: int, lower: int) -> int | None:
        for words in self.titles:
            start = end - len(words)
            if start >= lower and [t.lower_ for t in doc[start:end]] == words:
                return start
        return None

    def _title_before(self, doc: Doc, start: int, lower: int) -> tuple[int, int] | None:
        end = start
        if end - 1 >= lower and doc[end - 1].text == ",":
            end -= 1
        title_start = self._title_at(doc, end, lower)
        return (title_start, end) if title_start is not None else None

    def _state_before(self, doc: Doc, start: int, lower: int) -> str | None:
        i = start - 1
        while i >= lower and doc[i]._.kg_mention is None and (
                doc[i].lower_ in ("'s", "’s", "'", "’", "-", "de", "facto", "then") or doc[i].pos_ in ("ADJ", "ADV")
                or (i - 1 >= lower and doc[i - 1].text == "-")):  # "long-time", "newly-elected"
            i -= 1
        if i >= lower and doc[i]._.kg_mention is not None:
            mention = doc[i]._.kg_mention
            actor = doc._.kg_actors.get(mention.key)
            if actor is not None and actor.cls in STATE_CLASSES:
                return mention.key
        return None

    def _title_after(self, doc: Doc, end: int, upper: int) -> tuple[str | None, int | None, str]:
        """'Erdogan, Turkey's president' or 'Biden, the president of the United States'."""
        if end >= upper or doc[end].text != ",":
            return None, None, ""
        window = doc[end + 1: min(upper, end + 9)]
        for i, token in enumerate(window):
            if token.text == ",":
                window = window[:i]
                break
        for token in window:
            if token._.kg_mention is not None:
                actor = doc._.kg_actors.get(token._.kg_mention.key)
                if actor is None or actor.cls not in STATE_CLASSES:
                    continue
                for t in window:
                    if self._title_at(doc, t.i + 1, window.start) is not None:
                        return token._.kg_mention.key, t.i, "title:apposition"
        return None, None, ""

    def _gazetteer_state(self, person: str, title: str) -> str | None:
        """'President Putin' with no country named: the office the gazetteer says he holds."""
        title = title.lower()
        actor = self.gazetteer.actors.get(person)
        roles = sorted(actor.roles, key=lambda r: not r.current) if actor else []
        for role in roles:
            if role.title.lower() in title or title in role.title.lower():
                return self.gazetteer.by_name.get(role.of)
        return None

    def _title_modality(self, doc: Doc, start: int, lower: int) -> str | None:
        for i in range(max(lower, start - 3), start):
            word = doc[i].lower_
            if word in self.lex.adjectives:
                return self.lex.adjectives[word]
        return None

    def _leader_clause(self, anchor: Token) -> str:
        """A title is presupposed by its noun phrase, except in 'if he becomes president' clauses."""
        if anchor.head.lemma_ in ("become", "elect", "appoint", "nominate", "name") or anchor.dep_ == "attr":
            return modality(anchor, self.lex)
        return ASSERTED

    # ------------------------------------------------------------------ assembling claims
    def _claim(self, anchor: Token, s: str, rel: str, o: str, rule: str, conf: float, mod: str) -> Claim:
        sent = anchor.sent
        return Claim(s, rel, o, mod, sent.start_char, sent.end_char, rule, conf, sent.text)

    def _pairs(self, anchor: Token, rel: str, subjects: list[str], objects: list[str], rule: str,
               conf: float, object_class: list[str] | None = None) -> list[Claim]:
        if object_class:
            actors = anchor.doc._.kg_actors or {}
            objects = [o for o in objects if getattr(actors.get(o), "cls", None) in object_class]
        if not subjects or not objects:
            return []
        mod = modality(anchor, self.lex)
        return [self._claim(anchor, s, rel, o, rule, conf, mod) for s in dict.fromkeys(subjects)
                for o in dict.fromkeys(objects) if s != o]

    def _members(self, anchor: Token, rel: str, members: list[str], rule: str, conf: float) -> list[Claim]:
        if rel not in self.symmetric:
            return []
        mod = modality(anchor, self.lex)
        unique = list(dict.fromkeys(members))
        return [self._claim(anchor, a, rel, b, rule, conf, mod) for a, b in combinations(unique, 2)]

    def _finish(self, claims: list[Claim], actors: dict[str, Actor]) -> list[Claim]:
        """Attribute leaders' acts to their states, check classes, drop duplicates (best first)."""
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
        s, o = actors.get(claim.subject), actors.get(claim.object)
        if s is None or o is None:
            return False
        if claim.relation == "leaderOf":
            return s.cls == "Person" and o.cls in STATE_CLASSES
        if claim.relation == "memberOf":
            return o.cls in ("Organization", "Bloc") and s.cls in ("Country", "Organization")
        if claim.relation in ("invaded", "occupies"):
            return o.cls in ("Country", "Region") and s.cls != "Region"
        if claim.relation == "militaryPresence":
            return s.cls in STATE_CLASSES
        return s.cls != "Region" and (o.cls != "Region" or claim.relation == "threatens")
