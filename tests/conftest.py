"""Shared fixtures: one real Neo4j per test session.

Which server:
- `NEO4J_URI` set in the environment (e.g. CI with a service container): that server, with
  NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE from the environment. Nothing is started.
  Beware: `clean_db` deletes everything in that database.
- otherwise: the local server (`kg.server`) of a test-only KG_HOME
  (`$XDG_CACHE_HOME/kg/test-instance`, or `KG_TEST_HOME`) on ports 17687/17474
  (`KG_TEST_BOLT_PORT` / `KG_TEST_HTTP_PORT`), so tests never touch a user's data. It is started
  once per session and stopped at the end, unless someone else started it (a developer may keep it
  running with `KG_HOME=~/.cache/kg/test-instance kg neo4j start --bolt-port 17687 --http-port 17474`
  to save the ~6 s start).
  A lock file makes concurrent test sessions take turns instead of wiping each other's data.

While the session runs, os.environ holds `kg_env` (KG_HOME, NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD, NEO4J_DATABASE), so `kg` run in-process (click's CliRunner, or the `run_kg` fixture)
or as a subprocess talks to the test server.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner, Result

from kg.errors import KgError
from kg.server import control, instance
from kg.settings import Settings, load_settings, user_cache

TEST_BOLT_PORT = 17687
TEST_HTTP_PORT = 17474
LOCK_TIMEOUT = 30 * 60.0
_EXTERNAL_URI = os.environ.get("NEO4J_URI")  # read before any load_settings() fills it from ./.env


def kg_test_home() -> Path:
    """The KG_HOME of the test instance (never the user's)."""
    override = os.environ.get("KG_TEST_HOME")
    if override:
        return Path(override).expanduser()
    return user_cache("test-instance")


def _say(config: pytest.Config, message: str) -> None:
    """Show `message` live, even while pytest captures output."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capman = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capman is None:
        print(f"[neo4j] {message}", file=sys.stderr)
        return
    with capman.global_and_fixture_disabled():
        reporter.write_line(f"[neo4j] {message}")


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def _session_lock(home: Path, config: pytest.Config) -> Iterator[None]:
    """Exclusive use of the test instance by this session (waits for other sessions)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / "pytest-session.lock", "w") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT
        said = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not said:
                    _say(config, f"another test session uses {home}; waiting for it to finish...")
                    said = True
                if time.monotonic() > deadline:
                    pytest.fail(f"another test session held {home} for {LOCK_TIMEOUT:.0f} s")
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _applied(patch: pytest.MonkeyPatch, env: dict[str, str]) -> Iterator[None]:
    """The environment variables set for the session, and undone after it."""
    for key, value in env.items():
        patch.setenv(key, value)
    try:
        yield
    finally:
        patch.undo()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test that uses the server must say so (marker `neo4j`), so that the fast tier
    (`-m "not neo4j and not spark and not browser and not large"`) never starts one."""
    unmarked = [item.nodeid for item in items if "kg_env" in item.fixturenames and not item.get_closest_marker("neo4j")]
    if unmarked:
        raise pytest.UsageError("tests using the Neo4j server without @pytest.mark.neo4j: " + ", ".join(unmarked))


@pytest.fixture(scope="session")
def kg_env(pytestconfig: pytest.Config) -> Iterator[dict[str, str]]:
    """Environment variables that point `kg` at the test server; also applied to os.environ for
    the whole session. Use as `CliRunner().invoke(main, args, env=kg_env)` or
    `subprocess.run(cmd, env={**os.environ, **kg_env})`."""
    patch = pytest.MonkeyPatch()
    if _EXTERNAL_URI:
        settings = load_settings()
        if not settings.password:
            pytest.fail("NEO4J_URI is set but NEO4J_PASSWORD is not: the tests need both")
        env = {
            "NEO4J_URI": settings.uri,
            "NEO4J_USERNAME": settings.username,
            "NEO4J_PASSWORD": settings.password,
        }
        if settings.database:
            env["NEO4J_DATABASE"] = settings.database
        env["KG_HOME"] = str(kg_test_home())
        with _applied(patch, env):
            yield env
        return

    home = kg_test_home()
    inst = instance.local_instance(
        kg_home=home,
        bolt_port=int(os.environ.get("KG_TEST_BOLT_PORT") or TEST_BOLT_PORT),
        http_port=int(os.environ.get("KG_TEST_HTTP_PORT") or TEST_HTTP_PORT),
    )
    with _session_lock(home, pytestconfig):
        password = instance.generated_password(inst, create=True)
        assert password is not None
        try:
            info = control.start(inst, password=password, progress=lambda m: _say(pytestconfig, m))
        except KgError as exc:
            pytest.fail(f"cannot start the test Neo4j server: {exc}", pytrace=False)
        # A server an earlier, killed session started (its pid is in the marker) is adopted and
        # stopped at the end too; one a developer started by hand is left running.
        marker = home / "started-by-pytest"
        ours = info["started"] or _read_int(marker) == info["pid"]
        if info["started"]:
            _say(pytestconfig, f"test server up in {info['seconds']:.1f} s at {inst.bolt_uri} ({inst.home})")
            marker.write_text(f"{info['pid']}\n")
        env = {
            "KG_HOME": str(home),
            "KG_BOLT_PORT": str(inst.bolt_port),
            "KG_HTTP_PORT": str(inst.http_port),
            "NEO4J_URI": inst.bolt_uri,
            "NEO4J_USERNAME": "neo4j",
            "NEO4J_PASSWORD": password,
            "NEO4J_DATABASE": "neo4j",
        }
        try:
            with _applied(patch, env):
                yield env
        finally:
            if ours:
                control.stop(inst)
                marker.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def neo4j_settings(kg_env: dict[str, str]) -> Settings:
    """Settings of the test server (uri, username, password, database)."""
    return Settings(
        uri=kg_env["NEO4J_URI"],
        username=kg_env["NEO4J_USERNAME"],
        password=kg_env["NEO4J_PASSWORD"],
        database=kg_env.get("NEO4J_DATABASE"),
        spacy_model=load_settings().spacy_model,
    )


@pytest.fixture(scope="session")
def driver(neo4j_settings: Settings) -> Iterator[neo4j.Driver]:
    """A session-wide driver for the test server (pass `database_=neo4j_settings.database`)."""
    auth = (neo4j_settings.username, neo4j_settings.password or "")
    with neo4j.GraphDatabase.driver(neo4j_settings.uri, auth=auth) as drv:
        drv.verify_connectivity()
        yield drv


@pytest.fixture
def clean_db(driver: neo4j.Driver, neo4j_settings: Settings) -> neo4j.Driver:
    """The driver, after deleting every relationship and then every node, in batches (an actor
    may have hundreds of thousands of links: one batch could not hold them); indexes and
    constraints stay."""
    for statement in ("MATCH ()-[r]->() WITH r LIMIT 20000 DELETE r RETURN count(*) AS deleted",
                      "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted"):
        while True:
            records, _, _ = driver.execute_query(statement, database_=neo4j_settings.database)
            if records[0]["deleted"] == 0:
                break
    return driver


@pytest.fixture
def run_kg(kg_env: dict[str, str]) -> Callable[..., Result]:
    """Run `kg ARGS...` in-process against the test server: `run_kg("status", env={...})`."""

    from kg.cli import main  # imported here so a broken CLI fails only the tests that run it

    def run(*args: str, env: dict[str, str | None] | None = None, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), env={**kg_env, **(env or {})}, input=input)

    return run
