"""Actor parameters of canned queries: an actor nobody answers to is an error with near names, not
an empty result; a person where a state is expected is pointed to the state they lead."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

import neo4j

from kg.errors import KgError
from kg.graph.queries import Query

ACTOR_PARAM = re.compile(r"toLower\(\$(\w+)\)\s+IN\s+coalesce\(")
FIND_ACTOR = ("MATCH (a:Actor) WHERE toLower($value) IN coalesce(a.search, [toLower(a.name)]) "
              "RETURN a.name AS name, [l IN labels(a) WHERE l <> 'Actor'] AS kinds")
ACTOR_FORMS = "MATCH (a:Actor) RETURN a.name AS name, coalesce(a.search, [toLower(a.name)]) AS forms"


def actor_parameters(query: Query) -> list[str]:
    """The parameters a query matches actors by (`toLower($country) IN coalesce(a.search, ...)`)."""
    return sorted(set(ACTOR_PARAM.findall(query.cypher)))


def _read(driver: neo4j.Driver, cypher: str, database: str | None, **params: Any) -> list[neo4j.Record]:
    return driver.execute_query(cypher, params, database_=database, routing_=neo4j.RoutingControl.READ).records


def check_actors(driver: neo4j.Driver, query: Query, bound: Mapping[str, Any],
                 database: str | None = None) -> list[str]:
    """Raise a KgError for an actor parameter that names no actor of the graph, with near names (the
    graph's and the gazetteer's); return notes for parameters that name only persons."""
    notes = []
    for name in actor_parameters(query):
        value = bound.get(name)
        if not isinstance(value, str) or not value.strip():
            continue
        found = _read(driver, FIND_ACTOR, database, value=value)
        if not found:
            raise KgError(unknown_actor(driver, name, value, database))
        if all("Person" in r["kinds"] for r in found):
            notes.append(_person_note(name, value, found[0]["name"]))
    return notes


def unknown_actor(driver: neo4j.Driver, param: str, value: str, database: str | None) -> str:
    from kg.nlp.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    known = gazetteer.lookup(value)
    if known:
        return (f"--param {param}={value}: {known[0].name} is a known actor, but the graph has nothing on "
                "it yet (ingest documents that mention it)")
    names: dict[str, str] = {}
    for record in _read(driver, ACTOR_FORMS, database):
        for form in record["forms"]:
            names.setdefault(form, record["name"])
    for actor in gazetteer.actors.values():
        for form in (actor.name, *actor.aliases):
            names.setdefault(form.lower(), actor.name)
    near = difflib.get_close_matches(value.lower(), names, n=8, cutoff=0.6)
    suggestions = list(dict.fromkeys(names[form] for form in near))[:4]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else " (`kg query run central-actors` lists some)"
    return f"--param {param}={value}: no actor of that name or alias in the graph{hint}"


def _person_note(param: str, value: str, name: str) -> str:
    from kg.nlp.gazetteer import default_gazetteer, slug

    gazetteer = default_gazetteer()
    roles = gazetteer.current_leadership(slug(name))
    if roles:
        role = roles[0]
        return (f"note: {value} is a person ({name}, {role.title} of {role.of}); a leader's acts are recorded "
                f"for the state: try --param {param}={role.of!r}")
    return f"note: {value} is a person ({name}); relations between states are recorded for the state"
