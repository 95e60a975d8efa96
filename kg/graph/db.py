"""Connecting to Neo4j, with every connection failure turned into a one-line KgError (exit code 2).

Messages name the URI and user but never the password.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError, ServiceUnavailable

from kg.errors import KgError
from kg.settings import Settings, load_settings

CONNECTION_TIMEOUT = 10.0
# Managed transactions retry transient failures (deadlocks, a restarting server) for this long.
RETRY_SECONDS = 90.0


def _reason(exc: BaseException) -> str:
    """A short reason for a failure, on one line, without the driver's multi-line detail: a server
    error by its kind and the first line of its message."""
    if isinstance(exc, Neo4jError) and getattr(exc, "message", None):
        kind = (exc.code or "").rsplit(".", 1)[-1] or type(exc).__name__
        message = " ".join(exc.message.strip().splitlines()[0].split())
        return f"{kind}: {message}"[:300]
    text = str(exc)
    for needle, reason in (
        ("Connection refused", "connection refused"),
        ("timed out", "timed out"),
        ("Name or service not known", "unknown host"),
        ("nodename nor servname", "unknown host"),
    ):
        if needle in text:
            return reason
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return first[:160]


def _as_kg_error(exc: BaseException, settings: Settings) -> KgError:
    uri, user = settings.uri, settings.username
    if isinstance(exc, AuthError) or (
        isinstance(exc, Neo4jError) and (exc.code or "").startswith("Neo.ClientError.Security.")
    ):
        return KgError(f"Neo4j at {uri} rejected the credentials of user '{user}': check NEO4J_PASSWORD")
    if isinstance(exc, ServiceUnavailable | OSError):
        return KgError(
            f"cannot reach Neo4j at {uri} ({_reason(exc)}): is the server running? "
            "`kg neo4j start` starts a local one"
        )
    if isinstance(exc, ConfigurationError | ValueError):
        return KgError(f"cannot connect to Neo4j at {uri!r}: {_reason(exc)} (check NEO4J_URI)")
    if isinstance(exc, Neo4jError) and (exc.code or "").endswith("DatabaseNotFound"):
        return KgError(f"Neo4j at {uri} has no database {settings.database!r} (check NEO4J_DATABASE)")
    return KgError(f"Neo4j at {uri} failed: {_reason(exc)}")


def _scrub(error: KgError, settings: Settings) -> KgError:
    if settings.password and settings.password in str(error):
        return KgError(str(error).replace(settings.password, "***"), error.exit_code)
    return error


@contextlib.contextmanager
def connect(settings: Settings | None = None) -> Iterator[neo4j.Driver]:
    """A driver whose connectivity has been verified; closed on exit.

    Connection and authentication failures, in `verify_connectivity` or in the `with` body, become
    KgError. `settings` defaults to `load_settings()`.
    """
    settings = settings or load_settings()
    if not settings.password:
        raise KgError(
            "no Neo4j password: set NEO4J_PASSWORD (or run `kg neo4j start`, which generates one for "
            "the local server)"
        )
    try:
        driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.username, settings.password),
            connection_timeout=CONNECTION_TIMEOUT,
            max_transaction_retry_time=RETRY_SECONDS,
            notifications_min_severity="OFF",  # planner hints ("type does not exist yet") are not for users
        )
    except (ConfigurationError, ValueError) as exc:
        raise _scrub(_as_kg_error(exc, settings), settings) from None
    with driver:
        try:
            driver.verify_connectivity()
        except (DriverError, Neo4jError, OSError) as exc:
            raise _scrub(_as_kg_error(exc, settings), settings) from None
        try:
            yield driver
        except (AuthError, ServiceUnavailable) as exc:
            raise _scrub(_as_kg_error(exc, settings), settings) from None


def server_status(settings: Settings | None = None) -> dict[str, Any]:
    """What `kg status` shows: address, agent, version, edition, database and its node and
    relationship counts."""
    settings = settings or load_settings()
    with connect(settings) as driver:
        info = driver.get_server_info()

        def single(query: str) -> tuple[list[neo4j.Record], str | None]:
            records, summary, _ = driver.execute_query(
                query, database_=settings.database, routing_=neo4j.RoutingControl.READ
            )
            return records, summary.database

        try:
            components, _ = single("CALL dbms.components() YIELD name, versions, edition RETURN *")
            nodes, database = single("MATCH (n) RETURN count(n) AS n")  # both counts come from the
            rels, _ = single("MATCH ()-[r]->() RETURN count(r) AS n")  # count store: instant
        except Neo4jError as exc:
            raise _scrub(_as_kg_error(exc, settings), settings) from None
    kernels = [r for r in components if r["name"] == "Neo4j Kernel"] or components
    kernel = kernels[0] if kernels else None
    return {
        "address": settings.uri,
        "user": settings.username,
        "agent": info.agent,
        "protocol": ".".join(str(part) for part in info.protocol_version),
        "version": kernel["versions"][0] if kernel else None,
        "edition": kernel["edition"] if kernel else None,
        "database": database or settings.database,
        "nodes": nodes[0]["n"],
        "relationships": rels[0]["n"],
    }


def interrupted(exc: BaseException, loaded: int) -> KgError:
    """A load that failed for good after the driver's retries: what happened, and how to finish."""
    return KgError(
        f"Neo4j failed during the load ({_reason(exc)}) after {loaded} documents were "
        "committed; nothing of the failed batch was written. Run the same command again to finish: "
        "documents already loaded are skipped."
    )
