"""Maven, run once to fetch jars from Maven Central: the local Neo4j server's and the Spark connector's.

Both downloads go to a temporary directory beside their destination and are moved into place only
when Maven succeeded, so an interrupted download never leaves half a result behind.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KgError


def run_maven(args: list[str], cwd: Path, purpose: str, otherwise: str) -> None:
    """Run `mvn -q -B ARGS` in `cwd`. `purpose` ("download Neo4j 5.26.30") and `otherwise` (what
    the user can do instead) make the one-line errors when Maven is missing or fails."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KgError(f"Maven (`mvn`) is needed once to {purpose} from Maven Central but is not on PATH; "
                      f"install it (e.g. `apt-get install maven`) or {otherwise}")
    proc = subprocess.run([mvn, "-q", "-B", *args], cwd=cwd, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise KgError(f"{purpose} with Maven failed (exit {proc.returncode}):\n{tail(proc.stdout + proc.stderr)}")


def tail(text: str, n: int = 12) -> str:
    """The last `n` non-empty lines of a tool's output, indented, for an error message."""
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join("  " + line for line in lines[-n:]) or "  (no output)"


@contextlib.contextmanager
def staging_dir(destination: Path) -> Iterator[Path]:
    """A fresh temporary directory beside `destination` (same file system, so the result can be
    renamed into place atomically), removed afterwards whatever happens."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{destination.name}.part-", dir=destination.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
