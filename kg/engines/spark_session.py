"""The Spark session kg ingests with, and the one jar it needs: the Neo4j Connector for Apache Spark.

The connector (org.neo4j:neo4j-connector-apache-spark_2.12, a self-contained jar) is fetched once with
Maven into $XDG_CACHE_HOME/kg/spark (or KG_SPARK_CONNECTOR_JAR names a copy); under spark-submit, pass
it with --jars, or with --packages plus --exclude-packages of its `_common` artifact (5.0.3's POM names
a `_common` 5.0.3 that Maven Central lacks; the jar itself bundles it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError
from kg.maven import run_maven, staging_dir
from kg.settings import user_cache

if TYPE_CHECKING:  # pyspark is an optional extra: imported only when a job runs
    from pyspark.sql import SparkSession

CONNECTOR_GROUP = "org.neo4j"
CONNECTOR_ARTIFACT = "neo4j-connector-apache-spark_2.12"
CONNECTOR_VERSION = "5.0.3_for_spark_3"
CONNECTOR = f"{CONNECTOR_GROUP}:{CONNECTOR_ARTIFACT}:{CONNECTOR_VERSION}"

# What Spark 3.5 needs opened on Java 17 (the list of Spark's own launcher, JavaModuleOptions).
JAVA17_OPTIONS = " ".join([
    "-XX:+IgnoreUnrecognizedVMOptions",
    *(f"--add-opens=java.base/{pkg}=ALL-UNNAMED" for pkg in (
        "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
        "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs", "sun.security.action",
        "sun.util.calendar")),
    "-Djdk.reflect.useDirectMethodHandle=false",
])





def spark_cache_dir() -> Path:
    """Where the connector jar (and Spark's log configuration) are kept, outside any repository."""
    override = os.environ.get("KG_SPARK_CACHE")
    if override:
        return Path(override).expanduser()
    return user_cache("spark")


def connector_jar(progress: Callable[[str], None] | None = None) -> Path:
    """The connector jar: KG_SPARK_CONNECTOR_JAR, else the cached copy, else fetched with Maven once.

    The published jar bundles the Neo4j Java driver and its other dependencies, so it is the only
    jar Spark needs (`mvn dependency:copy`, no transitive resolution).
    """
    override = os.environ.get("KG_SPARK_CONNECTOR_JAR")
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise KgError(f"KG_SPARK_CONNECTOR_JAR names {path}, which is not a file")
        return path
    target = spark_cache_dir() / "jars" / f"{CONNECTOR_ARTIFACT}-{CONNECTOR_VERSION}.jar"
    if target.is_file():
        return target
    if progress:
        progress(f"Downloading {CONNECTOR} from Maven Central (first run only, ~6 MB)...")
    with staging_dir(target) as tmp:
        run_maven(["dependency:copy", f"-Dartifact={CONNECTOR}", f"-DoutputDirectory={tmp}"], tmp,
                  f"download the Neo4j Connector for Apache Spark ({CONNECTOR})",
                  "set KG_SPARK_CONNECTOR_JAR to a copy of the jar")
        fetched = tmp / target.name
        if not fetched.is_file():
            raise KgError(f"downloading {CONNECTOR} with Maven gave no {target.name}")
        os.replace(fetched, target)  # atomic: a concurrent download just overwrites with the same bytes
        return target


def _log_config() -> Path:
    """A quiet log4j2 configuration for local runs: warnings and errors only, no start-up chatter."""
    path = spark_cache_dir() / "log4j2.properties"
    text = (
        "rootLogger.level = warn\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\nappender.console.target = SYSTEM_ERR\n"
        "appender.console.layout.type = PatternLayout\n"
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n"
        "logger.hadoop.name = org.apache.hadoop.util.NativeCodeLoader\nlogger.hadoop.level = error\n"
        "logger.utils.name = org.apache.spark.util.Utils\nlogger.utils.level = error\n"
        "logger.blockmanager.name = org.apache.spark.storage.BlockManager\nlogger.blockmanager.level = error\n"
    )
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def _require_pyspark() -> None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise KgError("the Spark engine needs pyspark: pip install 'kg[spark]'") from None


def under_spark_submit() -> bool:
    """True when this Python process was started by spark-submit (its JVM is already running)."""
    return bool(os.environ.get("PYSPARK_GATEWAY_PORT"))


def spark_session(master: str | None = None, app_name: str = "kg-ingest", conf: dict[str, str] | None = None,
                  progress: Callable[[str], None] | None = None) -> SparkSession:
    """A SparkSession ready for the ingest: the active one if there is one, else a new one.

    A new session gets the connector jar and the Java 17 options; its master is `master`, else
    KG_SPARK_MASTER, else what spark-submit set, else local[*]. Local masters also get the Python
    of this process for the workers, loopback addresses and no web UI.
    """
    _require_pyspark()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    master = master or os.environ.get("KG_SPARK_MASTER") or (None if under_spark_submit() else "local[*]")
    builder = SparkSession.builder.appName(app_name)
    options: dict[str, str] = {}
    if not under_spark_submit():
        # The driver JVM is started by this process: it gets the jar and the Java options now (under
        # spark-submit, its --jars/--packages and --conf decide).
        options.update({
            "spark.jars": str(connector_jar(progress)),
            "spark.driver.extraJavaOptions": f"{JAVA17_OPTIONS} -Dlog4j.configurationFile={_log_config()}",
            "spark.executor.extraJavaOptions": JAVA17_OPTIONS,
            "spark.ui.showConsoleProgress": "true" if sys.stderr.isatty() else "false",
        })
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python, with kg installed
        options.update({
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
            "spark.pyspark.python": sys.executable,
            "spark.pyspark.driver.python": sys.executable,
            "spark.sql.shuffle.partitions": "16",  # not 200 tiny tasks per shuffle on one machine
        })
    options.update(conf or {})
    for key, value in options.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def stop_spark(spark: SparkSession) -> None:
    """Stop the session and, unless spark-submit owns it, the JVM this process started for it."""
    from pyspark import SparkContext

    spark.stop()
    if under_spark_submit():
        return
    gateway = SparkContext._gateway
    if gateway is None:
        return
    proc = getattr(gateway, "proc", None)
    with contextlib.suppress(Exception):  # best effort: the JVM is stopped below anyway
        gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if proc is not None:
        try:
            if proc.stdin:
                proc.stdin.close()  # the gateway JVM exits when its stdin closes
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.terminate()
            proc.wait(timeout=10)


