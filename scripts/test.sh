#!/usr/bin/env bash
# The whole test suite against a real Neo4j (started and stopped by the tests themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
KG_EXTRAS=test,notebook,spark bash scripts/setup.sh
.venv/bin/ruff check kg tests bench
.venv/bin/python -m pytest "$@"
