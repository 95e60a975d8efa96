"""Which actors a noun phrase names: mentions, coordination, modifiers, pronouns, 'both countries'."""

from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.actors import Mention
from kg.nlp.gazetteer import Gazetteer, slug
from kg.nlp.modality import word_forms
from kg.nlp.relations.syntax import STATE_CLASSES, RelationWords, actor_class


class NounPhrases:
    """Mixin of the relation extractor: the actors at a token."""

    words: RelationWords
    gazetteer: Gazetteer

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
        elif token.lower_ in self.words.pronouns or (token.lower_ in self.words.personal_pronouns
                                                     and token.dep_ == "poss"):  # 'his threat'
            found.extend(self._pronoun(token))
        elif token.lemma_.lower() in self.words.quantities and self._of_objects(token):  # "dozens of officials"
            found.extend(k for p in self._of_objects(token) for k in self._actors_at(p, depth + 1))
        elif self._bare_definite(token):  # "joined the alliance": the alliance named before
            org = self._latest_organisation(token, token.lemma_.lower())
            found.extend([org] if org else [])
        elif (region := self._country_reference(token)) is not None:  # "the Baltic state", "the kingdom"
            found.extend(self._country_named_before(token, region))
        elif token.lower_ in self.words.relative and token.head.dep_ == "relcl":
            found.extend(self._actors_at(token.head.head, depth + 1))
        else:
            if token.pos_ in ("NOUN", "PROPN"):
                found.extend(self._modifier_actors(token, of=token.lemma_.lower() in self.agent_nouns))
            if not found and token.lemma_.lower() in self.words.relationship_nouns:  # "ties between A and B"
                found.extend(k for c in token.children if c.dep_ == "prep" and c.lower_ == "between"
                             for p in c.children if p.dep_ == "pobj" for k in self._actors_at(p, depth + 1))
            if not found and token.pos_ == "NOUN":  # "the two rivals, India and Pakistan"
                found.extend(k for c in token.children if c.dep_ == "appos" for k in self._actors_at(c, depth + 1))
            elif not found and token.lower_ in self.gazetteer.honorifics:  # "His Excellency Irfaan Ali"
                found.extend(k for c in token.children if c.dep_ == "appos" and c._.kg_mention is not None
                             for k in self._actors_at(c, depth + 1))
            if not found and token.lemma_.lower() in self.words.pair_nouns:
                found.extend(self._pair_reference(token))
            if not found and token.dep_ in ("attr", "oprd"):
                found.extend(self._copula_subjects(token, depth))
            elif not found and token.dep_ == "conj" and token.head.pos_ in ("NOUN", "PROPN") \
                    and token.head._.kg_mention is None:
                found.extend(self._actors_at(token.head, depth + 1))
        if mention is not None or token.pos_ in ("PROPN", "NOUN") or found:  # "armed groups and the PDF"
            for child in token.children:
                if child.dep_ == "conj" or (child.dep_ == "appos" and child._.kg_mention is not None
                                            and mention is not None):
                    # a list is a chain of conjuncts: its length is not nesting depth
                    found.extend(k for k in self._actors_at(child, depth) if k not in found)
                elif child.dep_ == "appos" and mention is not None:  # "X, President of A, and Y, President
                    found.extend(k for g in child.children if g.dep_ == "conj"  # of B": the list goes on
                                 for k in self._actors_at(g, depth) if k not in found)  # after the title
        return found

    def _place_at(self, token: Token) -> list[str]:
        """The place a phrase names: 'in Syria', 'on Ukrainian soil', not 'on Ukraine's border'."""
        return [] if token.lemma_.lower() in self.words.boundaries else self._actors_at(token)

    def _modifier_actors(self, token: Token, of: bool = True) -> list[str]:
        """'Russian troops', 'Iran's government', 'the government of Iran' or 'in Niamey' -> the actor."""
        found = []
        for child in token.children:
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child._.kg_mention is not None:
                mention = child._.kg_mention
                if self._nonstate(token) and (mention.kind == "demonym"
                                              or actor_class(token.doc, mention.key) == "Country"):
                    continue  # "Mexican drug cartels", "Syrian rebels", "Kosovo Serbs" are not the state
                found.extend(k for k in self._actors_at(child) if k not in found)
            elif child.dep_ == "amod" and child.i < token.i and (  # "the RSF paramilitary group", "a US-led force"
                    child.pos_ == "ADJ" or child.lemma_.lower() in self.words.owner_participles):
                found.extend(k for g in child.children if g.dep_ in ("npadvmod", "compound") and g.i < child.i
                             and g._.kg_mention is not None for k in self._actors_at(g) if k not in found)
            elif child.dep_ == "poss" and child.lower_ in self.words.pronouns and token.dep_ != "appos":
                found.extend(self._pronoun(child))
            elif (of or token.lemma_.lower() in self.words.parts) and child.dep_ == "prep" \
                    and (child.lower_ == "of" or (of and child.lower_ == "from") or self._owner_in(child, found)):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if pobj._.kg_mention is not None:  # "the governments of Mali and Burkina Faso"
                        found.extend(k for k in self._actors_at(pobj) if k not in found)
                    elif pobj.lemma_.lower() in self.words.parts:  # "a fifth of Ukraine's territory"
                        found.extend(self._modifier_actors(pobj, of=False))
                    elif token.lemma_.lower() in self.words.quantities:  # "thousands of US troops"
                        found.extend(k for k in self._modifier_actors(pobj, of=False) if k not in found)
        return found

    def _country_reference(self, token: Token) -> str | None:
        """'the country', 'the kingdom', 'the Pacific island nation', 'this Baltic state': a singular,
        definite country noun naming no actor of its own, which speaks of a country named before.
        Returns the region that describes it ('' for none), or None when it is no such reference."""
        if token.lemma_.lower() not in self.words.referring_country_nouns or token.tag_ != "NN" \
                or not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in token.children) \
                or any(c.dep_ in ("poss", "prep", "appos") or c.lower_ in self.words.distributive_adjectives
                       for c in token.children):
            return None  # "the respective country", "the other country": not one named before
        modifiers = [m for c in token.children if c.dep_ in ("amod", "compound") and (m := c._.kg_mention)]
        if any(actor_class(token.doc, m.key) != "Region" for m in modifiers):
            return None  # "the Russian state" is Russia
        return modifiers[0].key if modifiers else ""

    def _country_named_before(self, token: Token, region: str) -> list[str]:
        """The country named last in the few sentences before `token`'s, or for a reference that is a
        subject or an owner the one named last as a subject; one of the region's countries when the
        region lists them. Not one of its own sentence ("A and B have a pact with the island nation" is
        about a third country), nor one its own phrase names ("the country's guarantors, A and B")."""
        doc = token.doc
        members = {slug(name) for name in doc._.kg_actors[region].members} if region else set()  # none: any
        earliest = token.sent.start
        for _ in range(self.words.reference_sentences):
            earliest = doc[earliest - 1].sent.start if earliest else 0
        beside = {t._.kg_mention.key for t in token.head.subtree if t._.kg_mention is not None}
        named = [m for m in reversed(doc._.kg_mentions or []) if earliest <= m.start < token.sent.start
                 and actor_class(doc, m.key) == "Country" and m.key not in beside
                 and (not members or m.key in members)]
        if token.dep_ not in ("nsubj", "nsubjpass", "poss"):
            return [named[0].key] if named else []  # "stationed in the country": the place named last
        subjects = [m for m in named if doc[m.end - 1].dep_ in ("nsubj", "nsubjpass")]
        return [(subjects or named)[0].key] if named else []  # "the kingdom hosts": the one spoken of

    def _owner_in(self, prep: Token, found: list[str]) -> bool:
        """Whether 'in X' says whose the noun is ("the government in Niamey"), not only where it is:
        "militants in Syria" and "Hezbollah positions in Lebanon" (an owner named already) are there."""
        return prep.lower_ == "in" and not found and not self._nonstate(prep.head)

    def _nonstate(self, token: Token) -> bool:
        """Does the noun name people of no state: rebels, cartels, an ethnic group ('Kosovo Serbs')?"""
        return any(form in self.words.nonstate_nouns for form in word_forms(token))

    def _located(self, token: Token) -> bool:
        """Whether the 'in X' on `token` can be what a relation is about ("the deployment of troops in
        Poland"), rather than where a group of no state or someone's assets are ("strikes against
        insurgents in Syria", "against Hezbollah positions in Lebanon")."""
        return not self._nonstate(token) and not self._modifier_actors(token, of=False)

    def _copula_subjects(self, token: Token, depth: int) -> list[str]:
        verb = token.head
        while verb.dep_ == "conj" and verb.head.pos_ in ("NOUN", "PROPN"):
            verb = verb.head.head
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                return self._actors_at(child, depth + 1)
        return []

    @staticmethod
    def _of_objects(token: Token) -> list[Token]:
        return [p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children
                if p.dep_ == "pobj"]

    def _bare_definite(self, token: Token) -> bool:
        """'the alliance', 'the bloc' with nothing else to say which: a reference back."""
        children = list(token.children)
        return token.lemma_.lower() in self.words.referring_nouns and len(children) == 1 \
            and children[0].dep_ == "det" and children[0].lower_ in ("the", "this")

    def _pronoun(self, token: Token) -> list[str]:
        """'its'/'their' refer back to the nearest preceding state-like actor in the sentence, 'his'/'her'
        to the nearest person."""
        personal = token.lower_ in self.words.personal_pronouns
        sent = token.sent
        if token.dep_ == "poss" and not personal:  # "Qatar was undermining Egypt with its support": Qatar's
            verb = token.head
            while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
                verb = verb.head
            subjects = [k for s in verb.children if s.dep_ == "nsubj" and s.right_edge.i < token.i
                        for k in self._actors_at(s)]
            if token.head.dep_ == "pobj" and token.head.head.lower_ == "in" and token.head.head.head.i == verb.i:
                subjects = [k for d in verb.children if d.dep_ == "dobj" and d.i < token.i  # "backs Armenia in
                            for k in self._actors_at(d)] or subjects  # its conflict with Azerbaijan": Armenia's
            states = [k for k in subjects if actor_class(token.doc, k) in STATE_CLASSES]
            if states:
                return states if token.lower_ in self.words.plural_pronouns else states[:1]
        for prev in reversed(list(token.doc[sent.start: token.i])):
            mention = prev._.kg_mention
            if mention is not None and mention.kind != "demonym":
                actor = token.doc._.kg_actors.get(mention.key)
                if actor is None:
                    continue
                if personal and actor.cls == "Person":
                    return [mention.key]
                if not personal and actor.cls in STATE_CLASSES:
                    if token.lower_ in self.words.plural_pronouns:  # "Russia and Iran ... their"
                        first = prev
                        while first.dep_ == "conj" and first.head._.kg_mention is not None:
                            first = first.head
                        return self._actors_at(first)
                    return [mention.key]
        if token.lower_ in self.words.singular_pronouns and token.i == sent.start and sent.start > 0:
            before = token.doc[sent.start - 1].sent  # "X is a militia. It is designated ...": X
            subject = next((t for t in before.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
            found = self._actors_at(subject) if subject is not None else []
            return found if len(found) == 1 and actor_class(token.doc, found[0]) in STATE_CLASSES else []
        return []

    def _pair_reference(self, token: Token) -> list[str]:
        """'both countries', 'the two sides', 'the three countries' -> the last states mentioned before."""
        count = next((self.words.group_sizes[c.lower_] for c in token.children if c.lower_ in self.words.group_sizes),
                     0)
        if not count:
            return []
        keys: list[str] = []
        doc = token.doc
        classes = {"Country"} if token.lemma_.lower() in self.words.country_nouns else STATE_CLASSES
        for mention in reversed(doc._.kg_mentions or []):
            if mention.start >= token.i:
                continue
            if actor_class(doc, mention.key) in classes and mention.key not in keys:
                keys.append(mention.key)
            if len(keys) == count:
                return keys
        return []
