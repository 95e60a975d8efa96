"""Leader titles: 'Russian President Putin', 'Turkey's president, Erdogan,', 'X, the prime minister of Y'."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.nlp.gazetteer import Actor, Gazetteer
from kg.nlp.modality import ASSERTED, ModalityLexicon, modality
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.syntax import STATE_CLASSES, RelationWords, actor_class


class LeaderTitles:
    """Mixin of the relation extractor: leaderOf claims from titles."""

    titles: list[list[str]]
    hyphenated_titles: frozenset[str]
    words: RelationWords
    lex: ModalityLexicon
    gazetteer: Gazetteer

    def _leaders(self, sent: Span, actors: dict[str, Actor]) -> list[Claim]:
        """'Russian President Putin', 'Turkey's president, Erdogan', 'X, the prime minister of Y'."""
        claims = self._paired_titles(sent, actors)
        paired = {c.subject for c in claims}
        doc = sent.doc
        for mention in sorted({t._.kg_mention for t in sent if t._.kg_mention is not None}, key=lambda m: m.start):
            actor = actors.get(mention.key)
            if actor is None or actor.cls != "Person" or mention.key in paired:
                continue
            for state, t_start in self._offices_before(doc, mention.start, sent.start):
                mod = self._title_modality(doc, t_start, sent.start) or self._ousted(doc[mention.end - 1]) \
                    or self._leader_clause(doc[t_start])
                claims.append(self._claim(doc[t_start], mention.key, "leaderOf", state, "title:of", 0.85, mod))
            counterpart = self._counterpart_state(doc[mention.end - 1], mention.key, claims)
            if counterpart is not None:
                state, anchor = counterpart
                claims.append(self._claim(anchor, mention.key, "leaderOf", state, "title:counterpart", 0.8,
                                          self._leader_clause(anchor)))
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
                if t_start is None:
                    state, t_start, rule = self._title_predicated(doc[mention.end - 1], sent.start)
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
            mod = marker or self._ousted(doc[mention.end - 1]) or self._leader_clause(anchor)
            claims.append(self._claim(anchor, mention.key, "leaderOf", state, rule, 0.9, mod))
        return claims

    def _paired_titles(self, sent: Span, actors: dict[str, Actor]) -> list[Claim]:
        """'the presidents of Kenya and Tanzania, William Ruto and Samia Suluhu Hassan', 'X and Y, the
        leaders of A and B (respectively)': a plural title pairs its states with its persons in order."""
        doc = sent.doc
        claims = []
        for title in sent:
            if title.tag_ != "NNS" or title.i + 1 >= sent.end or doc[title.i + 1].lower_ != "of":
                continue
            start = self._title_at_plural(title, sent.start)
            if start is None:
                continue
            states, after = self._actors_from(doc, title.i + 2, sent.end, actors, STATE_CLASSES)
            persons, _ = self._actors_from(doc, after, sent.end, actors, {"Person"})
            if not persons:  # "X and Y, the leaders of A and B"
                before = start - 1 if start - 1 >= sent.start and doc[start - 1].lower_ == "the" else start
                persons = self._persons_before(doc, before, sent.start, actors)
            if len(states) < 2 or len(states) != len(persons):
                continue
            mod = self._title_modality(doc, start, sent.start) or self._leader_clause(doc[start])
            claims.extend(self._claim(doc[start], p, "leaderOf", st, "title:paired", 0.85, mod)
                          for p, st in zip(persons, states, strict=True))
        return claims

    def _title_at_plural(self, title: Token, lower: int) -> int | None:
        """Where a plural leader title ending at `title` starts ('prime ministers', 'presidents')."""
        for words in self.titles:
            start = title.i + 1 - len(words)
            if start >= lower and [t.lower_ for t in title.doc[start:title.i]] == words[:-1] \
                    and title.lemma_.lower() == words[-1]:
                return start
        return None

    @staticmethod
    def _actors_from(doc: Doc, i: int, end: int, actors: dict[str, Actor],
                     classes: frozenset[str] | set[str]) -> tuple[list[str], int]:
        """Actors of these classes listed from `i` ('A, B and C'), and where the list stops."""
        keys: list[str] = []
        while i < end:
            token = doc[i]
            mention = token._.kg_mention
            if mention is not None and actors.get(mention.key) is not None and actors[mention.key].cls in classes:
                if mention.key not in keys:
                    keys.append(mention.key)
                i = mention.end
            elif token.lower_ in (",", "and", "the") and mention is None:
                i += 1
            else:
                break
        return keys, i

    @staticmethod
    def _persons_before(doc: Doc, i: int, lower: int, actors: dict[str, Actor]) -> list[str]:
        """Persons listed just before `i` ('Xi Jinping and Vladimir Putin, the ...'), in order."""
        keys: list[str] = []
        i -= 1
        while i >= lower:
            token = doc[i]
            mention = token._.kg_mention
            if mention is not None and actors.get(mention.key) is not None and actors[mention.key].cls == "Person":
                keys.insert(0, mention.key)
                i = mention.start - 1
            elif token.lower_ in (",", "and"):
                i -= 1
            else:
                break
        return keys

    def _counterpart_state(self, person: Token, key: str, claims: list[Claim]) -> tuple[str, Token] | None:
        """'President Ruto met his Somali counterpart, Hassan Sheikh Mohamud': a leader's counterpart
        leads the state its adjective names (with the noun 'counterpart' as the anchor)."""
        noun = person.head if person.dep_ == "appos" else next(
            (c for c in person.children if c.dep_ == "appos"), None)
        if noun is None or noun.lemma_.lower() not in self.words.counterpart_nouns or not any(
                c.relation == "leaderOf" and c.subject != key and c.modality == ASSERTED for c in claims):
            return None
        state = next((m.key for c in noun.children if c.dep_ in ("amod", "compound") and (m := c._.kg_mention)
                      and actor_class(noun.doc, m.key) == "Country"), None)
        return (state, noun) if state is not None else None

    def _offices_before(self, doc: Doc, start: int, lower: int) -> list[tuple[str, int]]:
        """'the Prime Minister of Dominica and Chairman of the Caribbean Community (CARICOM), the
        Honourable Roosevelt Skerrit': each 'title of State' in a chain that ends at the name."""
        offices: list[tuple[str, int]] = []
        i = start - 1
        while i >= lower and (doc[i].text in (",", "(", ")") or doc[i].lower_ in self.gazetteer.honorifics
                              or doc[i].lower_ == "the" or (doc[i].text.isupper() and doc[i - 1].text == "(")):
            i -= 1  # ", the Honourable", "(CARICOM)"
        while i >= lower and doc[i]._.kg_mention is not None:
            mention = doc[i]._.kg_mention
            j = mention.start - 1
            if j >= lower and doc[j].lower_ == "the":
                j -= 1
            if j < lower or doc[j].lower_ != "of":
                break
            title_start = self._title_at(doc, j, lower)
            actor = doc._.kg_actors.get(mention.key)
            if title_start is None or actor is None or actor.cls not in STATE_CLASSES:
                break
            offices.append((mention.key, title_start))
            i = title_start - 1
            while i - 2 >= lower and doc[i - 1].text == "-":
                i -= 3  # "Pro-Tempore President"
            if i >= lower and doc[i].lower_ == "and":
                i -= 1
            else:
                break
        return offices

    def _title_at(self, doc: Doc, end: int, lower: int) -> int | None:
        """Where a title ending at `end` starts, longest first; 'Secretary-General' is three tokens."""
        for words in self.titles:
            start = end - len(words)
            if start >= lower and [t.lower_ for t in doc[start:end]] == words:
                return start
        for start in range(max(lower, end - 5), end - 1):
            if " ".join(doc[start:end].text.lower().split()) in self.hyphenated_titles:
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
            if mention.start - 1 >= lower and doc[mention.start - 1].text == "-":
                return self._state_before(doc, mention.start - 2, lower)  # "Ukraine's pro-Moscow president"
            actor = doc._.kg_actors.get(mention.key)
            if actor is not None and actor.cls in STATE_CLASSES:
                return mention.key
        return None

    def _title_after(self, doc: Doc, end: int, upper: int) -> tuple[str | None, int | None, str]:
        """'Erdogan, Turkey's president' or 'Biden, the president of the United States'."""
        if end >= upper or doc[end].text != ",":
            return None, None, ""
        window = doc[end + 1: min(upper, end + 9)]
        if len(window) and window[0].lower_ in ("and", "or"):
            return None, None, ""  # ", and the Prime Minister of X": the next person's title
        for i, token in enumerate(window):
            if token.text in (",", ";"):
                window = window[:i]
                break
        for token in window:
            if token._.kg_mention is not None:
                actor = doc._.kg_actors.get(token._.kg_mention.key)
                if actor is None or actor.cls not in STATE_CLASSES:
                    continue
                for t in window:
                    if self._title_at(doc, t.i + 1, window.start) is not None and not self._person_after(window, t):
                        return token._.kg_mention.key, t.i, "title:apposition"
        return None, None, ""

    @staticmethod
    def _person_after(window: Span, title: Token) -> bool:
        """'Lukashenko, an ally of Russian President Putin': the title is Putin's, not Lukashenko's."""
        return any(t.i > title.i and t._.kg_mention is not None
                   and actor_class(window.doc, t._.kg_mention.key) == "Person" for t in window)

    def _title_predicated(self, person: Token, lower: int) -> tuple[str | None, int | None, str]:
        """'Xi Jinping is the president of China', 'Ruto became Kenya's president in 2022'."""
        verb = person.head
        if person.dep_ != "nsubj" or verb.lemma_.lower() not in ("be", "become", "remain"):
            return None, None, ""
        for attr in (c for c in verb.children if c.dep_ == "attr"):
            title_start = self._title_at(person.doc, attr.i + 1, max(lower, person.i + 1))
            if title_start is None:
                continue
            owners = [p for c in attr.children if c.dep_ == "prep" and c.lower_ == "of"
                      for p in c.children if p.dep_ == "pobj" and p._.kg_mention is not None]
            owners += [c for c in attr.children if c.dep_ == "poss" and c._.kg_mention is not None]  # "Y's president"
            for owner in owners:
                if actor_class(person.doc, owner._.kg_mention.key) in STATE_CLASSES:
                    return owner._.kg_mention.key, title_start, "title:predicate"
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

    def _ousted(self, person: Token) -> str | None:
        """'the ousting of president X', 'X was overthrown', 'the late X': a leader no more."""
        token = person
        for _ in range(6):
            if token.lemma_.lower() in self.words.leader_endings and token.i != person.i:
                return "past"
            if token.dep_ not in ("pobj", "prep", "dobj", "nsubjpass", "appos", "compound") or token.head.i == token.i:
                return None
            token = token.head
        return None

    def _leader_clause(self, anchor: Token) -> str:
        """A title is presupposed by its noun phrase, except in 'if he becomes president' clauses; 'X was
        the president of Y' or '... until 2022' places the office in the past."""
        while anchor.dep_ in ("compound", "amod") and anchor.head.i != anchor.i:  # "prime" of "prime minister"
            anchor = anchor.head
        verb = anchor.head
        if anchor.dep_ == "attr" and verb.lemma_ == "be" and (verb.tag_ == "VBD" or any(
                c.dep_ == "prep" and c.lower_ == "until" for c in verb.children)):
            return "past"
        if verb.lemma_ in ("become", "elect", "appoint", "nominate", "name") or anchor.dep_ == "attr":
            return modality(anchor, self.lex)
        return ASSERTED
