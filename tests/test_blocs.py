"""`blocs` on a small graph of two opposed camps, with the bridges that merged them into one
connected component before: a state aligned with both camps, a contested pair (agreement and
rivalry at once) and a militia armed by one camp that threatens the other."""

from __future__ import annotations

import neo4j
import pytest
from helpers import hand_written_document

from kg.graph.loader import load_documents
from kg.graph.results import run
from kg.settings import Settings
from kg.vocabulary import relations

pytestmark = pytest.mark.neo4j

TWO_CAMPS = [  # subject, relation, object, evidence count
    ("Russia", "mutualDefense", "North Korea", 3),
    ("Russia", "alliedWith", "Belarus", 2),
    ("Iran", "militaryAid", "Russia", 2),
    ("North Korea", "militaryAid", "Russia", 1),
    ("Iran", "militaryAid", "Houthis", 1),
    ("United States", "militaryAid", "Ukraine", 3),
    ("United States", "memberOf", "NATO", 2),
    ("Poland", "memberOf", "NATO", 1),
    ("Poland", "supports", "Ukraine", 1),
    ("Japan", "alliedWith", "United States", 2),
    ("Turkey", "memberOf", "NATO", 1),            # the bridge: aligned with both camps
    ("Turkey", "signedAgreement", "Russia", 1),
    ("Poland", "signedAgreement", "Belarus", 1),  # contested: an agreement, and rivalry
    ("Poland", "adversaryOf", "Belarus", 1),
    ("Russia", "invaded", "Ukraine", 4),
    ("United States", "sanctions", "Russia", 2),
    ("Houthis", "threatens", "United States", 1),
    ("Iran", "adversaryOf", "United States", 1),
]
CLASSES = {name: "Country" for name in (
    "Russia", "North Korea", "Belarus", "Iran", "United States", "Ukraine", "Poland", "Japan", "Turkey")}
CLASSES |= {"NATO": "Organization", "Houthis": "Organization"}
HOSTILE = {r.name for r in relations().values() if r.stance == "hostile"}


@pytest.fixture
def camps(clean_db: neo4j.Driver, neo4j_settings: Settings) -> neo4j.Driver:
    summary = load_documents(clean_db, [hand_written_document("two-camps", TWO_CAMPS, CLASSES)],
                             neo4j_settings.database)
    assert summary.documents_loaded == 1
    return clean_db


def test_blocs_are_camps_named_by_their_hubs(camps: neo4j.Driver, neo4j_settings: Settings) -> None:
    rows = run(camps, "blocs", {}, neo4j_settings.database).rows()
    blocs = {row["bloc"]: row for row in rows}
    assert set(blocs) == {"Russia", "United States"}, rows
    east, west = set(blocs["Russia"]["members"]), set(blocs["United States"]["members"])
    assert {"Russia", "North Korea", "Belarus", "Iran", "Houthis"} <= east
    assert {"United States", "Ukraine", "NATO", "Poland", "Japan"} <= west
    assert not east & west
    assert blocs["Russia"]["members"][0] == "Russia" and blocs["United States"]["members"][0] == "United States"
    hostile_pairs = {frozenset((s, o)) for s, rel, o, _ in TWO_CAMPS if rel in HOSTILE}
    for row in rows:
        assert row["size"] == len(row["members"])
        members = row["members"]
        assert not [(a, b) for a in members for b in members if frozenset((a, b)) in hostile_pairs], row
    assert "North Korea -[MUTUAL_DEFENSE]- Russia" in blocs["Russia"]["ties"] or \
        "Russia -[MUTUAL_DEFENSE]- North Korea" in blocs["Russia"]["ties"]
    assert "United States -[MILITARY_AID]-> Ukraine" in blocs["United States"]["ties"]
    assert all(" -[" in tie for row in rows for tie in row["ties"])
