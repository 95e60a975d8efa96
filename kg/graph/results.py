"""What a canned query returns, as plain data and as tables, JSON or CSV (`kg query run --format`)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import neo4j
import neo4j.graph
import neo4j.time

from kg.errors import KgError
from kg.graph.queries import Query, bind, get_query


def _node_name(node: neo4j.graph.Node) -> str:
    for key in ("name", "title", "uri"):
        if node.get(key):
            return str(node[key])
    return node.element_id


def _rel_text(rel: neo4j.graph.Relationship, forward: bool) -> str:
    if rel.get("symmetric"):
        return f" -[{rel.type}]- "
    return f" -[{rel.type}]-> " if forward else f" <-[{rel.type}]- "


def path_text(path: neo4j.graph.Path) -> str:
    """'Russia -[MUTUAL_DEFENSE]- North Korea <-[SUPPORTS]- ...', directions as traversed."""
    nodes = path.nodes
    parts = [_node_name(nodes[0])]
    for index, rel in enumerate(path.relationships):
        forward = rel.start_node is not None and rel.start_node.element_id == nodes[index].element_id
        parts.append(_rel_text(rel, forward))
        parts.append(_node_name(nodes[index + 1]))
    return "".join(parts)


def readable(value: Any) -> Any:
    """A result value as plain data: nodes as their names, relationships and paths as text,
    temporal values as ISO strings; lists and maps recursively."""
    if isinstance(value, neo4j.graph.Path):
        return path_text(value)
    if isinstance(value, neo4j.graph.Node):
        return _node_name(value)
    if isinstance(value, neo4j.graph.Relationship):
        start = _node_name(value.start_node) if value.start_node is not None else "?"
        end = _node_name(value.end_node) if value.end_node is not None else "?"
        return f"{start}{_rel_text(value, True)}{end}"
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    if isinstance(value, dict):
        return {k: readable(v) for k, v in value.items()}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | neo4j.time.Time | date | datetime):
        return value.isoformat()
    if isinstance(value, neo4j.time.Duration):
        return str(value)
    return value


@dataclass
class QueryResult:
    """What running a canned query gives: its columns, records (driver values) and the graph of
    every node and relationship returned (for graph views)."""

    query: Query
    params: dict[str, Any]
    keys: list[str]
    records: list[neo4j.Record]
    graph: neo4j.graph.Graph | None = None
    millis: float | None = None
    _rows: list[dict] | None = field(default=None, repr=False)

    def rows(self) -> list[dict[str, Any]]:
        """Every record as a dict of readable values (see `readable`)."""
        if self._rows is None:
            self._rows = [{k: readable(record[k]) for k in self.keys} for record in self.records]
        return self._rows

    def __len__(self) -> int:
        return len(self.records)

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the `notebook` extra)."""
        import pandas as pd

        return pd.DataFrame(self.rows(), columns=self.keys)


def run(driver: neo4j.Driver, query: Query | str, params: Mapping[str, Any] | None = None,
        database: str | None = None) -> QueryResult:
    """Run a canned query (a Query, or its name) in a read transaction with its parameters (defaults
    overridden by `params`, coerced to their types). Notifications such as "relationship type does
    not exist yet" are not logged: on a young graph they are expected."""
    if isinstance(query, str):
        query = get_query(query)
    bound = bind(query, params)

    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[neo4j.Record], neo4j.graph.Graph, float]:
        result = tx.run(query.cypher, bound)
        keys = list(result.keys())
        records = list(result)
        graph = result.graph()
        summary = result.consume()
        millis = (summary.result_available_after or 0) + (summary.result_consumed_after or 0)
        return keys, records, graph, float(millis)

    try:
        with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF) as session:
            keys, records, graph, millis = session.execute_read(work)
    except neo4j.exceptions.CypherSyntaxError as exc:
        raise KgError(f"query '{query.name}' is not valid Cypher: {exc.message}") from None
    except neo4j.exceptions.ClientError as exc:
        if (exc.code or "").startswith("Neo.ClientError.Security."):
            raise
        raise KgError(f"query '{query.name}' failed: {exc.message}") from None
    return QueryResult(query, bound, keys, records, graph, millis)


def cell_text(value: Any) -> str:
    """A readable value as one table or CSV cell: lists joined by '; ', None empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def format_json(result: QueryResult) -> str:
    return json.dumps(result.rows(), ensure_ascii=False, indent=2, default=str) + "\n"


def format_csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.keys)
    for row in result.rows():
        writer.writerow([cell_text(row[k]) for k in result.keys])
    return buffer.getvalue()


def rich_table(result: QueryResult):
    """The rows as a rich Table titled with the query's title."""
    from rich.table import Table

    table = Table(title=result.query.title, title_justify="left", show_lines=False)
    for key in result.keys:
        table.add_column(key.replace("_", " "), overflow="fold")
    for row in result.rows():
        table.add_row(*(", ".join(map(cell_text, row[k])) if isinstance(row[k], list) else cell_text(row[k])
                        for k in result.keys))
    table.caption = f"{len(result)} row{'s' if len(result) != 1 else ''}"
    return table

