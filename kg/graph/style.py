"""The Neo4j Browser style (GraSS) of kg's graph, built from the ontology and a palette in data.

Each relation type is coloured by its stance in the ontology (`kg.vocabulary.relations()`), so a
relation added there is styled without touching this module; the colours themselves live in
`kg/resources/data/browser-style.json`. The result ships as `kg/resources/kg.grass` (a test keeps it
equal to `grass()`), is applied to the local server's Browser on connect (`style_command()` in
`browser.post_connect_cmd`), and is one favorite away for any other Browser.

Browser's GraSS selects by label and type only, so the width of an edge cannot follow its evidence
count: the stances get different widths instead.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from kg.vocabulary import relations

GRASS_FILE = "kg.grass"


@cache
def palette() -> dict[str, Any]:
    """The colours and sizes of `data/browser-style.json`."""
    return json.loads((files("kg.resources.data") / "browser-style.json").read_text(encoding="utf-8"))


def relation_colours() -> dict[str, str]:
    """Relationship type -> colour: the next shade of its stance's family, in ontology order."""
    shades = {stance: spec["shades"] for stance, spec in palette()["stances"].items()}
    used: dict[str, int] = {}
    colours = {}
    for relation in relations().values():
        family = shades[relation.stance]
        index = used.get(relation.stance, 0)
        colours[relation.rel_type] = family[index % len(family)]
        used[relation.stance] = index + 1
    return colours


def style_rules() -> dict[str, dict[str, str]]:
    """The style as Browser's rule map, selector -> properties (later rules win on a tie)."""
    spec = palette()
    rules: dict[str, dict[str, str]] = {"node": dict(spec["node"])}
    for label, props in spec["actor_classes"].items():
        rules[f"node.{label}"] = {**props, "caption": spec["node"]["caption"]}
    rules["relationship"] = dict(spec["relationship"])
    stance_of = {r.rel_type: r.stance for r in relations().values()}
    for rel_type, colour in relation_colours().items():
        rules[f"relationship.{rel_type}"] = {
            "color": colour, "shaft-width": spec["stances"][stance_of[rel_type]]["shaft-width"],
            "caption": spec["relationship"]["caption"],
        }
    return rules


def grass() -> str:
    """The style as a `.grass` file, as Browser writes one (drop it on Browser's window to apply)."""
    blocks = []
    for selector, props in style_rules().items():
        body = "".join(f"  {key}: {_grass_value(key, value)};\n" for key, value in props.items())
        blocks.append(f"{selector} {{\n{body}}}\n")
    return "\n".join(blocks)


def _grass_value(key: str, value: str) -> str:
    return f"'{value}'" if key == "caption" else value


def style_command() -> str:
    """`:style` with the style inline as JSON: one line, no `;` (Browser splits commands on it)."""
    return ":style " + json.dumps(style_rules(), separators=(",", ":"))
