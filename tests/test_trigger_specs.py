"""Trigger data is validated when it loads: a typo in relations.json is an error that names it."""

from __future__ import annotations

import json

import pytest

from kg.nlp.gazetteer import default_gazetteer
from kg.nlp.relations import RelationExtractor, default_patterns


def data_with(section: str, entry: dict) -> dict:
    data = json.loads(default_patterns())
    data[section] = [*data[section], entry]
    return data


@pytest.mark.parametrize(("entry", "message"), [
    ({"lemmas": ["arm"], "relation": "militaryAid", "object": ["dobj"], "objetc_class": ["Country"]}, "'objetc_class'"),
    ({"lemmas": ["arm"], "relation": "militaryAid", "object": "dobj"}, "'object'"),
    ({"lemmas": ["arm"], "relation": "militaryAide", "object": ["dobj"]}, "'militaryAide'"),
    ({"lemmas": ["arm"], "relation": "militaryAid", "object": ["dobj"], "theme": "weapons"}, "'weapons'"),
    ({"lemmas": ["arm"], "relation": "militaryAid", "object": ["dobj"], "light": "yes"}, "'light'"),
    ({"lemmas": ["arm"], "relation": "militaryAid"}, "'object'"),
])
def test_a_bad_trigger_is_named(entry: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        RelationExtractor(data_with("verbs", entry), default_gazetteer())
    assert "verbs[" in str(caught.value)


def test_the_shipped_triggers_load() -> None:
    extractor = RelationExtractor(json.loads(default_patterns()), default_gazetteer())
    assert "arm" in extractor.verbs and extractor.verbs["arm"][0].relation == "militaryAid"
