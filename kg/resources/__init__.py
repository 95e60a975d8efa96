"""The files kg reads at run time, found with importlib.resources rather than paths relative to modules.

`data/` (gazetteer and trigger words) and the Neo4j server's pom live in this package. The ontology,
shapes and constraints (`schema/`) and the canned queries (`queries/`) stay at the top of the
project, where people read and edit them: a wheel carries them as `kg/resources/schema` and
`kg/resources/queries` (see pyproject's package-dir), and a source checkout or editable install
reads them in place.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

PACKAGE = files(__name__)
PROJECT = Path(__file__).resolve().parents[2]


def _top_level(name: str) -> Path:
    packaged = PACKAGE / name
    if packaged.is_dir():
        return Path(str(packaged))
    return PROJECT / name


def schema_dir() -> Path:
    """schema/: ontology.ttl, shapes.ttl and constraints.cypher."""
    return _top_level("schema")


def queries_dir() -> Path:
    """queries/: the canned Cypher queries."""
    return _top_level("queries")


def server_pom() -> Path:
    """The Maven pom that pins the local Neo4j server and lists its jars."""
    return Path(str(PACKAGE / "neo4j-pom.xml"))
