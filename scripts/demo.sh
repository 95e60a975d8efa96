#!/usr/bin/env bash
# The main job end to end: install, start the local Neo4j, ingest the sample articles, ask the graph.
set -euo pipefail
cd "$(dirname "$0")/.."
KG_EXTRAS=test bash scripts/setup.sh
kg=.venv/bin/kg
$kg neo4j start
$kg ingest samples/*.txt
$kg status
echo; echo "== Allies and partners of Russia"; $kg query run allies --param country=Russia
echo; echo "== Who arms whom"; $kg query run arms-flows
echo; echo "== Adversaries of Iran"; $kg query run adversaries --param country=Iran
echo; echo "== Leaders"; $kg query run leaders
echo
echo "Neo4j Browser: http://127.0.0.1:${KG_HTTP_PORT:-7474}/browser/  user neo4j, password: .venv/bin/kg neo4j password"
echo "Stop the server with: .venv/bin/kg neo4j stop"
