"""kg's Neo4j Browser style: built from the ontology's stances, shipped as kg/resources/kg.grass,
applied by the local server on connect. (Tests/test_browser.py checks the colours Browser draws.)"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from kg.graph.style import GRASS_FILE, grass, palette, relation_colours, style_command, style_rules
from kg.server.instance import Instance, render_conf
from kg.vocabulary import ACTOR_CLASSES, relations


def test_shipped_grass_is_the_generated_style() -> None:
    assert (files("kg.resources") / GRASS_FILE).read_text(encoding="utf-8") == grass(), \
        "kg/resources/kg.grass is stale: write kg.graph.style.grass() to it (kg query browser-style -o ...)"


def test_every_relation_is_coloured_by_its_stance() -> None:
    families = {stance: set(spec["shades"]) for stance, spec in palette()["stances"].items()}
    assert not families["cooperative"] & families["hostile"], "the two families share a colour"
    colours = relation_colours()
    assert set(colours) == {r.rel_type for r in relations().values()}
    for relation in relations().values():
        assert colours[relation.rel_type] in families[relation.stance], relation
    cooperative = [colours[r.rel_type] for r in relations().values() if r.stance == "cooperative"]
    assert len(set(cooperative)) == len(cooperative), "two cooperative types look alike"


def test_nodes_are_coloured_by_class_and_captioned_by_name() -> None:
    rules = style_rules()
    for label in ("Actor", *ACTOR_CLASSES):
        assert rules[f"node.{label}"]["caption"] == "{name}"
    assert len({rules[f"node.{label}"]["color"] for label in ACTOR_CLASSES}) == len(ACTOR_CLASSES)
    assert list(rules).index("node.Actor") < list(rules).index("node.Country"), "the class wins over Actor"


def test_style_command_is_one_browser_command() -> None:
    command = style_command()
    assert command.startswith(":style {") and "\n" not in command
    assert ";" not in command, "Browser splits post-connect commands on ';'"
    assert json.loads(command.removeprefix(":style ")) == style_rules()


def test_local_server_applies_the_style_on_connect(tmp_path: Path) -> None:
    conf = render_conf(Instance(tmp_path))
    assert f"browser.post_connect_cmd={style_command().removeprefix(':')}\n" in conf
