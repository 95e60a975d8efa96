#!/usr/bin/env bash
# The main job end to end: install, start the local Neo4j, ingest the sample articles, ask the graph.
set -euo pipefail
cd "$(dirname "$0")/.."
KG_EXTRAS=test bash scripts/setup.sh
kg=.venv/bin/kg
$kg neo4j start
$kg ingest samples/
$kg status
for query in allies mutual-defense-network arms-flows leaders; do
  if $kg query show "$query" >/dev/null 2>&1; then
    echo; $kg query run "$query"
  fi
done
echo
echo "Neo4j Browser: http://127.0.0.1:${KG_HTTP_PORT:-7474}/browser/  (stop the server with: .venv/bin/kg neo4j stop)"
