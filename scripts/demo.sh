#!/usr/bin/env bash
# The main job end to end: install, start the local Neo4j, ingest the sample articles, ask the graph.
# KG_HOME, KG_BOLT_PORT and KG_HTTP_PORT move the server's data and ports, as for `kg neo4j start`.
set -euo pipefail
cd "$(dirname "$0")/.."
KG_EXTRAS= bash scripts/setup.sh  # kg alone: no test tools, no Chromium
export NEO4J_URI="${NEO4J_URI:-bolt://127.0.0.1:${KG_BOLT_PORT:-7687}}"
kg=.venv/bin/kg
$kg neo4j start
$kg ingest samples/*.txt
$kg status
echo; echo "== Allies and partners of Russia"; $kg query run allies --param country=Russia
echo; echo "== Who arms whom"; $kg query run arms-flows
echo; echo "== Adversaries of Iran"; $kg query run adversaries --param country=Iran
echo; echo "== Leaders"; $kg query run leaders
echo
echo "Neo4j Browser: http://127.0.0.1:${KG_HTTP_PORT:-7474}/browser/  user neo4j, password: ${KG_HOME:+KG_HOME=$KG_HOME }.venv/bin/kg neo4j password"
echo "Stop the server with: ${KG_HOME:+KG_HOME=$KG_HOME }.venv/bin/kg neo4j stop"
