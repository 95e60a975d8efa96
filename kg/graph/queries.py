"""Canned Cypher queries: the files in queries/, their headers, parameters, rendering and running.

Each `queries/NAME.cypher` holds one query after a header of `//` comment lines that the CLI, the
Neo4j Browser export and the notebook all read:

    // @title Allies and partners
    // @description One line saying what the query returns.
    // @param country: string = "North Korea"
    // @param limit: integer = 25

Parameter types are `string`, `integer`, `float`, `date` (an ISO date or date-time, passed as a
string, since the graph stores dates as ISO strings; "" for none, which a query may read as no
bound) and `boolean`. A default is a JSON literal
("text", 25, 0.5, true); a parameter without one must be given. Every value reaches Neo4j as a
query parameter, never spliced into the Cypher text.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kg import resources
from kg.errors import KgError

PARAM_TYPES = ("string", "integer", "float", "date", "boolean")
HEADER_LINE = re.compile(r"^\s*//\s?(.*)$")
TAG = re.compile(r"^@(\w+)\s*(.*)$")
PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)\s*(?:=\s*(?P<default>.+?))?\s*$")
TRUE = {"true", "yes", "y", "1", "on"}
FALSE = {"false", "no", "n", "0", "off"}


def queries_dir() -> Path:
    """Where the canned queries live: $KG_QUERIES_DIR, else the project's `queries/`."""
    override = os.environ.get("KG_QUERIES_DIR")
    if override:
        return Path(override).expanduser()
    return resources.queries_dir()


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = False

    def describe(self) -> str:
        if self.required:
            return f"{self.name}: {self.type}"
        return f"{self.name}: {self.type} = {json.dumps(self.default, ensure_ascii=False)}"


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    cypher: str
    path: Path | None = None

    @property
    def param_names(self) -> list[str]:
        return [p.name for p in self.params]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        valid = ", ".join(self.param_names) or "(none)"
        raise KgError(f"query '{self.name}' has no parameter '{name}'; valid parameters: {valid}")

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params if not p.required}


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------


def coerce(param: Param, value: Any, query: str = "") -> Any:
    """`value` (a CLI string, or already a Python value) as the parameter's type; KgError if it is
    not one."""
    where = f"parameter '{param.name}'" + (f" of query '{query}'" if query else "")
    kind = param.type
    try:
        if kind == "string":
            return value if isinstance(value, str) else str(value)
        if kind == "integer":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float) and not value.is_integer():
                raise ValueError
            return int(value.strip()) if isinstance(value, str) else int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in TRUE:
                return True
            if text in FALSE:
                return False
            raise ValueError
        if kind == "date":
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, date):
                return value.isoformat()
            text = str(value).strip()
            if not text:
                return ""  # no date: the query reads it as no bound
            try:
                date.fromisoformat(text)
            except ValueError:
                datetime.fromisoformat(text)
            return text
    except (TypeError, ValueError):
        hint = {"boolean": "true or false", "date": "an ISO date such as 2024-06-19",
                "integer": "an integer", "float": "a number"}.get(kind, f"a {kind}")
        raise KgError(f"{where} must be {hint}, not {value!r}") from None
    raise KgError(f"{where} has an unknown type '{kind}'")


def _parse_default(text: str, param: Param, where: str) -> Any:
    try:
        literal = json.loads(text)
    except json.JSONDecodeError:
        raise KgError(f"{where}: default of '{param.name}' is not a JSON literal: {text}") from None
    return coerce(param, literal, where)


def parse_query(text: str, name: str, path: Path | None = None) -> Query:
    """One query file: the header's @title, @description and @param lines, then the Cypher."""
    where = str(path) if path else name
    title = description = None
    params: list[Param] = []
    lines = text.splitlines()
    body_start = len(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = HEADER_LINE.match(line)
        if not match:
            body_start = index
            break
        tag = TAG.match(match.group(1).strip())
        if not tag:
            continue  # a plain comment in the header
        key, value = tag.group(1), tag.group(2).strip()
        if key == "title":
            title = value
        elif key == "description":
            description = value
        elif key == "param":
            spec = PARAM.match(value)
            if not spec:
                raise KgError(f"{where}: bad @param line (want 'name: type = default'): {value}")
            kind = spec.group("type")
            if kind not in PARAM_TYPES:
                raise KgError(f"{where}: parameter '{spec.group('name')}' has unknown type '{kind}' "
                              f"(valid: {', '.join(PARAM_TYPES)})")
            param = Param(spec.group("name"), kind, required=spec.group("default") is None)
            if not param.required:
                param = Param(param.name, kind, _parse_default(spec.group("default"), param, where))
            if param.name in {p.name for p in params}:
                raise KgError(f"{where}: parameter '{param.name}' declared twice")
            params.append(param)
        else:
            raise KgError(f"{where}: unknown header tag @{key} (valid: @title, @description, @param)")
    cypher = "\n".join(lines[body_start:]).strip()
    if not title:
        raise KgError(f"{where}: no '// @title' line in the header")
    if not cypher:
        raise KgError(f"{where}: no Cypher after the header")
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", re.sub(r"//[^\n]*", "", cypher)))
    declared = {p.name for p in params}
    if used - declared:
        raise KgError(f"{where}: Cypher uses undeclared parameters: {', '.join(sorted(used - declared))}")
    return Query(name, title, description or "", tuple(params), cypher, path)


def load_queries(directory: Path | None = None) -> dict[str, Query]:
    """Every `*.cypher` file of the directory, by name (the file name without extension)."""
    directory = directory or queries_dir()
    if not directory.is_dir():
        raise KgError(f"no query directory at {directory} (set KG_QUERIES_DIR)")
    found = {}
    for path in sorted(directory.glob("*.cypher")):
        found[path.stem] = parse_query(path.read_text(encoding="utf-8"), path.stem, path)
    return found


def get_query(name: str, directory: Path | None = None) -> Query:
    queries = load_queries(directory)
    if name in queries:
        return queries[name]
    raise KgError(f"unknown query '{name}'; valid queries: {', '.join(queries)}")


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """`["country=Iran", "limit=5"]` as a dict; KgError for an item without '='."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise KgError(f"--param wants NAME=VALUE, not {item!r}")
        out[key.strip()] = value
    return out


def bind(query: Query, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The full parameter map: defaults, overridden by `values` coerced to their types."""
    values = dict(values or {})
    for key in values:
        query.param(key)  # raises for an unknown parameter, listing the valid ones
    bound = {}
    for p in query.params:
        if p.name in values:
            bound[p.name] = coerce(p, values[p.name], query.name)
        elif p.required:
            raise KgError(f"query '{query.name}' needs parameter '{p.name}' ({p.type}): "
                          f"give --param {p.name}=VALUE")
        else:
            bound[p.name] = p.default
    return bound


# --------------------------------------------------------------------------------------------------
# Neo4j Browser
# --------------------------------------------------------------------------------------------------


def cypher_literal(value: Any) -> str:
    """A Cypher literal for a parameter value (strings double-quoted with JSON escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise KgError(f"no Cypher literal for {value!r}")


def browser_steps(query: Query, values: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The two things to run in Neo4j Browser: the `:param name => value;` lines, then the query by
    itself -- Browser shows the rows of a single statement, only the status of each in a script."""
    bound = bind(query, values)
    params = "".join(f":param {name} => {cypher_literal(value)};\n" for name, value in bound.items())
    return params, query.cypher.rstrip().rstrip(";") + "\n"


def render_browser(query: Query, values: Mapping[str, Any] | None = None) -> str:
    """`browser_steps` as one text, each step under a comment saying how to run it."""
    params, cypher = browser_steps(query, values)
    if not params:
        return cypher
    return ("// 1. Run these lines (they set the parameters):\n" + params
            + "// 2. Then run the query on its own, so Browser shows its rows:\n" + cypher)


def favorite_text(query: Query, values: Mapping[str, Any] | None = None) -> str:
    """A Browser favorite: its name (the first comment line), description, the `:param` lines to
    change its values (as comments), then the query alone -- a single statement, so Browser shows
    its rows or graph (a multi-statement script would only show each statement's status)."""
    head = [f"// {query.title}"]
    if query.description:
        head.append(f"// {query.description.replace(';', ',')}")
    head.append(f"// kg query run {query.name}")
    bound = bind(query, values)
    if bound:
        head.append("// Parameters (run the 'kg parameters' favorite once, or one of these lines):")
        head.extend(f"//   :param {name} => {cypher_literal(value)}" for name, value in bound.items())
    return "\n".join(head) + "\n" + query.cypher.rstrip().rstrip(";") + "\n"


def shared_defaults(queries: Iterable[Query]) -> dict[str, Any]:
    """Every parameter name with its default, the same in every query that has it: so one Browser
    session can run any favorite after any other. KgError names two queries that disagree."""
    defaults: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for query in queries:
        for name, value in bind(query, None).items():
            if name in defaults and defaults[name] != value:
                raise KgError(f"parameter '{name}' defaults to {cypher_literal(defaults[name])} in query "
                              f"'{owner[name]}' but to {cypher_literal(value)} in '{query.name}': "
                              "give one of them another name")
            defaults.setdefault(name, value)
            owner.setdefault(name, query.name)
    return defaults


def parameters_favorite(queries: Iterable[Query]) -> str:
    """One favorite that sets every canned query's parameters to their defaults."""
    defaults = shared_defaults(queries)
    lines = [f":param {name} => {cypher_literal(value)};" for name, value in sorted(defaults.items())]
    head = "// kg parameters\n// Sets the parameters of the kg canned queries to their defaults.\n"
    return head + "\n".join(lines) + "\n"


def style_favorite() -> str:
    """A favorite that applies kg's Browser style (what the local server does on connect)."""
    from kg.graph.style import style_command

    return ("// kg style\n// Colours actors by class and relations by stance (cooperative green, hostile red).\n"
            + style_command() + "\n")


def write_browser_favorites(output: Path | str, queries: Iterable[Query] | None = None,
                            folder: str = "kg queries") -> list[str]:
    """A zip of `.cypher` files that Neo4j Browser imports as favorites when the zip is dropped on
    its window (each file becomes one favorite, in a folder named after the zip's directory)."""
    queries = list(queries if queries is not None else load_queries().values())
    names = [f"{folder}/00-kg-parameters.cypher", f"{folder}/00-kg-style.cypher"]
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(names[0], parameters_favorite(queries))
        archive.writestr(names[1], style_favorite())
        for index, query in enumerate(queries, 1):
            name = f"{folder}/{index:02d}-{query.name}.cypher"
            archive.writestr(name, favorite_text(query))
            names.append(name)
    return names


def summary_rows(queries: Sequence[Query]) -> list[dict[str, str]]:
    """name, title, description and parameters of each query (for listings)."""
    return [{"name": q.name, "title": q.title, "description": q.description,
             "parameters": ", ".join(p.describe() for p in q.params)} for q in queries]
