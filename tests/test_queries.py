"""Canned queries: the header format, the library, `kg query`, the Browser favorites and the notebook.

The graph for the database tests is built once for the module: the seed article through
`kg ingest` (the real pipeline), plus one small hand-written document loaded with
kg.graph.loader.load_documents for what the seed does not contain (a triangle of cooperation, a
contested pair, an older date, a two-hop chain of alignment).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner
from helpers import hand_written_document

from kg.cli import main
from kg.errors import KgError
from kg.graph.loader import load_documents
from kg.graph.queries import (
    PARAM_TYPES,
    Param,
    bind,
    browser_steps,
    coerce,
    favorite_text,
    get_query,
    load_queries,
    parameters_favorite,
    parse_assignments,
    parse_query,
    queries_dir,
    render_browser,
    shared_defaults,
    write_browser_favorites,
)
from kg.graph.results import run
from kg.graph.style import style_command
from kg.rdf.rows import DocumentRows
from kg.settings import Settings
from kg.vocabulary import relations

REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "corpus" / "seed-russia-north-korea-pact.txt"
SEED_TITLE = "Global Security Implications Of Russian Invasion Of Ukraine – Analysis"
NOTEBOOK = REPO / "notebooks" / "alliances.ipynb"

# --------------------------------------------------------------------------------------------------
# Files and parsing (no database)
# --------------------------------------------------------------------------------------------------

REQUIRED = {
    "allies", "mutual-defense-network", "arms-flows", "supporters", "adversaries", "alignment-chain",
    "blocs", "enemy-of-my-enemy", "cooperation-triangles", "conflicts", "contested-pairs", "leaders",
    "evidence", "new-since", "central-actors", "ties", "documents", "treaties", "bound-to-defend",
}


def test_query_files_have_the_header_format() -> None:
    queries = load_queries()
    assert len(queries) >= 14
    assert set(queries) >= REQUIRED
    for name, query in queries.items():
        text = query.path.read_text(encoding="utf-8")
        assert text.startswith(f"// @title {query.title}\n// @description "), name
        assert query.description and len(query.description.splitlines()) == 1, name
        for p in query.params:
            assert p.type in PARAM_TYPES and not p.required, (name, p)
            assert f"// @param {p.name}: {p.type} = " in text, (name, p)
        assert ";" not in query.cypher.rstrip(";"), f"{name}: one statement per file"


def test_relationship_types_in_queries_are_the_ontologys() -> None:
    """Queries name relation types (a typed pattern never walks an actor's links to its evidence);
    each is the ontology's (or a link of the graph model: evidence to its document, an agreement's
    events, parties), and `ties` (every relation of an actor) and `new-since` (every relation seen
    since a date) name them all."""
    types = {r.rel_type for r in relations().values()}
    for name, query in load_queries().items():
        named = {t for group in re.findall(r"\[\w*:([A-Z_|]+)[\]*]", query.cypher) for t in group.split("|")}
        assert named <= types | {"FROM", "ABOUT", "PARTY", "PARTY_TO"}, (name, named - types)
    ties = get_query("ties").cypher
    assert set(re.search(r"\(a\)-\[r:([A-Z_|]+)\]-", ties).group(1).split("|")) == types
    assert set(re.findall(r"\[r:([A-Z_]+)\]->", get_query("new-since").cypher)) == types  # one branch each


def test_parse_query_reads_title_description_params_and_body() -> None:
    text = (
        "// @title Allies\n"
        "// @description Who is allied.\n"
        "// a plain comment line\n"
        '// @param country: string = "North Korea"\n'
        "// @param limit: integer = 5\n"
        "// @param ratio: float = 0.5\n"
        "// @param since: date = \"2024-01-01\"\n"
        "// @param flag: boolean = true\n"
        "// @param who: string\n"
        "\n"
        "MATCH (a:Actor) WHERE a.name IN [$country, $who] AND $flag AND $ratio > 0 AND a.x >= $since\n"
        "RETURN a.name AS name LIMIT $limit\n"
    )
    q = parse_query(text, "allies")
    assert (q.title, q.description) == ("Allies", "Who is allied.")
    assert q.params == (
        Param("country", "string", "North Korea"), Param("limit", "integer", 5), Param("ratio", "float", 0.5),
        Param("since", "date", "2024-01-01"), Param("flag", "boolean", True), Param("who", "string", None, True),
    )
    assert q.cypher.startswith("MATCH (a:Actor)") and q.cypher.endswith("LIMIT $limit")
    assert bind(q, {"who": "x", "limit": "7", "flag": "no"}) == {
        "country": "North Korea", "limit": 7, "ratio": 0.5, "since": "2024-01-01", "flag": False, "who": "x"}
    with pytest.raises(KgError, match="needs parameter 'who'"):
        bind(q, {})


@pytest.mark.parametrize("text, message", [
    ("MATCH (n) RETURN n", "no '// @title'"),
    ("// @title T\n// @param x: color = 1\nRETURN $x", "unknown type 'color'"),
    ("// @title T\n// @param x integer\nRETURN $x", "bad @param"),
    ("// @title T\n// @param x: integer = one\nRETURN $x", "not a JSON literal"),
    ("// @title T\n// @param x: integer = \"a\"\nRETURN $x", "must be an integer"),
    ("// @title T\nRETURN $y", "undeclared parameters: y"),
    ("// @title T\n// @titel T\nRETURN 1", "unknown header tag @titel"),
    ("// @title T\n", "no Cypher"),
])
def test_parse_query_rejects_bad_headers(text: str, message: str) -> None:
    with pytest.raises(KgError, match=message):
        parse_query(text, "bad")


@pytest.mark.parametrize("kind, value, expected", [
    ("string", "North Korea", "North Korea"),
    ("integer", " 12 ", 12),
    ("integer", 3.0, 3),
    ("float", "0.25", 0.25),
    ("boolean", "TRUE", True),
    ("boolean", "off", False),
    ("boolean", False, False),
    ("date", "2024-06-19", "2024-06-19"),
    ("date", "2024-06-19T10:00:00+00:00", "2024-06-19T10:00:00+00:00"),
    ("date", "", ""),  # no date: `documents` reads it as no bound, `as_of` as now
])
def test_coerce(kind: str, value, expected) -> None:
    assert coerce(Param("p", kind), value) == expected


@pytest.mark.parametrize("kind, value", [
    ("integer", "1.5"), ("integer", True), ("float", "abc"), ("boolean", "maybe"), ("date", "19/06/2024"),
])
def test_coerce_rejects(kind: str, value) -> None:
    with pytest.raises(KgError, match="parameter 'p'"):
        coerce(Param("p", kind), value)


def test_unknown_query_and_parameter_list_the_valid_ones() -> None:
    with pytest.raises(KgError) as info:
        get_query("alies")
    assert "unknown query 'alies'" in str(info.value) and "allies" in str(info.value)
    assert "conflicts" in str(info.value)
    with pytest.raises(KgError) as info:
        bind(get_query("allies"), {"contry": "Iran"})
    assert str(info.value) == ("query 'allies' has no parameter 'contry'; "
                               "valid parameters: country, min_evidence, limit, as_of")
    with pytest.raises(KgError, match="NAME=VALUE"):
        parse_assignments(["country"])
    assert parse_assignments(["country=Korea=North", "limit=3"]) == {"country": "Korea=North", "limit": "3"}


def test_queries_dir_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "one.cypher").write_text("// @title One\n// @param n: integer = 1\nRETURN $n AS n\n")
    monkeypatch.setenv("KG_QUERIES_DIR", str(tmp_path))
    assert queries_dir() == tmp_path
    assert list(load_queries()) == ["one"]


def test_render_browser_sets_params_then_runs_the_query() -> None:
    query = get_query("allies")
    text = render_browser(query, {"country": 'Côte "d\'Ivoire"', "limit": "3"})
    params, cypher = browser_steps(query, {"country": 'Côte "d\'Ivoire"', "limit": "3"})
    assert params.splitlines() == [
        ':param country => "Côte \\"d\'Ivoire\\"";',
        ":param min_evidence => 1;",
        ":param limit => 3;",
        ':param as_of => "";',
    ]
    assert cypher == query.cypher + "\n"
    assert text.splitlines()[0].startswith("// 1.") and params in text
    step_two = text.split(params, 1)[1]
    assert step_two.startswith("// 2.") and step_two.endswith(cypher), "the query runs on its own"
    assert browser_steps(get_query("evidence"))[0].splitlines()[2] == ":param include_claims => false;"


def test_every_favorite_runs_with_its_own_defaults_after_any_other() -> None:
    """One name, one default: the parameters favorite gives each query exactly its own defaults."""
    queries = load_queries()
    shared = shared_defaults(queries.values())
    for query in queries.values():
        assert {name: shared[name] for name in query.param_names} == bind(query), query.name
    params = [line for line in parameters_favorite(queries.values()).splitlines() if line.startswith(":param")]
    assert params == [f":param {name} => {json.dumps(value)};" for name, value in sorted(shared.items())]


def test_two_defaults_under_one_name_are_refused() -> None:
    one = parse_query('// @title One\n// @param limit: integer = 5\nRETURN $limit', "one")
    two = parse_query('// @title Two\n// @param limit: integer = 9\nRETURN $limit', "two")
    with pytest.raises(KgError, match="parameter 'limit' defaults to 5 in query 'one' but to 9 in 'two'"):
        shared_defaults([one, two])


def test_browser_favorites_zip(tmp_path: Path) -> None:
    output = tmp_path / "favorites.zip"
    names = write_browser_favorites(output)
    queries = load_queries()
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == sorted(names)
        assert len(names) == len(queries) + 2, "one favorite per query, plus parameters and style"
        params = archive.read("kg queries/00-kg-parameters.cypher").decode("utf-8")
        assert ':param country => ' in params and ':param min_evidence => 1;' in params
        style = archive.read("kg queries/00-kg-style.cypher").decode("utf-8")
        assert style.splitlines()[0] == "// kg style" and style.splitlines()[-1] == style_command()
        for name in names[2:]:
            assert name.startswith("kg queries/") and name.endswith(".cypher")
            text = archive.read(name).decode("utf-8")
            query = queries[name.rsplit("/", 1)[1].split("-", 1)[1].removesuffix(".cypher")]
            assert text.splitlines()[0] == f"// {query.title}"  # the favorite's name in Browser
            assert text == favorite_text(query)
            code = [line for line in text.splitlines() if line.strip() and not line.startswith("//")]
            assert not any(line.startswith(":") for line in code), "a single statement: Browser shows its rows"
            assert "\n".join(code) == query.cypher.rstrip().rstrip(";")


@pytest.mark.neo4j
def test_cli_list_and_show(run_kg) -> None:
    result = run_kg("query", "list")
    assert result.exit_code == 0, result.output
    for query in load_queries().values():
        assert f"{query.name}  {query.title}\n    {query.description}\n    parameters: " in result.output
    result = run_kg("query", "show", "allies")
    assert result.exit_code == 0, result.output
    assert "Allies and partners" in result.output
    assert 'country: string = "Russia"' in result.output
    assert ':param country => "Russia";' in result.output
    result = run_kg("query", "show", "allies", "--browser", "-p", "country=Iran")
    assert result.exit_code == 0
    assert result.output == render_browser(get_query("allies"), {"country": "Iran"})


@pytest.mark.parametrize("args, expected", [
    (["query", "run", "alies"], "unknown query 'alies'; valid queries: adversaries, alignment-chain, allies"),
    (["query", "show", "nope"], "unknown query 'nope'; valid queries:"),
    (["query", "run", "allies", "-p", "contry=Iran"],
     "query 'allies' has no parameter 'contry'; valid parameters: country, min_evidence, limit"),
    (["query", "run", "allies", "-p", "limit=many"], "parameter 'limit' of query 'allies' must be an integer"),
    (["query", "run", "allies", "-p", "limit"], "--param wants NAME=VALUE"),
])
def test_cli_errors_exit_2_with_valid_names(args: list[str], expected: str) -> None:
    # These fail before connecting, so no server is needed.
    result = CliRunner().invoke(main, args, env={"NEO4J_URI": "bolt://127.0.0.1:9"})
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------------------------------
# Against Neo4j: the seed article + a small supplement
# --------------------------------------------------------------------------------------------------

SUPPLEMENT = [  # subject, relation, object, evidence count
    ("France", "alliedWith", "Germany", 2),
    ("Germany", "signedAgreement", "Poland", 2),
    ("Poland", "mutualDefense", "France", 2),
    ("Poland", "supports", "Ukraine", 1),
    ("Poland", "memberOf", "NATO", 1),
    ("Armenia", "negotiatesWith", "Azerbaijan", 1),
    ("Azerbaijan", "atWarWith", "Armenia", 1),
    ("Belarus", "threatens", "Ukraine", 1),
]
CLASSES = {"France": "Country", "Germany": "Country", "Poland": "Country", "Ukraine": "Country",
           "NATO": "Organization", "Armenia": "Country", "Azerbaijan": "Country",
           "Belarus": "Country"}


def supplement() -> DocumentRows:
    """One hand-written document (published 2023-05-01) with relations the seed lacks."""
    return hand_written_document("test-supplement", SUPPLEMENT, CLASSES, published="2023-05-01")


@pytest.fixture(scope="module")
def graph(driver: neo4j.Driver, neo4j_settings: Settings, kg_env: dict[str, str]) -> neo4j.Driver:
    """The seed ingested with `kg ingest`, plus the supplement; built once for this module.

    (clean_db is per test; this does the same deletion once, then loads.)"""
    while driver.execute_query("MATCH (n) WITH n LIMIT 10000 DETACH DELETE n RETURN count(*) AS n",
                               database_=neo4j_settings.database).records[0]["n"]:
        pass
    result = CliRunner().invoke(main, ["ingest", str(SEED)], env=kg_env)
    assert result.exit_code == 0, result.output
    summary = load_documents(driver, [supplement()], neo4j_settings.database)
    assert summary.documents_loaded == 1
    return driver


def _run(graph: neo4j.Driver, settings: Settings, name: str, **params):
    return run(graph, name, params, settings.database)


def _has(rows: list[dict], **expected) -> bool:
    return any(all(row.get(k) == v for k, v in expected.items()) for row in rows)


def check_allies(rows, result):
    korea = next(r for r in rows if r["partner"] == "North Korea")
    assert korea["actor"] == "Russia" and korea["kind"] == "Country"
    assert "MUTUAL_DEFENSE" in korea["relations"] and "SIGNED_AGREEMENT" in korea["relations"]
    assert korea["evidence"] >= 2 and rows[0]["partner"] == "North Korea"


def check_mutual_defense_network(rows, result):
    assert {"Russia -[MUTUAL_DEFENSE]- North Korea", "North Korea -[MUTUAL_DEFENSE]- Russia"} & {
        r["path"] for r in rows}
    assert {n["name"] for n in result.graph.nodes} >= {"Russia", "North Korea"}
    assert any(r.type == "MUTUAL_DEFENSE" for r in result.graph.relationships)
    assert isinstance(result.records[0]["path"], neo4j.graph.Path)  # a graph query returns paths


def check_arms_flows(rows, result):
    assert _has(rows, supplier="North Korea", recipient="Russia")
    assert _has(rows, supplier="the West", recipient="Ukraine")
    assert all(SEED_TITLE in r["documents"] for r in rows if r["supplier"] in ("North Korea", "the West"))


def check_supporters(rows, result):
    assert _has(rows, actor="Russia", supporter="North Korea", support=["MILITARY_AID"])


@pytest.mark.neo4j
def test_supporters_of_ukraine(graph, neo4j_settings: Settings) -> None:
    rows = _run(graph, neo4j_settings, "supporters", country="Ukraine").rows()
    west = next(r for r in rows if r["supporter"] == "the West")
    assert west["actor"] == "Ukraine" and {"SUPPORTS", "MILITARY_AID"} <= set(west["support"])
    assert _has(rows, supporter="Poland", support=["SUPPORTS"])


def check_adversaries(rows, result):
    assert _has(rows, adversary="Ukraine", relations=["INVADED →"])
    assert any(r["adversary"] == "South Korea" and "THREATENS →" in r["relations"] for r in rows)


def check_alignment_chain(rows, result):
    assert rows and rows[0]["hops"] == 1
    path = result.records[0]["chain"]
    assert isinstance(path, neo4j.graph.Path)
    assert [n["name"] for n in path.nodes] == ["North Korea", "Russia"]
    # any of their cooperative relations: "North Korea -[ALLIED_WITH]- Russia", "... <-[SUPPORTS]- ..."
    assert re.fullmatch(r"North Korea <?-\[[A-Z_]+\]->? Russia", rows[0]["chain"])
    assert path.relationships[0]["stance"] == "cooperative"


def check_blocs(rows, result):
    assert any({"Russia", "North Korea"} <= set(r["members"]) for r in rows)
    assert any({"France", "Germany", "Poland", "Ukraine", "NATO"} <= set(r["members"]) for r in rows)
    assert all(r["size"] == len(r["members"]) >= 2 and r["bloc"] == r["members"][0] for r in rows)
    assert all(r["ties"] for r in rows)


def check_enemy_of_my_enemy(rows, result):
    belarus = next(r for r in rows if r["candidate"] == "Belarus")
    assert belarus["actor"] == "Russia" and belarus["common_enemies"] == ["Ukraine"]
    assert all(r["candidate"] != "Ukraine" for r in rows)


def check_cooperation_triangles(rows, result):
    assert _has(rows, first="France", second="Germany", third="Poland", weakest_tie=2, evidence=6)


def check_conflicts(rows, result):
    war = next(r for r in rows if r["conflict"] == "Russia vs Ukraine")
    assert war["side_a"] == "Russia" and "INVADED" in war["relations"]  # the invader comes first
    assert "North Korea" in war["side_a_supporters"]
    assert {"the West", "Poland"} <= set(war["side_b_supporters"])
    assert any(r["conflict"] in ("Armenia vs Azerbaijan", "Azerbaijan vs Armenia") for r in rows)


def check_contested_pairs(rows, result):
    pair = next(r for r in rows if {r["actor"], r["other"]} == {"Armenia", "Azerbaijan"})
    assert pair["cooperative"] == ["NEGOTIATES_WITH"] and pair["hostile"] == ["AT_WAR_WITH"]


def check_leaders(rows, result):
    assert _has(rows, leader="Vladimir Putin", leads="Russia", kind="Country")
    assert _has(rows, leader="Kim Jong Un", leads="North Korea")


def check_evidence(rows, result):
    assert {r["document"] for r in rows} == {SEED_TITLE}
    assert all({r["subject"], r["object"]} == {"Russia", "North Korea"} for r in rows)
    assert all(r["modality"] == "asserted" for r in rows)
    assert {r["relation"] for r in rows} <= {rel.rel_type for rel in relations().values()}, "Neo4j's names"
    pact = [r for r in rows if r["relation"] == "MUTUAL_DEFENSE"]
    assert pact and all("pact" in r["sentence"].lower() or "defense" in r["sentence"].lower() for r in pact)


def check_new_since(rows, result):
    assert _has(rows, subject="North Korea", relation="MUTUAL_DEFENSE", object="Russia", status="new")
    assert not any(r["subject"] in ("France", "Germany") for r in rows)  # published 2023, before "since"


def check_documents(rows, result):
    assert result.keys == ["iri", "title", "source", "published", "ingested", "evidence", "claims"]
    seed = next(r for r in rows if r["title"] == SEED_TITLE)
    assert seed["evidence"] > 0 and seed["claims"] > 0 and seed["ingested"] > "2025"
    assert rows[-1]["iri"].endswith("test-supplement") and rows[-1]["published"] == "2023-05-01"  # newest first


def check_ties(rows, result):
    assert _has(rows, relation="MUTUAL_DEFENSE", stance="cooperative")
    assert _has(rows, relation="INVADED", stance="hostile")
    assert isinstance(result.records[0]["path"], neo4j.graph.Path)
    assert all("Russia" in {n["name"] for n in record["path"].nodes} for record in result.records)


def check_central_actors(rows, result):
    assert {"Russia", "North Korea"} <= {r["actor"] for r in rows}
    assert rows == sorted(rows, key=lambda r: -r["partners"])


def check_treaties(rows, result):
    pact = next(r for r in rows if any(p.startswith("North Korea (") for p in r["parties"]))
    assert pact["actor"] == "Russia" and pact["kind"] == "defence pact" and "defence" in pact["obligations"]
    assert any(p.startswith("Russia (") for p in pact["parties"]) and pact["evidence"] >= 2 and pact["sentence"]


def check_bound_to_defend(rows, result):
    korea = next(r for r in rows if r["defender"] == "North Korea")
    assert korea["actor"] == "Russia" and korea["basis"] == "agreement" and korea["agreement"]
    assert rows[0]["basis"] == "agreement"


CHECKS: dict[str, Callable] = {name.removeprefix("check_").replace("_", "-"): fn
                               for name, fn in globals().items() if name.startswith("check_")}


def test_every_query_has_a_check() -> None:
    assert set(load_queries()) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(load_queries()))
@pytest.mark.neo4j
def test_query_with_defaults(graph, neo4j_settings: Settings, name: str) -> None:
    result = _run(graph, neo4j_settings, name)
    rows = result.rows()
    assert rows, f"{name} returned nothing with its defaults"
    assert list(rows[0]) == result.keys
    for row in rows:  # readable values only: no driver objects left
        json.dumps(row)
    for key in {"date", "first_seen", "last_seen"} & set(result.keys):  # each date says which it is
        assert f"{key}_kind" in result.keys, (name, key)
        assert all(row[f"{key}_kind"] == ("published" if row[key] < "2025" else "ingested")
                   for row in rows if row[key] is not None), (name, key)
    CHECKS[name](rows, result)


@pytest.mark.neo4j
def test_queries_with_parameters(graph, neo4j_settings: Settings) -> None:
    rows = _run(graph, neo4j_settings, "allies", country="russia").rows()  # case-insensitive
    assert {"North Korea"} <= {r["partner"] for r in rows}
    assert _run(graph, neo4j_settings, "allies", country="Nowhere").rows() == []
    rows = _run(graph, neo4j_settings, "allies", country="North Korea", min_evidence=100).rows()
    assert rows == []
    rows = _run(graph, neo4j_settings, "new-since", since="2020-01-01").rows()
    assert _has(rows, subject="France", relation="ALLIED_WITH", object="Germany", status="new",
                first_seen="2023-05-01", first_seen_kind="published")
    rows = _run(graph, neo4j_settings, "new-since", since="2099-01-01").rows()
    assert rows == []
    rows = _run(graph, neo4j_settings, "allies", country="Poland", as_of="2023-05-01").rows()
    assert {r["partner"] for r in rows} >= {"France", "Germany", "Ukraine", "NATO"}
    assert _run(graph, neo4j_settings, "allies", country="Poland", as_of="2023-04-30").rows() == []
    assert _run(graph, neo4j_settings, "bound-to-defend", country="North Korea", as_of="1999-01-01").rows() == []
    rows = _run(graph, neo4j_settings, "bound-to-defend", country="France").rows()  # a tie no agreement explains
    assert _has(rows, defender="Poland", basis="MUTUAL_DEFENSE", agreement=None, evidence=2)
    chain = _run(graph, neo4j_settings, "alignment-chain", **{"from": "Ukraine", "to": "Germany"}).rows()
    assert chain and chain[0]["hops"] == 2 and "Poland" in chain[0]["chain"]
    assert _run(graph, neo4j_settings, "alignment-chain", **{"from": "Ukraine", "to": "Russia"}).rows() == []
    rows = _run(graph, neo4j_settings, "cooperation-triangles", actor="poland", min_tie_evidence=1).rows()
    assert len(rows) == 1
    assert _run(graph, neo4j_settings, "cooperation-triangles", min_tie_evidence=3).rows() == []
    rows = _run(graph, neo4j_settings, "arms-flows", actor="Ukraine").rows()
    assert {(r["supplier"], r["recipient"]) for r in rows} == {("the West", "Ukraine")}
    rows = _run(graph, neo4j_settings, "enemy-of-my-enemy", country="").rows()
    assert all(r["actor"] < r["candidate"] for r in rows), "country '' lists each pair once"
    rows = _run(graph, neo4j_settings, "enemy-of-my-enemy", country="Ukraine").rows()
    korea = next(r for r in rows if r["candidate"] == "South Korea")
    assert korea["actor"] == "Ukraine" and "Russia" in korea["common_enemies"]
    assert all(r["candidate"] != "Russia" for r in rows)


@pytest.mark.neo4j
def test_actor_parameters_match_aliases(graph, neo4j_settings: Settings) -> None:
    rows = _run(graph, neo4j_settings, "leaders", actor="Putin").rows()
    assert [r["leads"] for r in rows] == ["Russia"]
    rows = _run(graph, neo4j_settings, "allies", country="DPRK").rows()
    assert [r["partner"] for r in rows][:1] == ["Russia"]


@pytest.mark.neo4j
def test_evidence_with_claims(graph, neo4j_settings: Settings) -> None:
    asserted = _run(graph, neo4j_settings, "evidence").rows()
    everything = _run(graph, neo4j_settings, "evidence", include_claims=True).rows()
    assert len(everything) >= len(asserted)
    claims = [r for r in everything if r["modality"] != "asserted"]
    # "Russia reserves the right to supply weapons to ... North Korea" is a claim, never evidence.
    assert not _has(asserted, subject="Russia", relation="militaryAid", object="North Korea")
    assert len(everything) == len(asserted) + len(claims)


@pytest.mark.neo4j
def test_cli_run_formats(graph, run_kg) -> None:
    result = run_kg("query", "run", "allies", "--format", "json", "-p", "country=NORTH KOREA")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["partner"] == "Russia" and isinstance(rows[0]["relations"], list)

    result = run_kg("query", "run", "mutual-defense-network", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert table and set(table[0]) == {"path", "evidence"}
    assert any("-[MUTUAL_DEFENSE]-" in r["path"] and "Russia" in r["path"] for r in table)

    result = run_kg("query", "run", "leaders", "--format", "csv")
    lines = result.output.splitlines()
    assert lines[0] == "leader,leads,kind,evidence,last_seen,last_seen_kind"
    assert any(line.startswith("Vladimir Putin,Russia,Country,") for line in lines)

    result = run_kg("query", "run", "conflicts")  # rich table
    assert result.exit_code == 0, result.output
    assert "Conflicts and their sides" in result.output and "Russia vs Ukraine" in result.output
    assert "North Korea" in result.output

    result = run_kg("query", "run", "alignment-chain", "-p", "from=Ukraine", "-p", "to=Germany")
    assert result.exit_code == 0, result.output
    assert "Ukraine <-[SUPPORTS]- Poland -[" in result.output and "]- Germany" in result.output, result.output


@pytest.mark.neo4j
def test_notebook_executes(graph, kg_env: dict[str, str], tmp_path: Path) -> None:
    import nbclient  # the notebook extra, installed by scripts/test.sh
    import nbformat
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # The kernel inherits os.environ, which kg_env points at the test server.
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert f"connected to {kg_env['NEO4J_URI']}" in text
    assert "North Korea -[MUTUAL_DEFENSE]- Russia" in text or "Russia -[MUTUAL_DEFENSE]- North Korea" in text
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("<table" in h and "Russia" in h for h in html)  # pandas tables
    assert any("neo4j-viz" in h and "North Korea" in h for h in html)  # the interactive graph view
