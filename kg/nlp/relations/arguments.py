"""Where a verb's arguments sit: subjects (active, passive, control, participles), objects, roles, themes."""

from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.modality import word_forms
from kg.nlp.relations.syntax import OWNER_LINKS, RelationWords, actor_class


class VerbArguments:
    """Mixin of the relation extractor: the syntax of verb arguments."""

    words: RelationWords
    themes: dict[str, set[str]]

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
        objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]  # "designated a group by the UK"
        objects += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"  # "classified as a group by"
                    for p in c.children if p.dep_ == "pobj"]
        for candidate in (verb, *(c for c in verb.children if c.dep_ == "conj"), verb.head, *objects):
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
            # "a communiqué warning ECOWAS": the communiqué's authors, when it names none
            return self._actors_at(verb.head) or self._light_subjects(verb.head)
        if verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return self._light_subjects(verb.head)  # "X signed a contract to supply Y"
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.lemma_.lower() in self.words.object_control:
            controller = [c for c in verb.head.children if c.dep_ in ("dobj", "nsubjpass")]
            if controller:  # "urged Beijing not to supply ...": Beijing would supply
                return [k for c in controller for k in self._actors_at(c)]
        if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acomp", "oprd") and verb.head.pos_ in ("VERB", "AUX"):
            head = verb.head
            if self._participle_misparse(head):
                return [k for c in head.children if c.dep_ == "nsubj" for k in self._actors_at(c)]
            return self._verb_subjects(head, depth + 1)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            governor = verb.head.head
            controller = [c for c in governor.children if c.dep_ == "dobj"] if verb.head.lower_ in (
                "against", "from") else []  # "warned Beijing against supplying", "barred Kyiv from joining"
            if controller:
                return [k for c in controller for k in self._actors_at(c)]
            return self._verb_subjects(governor, depth + 1) if governor.pos_ == "VERB" else []
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
                    if pobjs and head._.kg_mention is None:  # "fighters in Mali and the CAR", misparsed
                        pobjs += [c for c in head.children if c.dep_ == "conj" and c.i > child.i
                                  and c._.kg_mention is not None]
                    if not nested and child.lower_ == prep_word:
                        out.extend(pobjs)
                    elif nested and child.lower_ not in self.words.detached_preps:  # not "amid the war with X"
                        out.extend(p for pobj in pobjs if (prep_word != "in" or self._located(pobj))
                                   and pobj.lemma_.lower() not in self.words.prepositional_nouns
                                   for p in self._prep_objects([pobj], prep_word))
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
            if any(self._actors_at(t) for t in tokens):
                break  # else a later place may name one: "seized the shoal from the Philippines"
        if deep and not any(self._actors_at(t) for t in tokens):
            for child in verb.children:
                if child.dep_ in ("dobj", "prep"):
                    tokens.extend(t for t in child.subtree if t._.kg_mention is not None and self._owner_of(t, child))
        return tokens

    @staticmethod
    def _owner_of(token: Token, top: Token) -> bool:
        """Does `token` name whose `top` is: 'NATO's expansion', 'the expansion of NATO' (not 'aid to Ukraine')?"""
        while token.i != top.i:
            if token.dep_ not in OWNER_LINKS or (token.dep_ == "prep" and token.lower_ != "of"):
                return False
            token = token.head
        return True

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
        if source.startswith("prep:"):  # on the verb or its object: "pits X against Y"
            heads = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
            return [k for t in self._prep_objects(heads, source[5:]) for k in self._actors_at(t)]
        if source.startswith("owner:"):  # "received $3bn in US military aid": whose the phrase's noun is
            return [k for c in verb.children if c.dep_ == "prep" and c.lower_ == source[6:]
                    for t in c.children if t.dep_ == "pobj" and t._.kg_mention is None
                    for k in self._modifier_actors(t, of=False)]
        if source == "event":  # "admitted during the BRICS summit": the organisation whose meeting it was
            objects = [p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
            objects += [p for o in objects for c in o.children if c.dep_ == "prep"  # "as members during ..."
                        for p in c.children if p.dep_ == "pobj"]
            return [m.key for p in objects for t in p.children if t.dep_ in ("compound", "nmod", "poss")
                    and (m := t._.kg_mention) and actor_class(verb.doc, m.key) == "Organization"]
        return []

    def _has_theme(self, tokens: list[Token], theme: str) -> bool:
        """Does a phrase speak of the theme: 'arms shipments', 'hundreds of drones', 'military aid'?"""
        words = self.themes[theme]
        for token in [t for top in tokens for t in _conjuncts(top)]:  # "bombers, fighter jets and 500 troops"
            of_objects = [p for c in token.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "worth")
                          for p in c.children if p.dep_ == "pobj"]
            for head in (token, *of_objects):
                for t in (head, *head.children):
                    if t.dep_ in ("det", "punct", "prep", "cc"):
                        continue
                    if any(form in words for form in word_forms(t)):
                        return True
        return False


def _conjuncts(token: Token) -> list[Token]:
    """A token and the chain of conjuncts it heads."""
    chain = [token]
    for t in chain:
        chain.extend(c for c in t.children if c.dep_ == "conj")
    return chain
