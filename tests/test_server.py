"""The Neo4j server the tests use, `kg status`, `kg neo4j start|stop|status`, docker-compose.yml."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

import neo4j
import pytest

from kg.server import control, instance
from kg.settings import Settings

REPO = Path(__file__).resolve().parents[1]
LOCAL = not os.environ.get("NEO4J_URI")  # False when the tests run against an external server
KG = [sys.executable, "-c", "from kg.cli import main; main()"]


def kg(
    *args: str, env: dict[str, str], unset: tuple[str, ...] = (), timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run `kg` as a real subprocess (a fresh interpreter: real stderr, real exit code)."""
    full_env = {**os.environ, **env}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    for key in unset:
        full_env.pop(key, None)
    here = Path(__file__).parent  # not the repository root, so a developer's .env stays out of it
    return subprocess.run(
        [*KG, *args], env=full_env, cwd=here, capture_output=True, text=True, timeout=timeout, check=False
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


# --------------------------------------------------------------------------------------------------
# The shared test server
# --------------------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_driver_round_trip(clean_db: neo4j.Driver, neo4j_settings: Settings) -> None:
    marker = uuid.uuid4().hex
    clean_db.execute_query(
        "CREATE (:KgTestProbe {marker: $marker, n: 42})", marker=marker, database_=neo4j_settings.database
    )
    records, _, _ = clean_db.execute_query(
        "MATCH (p:KgTestProbe {marker: $marker}) RETURN p.n AS n",
        marker=marker,
        database_=neo4j_settings.database,
    )
    assert [r["n"] for r in records] == [42]


@pytest.mark.neo4j
def test_clean_db_empties_the_database(clean_db: neo4j.Driver, neo4j_settings: Settings) -> None:
    records, _, _ = clean_db.execute_query(
        "MATCH (n) RETURN count(n) AS c", database_=neo4j_settings.database
    )
    assert records[0]["c"] == 0


@pytest.mark.neo4j
def test_kg_status_reports_version_and_counts(
    clean_db: neo4j.Driver, neo4j_settings: Settings, kg_env: dict[str, str]
) -> None:
    clean_db.execute_query(
        "CREATE (:KgTestProbe)-[:KG_TEST_REL]->(:KgTestProbe), (:KgTestProbe)",
        database_=neo4j_settings.database,
    )
    proc = kg("status", env=kg_env)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"Neo4j 5\.26\.\d+ community", proc.stdout), proc.stdout
    assert re.search(r"nodes\s+3\b", proc.stdout), proc.stdout
    assert re.search(r"relationships\s+1\b", proc.stdout), proc.stdout
    assert kg_env["NEO4J_URI"] in proc.stdout


@pytest.mark.neo4j
def test_kg_status_in_process(run_kg, clean_db: neo4j.Driver) -> None:
    result = run_kg("status")
    assert result.exit_code == 0, result.output
    assert re.search(r"nodes\s+0\b", result.stdout)


@pytest.mark.neo4j
def test_kg_status_closed_port(kg_env: dict[str, str]) -> None:
    port = free_port()
    proc = kg("status", env={**kg_env, "NEO4J_URI": f"bolt://127.0.0.1:{port}"})
    line = assert_one_line_error(proc)
    assert f"127.0.0.1:{port}" in line and "connection refused" in line


@pytest.mark.neo4j
def test_kg_status_wrong_password(kg_env: dict[str, str]) -> None:
    wrong = "wrong-" + secrets.token_urlsafe(12)
    proc = kg("status", env={**kg_env, "NEO4J_PASSWORD": wrong})
    line = assert_one_line_error(proc)
    assert "rejected the credentials" in line
    assert wrong not in proc.stdout + proc.stderr
    assert kg_env["NEO4J_PASSWORD"] not in proc.stdout + proc.stderr


@pytest.mark.neo4j
def test_kg_status_without_password(kg_env: dict[str, str], tmp_path: Path) -> None:
    proc = kg("status", env={**kg_env, "KG_HOME": str(tmp_path)}, unset=("NEO4J_PASSWORD",))
    line = assert_one_line_error(proc)
    assert "NEO4J_PASSWORD" in line


@pytest.mark.neo4j
def test_password_never_shown(run_kg, kg_env: dict[str, str]) -> None:
    password = kg_env["NEO4J_PASSWORD"]
    outputs = [run_kg(*args) for args in (["status"], ["neo4j", "status"], ["neo4j", "--help"])]
    for result in outputs:
        assert password not in result.output
    if LOCAL:  # nor in any log of the local server
        logs = instance.local_instance(kg_home=Path(kg_env["KG_HOME"])).logs_dir
        for path in logs.iterdir():
            assert password not in path.read_text(encoding="utf-8", errors="replace"), path


def _listeners(port: int) -> set[str]:
    """Local addresses of the TCP sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as handle:
            next(handle)
            for line in handle:
                local, state = line.split()[1], line.split()[3]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


@pytest.mark.skipif(not LOCAL, reason="the server is external (NEO4J_URI)")
@pytest.mark.neo4j
def test_local_server_listens_on_loopback_only(kg_env: dict[str, str]) -> None:
    loopback = {"0100007F", "0000000000000000FFFF00000100007F"}  # 127.0.0.1 as IPv4, as IPv4-mapped IPv6
    for port in (int(kg_env["KG_BOLT_PORT"]), int(kg_env["KG_HTTP_PORT"])):
        addresses = _listeners(port)
        assert addresses, f"nothing listens on {port}"
        assert addresses <= loopback, (port, addresses)


@pytest.mark.skipif(not LOCAL, reason="the server is external (NEO4J_URI)")
@pytest.mark.neo4j
def test_browser_is_served(kg_env: dict[str, str]) -> None:
    import urllib.request

    url = f"http://127.0.0.1:{kg_env['KG_HTTP_PORT']}/browser/"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert "<title>Neo4j Browser</title>" in response.read().decode()


# --------------------------------------------------------------------------------------------------
# `kg neo4j start|status|stop` on a separate, throw-away instance
# --------------------------------------------------------------------------------------------------


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _jvms_with_conf(conf_dir: Path) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if f"--config-dir={conf_dir}" in args and _running(int(entry.name)):
                pids.append(int(entry.name))
    return pids


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java 17+")
@pytest.mark.neo4j
def test_neo4j_start_stop_leaves_nothing_behind(tmp_path: Path) -> None:
    bolt, http = free_port(), free_port()
    env = {"KG_HOME": str(tmp_path / "kg")}
    unset = ("NEO4J_PASSWORD", "NEO4J_URI", "KG_BOLT_PORT", "KG_HTTP_PORT")
    inst = instance.local_instance(kg_home=tmp_path / "kg", bolt_port=bolt, http_port=http)
    try:
        started = kg(
            "neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http), env=env, unset=unset
        )
        assert started.returncode == 0, started.stderr
        assert f"bolt://127.0.0.1:{bolt}" in started.stdout
        assert f"http://127.0.0.1:{http}/browser/" in started.stdout
        assert re.search(r"^  user +neo4j$", started.stdout, re.MULTILINE), started.stdout
        assert "`kg neo4j password`" in started.stdout
        pid = int(inst.pid_file.read_text())
        assert _running(pid)

        password = inst.password_file.read_text().strip()
        assert len(password) >= 20
        assert stat.S_IMODE(inst.password_file.stat().st_mode) == 0o600

        again = kg("neo4j", "start", "--bolt-port", str(bolt), "--http-port", str(http), env=env, unset=unset)
        assert again.returncode == 0 and "already running" in again.stdout
        assert int(inst.pid_file.read_text()) == pid

        status = kg("neo4j", "status", env=env, unset=unset)
        assert status.returncode == 0 and f"running (pid {pid})" in status.stdout

        # the generated password is what other kg commands find: `kg status` works with no env password
        info = kg("status", env={**env, "NEO4J_URI": f"bolt://127.0.0.1:{bolt}"}, unset=("NEO4J_PASSWORD",))
        assert info.returncode == 0, info.stderr

        marker = uuid.uuid4().hex
        with neo4j.GraphDatabase.driver(inst.bolt_uri, auth=("neo4j", password)) as drv:
            drv.execute_query("CREATE (:KgPersist {marker: $m})", m=marker)

        for proc in (started, again, status, info):
            assert password not in proc.stdout + proc.stderr
        asked = kg("neo4j", "password", env=env, unset=unset)
        assert asked.returncode == 0 and asked.stdout == password + "\n"

        stopped = kg("neo4j", "stop", env=env, unset=unset)
        assert stopped.returncode == 0 and "stopped" in stopped.stdout
        deadline = time.monotonic() + 10
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(pid)
        assert not inst.pid_file.exists()
        assert _jvms_with_conf(inst.conf_dir) == []

        after = kg("neo4j", "status", env=env, unset=unset)
        assert after.returncode == 3 and "not running" in after.stdout
        again_stop = kg("neo4j", "stop", env=env, unset=unset)
        assert again_stop.returncode == 0 and "not running" in again_stop.stdout

        # the data directory persists across restarts (library API this time)
        restarted = control.start(inst, password=password)
        assert restarted["started"] and restarted["pid"] != pid
        with neo4j.GraphDatabase.driver(inst.bolt_uri, auth=("neo4j", password)) as drv:
            records, _, _ = drv.execute_query("MATCH (p:KgPersist) RETURN p.marker AS m")
        assert [r["m"] for r in records] == [marker]
        assert control.stop(inst) is True
        assert not _running(restarted["pid"])
    finally:
        control.stop(inst)
        assert _jvms_with_conf(inst.conf_dir) == []


@pytest.mark.skipif(shutil.which("java") is None, reason="needs Java 17+")
@pytest.mark.neo4j
def test_neo4j_start_refuses_a_taken_port(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        taken = sock.getsockname()[1]
        proc = kg(
            "neo4j", "start", "--bolt-port", str(taken), "--http-port", str(free_port()),
            env={"KG_HOME": str(tmp_path)}, unset=("NEO4J_PASSWORD",),
        )  # fmt: skip
    line = assert_one_line_error(proc)
    assert f"127.0.0.1:{taken}" in line and "already in use" in line


def test_local_conf_is_loopback_only_with_auth(tmp_path: Path) -> None:
    conf = instance.render_conf(
        instance.local_instance(kg_home=tmp_path, bolt_port=1234, http_port=1235)
    )
    assert "server.default_listen_address=127.0.0.1\n" in conf
    assert "server.bolt.listen_address=127.0.0.1:1234\n" in conf
    assert "server.http.listen_address=127.0.0.1:1235\n" in conf
    assert "server.https.enabled=false\n" in conf
    assert "dbms.security.auth_enabled=true\n" in conf
    assert "dbms.usage_report.enabled=false\n" in conf


# --------------------------------------------------------------------------------------------------
# docker-compose.yml
# --------------------------------------------------------------------------------------------------


def test_docker_compose_has_no_default_password() -> None:
    text = (REPO / "docker-compose.yml").read_text(encoding="utf-8")
    auth_lines = [
        line.strip()
        for line in text.splitlines()
        if "NEO4J_AUTH" in line and not line.strip().startswith("#")
    ]
    assert len(auth_lines) == 1
    assert re.fullmatch(r"NEO4J_AUTH: neo4j/\$\{NEO4J_PASSWORD:\?[^}]+\}", auth_lines[0]), auth_lines[0]
    assert ":-" not in text  # no `${VAR:-default}` fallbacks anywhere
    assert "neo4j:5.26-community" in text

    try:
        import yaml
    except ImportError:  # PyYAML is not a dependency; the text checks above still ran
        return
    service = yaml.safe_load(text)["services"]["neo4j"]
    assert service["image"] == "neo4j:5.26-community"
    assert service["environment"]["NEO4J_AUTH"].startswith("neo4j/${NEO4J_PASSWORD:?")
    assert "apoc" in service["environment"]["NEO4J_PLUGINS"]
    assert any(str(p).endswith(":7687") for p in service["ports"])
    assert any(str(p).endswith(":7474") for p in service["ports"])
    assert "healthcheck" in service


def test_neo4j_password_prints_only_when_asked(tmp_path: Path) -> None:
    env = {"KG_HOME": str(tmp_path)}
    unset = ("NEO4J_PASSWORD",)
    missing = kg("neo4j", "password", env=env, unset=unset)
    assert missing.returncode == 2 and "kg neo4j start" in missing.stderr
    instance.generated_password(instance.local_instance(kg_home=tmp_path), create=True)
    password = (tmp_path / "neo4j-password").read_text().strip()
    shown = kg("neo4j", "password", env=env, unset=unset)
    assert shown.returncode == 0 and shown.stdout == password + "\n"
    assert kg("neo4j", "password", env={**env, "NEO4J_PASSWORD": "from-env"}).stdout == "from-env\n"
