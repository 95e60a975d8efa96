"""The `kg` command. Commands stay thin: each parses its options and calls a library function."""

from __future__ import annotations

import sys

import click

from kg import __version__
from kg.errors import KgError


class KgGroup(click.Group):
    """Turns every KgError into a one-line message and its exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=KgGroup)
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: build a knowledge graph of alliances and conflicts from geopolitical text.

    Text is read by a spaCy pipeline, turned into RDF triples of a fixed relation vocabulary
    (each backed by the sentence that asserts it), loaded into Neo4j, and explored with
    canned Cypher queries.
    """
