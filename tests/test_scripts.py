"""The scripts install what their job needs: the demo kg alone, the test run the test tools (and Chromium)."""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def extras(script: str) -> set[str]:
    """The extras a script asks setup.sh for (KG_EXTRAS=... bash scripts/setup.sh)."""
    text = (SCRIPTS / script).read_text(encoding="utf-8")
    found = re.search(r"KG_EXTRAS=(\S*) bash scripts/setup\.sh", text)
    assert found, f"{script} does not run setup.sh with KG_EXTRAS"
    return {e for e in found.group(1).split(",") if e}


def test_demo_installs_no_test_tools() -> None:
    assert extras("demo.sh") == set()


def test_test_run_installs_test_tools() -> None:
    assert "test" in extras("test.sh")


def test_setup_installs_chromium_only_for_tests() -> None:
    text = (SCRIPTS / "setup.sh").read_text(encoding="utf-8")
    assert 'EXTRAS="${KG_EXTRAS-test}"' in text  # empty means none, unset means test
    chromium = text[text.index('case ",$EXTRAS," in'):]
    assert "*,test,*)" in chromium and "chromium" in chromium
