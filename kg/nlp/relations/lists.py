"""Membership told as a list: who belongs to an organisation when the text enumerates them.

Constructions (words in the `lists` section of kg/resources/data/relations.json):
- a members noun with its organisation and the list it is given: "its members are A, B and C",
  "the CSTO countries (A, B and C)", "countries taking part in the operation include A and B",
  "member states such as A and B", "NATO's members: A, B and C";
- a composition verb: "the bloc comprises A, B and C", "X consists of A and B",
  "A, B and C make up / constitute X";
- a joining verb whose list follows a colon: "twenty countries entered the pact: A, B and C";
- a grouping predicated of an organisation: "BRICS is a grouping of A, B and C";
- joining and leaving with the organisation left implicit: "the Bahamas joined in 1982", "Mexico
  left in 2004" (a membership the text ends is past unless a later statement restores it).

An organisation is named ("NATO", "the CSTO countries"), or referred back to: "its members",
"the alliance", "the pact", which point to the latest organisation the document named before.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from kg.nlp.actors import Mention
from kg.nlp.modality import ASSERTED
from kg.nlp.relations.claim import ENDED
from kg.nlp.relations.syntax import actor_class


@dataclass(frozen=True)
class ListWords:
    """The words of the `lists` section of relations.json."""

    member_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    taking_part: frozenset[str]
    copulas: frozenset[str]
    including: frozenset[str]
    composition_verbs: frozenset[str]
    make_up_verbs: frozenset[str]
    joining_verbs: frozenset[str]
    list_pronouns: frozenset[str]  # '(these are A, B and C)'
    rejoining_verbs: frozenset[str]  # joining with the organisation left implicit ('joined in 1982')
    leaving_verbs: frozenset[str]
    determiners: frozenset[str]  # 'the alliance', 'its members': a reference back
    kinds: tuple[frozenset[str], ...]  # organisation nouns that refer to one kind of name ('the pact': a treaty)

    @classmethod
    def from_data(cls, data: dict[str, list]) -> ListWords:
        expected = set(cls.__dataclass_fields__)
        if set(data) != expected:
            raise ValueError(f"relations.json 'lists': expected keys {sorted(expected)}, got {sorted(data)}")
        words = {key: frozenset(value) for key, value in data.items() if key != "kinds"}
        return cls(**words, kinds=tuple(frozenset(group) for group in data["kinds"]))


class MembershipLists:
    """Mixin of the relation extractor: `memberOf` claims from enumerations."""

    lists: ListWords

    def _membership_lists(self, sent: Span) -> list:
        claims = []
        for token in sent:
            if token._.kg_mention is not None:
                claims.extend(self._bracketed(token))
                continue
            lemma = token.lemma_.lower()
            rule = f"list:memberOf:{lemma}"
            grouping = lemma in self.lists.organisation_nouns and token.dep_ == "attr"
            if token.pos_ in ("NOUN", "PROPN") and (lemma in self.lists.member_nouns or grouping):
                org = self._organisation_of(token)
                if org is not None:
                    predicated = token.dep_ == "attr" or (token.dep_ in ("nsubj", "nsubjpass")
                                                          and token.head.lemma_.lower() in self.lists.copulas)
                    claims.extend(self._pairs(token, "memberOf", self._listed(token), [org], rule, 0.8,
                                              presupposed=not predicated))
            elif token.pos_ in ("VERB", "AUX"):
                claims.extend(self._composition(token, lemma, rule))
                claims.extend(self._membership_change(token, lemma))
        return claims

    def _membership_change(self, verb: Token, lemma: str) -> list:
        """'The Bahamas joined in 1982', 'Mexico left in 2004': joining or leaving the organisation the text
        is about; a leaving that is asserted ends the membership (see ClaimAssembly._ended)."""
        joins, leaves = lemma in self.lists.rejoining_verbs, lemma in self.lists.leaving_verbs
        if not (joins or leaves):
            return []
        objects = [c for c in verb.children
                   if c.dep_ in ("dobj", "prep") and c.lower_ not in ("in", "on", "at", "since", "after", "before")]
        orgs = [org for c in objects for t in (c, *(p for p in c.children if p.dep_ == "pobj"))
                if (org := self._organisation_ref(t))]
        if not objects:
            orgs = [org] if (org := self._latest_organisation(verb, "")) else []
        subjects = self._verb_subjects(verb)
        if not joins:
            found = self._pairs(verb, "memberOf", subjects, orgs, "list:memberOf:left", 0.8)
            return [replace(c, modality="past", rule=c.rule + ENDED, cue=verb.text) for c in found
                    if c.modality == ASSERTED]
        return self._pairs(verb, "memberOf", subjects, orgs, f"list:memberOf:{lemma}", 0.8) if not objects else []

    def _bracketed(self, token: Token) -> list:
        """'The Shanghai Cooperation Organisation (China, Russia, India)': a list in brackets after the name."""
        org = self._organisation_ref(token)
        if org is None or token._.kg_mention.end - 1 != token.i:
            return []
        for child in token.children:
            if child.dep_ == "appos" and token.doc[child.left_edge.i - 1].text == "(":
                members = [k for k in self._actors_at(child) if actor_class(token.doc, k) == "Country"]
                if len(members) > 1:
                    return self._pairs(token, "memberOf", members, [org], "list:memberOf:brackets", 0.8)
        return []

    def _composition(self, verb: Token, lemma: str, rule: str) -> list:
        children = list(verb.children)
        subjects = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
        if lemma in self.lists.composition_verbs:
            for subject in subjects:
                org = self._organisation_ref(subject)
                if org is not None:
                    objects = [c for c in children if c.dep_ in ("dobj", "attr")]
                    objects += [p for c in children if c.dep_ == "prep" and c.lower_ == "of"
                                for p in c.children if p.dep_ == "pobj"]
                    members = [k for t in objects for k in self._actors_at(t)]
                    return self._pairs(verb, "memberOf", members, [org], rule, 0.8)
        if lemma in self.lists.make_up_verbs and (lemma != "make" or any(c.lower_ == "up" for c in children)):
            members = [k for s in subjects for k in self._actors_at(s)]
            orgs = [org for c in children if c.dep_ in ("dobj", "attr") if (org := self._organisation_ref(c))]
            if len(members) > 1:
                return self._pairs(verb, "memberOf", members, orgs, rule, 0.8)
        if lemma in self.lists.joining_verbs and all(s.lemma_.lower() in self.lists.member_nouns for s in subjects):
            objects = [c for c in children if c.dep_ == "dobj"]
            listed = [c for t in (verb, *objects) for c in t.children
                      if c.dep_ in ("npadvmod", "appos") and self._after_colon(c)]
            orgs = [org for c in children if c.dep_ == "dobj" if (org := self._organisation_ref(c))]
            members = [k for t in listed for k in self._actors_at(t)]
            return self._pairs(verb, "memberOf", members, orgs, rule, 0.8)
        return []

    def _listed(self, noun: Token) -> list[str]:
        """The actors enumerated for a members noun: apposed, after a colon, as predicate, or 'such as'."""
        found: list[str] = []
        for child in noun.children:
            if child.dep_ == "appos" or (child.dep_ in ("npadvmod", "conj") and self._after_colon(child, ",")):
                found.extend(self._actors_at(child))
            elif child.dep_ in ("prep", "amod", "acl") and self._including(child):
                found.extend(k for p in child.children if p.dep_ in ("pobj", "dobj") for k in self._actors_at(p))
        found.extend(self._bracketed_clause(noun))
        if noun.dep_ == "attr" and noun.lemma_.lower() in self.lists.organisation_nouns:
            found.extend(self._of_members(noun))
        verb = noun.head
        if self._takes_part(noun):  # "countries taking part include A and B", parsed as a clausal subject
            verb = verb.head
        if noun.dep_ in ("nsubj", "nsubjpass") and verb.lemma_.lower() in self.lists.copulas:
            for child in verb.children:
                if child.dep_ in ("attr", "dobj", "acomp", "oprd") or (child.dep_ == "npadvmod"
                                                                       and self._after_colon(child)):
                    found.extend(self._actors_at(child))
                elif child.dep_ == "prep" and child.lower_ == "of":
                    found.extend(k for p in child.children if p.dep_ == "pobj" for k in self._actors_at(p))
        return list(dict.fromkeys(found))

    def _bracketed_clause(self, noun: Token) -> list[str]:
        """'the CSTO countries (these are A, B and C)': a clause in brackets right after the noun."""
        doc = noun.doc
        if noun.i + 1 >= len(doc) or doc[noun.i + 1].text != "(":
            return []
        for token in doc[noun.i + 2: min(len(doc), noun.i + 6)]:
            if token.text == ")":
                return []
            if token.lemma_ == "be" and any(s.dep_ == "nsubj" and s.lower_ in self.lists.list_pronouns
                                            for s in token.children):
                return [k for a in token.children if a.dep_ in ("attr", "acomp") for k in self._actors_at(a)]
        return []

    def _of_members(self, noun: Token, depth: int = 0) -> list[str]:
        """'a grouping of Brazil, Russia and India', 'a grouping of the economies of Brazil, Russia ...'."""
        for pobj in self._of_objects(noun):
            found = self._actors_at(pobj)
            if len(found) > 1:
                return found
            if depth < 2:
                return self._of_members(pobj, depth + 1)
        return []

    def _takes_part(self, noun: Token) -> bool:
        verb = noun.head
        return noun.dep_ == "nsubj" and verb.dep_ == "csubj" and verb.lemma_.lower() in self.lists.taking_part

    def _including(self, token: Token) -> bool:
        words = token.lower_
        if token.dep_ == "prep" and token.i + 1 < len(token.doc):
            words = f"{token.lower_} {token.doc[token.i + 1].lower_}"
        return token.lower_ in self.lists.including or words in self.lists.including \
            or (token.i > 0 and f"{token.doc[token.i - 1].lower_} {token.lower_}" in self.lists.including)

    @staticmethod
    def _after_colon(token: Token, *marks: str) -> bool:
        before = token.doc[token.left_edge.i - 1] if token.left_edge.i > 0 else None
        return before is not None and before.text in (":", "(", "—", "–", *marks)

    def _organisation_of(self, noun: Token) -> str | None:
        """The organisation a members noun belongs to: 'NATO members', 'members of the pact', 'its members',
        'the EU has 27 members'."""
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() in ("have", "count", "number"):
            for subject in (c for c in noun.head.children if c.dep_ == "nsubj"):
                org = self._organisation_ref(subject)
                if org is not None:
                    return org
        clauses = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
        if self._takes_part(noun):
            clauses.append(noun.head)
        for clause in clauses:
            if clause.lemma_.lower() in self.lists.taking_part:
                places = [p for prep in clause.children if prep.dep_ == "prep"
                          for p in prep.children if p.dep_ == "pobj"]
                for pobj in places:
                    org = self._organisation_ref(pobj)
                    if org is not None:
                        return org
                if not places:  # "the countries taking part": in the operation just named
                    return self._latest_organisation(clause, "operation")
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "nmod", "amod"):
                org = self._organisation_ref(child)
                if org is not None:
                    return org
            elif child.dep_ == "prep" and child.lower_ in ("of", "in", "to"):
                for pobj in (p for p in child.children if p.dep_ == "pobj"):
                    org = self._organisation_ref(pobj)
                    if org is not None:
                        return org
        if noun.dep_ == "attr" and noun.lemma_.lower() in self.lists.organisation_nouns:
            return next((org for s in noun.head.children if s.dep_ == "nsubj"
                         if (org := self._organisation_ref(s))), None)  # "BRICS is a grouping of A, B and C"
        return None

    def _organisation_ref(self, token: Token) -> str | None:
        """An organisation named at `token`, or referred back to by a pronoun or a definite noun."""
        actors = token.doc._.kg_actors or {}
        mention: Mention | None = token._.kg_mention
        if mention is not None:
            actor = actors.get(mention.key)
            return mention.key if actor is not None and actor.cls == "Organization" else None
        lemma = token.lemma_.lower()
        definite = any(c.lower_ in self.lists.determiners for c in token.children)
        if token.lower_ in ("its", "their") or (lemma in self.lists.organisation_nouns and definite):
            return self._latest_organisation(token, lemma)
        return None

    def _latest_organisation(self, token: Token, lemma: str) -> str | None:
        """The latest organisation named before `token`; for 'the pact', the latest whose name is a pact's."""
        doc = token.doc
        actors = doc._.kg_actors or {}
        kind = next((group for group in self.lists.kinds if lemma in group), frozenset())
        fallback = None
        for mention in reversed(doc._.kg_mentions or []):
            actor = actors.get(mention.key)
            if mention.start >= token.i or actor is None or actor.cls != "Organization":
                continue
            if not kind or kind & {w.lower() for w in actor.name.split()}:
                return mention.key
            fallback = fallback or mention.key
        return fallback
