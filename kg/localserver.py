"""A local Neo4j 5.26 Community server without Docker: jars from Maven Central, run with the system Java.

The distribution (only jars) is shared by every instance and lives in
`$XDG_CACHE_HOME/kg/dist/neo4j-<version>/lib` (`KG_NEO4J_DIST` overrides the distribution directory).
An instance lives in `kg.settings.cache_dir() / "neo4j"` (so `KG_HOME` moves it): `conf/neo4j.conf`,
`data/` (persists across restarts), `logs/`, `run/neo4j.pid`. Its password is the one `NEO4J_PASSWORD`
gives, or one generated on first start and kept in `kg.settings.password_file()` (mode 600).

Everything listens on 127.0.0.1 only. The password is never printed, logged or put on a command line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import settings as kg_settings
from kg.errors import KgError
from kg.resources import server_pom

Progress = Callable[[str], None]

POM_PATH = server_pom()
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
HOST = "127.0.0.1"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
HEAP_INITIAL = "512m"
HEAP_MAX = "1g"
PAGECACHE = "256m"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
MIN_JAVA = 17

# JVM flags the official launcher (`bin/neo4j`) uses that matter outside a tuned production box.
_JVM_FLAGS = (
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

# Popen objects of servers this process started, kept so they are reaped (no zombies, no warnings).
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


# --------------------------------------------------------------------------------------------------
# Distribution
# --------------------------------------------------------------------------------------------------


def neo4j_version() -> str:
    """The Neo4j version the packaged pom pins (e.g. "5.26.30")."""
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    node = ET.parse(POM_PATH).getroot().find("m:properties/m:neo4j.version", ns)
    if node is None or not (node.text or "").strip():
        raise KgError(f"{POM_PATH} does not pin neo4j.version")
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
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KgError(
            "Maven (`mvn`) is needed once to download Neo4j from Maven Central but is not on PATH; "
            "install it (e.g. `apt-get install maven`) or set KG_NEO4J_DIST to a directory with lib/*.jar"
        )
    version = neo4j_version()
    _say(progress, f"Downloading Neo4j {version} from Maven Central (first run only, ~140 MB)...")
    dist.parent.mkdir(parents=True, exist_ok=True)
    for stale in dist.parent.glob(f".{dist.name}.part-*"):  # left by a download that was killed
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dist.name}.part-", dir=dist.parent))
    try:
        shutil.copy(POM_PATH, tmp / "pom.xml")  # keeps Maven from writing next to the installed package
        cmd = [
            mvn, "-q", "-B", "-f", str(tmp / "pom.xml"), "dependency:copy-dependencies",
            f"-DoutputDirectory={tmp / 'lib'}", "-DincludeScope=runtime",
        ]  # fmt: skip
        proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if proc.returncode != 0 or not _dist_complete(tmp / "lib"):
            tail = _tail_text((proc.stdout + proc.stderr).splitlines(), 12)
            raise KgError(f"downloading Neo4j {version} with Maven failed (exit {proc.returncode}):\n{tail}")
        (tmp / "pom.xml").unlink()
        try:
            os.rename(tmp, dist)  # atomic; fails if another process finished first
        except OSError:
            if not _dist_complete(lib):
                raise
        return lib
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


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


# --------------------------------------------------------------------------------------------------
# Instance
# --------------------------------------------------------------------------------------------------


def _port_from_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return _check_port(name, raw) if raw else default


def _check_port(name: str, raw: str | int) -> int:
    try:
        port = int(raw)
    except ValueError:
        raise KgError(f"{name} must be a port number, got {raw!r}") from None
    if not 1 <= port <= 65535:
        raise KgError(f"{name} must be between 1 and 65535, got {port}")
    return port


@dataclass(frozen=True)
class Instance:
    """One local server: its files under `kg_home` and the ports it listens on (127.0.0.1 only)."""

    kg_home: Path
    bolt_port: int = DEFAULT_BOLT_PORT
    http_port: int = DEFAULT_HTTP_PORT

    @property
    def home(self) -> Path:
        return self.kg_home / "neo4j"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def conf_file(self) -> Path:
        return self.conf_dir / "neo4j.conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def pid_file(self) -> Path:
        return self.run_dir / "neo4j.pid"

    @property
    def console_log(self) -> Path:
        """Where the JVM's stdout/stderr go (Neo4j's own logs are neo4j.log and debug.log beside it)."""
        return self.logs_dir / "console.log"

    @property
    def password_file(self) -> Path:
        return self.kg_home / "neo4j-password"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://{HOST}:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.http_port}"

    @property
    def initialized(self) -> bool:
        """True once the server has started at least once (the initial password is then fixed)."""
        return (self.data_dir / "databases" / "system").is_dir()


def local_instance(kg_home: Path | None = None, bolt_port: int | None = None, http_port: int | None = None) -> Instance:
    """The instance under `kg_home` (default `kg.settings.cache_dir()`), ports from arguments or
    `KG_BOLT_PORT` / `KG_HTTP_PORT` (defaults 7687 / 7474)."""
    bolt = _check_port("--bolt-port", bolt_port) if bolt_port is not None else None
    http = _check_port("--http-port", http_port) if http_port is not None else None
    inst = Instance(
        kg_home=Path(kg_home) if kg_home is not None else kg_settings.cache_dir(),
        bolt_port=bolt or _port_from_env("KG_BOLT_PORT", DEFAULT_BOLT_PORT),
        http_port=http or _port_from_env("KG_HTTP_PORT", DEFAULT_HTTP_PORT),
    )
    if inst.bolt_port == inst.http_port:
        raise KgError(f"the Bolt and HTTP ports must differ (both are {inst.bolt_port})")
    return inst


def render_conf(inst: Instance) -> str:
    """The neo4j.conf for `inst`: loopback only, https off, modest memory, auth on, no usage reports."""
    home = inst.home
    lines = [
        "# Generated by `kg neo4j start` on every start; edits here are overwritten.",
        f"server.directories.data={home / 'data'}",
        f"server.directories.logs={home / 'logs'}",
        f"server.directories.run={home / 'run'}",
        f"server.directories.plugins={home / 'plugins'}",
        f"server.directories.import={home / 'import'}",
        f"server.default_listen_address={HOST}",
        f"server.default_advertised_address={HOST}",
        "server.bolt.enabled=true",
        f"server.bolt.listen_address={HOST}:{inst.bolt_port}",
        f"server.bolt.advertised_address={HOST}:{inst.bolt_port}",
        "server.http.enabled=true",
        f"server.http.listen_address={HOST}:{inst.http_port}",
        f"server.http.advertised_address={HOST}:{inst.http_port}",
        "server.https.enabled=false",
        f"server.memory.heap.initial_size={HEAP_INITIAL}",
        f"server.memory.heap.max_size={HEAP_MAX}",
        f"server.memory.pagecache.size={PAGECACHE}",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "client.allow_telemetry=false",
        # Bolt otherwise idles 2 x 5 s on shutdown; these make `stop` take ~2 s instead of ~12 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "internal.server.bolt.connection_shutdown_wait_time=1s",
    ]
    return "\n".join(lines) + "\n"


def _conf_ports(inst: Instance) -> tuple[int, int] | None:
    """The (bolt, http) ports written in the instance's conf file, i.e. those of its last start."""
    try:
        text = inst.conf_file.read_text(encoding="utf-8")
    except OSError:
        return None
    found = dict(re.findall(r"^server\.(bolt|http)\.listen_address=.*:(\d+)\s*$", text, re.MULTILINE))
    if "bolt" in found and "http" in found:
        return int(found["bolt"]), int(found["http"])
    return None


# --------------------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------------------


def _cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return raw.decode(errors="replace").split("\0")


def _is_ours(pid: int, inst: Instance) -> bool:
    """True when `pid` is a Neo4j server JVM running with this instance's config directory."""
    args = _cmdline(pid)
    return ENTRY_POINT in args and f"--config-dir={inst.conf_dir}" in args


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:  # our own child: poll() also reaps it
        return child.poll() is None
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _read_pid(inst: Instance) -> int | None:
    try:
        return int(inst.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None


def server_pid(inst: Instance) -> int | None:
    """The pid of this instance's running server, or None. Falls back to scanning /proc for a JVM
    with exactly this instance's config directory if the pid file is missing or stale."""
    pid = _read_pid(inst)
    if pid is not None and _alive(pid) and _is_ours(pid, inst):
        return pid
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and _is_ours(int(entry.name), inst) and _alive(int(entry.name)):
            return int(entry.name)
    return None


def _port_free(port: int) -> bool:
    """True if 127.0.0.1:`port` can be bound (SO_REUSEADDR, as Neo4j does, so TIME_WAIT is fine)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _tail_text(lines: list[str], n: int) -> str:
    return "\n".join("  " + line for line in lines[-n:] if line.strip()) or "  (no output)"


def log_tail(inst: Instance, n: int = 15) -> str:
    """The last lines of the JVM console log and of neo4j.log (never contain the password)."""
    parts = []
    for path in (inst.console_log, inst.logs_dir / "neo4j.log"):
        with contextlib.suppress(OSError):
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            if any(line.strip() for line in lines):
                parts.append(f"{path}:\n{_tail_text(lines, n)}")
    return "\n".join(parts) or "(the logs are empty)"


@contextlib.contextmanager
def _instance_lock(inst: Instance) -> Iterator[None]:
    """Serialises start/stop of one instance between processes."""
    inst.run_dir.mkdir(parents=True, exist_ok=True)
    with open(inst.run_dir / "kg.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------------------------------
# Password
# --------------------------------------------------------------------------------------------------


def generated_password(inst: Instance, *, create: bool = False) -> str | None:
    """The password kept in the instance's password file; with `create`, generate and store one
    (mode 600) when there is none yet."""
    path = inst.password_file
    if path.is_file():
        return path.read_text(encoding="utf-8").strip() or None
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password


def _quote_argfile(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _set_initial_password(inst: Instance, java: str, lib: Path, password: str) -> None:
    """Run `neo4j-admin dbms set-initial-password`, passing the password in a mode-600 @argfile so
    it never shows up in a process listing."""
    env = {**os.environ, "NEO4J_HOME": str(inst.home), "NEO4J_CONF": str(inst.conf_dir)}
    fd, argfile = tempfile.mkstemp(prefix="pw-", dir=inst.run_dir)  # mkstemp creates it with mode 600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # `--` ends the options: a password may start with "-" (token_urlsafe produces such)
            handle.write(f"dbms\nset-initial-password\n--\n{_quote_argfile(password)}\n")
        proc = subprocess.run(
            [java, "-cp", str(lib / "*"), ADMIN_TOOL, f"@{argfile}"],
            env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        os.unlink(argfile)
    if proc.returncode != 0:
        output = (proc.stdout + proc.stderr).replace(password, "***")
        raise KgError(f"setting the initial Neo4j password failed:\n{_tail_text(output.splitlines(), 8)}")


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
        if not _alive(pid):
            child = _CHILDREN.pop(pid, None)
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

    with _instance_lock(inst):
        pid = server_pid(inst)
        if pid is not None:
            ports = _conf_ports(inst)
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
            if not _port_free(port):
                raise KgError(
                    f"cannot start Neo4j: {HOST}:{port} ({name}) is already in use by another program; "
                    f"free it or choose another port (--{name.lower()}-port / KG_{name.upper()}_PORT)"
                )
        inst.conf_file.write_text(render_conf(inst), encoding="utf-8")
        if not inst.initialized:
            _say(progress, "Setting the initial password of the new database...")
            _set_initial_password(inst, java, lib, password)

        version = neo4j_version()
        where = f"Bolt {HOST}:{inst.bolt_port}, HTTP {HOST}:{inst.http_port}"
        _say(progress, f"Starting Neo4j {version} ({where})...")
        cmd = [
            java, f"-Xms{HEAP_INITIAL}", f"-Xmx{HEAP_MAX}", *_JVM_FLAGS, "-cp", str(lib / "*"),
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
        _CHILDREN[proc.pid] = proc
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
            if not _alive(pid):
                _CHILDREN.pop(pid, None)
                return
            time.sleep(0.1)
    raise KgError(f"Neo4j (pid {pid}) did not exit even after SIGKILL")


def stop(inst: Instance | None = None, *, timeout: float = STOP_TIMEOUT, progress: Progress | None = None) -> bool:
    """Stop this instance's server (SIGTERM, SIGKILL after `timeout` s). False if it was not running."""
    inst = inst or local_instance()
    if not inst.home.is_dir():
        return False
    with _instance_lock(inst):
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
    if pid is not None and (ports := _conf_ports(inst)):
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
