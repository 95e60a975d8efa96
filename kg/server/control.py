"""Start, stop and inspect the local Neo4j 5.26 Community server, without Docker.

Its password is the one `NEO4J_PASSWORD` gives, or one generated on first start and kept in
`kg.settings.password_file()` (mode 600). The password is never printed, logged or put on a
command line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import urllib.request
from typing import Any

from kg import settings as kg_settings
from kg.errors import KgError
from kg.server.dist import Progress, dist_dir, ensure_dist, java_executable, neo4j_version
from kg.server.instance import (
    CHILDREN,
    ENTRY_POINT,
    HEAP_INITIAL,
    HEAP_MAX,
    HOST,
    Instance,
    alive,
    conf_ports,
    generated_password,
    instance_lock,
    local_instance,
    log_tail,
    port_free,
    render_conf,
    server_pid,
    set_initial_password,
)

START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
# JVM flags the official launcher (`bin/neo4j`) uses that matter outside a tuned production box.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


# --------------------------------------------------------------------------------------------------
# Start / stop / status
# --------------------------------------------------------------------------------------------------


def _probe_bolt(inst: Instance, password: str | None) -> str:
    """'ok', 'auth' (the server answers but rejects the password) or 'down'."""
    import neo4j  # imported lazily: `kg --help` should not pay for the driver
    from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

    try:
        auth = ("neo4j", password or "")
        with neo4j.GraphDatabase.driver(inst.bolt_uri, auth=auth, connection_timeout=3) as driver:
            driver.verify_connectivity()
        return "ok"
    except AuthError:
        return "auth"
    except Neo4jError as exc:
        return "auth" if "Security" in (exc.code or "") else "down"
    except (ServiceUnavailable, OSError):
        return "down"
    except Exception:  # the driver raises a few other types while a server is still booting
        return "down"


def _http_answers(inst: Instance) -> bool:
    """True once the HTTP connector serves its discovery document (the last thing Neo4j starts)."""
    try:
        with urllib.request.urlopen(inst.http_url + "/", timeout=3) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _password_error(inst: Instance) -> KgError:
    return KgError(
        f"Neo4j at {inst.bolt_uri} is running but rejected the password: its data directory "
        f"({inst.data_dir}) was initialised with another one. Use that password (NEO4J_PASSWORD or "
        f"{inst.password_file}), or stop the server and delete {inst.data_dir} to start afresh"
    )


def _log_says_started(inst: Instance, offset: int | None) -> bool:
    """True once neo4j.log, past `offset` (its size at launch), reports "Started.". This makes sure
    the server answering on our ports is ours and not one that grabbed the port meanwhile."""
    if offset is None:
        return True
    try:
        with open(inst.logs_dir / "neo4j.log", "rb") as log:
            if log.seek(0, os.SEEK_END) >= offset:  # smaller means the log was rotated: read it all
                log.seek(offset)
            else:
                log.seek(0)
            return b" Started." in log.read()
    except OSError:
        return False


def _log_size(inst: Instance) -> int:
    try:
        return (inst.logs_dir / "neo4j.log").stat().st_size
    except OSError:
        return 0


def _wait_ready(inst: Instance, pid: int, password: str, timeout: float, log_offset: int | None) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if not alive(pid):
            child = CHILDREN.pop(pid, None)
            code = f" (exit code {child.returncode})" if child is not None else ""
            inst.pid_file.unlink(missing_ok=True)
            raise KgError(f"Neo4j exited during startup{code}; last log lines:\n{log_tail(inst)}")
        state = _probe_bolt(inst, password) if _log_says_started(inst, log_offset) else "down"
        if state == "ok" and _http_answers(inst):
            return
        if state == "auth":
            raise _password_error(inst)
        if time.monotonic() > deadline:
            _terminate(pid, STOP_TIMEOUT)
            inst.pid_file.unlink(missing_ok=True)
            raise KgError(
                f"Neo4j did not answer on {inst.bolt_uri} within {timeout:.0f} s and was stopped; "
                f"last log lines:\n{log_tail(inst)}"
            )
        time.sleep(0.5)


def start(
    inst: Instance | None = None,
    *,
    password: str | None = None,
    timeout: float = START_TIMEOUT,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Start the local server (downloading Neo4j first if needed) and wait until Bolt answers.

    `password` defaults to NEO4J_PASSWORD (environment or `./.env`), then the instance's password
    file; when there is none, one is generated and stored there (mode 600). Idempotent: if this
    instance already runs and answers, nothing is started. Returns `status()` plus `started` and `seconds`.
    """
    inst = inst or local_instance()
    began = time.monotonic()
    java = java_executable()
    lib = ensure_dist(progress)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (inst.home / sub).mkdir(parents=True, exist_ok=True)
    inst.home.chmod(0o700)
    if password is None:
        kg_settings.load_settings()  # fills the environment from ./.env, as every kg command does
        password = os.environ.get("NEO4J_PASSWORD") or generated_password(inst, create=not inst.initialized)
    if password is None:
        raise KgError(
            f"no password for the existing database in {inst.data_dir}: set NEO4J_PASSWORD to the one it "
            f"was created with ({inst.password_file} is gone), or delete {inst.data_dir} to start afresh"
        )

    with instance_lock(inst):
        pid = server_pid(inst)
        if pid is not None:
            ports = conf_ports(inst)
            if ports is not None and ports != (inst.bolt_port, inst.http_port):
                raise KgError(
                    f"the local Neo4j already runs (pid {pid}) on Bolt port {ports[0]} and HTTP port "
                    f"{ports[1]}; stop it first (`kg neo4j stop`) to use other ports"
                )
            _say(progress, f"Neo4j already runs (pid {pid}); checking it answers...")
            _wait_ready(inst, pid, password, timeout, log_offset=None)
            return {**status(inst), "started": False, "seconds": round(time.monotonic() - began, 1)}

        inst.pid_file.unlink(missing_ok=True)
        for name, port in (("Bolt", inst.bolt_port), ("HTTP", inst.http_port)):
            if not port_free(port):
                raise KgError(
                    f"cannot start Neo4j: {HOST}:{port} ({name}) is already in use by another program; "
                    f"free it or choose another port (--{name.lower()}-port / KG_{name.upper()}_PORT)"
                )
        inst.conf_file.write_text(render_conf(inst), encoding="utf-8")
        if not inst.initialized:
            _say(progress, "Setting the initial password of the new database...")
            set_initial_password(inst, java, lib, password)

        version = neo4j_version()
        where = f"Bolt {HOST}:{inst.bolt_port}, HTTP {HOST}:{inst.http_port}"
        _say(progress, f"Starting Neo4j {version} ({where})...")
        cmd = [
            java, f"-Xms{HEAP_INITIAL}", f"-Xmx{HEAP_MAX}", *JVM_FLAGS, "-cp", str(lib / "*"),
            ENTRY_POINT, f"--home-dir={inst.home}", f"--config-dir={inst.conf_dir}",
        ]  # fmt: skip
        env = {**os.environ, "NEO4J_HOME": str(inst.home), "NEO4J_CONF": str(inst.conf_dir)}
        env.pop("NEO4J_PASSWORD", None)  # the server has no use for it
        log_offset = _log_size(inst)
        with open(inst.console_log, "ab") as log:
            log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} kg: starting Neo4j {version}\n".encode())
            log.flush()
            proc = subprocess.Popen(
                cmd, cwd=inst.home, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, close_fds=True,
            )  # fmt: skip
        CHILDREN[proc.pid] = proc
        inst.pid_file.write_text(f"{proc.pid}\n")
        _wait_ready(inst, proc.pid, password, timeout, log_offset)
    return {**status(inst), "started": True, "seconds": round(time.monotonic() - began, 1)}


def _terminate(pid: int, timeout: float) -> None:
    """SIGTERM `pid`, wait up to `timeout` s, then SIGKILL it."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                CHILDREN.pop(pid, None)
                return
            time.sleep(0.1)
    raise KgError(f"Neo4j (pid {pid}) did not exit even after SIGKILL")


def stop(inst: Instance | None = None, *, timeout: float = STOP_TIMEOUT, progress: Progress | None = None) -> bool:
    """Stop this instance's server (SIGTERM, SIGKILL after `timeout` s). False if it was not running."""
    inst = inst or local_instance()
    if not inst.home.is_dir():
        return False
    with instance_lock(inst):
        pid = server_pid(inst)
        if pid is None:
            inst.pid_file.unlink(missing_ok=True)
            return False
        _say(progress, f"Stopping Neo4j (pid {pid})...")
        _terminate(pid, timeout)
        inst.pid_file.unlink(missing_ok=True)
    return True


def status(inst: Instance | None = None) -> dict[str, Any]:
    """Whether the instance runs, its pid, addresses (those of its last start if it runs) and dirs."""
    inst = inst or local_instance()
    pid = server_pid(inst) if inst.home.is_dir() else None
    if pid is not None and (ports := conf_ports(inst)):
        inst = Instance(inst.kg_home, *ports)
    return {
        "running": pid is not None,
        "pid": pid,
        "version": neo4j_version(),
        "bolt_uri": inst.bolt_uri,
        "http_url": inst.http_url,
        "browser_url": f"{inst.http_url}/browser/",
        "home": str(inst.home),
        "data_dir": str(inst.data_dir),
        "logs_dir": str(inst.logs_dir),
        "password_file": str(inst.password_file),
        "dist_dir": str(dist_dir()),
    }
