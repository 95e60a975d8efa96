"""Documents as the user names them: `kg documents` lists them (the canned query `documents`, with
each one's identity), and `kg forget` finds one by anything that listing shows.

Both read every `:Document` node alike, whatever made it (`kg ingest`, either engine, or `kg load`),
so a document is listed and found by its IRI, its identity and its source path wherever it came from.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import neo4j

from kg.errors import KgError
from kg.graph.queries import bind, get_query
from kg.graph.results import QueryResult, readable, run
from kg.readers import document_identity, document_iri, path_identity

# The documents a name may mean: by IRI, or by the source path they were read from.
FIND_DOCUMENTS = ("MATCH (d:Document) WHERE d.uri IN $uris OR d.source = $source "
                  "RETURN d.uri AS uri, d.source AS source")
DOCUMENT_NAMES = "MATCH (d:Document) RETURN d.uri AS uri, d.source AS source"


def list_documents(driver: neo4j.Driver, values: Mapping[str, Any],
                   database: str | None = None) -> tuple[QueryResult, bool]:
    """The `documents` query's rows, each with its identity first; and whether its limit cut the
    list (one row more than the limit is read to know)."""
    query = get_query("documents")
    bound = bind(query, values)
    limit = bound["limit"]
    result = run(driver, query, {**bound, "limit": limit + 1}, database)
    records = result.records[:limit]
    rows = [{"identity": document_identity(record["iri"]), **{k: readable(record[k]) for k in result.keys}}
            for record in records]
    listed = dataclasses.replace(result, params=bound, keys=["identity", *result.keys], records=records,
                                 _rows=rows)
    return listed, len(result.records) > limit


def document_candidates(name: str) -> tuple[list[str], list[str]]:
    """The IRIs `name` may mean: first an IRI itself, the identity of a path (an ingested text or a
    loaded RDF file) or an `--id`; then what graphs built before identities were paths called the
    file (the slug of its stem; `kg load`: a hash of the path)."""
    from kg.nlp.gazetteer import slug
    from kg.vocabulary import DOC

    if "://" in name or name.startswith("urn:"):
        return [name], []
    current = list(dict.fromkeys([document_iri(path_identity(name)), document_iri(name)]))
    legacy = [str(DOC[slug(Path(name).stem)]),
              f"urn:kg:graph:{hashlib.sha256(name.encode('utf-8')).hexdigest()[:20]}"]
    return current, [uri for uri in legacy if uri not in current]


def _read(driver: neo4j.Driver, cypher: str, database: str | None, **params: Any) -> list[neo4j.Record]:
    return driver.execute_query(cypher, params, database_=database, routing_=neo4j.RoutingControl.READ).records


def find_document(driver: neo4j.Driver, name: str, database: str | None = None) -> str:
    """The IRI of the one document `name` means: its identity, IRI or source path (an old graph's
    names last). KgError if none does (with near identities) or if a source path is shared."""
    current, legacy = document_candidates(name)
    found = {r["uri"]: r["source"] for r in _read(driver, FIND_DOCUMENTS, database, uris=current + legacy,
                                                  source=name)}
    by_source = sorted(uri for uri, source in found.items() if source == name)
    for uri in current:
        if uri in found:
            return uri
    if len(by_source) > 1:
        names = ", ".join(document_identity(uri) for uri in by_source[:5])
        raise KgError(f"{name}: {len(by_source)} documents were read from this source; name one by its "
                      f"identity: {names}{' ...' if len(by_source) > 5 else ''}")
    for uri in by_source + legacy:
        if uri in found:
            return uri
    raise KgError(unknown_document(driver, name, database))


def unknown_document(driver: neo4j.Driver, name: str, database: str | None) -> str:
    """'NAME: no such document in the graph; did you mean ...?', near identities and source paths."""
    forms: dict[str, str] = {}
    for record in _read(driver, DOCUMENT_NAMES, database):
        identity = document_identity(record["uri"])
        for form in (identity, record["source"]):
            if form:
                forms.setdefault(form, identity)
    near = [form for variant in dict.fromkeys([name, document_identity(name) if "://" in name else path_identity(name)])
            for form in difflib.get_close_matches(variant, forms, n=8, cutoff=0.6)]
    suggestions = list(dict.fromkeys(forms[form] for form in near))[:4]
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else " (`kg documents` lists them)"
    return f"{name}: no such document in the graph{hint}"
