"""Trigger specs: how a verb or noun of kg/resources/data/relations.json finds a relation's arguments.

Validated when the data loads, in the spirit of spaCy's pattern validation: an unknown key, a
missing one or a value of the wrong type is an error that names the trigger and the key.
"""

from __future__ import annotations

import types
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args, get_origin, get_type_hints

Place = str  # dobj | dative | npadvmod | poss | prep:WORD | owner:WORD (the owner of that phrase's noun)


@dataclass(frozen=True)
class Roles:
    """Where a verb whose grammatical subject is not the relation's subject finds each side."""

    subject: list[Place]
    object: list[Place]


@dataclass(frozen=True)
class TriggerSpec:
    """One trigger entry: its lemmas, the relation it states, and where its arguments sit."""

    lemmas: list[str]
    relation: str
    object: list[Place]
    theme: str | None = None  # a theme its object (or compounds) must speak of
    not_theme: str | None = None  # a theme that rules the trigger out
    theme_with: bool = False  # the theme may come as 'with X'
    theme_subject: bool = False  # the subject's modifier names the actor ('American troops are stationed')
    roles: Roles | None = None
    members_relation: str | None = None  # founders of an organisation are also related to each other
    members_theme: str = "agreement"
    xcomp_object: bool = False  # 'threatened to strike X': the object of the infinitive
    clause_target: str | None = None  # a clause that must speak of this theme ('warned that ... force')
    deep_object: bool = False  # the owner of the object ('undermine NATO's unity')
    symmetric_subjects: bool = False  # coordinated subjects with no object relate to each other
    mediator: bool = False  # the subject relates to both parties of 'talks between X and Y'
    under_object: bool = False  # 'X remains under sanctions': the subject of the verb is the object
    patient_object: bool = False  # 'X faces pressure from Y': the subject of a verb of undergoing is the object
    place_object: bool = False  # the object is a place, not a boundary ('on Ukraine's border')
    past_tense_ends: bool = False  # a simple past places the state in the past ('the late king ruled X')
    confidence: float = 0.9
    object_class: list[str] | None = None  # actor classes the object must have
    of: Literal["members", "subject", "object", "theme"] | None = None  # what 'of X' names (nouns)
    light: bool = False  # nouns: borrow the subject of the verb ('X signed a pact')
    pair: bool = False  # nouns: two actors before the noun are the pair ('the Russia-Iran treaty')
    named_membership: bool = False  # 'an alliance, the AES, of Mali and Niger'
    prenominal: Literal["object"] | None = None  # 'NATO member Poland': the prenominal actor is the object
    copular: bool = False  # 'X is Y's ally': the possessor is the object
    inverse: bool = False  # the possessor acts on the noun's referent ('Iran's proxy Hezbollah')
    force_object: bool = False  # 'threatened strikes on Kyiv': the target of the force the object names
    frame_classes: list[str] | None = None  # nouns: prenominal actors of these classes frame it ('NATO allies')
    means_object: bool = False  # nouns: 'stopped Y's drilling through intimidation': the verb's object is the target
    spoken_by: list[str] | None = None  # nouns: verbs that make it by saying it ('vowed revenge' is the threat)

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str, relations: set[str], themes: set[str]) -> TriggerSpec:
        """A checked spec; `where` names the entry in error messages."""
        hints = get_type_hints(cls)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})")
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key == "roles":
                value = _roles(value, where)
            elif not _fits(value, hints[key]):
                raise ValueError(f"{where}: key {key!r} has {value!r}, expected {hints[key]}")
            values[key] = value
        missing = [name for name in ("lemmas", "relation", "object") if name not in values]
        if missing:
            raise ValueError(f"{where}: missing key {missing[0]!r}")
        spec = cls(**values)
        for rel in filter(None, (spec.relation, spec.members_relation)):
            if rel not in relations:
                raise ValueError(f"{where}: unknown relation {rel!r}")
        for theme in filter(None, (spec.theme, spec.not_theme, spec.clause_target)):
            if theme not in themes:
                raise ValueError(f"{where}: unknown theme {theme!r}")
        return spec


def _roles(value: Any, where: str) -> Roles:
    if not isinstance(value, dict) or set(value) != {"subject", "object"}:
        raise ValueError(f"{where}: key 'roles' must have exactly 'subject' and 'object', got {value!r}")
    return Roles(subject=list(value["subject"]), object=list(value["object"]))


def _fits(value: Any, hint: Any) -> bool:
    """Does a JSON value have the declared type (str, bool, float, list[str], Literal, optional)?"""
    origin = get_origin(hint)
    if origin in (types.UnionType,) or str(origin) == "typing.Union":
        return any(_fits(value, arg) for arg in get_args(hint))
    if origin is Literal:
        return value in get_args(hint)
    if origin is list:
        (item,) = get_args(hint)
        return isinstance(value, list) and all(_fits(v, item) for v in value)
    if hint is type(None):
        return value is None
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is bool:
        return isinstance(value, bool)
    return isinstance(value, hint)
