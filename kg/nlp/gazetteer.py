"""The actor gazetteer: canonical actors and every surface form that names them, loaded from data."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

DATA = files("kg.resources") / "data" / "actors.json"


def slug(text: str) -> str:
    """A stable IRI-safe key for a name: accents folded, lowercase, words joined by '-'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"^the\s+", "", text.strip())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"


def normalise(text: str) -> str:
    """The form surface names are compared in: no leading article, no possessive, single spaces."""
    text = re.sub(r"[\u2019']s$", "", text.strip())
    text = re.sub(r"^(the|The)\s+", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,;:")


@dataclass(frozen=True)
class Role:
    title: str
    of: str
    current: bool


@dataclass(frozen=True)
class Actor:
    key: str
    name: str
    cls: str
    qid: str | None = None
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    roles: tuple[Role, ...] = field(default=())
    members: tuple[str, ...] = ()  # a region's countries, by name: "the Baltic state" is one of them

    def surface_forms(self) -> dict[str, str]:
        """Surface form -> kind of mention (name, demonym or metonym)."""
        forms = {self.name: "name"}
        forms.update({a: "name" for a in self.aliases})
        forms.update({d: "demonym" for d in self.demonyms})
        forms.update({m: "metonym" for m in self.metonyms})
        return {normalise(k): v for k, v in forms.items() if normalise(k)}


class Gazetteer:
    """Actors by key and by surface form."""

    def __init__(self, actors: list[Actor], alias_marks: frozenset[str] = frozenset(),
                 honorifics: frozenset[str] = frozenset(), top_titles: tuple[str, ...] = (),
                 lookalike_prefixes: frozenset[str] = frozenset(), generic_names: frozenset[str] = frozenset()) -> None:
        self.actors = {a.key: a for a in actors}
        self.generic_names = generic_names  # 'the Council', 'the Ministry': an institution of no one named
        self.lookalike_prefixes = lookalike_prefixes  # 'a mini-NATO' names something like NATO, not NATO
        self.top_titles = top_titles  # offices that outrank others when one word names two leaders
        self.alias_marks = alias_marks  # words between a name and another the text defines for it
        self.honorifics = honorifics  # words before a person's name ('the Honourable', 'H.E.')
        self.by_form: dict[str, tuple[str, str]] = {}
        self.by_lower: dict[str, tuple[str, str]] = {}
        self.by_name: dict[str, str] = {}
        leaders: dict[str, set[str]] = {}
        for actor in actors:
            if actor.cls == "Person" and any(r.current for r in actor.roles):
                for word in actor.name.split():
                    leaders.setdefault(word, set()).add(actor.key)
            self.by_name[actor.name] = actor.key
            for form, kind in actor.surface_forms().items():
                self.by_form.setdefault(form, (actor.key, kind))
                self.by_lower.setdefault(form.lower(), (actor.key, kind))

        self.leader_words = {word: sorted(keys) for word, keys in leaders.items()}

    def leader_by_word(self, word: str, states: set[str] = frozenset()) -> Actor | None:
        """A current leader named by one word of their name ('Kim', 'Erdogan'), when only one fits,
        or only one leads a state named in the same document."""
        keys = self.leader_words.get(word, [])
        if len(keys) > 1:
            keys = [k for k in keys if any(self.by_name.get(r.of) in states for r in self.actors[k].roles if r.current)]
        if len(keys) > 1:
            keys = [k for k in keys if any(r.current and any(t in r.title.lower() for t in self.top_titles)
                                           for r in self.actors[k].roles)]
        return self.actors[keys[0]] if len(keys) == 1 else None

    def lookup(self, text: str) -> tuple[Actor, str] | None:
        """The actor a surface form names, and how (name, demonym, metonym)."""
        form = normalise(text)
        hit = self.by_form.get(form) or self.by_lower.get(form.lower())
        return (self.actors[hit[0]], hit[1]) if hit else None

    def current_leadership(self, person_key: str) -> list[Role]:
        actor = self.actors.get(person_key)
        return [r for r in actor.roles if r.current] if actor else []

    @classmethod
    def from_file(cls, path: Path | None = None) -> Gazetteer:
        data = json.loads((path or DATA).read_text(encoding="utf-8"))
        actors = []
        for item in data["actors"]:
            actors.append(
                Actor(
                    key=slug(item["name"]),
                    name=item["name"],
                    cls=item["class"],
                    qid=item.get("qid"),
                    aliases=tuple(item.get("aliases", ())),
                    demonyms=tuple(item.get("demonyms", ())),
                    metonyms=tuple(item.get("metonyms", ())),
                    roles=tuple(
                        Role(r.get("title", ""), r["of"], bool(r.get("current"))) for r in item.get("roles", ())
                    ),
                    members=tuple(item.get("members", ())),
                )
            )
        names = {a.name for a in actors}
        for actor in actors:
            unknown = [m for m in actor.members if m not in names]
            if unknown:
                raise ValueError(f"gazetteer: {actor.name} lists an unknown member {unknown[0]!r}")
        return cls(actors, frozenset(data.get("alias_marks", ())), frozenset(data.get("honorifics", ())),
                   tuple(data.get("top_titles", ())), frozenset(data.get("lookalike_prefixes", ())),
                   frozenset(data.get("generic_names", ())))


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.from_file()
