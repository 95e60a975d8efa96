"""Verb triggers: 'X supplied drones to Y', 'Y was sanctioned by X', 'the Iran-backed Houthis'."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from kg.nlp.modality import ASSERTED, word_forms
from kg.nlp.relations.claim import Claim
from kg.nlp.relations.spec import TriggerSpec

TARGET_PREPS = frozenset({"against", "on", "at", "upon", "toward", "towards", "into"})


class VerbTriggers:
    """Mixin of the relation extractor: claims of a verb trigger."""

    def _verb_claims(self, verb: Token, spec: TriggerSpec) -> list[Claim]:
        relation = spec.relation
        if verb.dep_ == "amod" and verb.tag_ == "VBN":  # "the Iran-backed Houthis"
            agents = [k for c in verb.children if c.dep_ in ("npadvmod", "compound", "nmod", "advmod")
                      for k in self._actors_at(c)]
            if spec.theme:  # "the NATO-led force in Kosovo": the force's place, when it speaks of the theme
                if not self._has_theme([verb.head], spec.theme):
                    return []
                places = self._verb_objects(verb.head, list(spec.object), False)
                patients = [k for t in places for k in self._actors_at(t)]
            else:
                patients = self._actors_at(verb.head)
            return self._pairs(verb, relation, agents, patients, f"verb:{relation}:{verb.lemma_.lower()}:hyphen", 0.85)
        dobj = [c for c in verb.children if c.dep_ == "dobj"]
        theme = spec.theme
        if theme:
            themed = dobj + (self._prep_objects([verb, *dobj], "with") if spec.theme_with else [])
            if verb.dep_ == "relcl" and any(d.lower_ in self.words.relative for d in dobj):
                themed.append(verb.head)  # "the weapons that Iran sent to the Houthis"
            themed += [c for c in verb.children if c.dep_ == "nsubjpass"] + ([verb.head] if verb.dep_ == "acl" else [])
            if any(t.ent_type_ == "MONEY" or t.lemma_.lower() in self.words.quantities for t in dobj):
                themed += self._prep_objects([verb], "in")  # "received $3bn in military aid"
            if spec.theme_subject:
                themed += [c for c in verb.children if c.dep_ == "nsubj"]
            if not self._has_theme(themed, theme):
                return []
        subjects = self._verb_subjects(verb)
        if spec.theme_subject and not subjects:  # "American troops are stationed in", "Turkish drones were supplied"
            carriers = self._passive_subject(verb) or ([verb.head] if verb.dep_ == "acl" else []) \
                or [c for c in verb.children if c.dep_ == "nsubj"] or dobj  # "there are US troops stationed in"
            subjects = [k for t in carriers for k in self._modifier_actors(t)]
            holder = verb.head.head if verb.dep_ == "acl" and verb.head.dep_ == "dobj" \
                else verb.head if verb.dep_ == "ccomp" else None  # "has fighters deployed in": a small clause
            if not subjects and holder is not None and holder.lemma_.lower() in self.words.holding_verbs:
                subjects = self._verb_subjects(holder)  # "Turkey has troops stationed in Qatar"
        if spec.clause_target and not self._has_theme(list(verb.subtree), spec.clause_target):
            return []  # a warning is a threat only when it speaks of force
        addressee = [c for c in verb.children if c.dep_ in ("dobj", "npadvmod", "dative") and self._actors_at(c)]
        if spec.clause_target and not addressee:
            clause = [c for c in verb.children if c.dep_ == "ccomp"]
            if clause and self._has_theme([t for c in clause for t in c.subtree], spec.clause_target):
                own = set(subjects)
                skip = {t.i for c in clause for x in c.children if x.dep_ in ("conj", "csubj", "nsubj")
                        for t in x.subtree}
                objects = [m for c in clause for t in c.subtree if t._.kg_mention is not None and t.i not in skip
                           and self._targeted(t) for m in self._actors_at(t) if m not in own]
                rule = f"verb:{relation}:{verb.lemma_.lower()}:clause"
                return self._pairs(verb, relation, subjects, list(dict.fromkeys(objects)), rule, 0.75)
        if spec.mediator:  # "Qatar mediated talks between X and Y", "talks brokered by Qatar"
            carriers = [verb.head] if verb.dep_ == "acl" else self._passive_subject(verb) or dobj
            parties = [k for t in self._prep_objects(carriers + [verb], "between") for k in self._actors_at(t)]
            parties += [k for t in self._prep_objects(carriers + [verb], "with") for k in self._actors_at(t)]
            rule = f"verb:{relation}:{verb.lemma_.lower()}:mediator"
            return self._pairs(verb, relation, subjects, list(dict.fromkeys(parties)), rule, 0.8)
        if spec.roles:
            subjects = self._role(verb, spec.roles.subject)
            objects = self._role(verb, spec.roles.object)
            rule = f"verb:{relation}:{verb.lemma_.lower()}"
            claims = self._pairs(verb, relation, subjects, objects, rule, 0.85)
            if spec.members_relation and self._has_theme(dobj, spec.members_theme):
                claims.extend(self._members(verb, spec.members_relation, subjects, rule + ":founders", 0.8))
            return claims
        if spec.xcomp_object and not any(self._actors_at(d) for d in dobj):
            for xcomp in (c for c in verb.children if c.dep_ == "xcomp"):
                objects = next((found for place in ("dobj", "prep:on", "prep:against", "prep:to", "prep:into")
                                if (found := [k for t in self._verb_objects(xcomp, [place], False)
                                              for k in self._actors_at(t)])), [])
                if objects:
                    return self._pairs(verb, relation, subjects, objects, f"verb:{relation}:{verb.lemma_.lower()}:to",
                                       0.8)
        places = list(spec.object)
        recipient = [d for d in dobj if not (theme and self._has_theme([d], theme))] \
            or (dobj if theme and self._has_theme(self._prep_objects([verb, *dobj], "with"), theme) else [])
        if spec.theme_with and any(self._actors_at(d) for d in recipient):
            places = ["dobj", *places]  # "supplied Kyiv (or Israeli forces) with arms", not "sent German tanks to"
        objects = [k for t in self._verb_objects(verb, places, spec.deep_object)
                   for k in (self._place_at(t) if spec.place_object else self._actors_at(t))]
        if spec.force_object and not objects and self._has_theme(dobj, "force"):  # "threatened strikes on Kyiv"
            objects = [k for d in dobj for t in d.subtree if t.i != d.i and t._.kg_mention is not None
                       and self._targeted(t) for k in self._actors_at(t)]
        rule = f"verb:{relation}:{verb.lemma_.lower()}"
        claims = self._pairs(verb, relation, subjects, objects, rule, spec.confidence,
                             spec.object_class)
        if spec.past_tense_ends and verb.tag_ == "VBD":
            claims = [replace(c, modality="past", cue=verb.text) if c.modality == ASSERTED else c for c in claims]
        has_object = (bool(dobj) and not theme) or any(
            self._prep_objects([verb], p[5:]) for p in spec.object if p.startswith("prep:"))
        if not objects and not has_object and spec.symmetric_subjects and len(subjects) > 1:
            claims.extend(self._members(verb, relation, subjects, rule + ":coordinated", 0.85))
        if relation == "signedAgreement":
            agreement = next((d for d in dobj if self._has_theme([d], "defense")), None)
            if agreement is not None:
                members = subjects + objects
                claims.extend(self._members(verb, "mutualDefense", members, rule + ":defense", 0.85))
        return claims

    def _targeted(self, token: Token) -> bool:
        """Is a mention in a warning the target of force ('strike Seoul', 'war against Mali'), not a place,
        an owner or a circumstance ('a Russian deployment in Cuba', 'if tensions with the US rise')?"""
        head = token
        while head.dep_ in ("conj", "compound", "poss", "amod", "appos") and head.head.i != head.i:
            head = head.head
        if head.dep_ in ("dobj", "nsubjpass"):
            return self._has_theme([head.head], "force")
        if head.dep_ != "pobj":
            return False
        prep = head.head
        force = self.themes["force"]
        return prep.lower_ in TARGET_PREPS or (  # "launch an operation in Lebanon"
            prep.lower_ == "in" and any(form in force for form in word_forms(prep.head)))
