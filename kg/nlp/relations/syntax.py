"""What every construction shares: actor classes that act as states, dependency-label sets, word lists."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from kg.vocabulary import actor_classes

STATE_CLASSES = actor_classes("Polity")  # countries, organisations and blocs: what can be led, joined, present
# Links from an owner to what it owns: "NATO's expansion", "the expansion of NATO", "Russian-made jets".
OWNER_LINKS = frozenset({"poss", "compound", "amod", "nmod", "pobj", "prep", "conj", "appos", "case"})


@dataclass(frozen=True)
class RelationWords:
    """The `words` section of relations.json: closed classes the syntax needs."""

    pronouns: frozenset[str]  # refer back to a state-like actor ('its', 'they')
    personal_pronouns: frozenset[str]  # refer back to a person ('his', 'she')
    plural_pronouns: frozenset[str]  # refer back to all the coordinated actors ('their')
    quantities: frozenset[str]  # 'dozens of officials': the actors are in the of-phrase
    referring_nouns: frozenset[str]  # 'joined the alliance': the organisation named before
    circumstance_preps: frozenset[str]  # 'since the invasion': the clause's subject did not do it
    leader_endings: frozenset[str]  # 'the ousting of president X': a leader no more
    relationship_nouns: frozenset[str]  # 'the relationship between A and B, dubbed an alliance': A and B
    boundaries: frozenset[str]  # 'troops on Ukraine's border' are not in Ukraine
    targeting_verbs: frozenset[str]  # 'sanctions target X': the verb's object is the noun's
    parts: frozenset[str]  # parts of a country's territory ('a fifth of Ukraine')
    object_control: frozenset[str]  # verbs whose object is the infinitive's subject ('urged X to supply')
    relative: frozenset[str]  # relative pronouns
    pair_nouns: frozenset[str]  # 'both countries', 'the two sides'
    source_verbs: frozenset[str]  # 'support came from X': where a noun's agent is the source
    holding_verbs: frozenset[str]  # 'X has troops stationed in Y': the holder's troops
    nonstate_nouns: frozenset[str]  # 'Mexican cartels', 'Syrian rebels': a demonym that is no state
    detached_preps: frozenset[str]  # 'talks amid the war with X': no argument is found through them
    patient_verbs: frozenset[str]  # 'X faces pressure from Y': X undergoes what the noun names
    owner_participles: frozenset[str]  # 'a Saudi-led coalition', 'a Canadian-led battlegroup': the leader's
    prepositional_nouns: frozenset[str]  # 'in contrast to X', 'in addition to X': X is no argument of the verb
    engaged_adjectives: frozenset[str]  # 'A and B remain locked in a dispute': the subject's own state
    counterpart_nouns: frozenset[str]  # 'President X met his Somali counterpart Y': Y leads Somalia
    singular_pronouns: frozenset[str]  # 'It is designated ...' opening a sentence: the last sentence's subject
    referring_country_nouns: frozenset[str]  # 'the kingdom', 'the island nation': a country named before
    reference_sentences: int  # how many sentences back such a reference may point
    distributive_adjectives: frozenset[str]  # 'the respective country', 'the other state': no single one
    country_nouns: frozenset[str]  # 'the three countries' refers to countries only
    group_sizes: dict[str, int]  # 'both countries', 'the three countries': how many states back

    @classmethod
    def from_data(cls, data: dict) -> RelationWords:
        expected = set(cls.__dataclass_fields__)
        if set(data) != expected:
            raise ValueError(f"relations.json 'words': expected keys {sorted(expected)}, got {sorted(data)}")
        words = {key: frozenset(value) for key, value in data.items() if key not in ("group_sizes",
                                                                                   "reference_sentences")}
        return cls(**words, group_sizes=dict(data["group_sizes"]), reference_sentences=data["reference_sentences"])


def actor_class(doc: Doc, key: str) -> str | None:
    """The class of the actor `key` names in this document, if it is one."""
    actor = (doc._.kg_actors or {}).get(key)
    return actor.cls if actor is not None else None


class Phrases:
    """Word sequences to find in a sentence's lower-cased words, indexed by their first word so a
    sentence is scanned once whatever the number of phrases."""

    def __init__(self, phrases: list[str]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            words = tuple(phrase.split())
            self.by_first.setdefault(words[0], []).append(words)

    def find(self, words: list[str]) -> list[int]:
        """Where a phrase starts in `words`."""
        return [i for i, word in enumerate(words) if word in self.by_first
                and any(tuple(words[i:i + len(p)]) == p for p in self.by_first[word])]

    def __call__(self, words: list[str]) -> bool:
        """Does any phrase occur in `words`?"""
        return any(word in self.by_first and any(tuple(words[i:i + len(p)]) == p for p in self.by_first[word])
                   for i, word in enumerate(words))
