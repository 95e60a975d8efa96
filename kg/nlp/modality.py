"""Modality: is a claim asserted as fact, or negated, hypothetical, intended, demanded, prevented, past?

The rule (vocabulary.md): only asserted claims become plain triples. The markers come from the
`modality` section of kg/resources/data/relations.json; this module only walks the dependency tree.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

ASSERTED = "asserted"
Marked = tuple[str, str]  # a modality and the word that marks it ('would', 'denied', 'former')
CLAUSE_LINKS = {"xcomp", "ccomp", "pcomp", "prep", "pobj", "dobj", "acl", "conj", "advcl", "attr", "oprd",
                "nsubj", "nsubjpass", "csubj", "appos", "compound", "amod", "npadvmod", "dative", "agent"}


@dataclass(frozen=True)
class ModalityLexicon:
    modal_aux: dict[str, str]
    conditional_marks: frozenset[str]
    verbs: dict[str, str]
    nouns: dict[str, str]
    adjectives: dict[str, str]
    adverbs: dict[str, str]
    determiners: dict[str, str]
    complement_verbs: dict[str, str]
    permission_verbs: frozenset[str]
    ending_verbs: frozenset[str]
    lapsing_verbs: frozenset[str]  # 'the pact lapsed', 'the war ended': the subject's state is over
    factual_marks: frozenset[str]  # subordinators of a clause stated as fact ('because', 'after')
    factual_preps: frozenset[str]  # prepositions of a circumstance stated as fact ('despite', 'amid')
    means_preps: frozenset[str]  # 'stopped X through intimidation': the means is the subject's own act
    definite: frozenset[str]  # determiners that presuppose their noun ('the pact')

    @classmethod
    def from_data(cls, data: dict) -> ModalityLexicon:
        return cls(
            modal_aux=data["modal_aux"],
            conditional_marks=frozenset(data["conditional_marks"]),
            verbs=data["verbs"],
            nouns=data["nouns"],
            adjectives=data["adjectives"],
            adverbs=data["adverbs"],
            determiners=data["determiners"],
            complement_verbs=data["complement_verbs"],
            permission_verbs=frozenset(data["permission_verbs"]),
            ending_verbs=frozenset(data["ending_verbs"]),
            lapsing_verbs=frozenset(data["lapsing_verbs"]),
            factual_marks=frozenset(data["factual_marks"]),
            factual_preps=frozenset(data["factual_preps"]),
            means_preps=frozenset(data["means_preps"]),
            definite=frozenset(data["definite"]),
        )


def own_marker(token: Token, lex: ModalityLexicon, is_trigger: bool = True) -> Marked | None:
    """Markers attached to one token (negation, modal auxiliaries, conditional marks, adverbs), with the word."""
    for child in token.children:
        low = child.lower_
        if child.dep_ == "neg":
            return "negated", child.text
        if child.dep_ == "aux" and low in lex.modal_aux and token.pos_ in ("VERB", "AUX"):
            return lex.modal_aux[low], child.text
        if child.dep_ == "mark" and low in lex.conditional_marks:
            return "hypothetical", child.text
        if child.dep_ == "advmod":
            phrase = low if low in lex.adverbs else " ".join(t.lower_ for t in child.subtree)  # "no longer"
            if phrase in lex.adverbs:
                return lex.adverbs[phrase], child.text if phrase == low else phrase
        if child.dep_ == "det" and low in lex.determiners and token.pos_ in ("NOUN", "PROPN"):
            return lex.determiners[low], child.text
        if child.dep_ in ("amod", "compound", "advmod", "acomp") and child.lower_ in lex.adjectives:
            return lex.adjectives[child.lower_], child.text
    if not is_trigger:
        table = lex.verbs if token.pos_ == "VERB" else lex.nouns if token.pos_ in ("NOUN", "PROPN") else {}
        for particle in (c.lower_ for c in token.children if c.dep_ in ("prt", "prep")):  # "call for", "rule out"
            if f"{token.lemma_.lower()} {particle}" in lex.verbs:
                return lex.verbs[f"{token.lemma_.lower()} {particle}"], f"{token.text} {particle}"
        for form in word_forms(token):
            if form in table:
                return table[form], token.text
    return None


def word_forms(token: Token) -> tuple[str, ...]:
    """Ways to look a token up in a lexicon: lemma, lower-case text, and that text de-inflected.

    The statistical lemmatizer errs on rare forms ('hopes' -> 'hop'), so lexicons are tried with all.
    """
    lower = token.lower_
    forms = [token.lemma_.lower(), lower]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e")):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            forms.append(lower[: len(lower) - len(suffix)] + repl)
    return tuple(dict.fromkeys(forms))


def _presupposed(token: Token, lex: ModalityLexicon) -> bool:
    """A definite or possessed noun phrase presupposes its relation: 'the pact between X and Y'."""
    if token.pos_ not in ("NOUN", "PROPN") or token.dep_ in ("attr", "oprd"):
        return False
    children = list(token.children)
    if any(c.dep_ == "det" and c.lower_ not in lex.definite for c in children):
        return False  # "a Russian deployment" is only mentioned, "the Russian deployment" exists
    return any((c.dep_ == "det" and c.lower_ in lex.definite) or c.dep_ == "poss" or _demonym(c) for c in children)


def _demonym(token: Token) -> bool:
    """'Western sanctions', 'the Russian invasion': an actor's adjective names an existing thing."""
    mention = token._.kg_mention if token.has_extension("kg_mention") else None
    return token.dep_ == "amod" and mention is not None and mention.kind == "demonym"


def past_episode(trigger: Token) -> str:
    """A simple past placed in a named past event: 'they fought the US in the Korean War' gives the
    event's name ('' when there is none).

    A state (alliance, war, presence) told only as an episode of a named past event does not hold
    at the time of writing; an event relation (a signing, an invasion) stays asserted.
    """
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    if verb.tag_ != "VBD" and not any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children):
        return ""
    named = next((p.text for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in ("in", "during")
                  for p in prep.children if p.dep_ == "pobj" and p.ent_type_ == "EVENT"), "")
    return named or _closed_period(trigger, verb)


def _closed_period(trigger: Token, verb: Token) -> str:
    """'from 1998 to 2000', 'between 1980 and 1988', 'until 2014' on a past clause: the period it was
    told in has ended ('' when there is none)."""
    preps = [c for head in (trigger, verb) for c in head.children if c.dep_ == "prep"]
    preps += [g for prep in preps for p in prep.children if p.dep_ == "pobj" for g in p.children if g.dep_ == "prep"]
    dated = {prep.lower_: p for prep in preps for p in prep.children if p.dep_ == "pobj" and p.ent_type_ == "DATE"}
    end = dated.get("until") or dated.get("till") or (dated.get("to") if "from" in dated else None)
    if end is None and "between" in dated and any(c.dep_ == "conj" and c.ent_type_ == "DATE"
                                                  for c in dated["between"].children):
        end = dated["between"]
    return "" if end is None else " ".join(t.text for t in end.head.subtree)


def _report_above(verb: Token, lex: ModalityLexicon) -> Marked:
    """What a presupposed noun phrase asserts is still only a claim under 'X claimed that ...'."""
    while verb.dep_ in ("ccomp", "conj", "xcomp", "advcl") and verb.head.i != verb.i:
        verb = verb.head
        if verb.dep_ != "conj" and any(lex.verbs.get(f) == "reported" for f in word_forms(verb)):
            return "reported", verb.text
    return ASSERTED, ""


def modality(trigger: Token, lex: ModalityLexicon, stop_at: set[int] | None = None) -> str:
    """The modality of a claim made by `trigger`, found by walking up its sentence's tree."""
    return modality_cue(trigger, lex, stop_at)[0]


def modality_cue(trigger: Token, lex: ModalityLexicon, stop_at: set[int] | None = None) -> Marked:
    """The modality of a claim made by `trigger` and the word that marks it ('' when asserted), so an
    analyst sees why a claim was kept out of the facts."""
    sent = trigger.sent
    if sent.text.rstrip().endswith("?"):
        return "question", "?"
    found = own_marker(trigger, lex, is_trigger=True)
    if found:
        return found
    presupposed = _presupposed(trigger, lex)
    current = trigger
    while current.dep_ != "ROOT" and current.head is not current:
        head = current.head
        infinitival = any(c.dep_ == "aux" and c.lower_ == "to" for c in current.children)
        if (current.dep_ == "relcl" and not infinitival) or (stop_at and head.i in stop_at) \
                or (current.dep_ == "acl" and current.tag_ == "VBN"):
            break  # a relative clause or a participle ("the treaty, signed by X") describes a fact;
            # "the way for troops to deploy" does not
        if current.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in lex.factual_marks
                                           for c in current.children):
            break
        if current.dep_ == "conj" and (any(c.dep_ == "cc" and c.lower_ == "but" for c in head.children)
                                       or any(c.dep_ in ("nsubj", "nsubjpass") for c in current.children)):
            break  # "... but", "X agreed to talk, and the two countries signed": a clause of its own
        if current.dep_ not in CLAUSE_LINKS and not infinitival:
            break
        subject = (current.dep_ in ("nsubj", "appos") and current.pos_ in ("NOUN", "PROPN")) or (
            current.dep_ == "prep" and current.lower_ in lex.means_preps)  # the verb's meaning is not the means
        if current.dep_ == "prep" and (current.lower_ in lex.factual_preps or (
                current.lower_ == "with" and any(c.dep_ == "pcomp" for c in current.children))):
            break  # "despite sanctions", "with Russia occupying a fifth of Georgia"
        past_tense = head.tag_ in ("VBD", "VBN")
        ends = past_tense and (head.lemma_.lower() in lex.ending_verbs and current.dep_ in ("dobj", "nsubjpass")
                               or head.lemma_.lower() in lex.lapsing_verbs and current.dep_ == "nsubj")
        if ends:
            return "past", head.text  # "the EU lifted its sanctions", "the pact was terminated" (not "until X ends")
        if presupposed and head.pos_ in ("VERB", "AUX"):
            # the verb's meaning is about its complement: "the country's guarantors protested" are guarantors
            lexical = None if subject else next((lex.verbs[f] for f in word_forms(head) if f in lex.verbs), None)
            if any(c.dep_ == "prep" and c.lower_ == ("from" if lexical == "prevented" else "as")
                   for c in head.children) and lexical in ("prevented", "reported"):
                lexical = None  # "prevent the tensions from spiralling", "views the presence as illegal": they exist
            return (lexical, head.text) if lexical else _report_above(head, lex)
        # The meaning of a verb ("delayed", "stops short of") is about its complement, not its subject;
        # its auxiliaries, negation and predicate adjectives still are ("war may break out").
        found = own_marker(head, lex, is_trigger=subject)
        if found:
            return found
        if head.lemma_.lower() in lex.permission_verbs and head.tag_ != "VBD" and current.dep_ != "nsubj":
            return "hypothetical", head.text  # "the deal allows troops to deploy" (allowed: they did)
        if current.dep_ == "xcomp" and head.lemma_.lower() in lex.complement_verbs:
            return lex.complement_verbs[head.lemma_.lower()], head.text  # "has to cut ties", "is to sign"
        current = head
    return ASSERTED, ""
