"""Run a local LanguageTool HTTP server: start it, wait until it answers, stop it.

The jars come from Maven Central (`languagetool.pom.xml` beside this module, shipped
in the package; `mtrepair setup` fetches them into a machine-wide cache, see
repair/setup/), so nothing is downloaded at run time. The server listens on loopback only (LanguageTool's HTTPServer binds to
localhost unless it is given `--public`, which is never passed), on a free port
chosen here, and is stopped when the `with` block ends. On Linux the JVM is
also told to die with the thread that started it (PR_SET_PDEATHSIG), so a run
that is killed outright does not leave a server behind; this is done only when
the main thread starts it, since a worker thread may end while the run goes on.
A user who already runs a server points `MTREPAIR_LANGUAGETOOL_URL` at it
instead and none is started.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from repair.errors import SetupError

DEFAULT_SERVER_SETTINGS = {
    "cacheSize": "2000",
    "pipelineCaching": "true",
    "maxPipelinePoolSize": "500",
    "maxTextLength": "200000",
    "maxCheckThreads": str(max(2, os.cpu_count() or 2)),
}


POM = Path(__file__).with_name("languagetool.pom.xml")
"""The Maven project that names LanguageTool's server and English module (its version pinned)."""


def pinned_version() -> str:
    """The LanguageTool version the POM pins, e.g. '6.7'."""
    import xml.etree.ElementTree as ElementTree

    namespace = {"m": "http://maven.apache.org/POM/4.0.0"}
    version = ElementTree.parse(POM).getroot().find("m:properties/m:languagetool.version", namespace)
    return version.text.strip()


def setup_home() -> Path:
    """Where `mtrepair setup` puts the jars: MTREPAIR_LANGUAGETOOL_HOME, else <cache>/languagetool/<pinned version>."""
    env = os.environ.get("MTREPAIR_LANGUAGETOOL_HOME")
    if env:
        return Path(env)
    from repair.config import cache_root

    return cache_root() / "languagetool" / pinned_version()


def has_jars(folder: Path) -> bool:
    return any(folder.glob("languagetool-server-*.jar"))


def default_home() -> Path:
    """The jars a run uses: MTREPAIR_LANGUAGETOOL_HOME, else the pinned version in the cache,
    else the newest version found there (a cache filled by an older mtrepair), else where
    `mtrepair setup` would put them."""
    home = setup_home()
    if os.environ.get("MTREPAIR_LANGUAGETOOL_HOME") or has_jars(home):
        return home
    versions = sorted(home.parent.glob("*/languagetool-server-*.jar"))
    if versions:
        return versions[-1].parent
    return home


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def is_alive(url: str, timeout: float = 2.0) -> bool:
    """True when a LanguageTool server answers at `url` (…/v2/languages)."""
    import requests  # here, not at the top: finding `mtrepair up`'s servers reads this module and needs no HTTP client

    try:
        response = requests.get(url.rstrip("/") + "/v2/languages", timeout=timeout)
        return response.status_code == 200
    except requests.RequestException:
        return False


def server_version(url: str, timeout: float = 30.0) -> str:
    """The version the server reports about itself, e.g. '6.7'."""
    import requests

    try:
        response = requests.post(
            url.rstrip("/") + "/v2/check", data={"text": "Hello.", "language": "en-US"}, timeout=timeout
        )
        response.raise_for_status()
        return str(response.json().get("software", {}).get("version", "unknown"))
    except (requests.RequestException, ValueError):
        return "unknown"


def die_with_parent() -> Callable[[], None] | None:
    """A pre-exec hook that makes the child get SIGTERM when its parent thread ends (Linux only)."""
    if not sys.platform.startswith("linux") or threading.current_thread() is not threading.main_thread():
        return None
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)
    pr_set_pdeathsig = 1

    def hook() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)

    return hook


class LanguageToolServer:
    """A LanguageTool HTTP server owned by this process."""

    def __init__(
        self,
        home: str | Path | None = None,
        port: int | None = None,
        java: str = "java",
        heap: str = "1g",
        start_timeout: float = 120.0,
        settings: dict[str, str] | None = None,
    ) -> None:
        self.home = Path(home) if home else default_home()
        self.port = port
        self.java = java
        self.heap = heap
        self.start_timeout = start_timeout
        self.settings = {**DEFAULT_SERVER_SETTINGS, **(settings or {})}
        self.process: subprocess.Popen | None = None
        self.ready = False
        self.launched_at = 0.0
        self._workdir: tempfile.TemporaryDirectory | None = None
        self._revive_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def jars(self) -> Path:
        if not has_jars(self.home):
            raise SetupError(
                f"LanguageTool jars not found in {self.home}: run `mtrepair setup` "
                "(or set MTREPAIR_LANGUAGETOOL_HOME, or MTREPAIR_LANGUAGETOOL_URL for a running server)"
            )
        return self.home

    def start(self) -> LanguageToolServer:
        """Start the server and return once it answers; raise SetupError if it cannot."""
        self.launch()
        self.wait_until_ready()
        return self

    def launch(self) -> LanguageToolServer:
        """Start the JVM and return at once; `wait_until_ready` waits for it to answer.

        Call it from the main thread: the JVM is told to die with the thread that
        started it, so that a killed run leaves no server behind.
        """
        if self.running:
            return self
        self.ready = False
        jars = self.jars()
        self.port = self.port or free_port()
        self._workdir = tempfile.TemporaryDirectory(prefix="mtrepair-lt-")
        workdir = Path(self._workdir.name)
        config = workdir / "server.properties"
        config.write_text("".join(f"{k}={v}\n" for k, v in self.settings.items()))
        self.log_path = workdir / "server.log"
        command = [
            self.java,
            f"-Xmx{self.heap}",
            "-cp",
            str(jars / "*"),
            "org.languagetool.server.HTTPServer",
            "--port",
            str(self.port),
            "--config",
            str(config),
        ]
        try:
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(
                    command,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    cwd=workdir,
                    preexec_fn=die_with_parent(),
                )
        except FileNotFoundError:
            raise SetupError(f"cannot start LanguageTool: '{self.java}' (Java 17+) was not found: "
                             "install Java 17 or later, then `mtrepair setup --check`") from None
        self.launched_at = time.monotonic()
        return self

    def wait_until_ready(self) -> None:
        if self.ready and self.running:
            return
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                tail = self.log_tail()
                self.process = None
                raise SetupError(f"LanguageTool server exited while starting: {tail}")
            if is_alive(self.url, timeout=1.0):
                self.ready = True
                return
            time.sleep(0.25)
        self.stop()
        raise SetupError(f"LanguageTool server did not answer within {self.start_timeout:.0f} s")

    def log_tail(self, lines: int = 3) -> str:
        try:
            return " | ".join(Path(self.log_path).read_text(errors="replace").strip().splitlines()[-lines:])
        except (OSError, AttributeError):
            return "(no log)"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def restart(self) -> LanguageToolServer:
        """Stop (if needed) and start again on the same port."""
        self.stop(keep_workdir=False)
        return self.start()

    def revive(self, patience: float = 30.0) -> None:
        """Restart the server if its JVM died, or if it does not answer within
        `patience` seconds; safe to call from many threads at once (the first
        caller restarts, the others find it up). The patience is generous: on a
        busy machine a live server can be slow, and restarting a live server
        would fail every request that is in flight."""
        with self._revive_lock:
            if not (self.running and is_alive(self.url, timeout=patience)):
                self.restart()

    def stop(self, keep_workdir: bool = False) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process = None
        if self._workdir is not None and not keep_workdir:
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self) -> LanguageToolServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
