"""The Neo4j distribution the local server runs: jars from Maven Central, and the Java to run them.

The distribution (only jars) is shared by every instance and lives in
`$XDG_CACHE_HOME/kg/dist/neo4j-<version>/lib` (`KG_NEO4J_DIST` overrides the distribution directory);
the version is the one the packaged pom (kg/resources/neo4j-pom.xml) pins.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from kg import settings as kg_settings
from kg.errors import KgError
from kg.maven import run_maven, staging_dir
from kg.resources import server_pom

Progress = Callable[[str], None]
MIN_JAVA = 17


# --------------------------------------------------------------------------------------------------
# Distribution
# --------------------------------------------------------------------------------------------------


def neo4j_version() -> str:
    """The Neo4j version the packaged pom pins (e.g. "5.26.30")."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(server_pom()).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise KgError(f"{server_pom()} does not pin neo4j.version")
    return node.text.strip()


def dist_dir() -> Path:
    """The distribution directory (holding `lib/`): `KG_NEO4J_DIST`, or the shared user cache."""
    override = os.environ.get("KG_NEO4J_DIST")
    if override:
        return Path(override).expanduser()
    return kg_settings.user_cache("dist", f"neo4j-{neo4j_version()}")


def _dist_complete(lib: Path) -> bool:
    version = neo4j_version()
    return (lib / f"neo4j-{version}.jar").is_file() and (lib / f"neo4j-server-{version}.jar").is_file()


def ensure_dist(progress: Progress | None = None) -> Path:
    """Return the `lib/` directory of the distribution, downloading it with Maven on first use.

    The jars are copied into a temporary sibling directory which is renamed into place only when
    Maven succeeded, so an interrupted download never leaves a half distribution behind.
    """
    dist = dist_dir()
    lib = dist / "lib"
    if _dist_complete(lib):
        return lib
    version = neo4j_version()
    if progress:
        progress(f"Downloading Neo4j {version} from Maven Central (first run only, ~140 MB)...")
    dist.parent.mkdir(parents=True, exist_ok=True)
    for stale in dist.parent.glob(f".{dist.name}.part-*"):  # left by a download that was killed
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    with staging_dir(dist) as tmp:
        shutil.copy(server_pom(), tmp / "pom.xml")  # keeps Maven from writing next to the installed package
        run_maven(["-f", str(tmp / "pom.xml"), "dependency:copy-dependencies", f"-DoutputDirectory={tmp / 'lib'}",
                   "-DincludeScope=runtime"], tmp, f"download Neo4j {version}",
                  "set KG_NEO4J_DIST to a directory with lib/*.jar")
        if not _dist_complete(tmp / "lib"):
            raise KgError(f"downloading Neo4j {version} with Maven left no server jars in {tmp / 'lib'}")
        (tmp / "pom.xml").unlink()
        try:
            os.rename(tmp, dist)  # atomic; fails if another process finished first
        except OSError:
            if not _dist_complete(lib):
                raise
        return lib


# --------------------------------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------------------------------


def java_executable() -> str:
    """The `java` to run Neo4j with (`$JAVA_HOME/bin/java`, else PATH); must be Java 17 or newer."""
    java_home = os.environ.get("JAVA_HOME")
    candidate = Path(java_home) / "bin" / "java" if java_home else None
    java = str(candidate) if candidate and candidate.is_file() else shutil.which("java")
    if java is None:
        raise KgError("Neo4j 5.26 needs Java 17 or 21, but `java` is neither on PATH nor in JAVA_HOME")
    proc = subprocess.run([java, "-version"], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr + proc.stdout)
    if match:
        major = int(match.group(1)) if match.group(1) != "1" else int(match.group(2) or 0)
        if major < MIN_JAVA:
            raise KgError(f"Neo4j 5.26 needs Java 17 or 21, but {java} is Java {major}")
    return java


