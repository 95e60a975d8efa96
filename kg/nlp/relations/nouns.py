"""Noun triggers: 'the Russia-Iran treaty', 'Western sanctions on Iran', 'X signed a pact with Y'."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.nlp.modality import ASSERTED, ModalityLexicon, modality_cue, own_marker
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.spec import TriggerSpec
from kg.nlp.relations.syntax import actor_class


class NounTriggers:
    """Mixin of the relation extractor: claims of a noun trigger and the verbs nouns borrow subjects from."""

    observer_verbs: frozenset[str]
    lex: ModalityLexicon

    def _noun_claims(self, noun: Token, spec: TriggerSpec) -> list[Claim]:
        """Claims of a noun trigger; the noun's own markers ('a planned deal') hold whatever verb carries it."""
        claims = self._noun_arguments(noun, spec)
        if any(c.modality == ASSERTED for c in claims):
            marker = own_marker(noun, self.lex) or modality_cue(noun, self.lex)  # "Hungary blocked EU aid to X"
            if marker[0] != ASSERTED:
                claims = [replace(c, modality=marker[0], cue=marker[1]) if c.modality == ASSERTED else c
                          for c in claims]
        verb = self._governing_verb(noun) if noun.dep_ == "dobj" else None
        if verb is not None and spec.spoken_by and verb.lemma_.lower() in spec.spoken_by:
            mod, cue = modality_cue(verb, self.lex)  # "vowed revenge": the vow is the act, "did not vow" is not
            claims = [replace(c, modality=mod, cue=cue) if c.cue == verb.text else c for c in claims]
        denied = own_marker(verb, self.lex) if verb is not None else None
        if denied and denied[0] == "negated":  # "X never signed the accord": a definite noun exists, X's act does not
            doers = set(self._verb_subjects(verb))
            claims = [replace(c, modality=denied[0], cue=denied[1])
                      if c.modality == ASSERTED and doers & {c.subject, c.object} else c for c in claims]
        return claims

    def _noun_arguments(self, noun: Token, spec: TriggerSpec) -> list[Claim]:
        relation = spec.relation
        group = [noun] + ([noun.head] if noun.dep_ == "conj" else [])
        if noun.dep_ == "compound" and noun.head.lemma_.lower() in self.words.country_nouns \
                and noun.head.dep_ in ("attr", "appos"):
            group.append(noun.head)  # "Egypt is a member state of the Arab League"
        if spec.theme and not self._has_theme(group, spec.theme):
            return []
        if spec.not_theme and self._has_theme([noun], spec.not_theme):
            return []
        rule = f"noun:{relation}:{noun.lemma_.lower()}"
        subjects: list[str] = []
        objects: list[str] = []
        members: list[str] = []
        frames: list[str] = []
        for head in group:
            for child in head.children:
                mention = child._.kg_mention
                if child.dep_ == "poss":
                    keys = self._actors_at(child)
                    (objects if "poss" in spec.object and self._copular(noun) else subjects).extend(keys)
                elif child.dep_ in ("amod", "compound", "nmod", "npadvmod") and mention is not None:
                    if mention.kind == "demonym" and actor_class(noun.doc, mention.key) == "Region":
                        continue  # "its Asian allies": where they are, not who
                    if actor_class(noun.doc, mention.key) in (spec.frame_classes or ()):
                        frames.append(mention.key)  # "its NATO allies": allies within NATO, not NATO's
                        continue
                    side = objects if spec.prenominal == "object" or (  # "Japan is a US ally": the US's
                        spec.copular and "poss" in spec.object and self._copular(noun)) else subjects
                    if mention.key not in side:
                        side.append(mention.key)
                elif child.dep_ in ("prep", "agent"):
                    word = child.lower_
                    pobj_keys = [k for p in child.children if p.dep_ == "pobj"
                                 for k in (self._place_at(p) if spec.place_object else self._actors_at(p))]
                    if word == "between" or (word == "of" and spec.of == "members"):
                        members.extend(pobj_keys)
                    elif word in ("by", "from") or (word == "of" and spec.of == "subject"):
                        subjects.extend(pobj_keys)
                    elif f"prep:{word}" in spec.object:
                        objects.extend(pobj_keys)
        if spec.xcomp_object and not objects:  # "his threat to unleash fire and fury on Pyongyang"
            for verb in (c for c in noun.children if c.dep_ == "acl" and any(a.lower_ == "to" for a in c.children)):
                objects.extend(k for place in ("dobj", "prep:on", "prep:against", "prep:at", "prep:to")
                               for t in self._verb_objects(verb, [place], False) for k in self._actors_at(t))
        targeting = [noun.head] if noun.dep_ == "nsubj" else [c for c in noun.children if c.dep_ == "acl"]
        for verb in (v for v in targeting if not objects and v.lemma_.lower() in self.words.targeting_verbs):
            aimed = [c for c in verb.children if c.dep_ == "dobj"]  # "sanctions target Iran's oil"
            aimed += self._prep_objects([verb], "at") + self._prep_objects([verb], "against")  # "aimed at Iran"
            objects.extend(k for t in aimed for k in self._actors_at(t) or self._modifier_actors(t))
        top = noun.head if noun.dep_ == "conj" else noun
        if spec.means_object and not objects and top.dep_ == "pobj" and top.head.lower_ in self.lex.means_preps:
            objects.extend(k for t in top.head.head.children if t.dep_ == "dobj"  # "through intimidation"
                           for k in self._actors_at(t) or self._modifier_actors(t))
        if spec.under_object and not objects and top.dep_ == "pobj" and top.head.lower_ == "under" \
                and top.head.head.pos_ in ("VERB", "AUX"):
            objects.extend(self._verb_subjects(top.head.head))  # "Venezuela remains under US sanctions"
        elif spec.patient_object and not objects and top.dep_ == "dobj" \
                and top.head.lemma_.lower() in self.words.patient_verbs:
            objects.extend(self._verb_subjects(top.head))  # "Manila faces pressure from Beijing"
        anchor = noun
        if not objects and top.dep_ in ("dobj", "attr", "pobj"):
            verb = self._governing_verb(top)
            if verb is not None:
                anchor = verb
                objects.extend(
                    k for p in spec.object if p.startswith("prep:")
                    for t in self._prep_objects([verb], p[5:]) for k in self._actors_at(t)
                )
                if not objects and top.dep_ == "pobj" and self._passive(verb) and not spec.pair:
                    objects.extend(k for t in self._passive_subject(verb) for k in self._actors_at(t))
        if spec.pair and not members and noun.dep_ in ("nsubj", "nsubjpass", "dobj"):
            members = [k for t in self._prep_objects([noun.head], "between") for k in self._actors_at(t)]
        if spec.pair and len(subjects) < 2:
            owner = noun.head if noun.dep_ == "compound" else noun
            prenominal = [t._.kg_mention.key for t in owner.subtree
                          if t.i < noun.i and t._.kg_mention is not None and t.dep_ != "poss"]
            if len(set(prenominal)) >= 2:
                subjects = list(dict.fromkeys(prenominal))
        confidence = 0.8
        if spec.pair and len(subjects) >= 2 and not objects:
            members.extend(subjects)
            subjects = []
        if not subjects and not members and noun.dep_ == "nsubj" \
                and noun.head.lemma_.lower() in self.words.source_verbs:  # "support for X came from Y and Z"
            subjects = [k for t in self._prep_objects([noun.head], "from") for k in self._actors_at(t)]
        if spec.copular and not subjects and not members and objects and self._apposed(noun):
            subjects = [k for c in self._apposed(noun) for k in self._actors_at(c)]  # "thanked its allies, A and B"
        relative = self._object_clause(noun) if spec.light and not subjects and not members else None
        if relative is not None:  # "the support that Finland has provided to Ukraine"
            subjects = self._verb_subjects(relative)
            objects = objects or [k for p in spec.object if p.startswith("prep:")
                                  for t in self._prep_objects([relative], p[5:]) for k in self._actors_at(t)]
            anchor = relative
        if not subjects and not members and spec.light:
            subjects = self._light_subjects(noun)
            confidence = 0.75
            partner_named = any(c.dep_ == "prep" and f"prep:{c.lower_}" in spec.object and any(
                p.pos_ == "PROPN" or p.lemma_.lower() in self.agent_nouns | self.words.pair_nouns
                for p in c.children if p.dep_ == "pobj") for c in noun.children)
            if spec.pair and len(subjects) >= 2 and not objects and not partner_named:
                members, subjects = subjects, []  # "A and B signed a pact", not "A and B have a pact with C"
        following = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
        following_named = following is not None and following._.kg_mention is not None \
            and following._.kg_mention.start == following.i
        if spec.copular and not objects and subjects and following_named:
            objects, subjects = subjects, self._actors_at(following)  # "Russia's ally Belarus"
        elif spec.prenominal == "object" and objects and not subjects and following_named:
            subjects = self._actors_at(following)  # "NATO member Poland"
        named = [c._.kg_mention.key for c in noun.children if c.dep_ == "appos" and c._.kg_mention is not None]
        if frames and not objects:  # "NATO allies Poland and Lithuania", "Turkey, a NATO ally": NATO members
            framed = [k for t in noun.children if t.dep_ == "appos" for k in self._actors_at(t)] \
                or (self._actors_at(following) if following_named else []) \
                or (self._actors_at(noun.head) if noun.dep_ == "appos" else []) \
                or (self._copula_subjects(noun, 0) if noun.dep_ == "attr" else [])
            return self._pairs(anchor, "memberOf", framed, frames, f"noun:memberOf:{noun.lemma_.lower()}:frame",
                               0.75) + (self._members(noun, relation, framed, rule + ":members", confidence)
                                        if len(framed) > 1 else [])
        if spec.copular and objects and not subjects and not spec.named_membership:
            subjects = [k for c in self._apposed(noun) for k in self._actors_at(c)]  # "its allies, A and B"
        if named and spec.named_membership:
            founders = members + subjects
            claims = self._pairs(anchor, "memberOf", founders, named, rule + ":named", confidence)
            return claims + (self._members(noun, relation, founders, rule + ":members", confidence)
                             if len(founders) > 1 else [])
        if spec.inverse:
            subjects, objects = objects, subjects
        if members:
            if objects:
                return self._pairs(anchor, relation, members + subjects, objects, rule, confidence,
                                   spec.object_class)
            # "the Shusha declaration between A and B": the place names no party
            parties = members + [k for k in subjects if actor_class(noun.doc, k) != "Region"]
            return self._members(noun, relation, parties, rule + ":members", confidence)
        return self._pairs(anchor, relation, subjects, objects, rule, confidence, spec.object_class)

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

    def _object_clause(self, noun: Token) -> Token | None:
        """The relative clause whose object the noun is: 'the aid that X sent to Y' (X's act on it)."""
        return next((c for c in noun.children if c.dep_ == "relcl" and any(
            g.dep_ in ("dobj", "nsubjpass") and g.lower_ in self.words.relative for g in c.children)), None)

    @staticmethod
    def _apposed(noun: Token) -> list[Token]:
        """Actors set beside a noun after a comma: an apposition, or a conjunct the parser took for one."""
        comma = noun.i + 1 < len(noun.doc) and noun.doc[noun.i + 1].text == ","
        return [c for c in noun.children if c._.kg_mention is not None
                and (c.dep_ == "appos" or (c.dep_ == "conj" and comma and c.i == noun.i + 2))]

    def _copular(self, noun: Token) -> bool:
        """Is the noun predicated of a subject: 'X is an ally of Y', 'X, Y's ally', 'X is among Y's backers'?"""
        if noun.dep_ in ("attr", "appos") or (noun.dep_ == "conj" and noun.head.dep_ == "attr"):
            return True
        if self._apposed(noun):
            return True  # "its allies, Japan and South Korea": the apposition is the subject
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
        if head.dep_ == "pobj" and head.head.lower_ in self.words.circumstance_preps:
            return []  # "since the start of the invasion": a circumstance, not the subject's act
        if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.lower_ in ("one", "some", "many"):
            head = head.head.head
        elif head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
            return self._light_subjects(head.head.head)  # "signed a declaration of alliance"
        if head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.dep_ == "appos":
            return self._actors_at(head.head.head.head)
        if head.dep_ in ("dobj", "attr", "oprd", "nsubjpass") or (head.dep_ == "ccomp" and head.tag_ == "VBZ"):
            verb = head.head  # ("announced asset freezes": a plural noun parsed as the clause's verb)
        elif head.dep_ == "pobj" and head.head.dep_ in ("prep", "agent"):
            verb = head.head.head
            if verb.lemma_.lower() in self.words.engaged_adjectives and verb.dep_ in ("acomp", "oprd"):
                verb = verb.head  # "A and B remain locked in a dispute", "embroiled in a war with"
        else:
            return []
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() in self.observer_verbs:
            return []  # "India condemned the invasion": India is not the invader
        if any(spec.mediator and spec.theme and self._has_theme([head], spec.theme)
               for spec in self._specs(self.verbs, verb)):
            return []  # "the talks were facilitated by Qatar": Qatar is no party to them
        if head.dep_ == "attr":
            return self._copula_subjects(head, 0)
        if self._passive(verb) and head.dep_ in ("pobj", "oprd"):  # "... which has been dubbed an alliance"
            return [k for t in self._passive_subject(verb) for k in self._actors_at(t)]
        return self._verb_subjects(verb)
