"""The background process of `mtrepair up`: it owns the two servers and stops them.

`mtrepair up` starts `python -m mtrepair.services.keeper` in a new session (so a
Ctrl+C in the user's shell does not reach it). The keeper

1. starts a Prefect server (`prefect server start`, one process, SQLite in the state
   folder) and a LanguageTool server (`repair.engines.languagetool`), both on free
   loopback ports and both told to die with the keeper (PR_SET_PDEATHSIG, so a
   keeper killed with SIGKILL leaves neither behind);
2. waits until both answer, warms LanguageTool up, loads what a run needs into its own process and
   serves it as the warm runner (`runner.py`) on a Unix socket, and writes `state.json` (ready);
3. checks every few seconds: a server that died is started again on its port; when no
   process has held a lease for the idle timeout, or on SIGTERM / SIGINT
   (`mtrepair down`), it stops both and removes `state.json`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mtrepair import env
from mtrepair.services import runner
from mtrepair.services import state as up_state
from mtrepair.services.discover import answers, local_versions

POLL_S = 2.0
PREFECT_START_TIMEOUT_S = 300.0


class _Stop(Exception):
    """Raised by the signal handler: stop both servers and leave."""


def _raise_stop(signum, frame) -> None:
    raise _Stop


class PrefectServer:
    """`prefect server start` in the foreground of a child process, on a loopback port."""

    def __init__(self, folder: Path, port: int) -> None:
        self.home = folder / "prefect"
        self.port = port
        self.log_path = folder / "prefect-server.log"
        self.process: subprocess.Popen | None = None
        self.started = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> PrefectServer:
        from repair.engines.languagetool import die_with_parent

        self.home.mkdir(parents=True, exist_ok=True)
        server_env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
            "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "100",
        }
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                   "--port", str(self.port), "--no-background"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, env=server_env, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT, preexec_fn=die_with_parent())
        self.started = time.time()
        return self

    def wait_until_ready(self, timeout: float = PREFECT_START_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise RuntimeError(f"the Prefect server exited while starting (log: {self.log_path})")
            if answers(self.url + "/health", timeout=2.0):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the Prefect server did not answer within {timeout:.0f} s (log: {self.log_path})")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


class Keeper:
    """Start both servers, keep them up while they are used, stop them when idle or told to."""

    def __init__(self, folder: Path, idle_timeout_s: float, poll_s: float = POLL_S) -> None:
        from repair.engines.languagetool import LanguageToolServer, free_port

        self.folder = folder
        self.idle_timeout_s = idle_timeout_s
        self.poll_s = poll_s
        self.versions = local_versions()
        self.started = time.time()
        self.prefect = PrefectServer(folder, free_port())
        self.languagetool = LanguageToolServer(port=free_port())
        self.languagetool_started = 0.0
        self.environment = up_state.run_environment()
        self.runner = None

    def state(self, ready: bool) -> up_state.ServicesState:
        lt = self.languagetool
        return up_state.ServicesState(
            keeper_pid=os.getpid(), started=self.started, idle_timeout_s=self.idle_timeout_s,
            versions=self.versions, ready=ready,
            prefect=up_state.Server(self.prefect.url, self.prefect.process.pid, self.versions["prefect"],
                                    self.prefect.started) if self.prefect.running else None,
            languagetool=up_state.Server(lt.url, lt.process.pid, self.versions["languagetool"],
                                         self.languagetool_started) if lt.running else None,
            runner=str(self.folder / runner.SOCKET_FILE) if self.runner is not None else None,
            environment=self.environment,
        )

    def start(self) -> None:
        from repair.engines.grammar import GrammarChecker

        self.prefect.launch()  # Prefect's start is the slower one: let the JVM start meanwhile
        self._start_languagetool()
        GrammarChecker(self.languagetool.url).warm_up()
        self.prefect.wait_until_ready()
        # This process runs flows too (the warm runner): against its own servers, like a run that found them.
        env.use_prefect_server(self.prefect.url)
        os.environ["MTREPAIR_LANGUAGETOOL_URL"] = self.languagetool.url
        runner.warm_up()
        self.runner = runner.serve(self.folder)
        up_state.write_state(self.state(ready=True), self.folder)
        up_state.touch_last_used(self.folder)

    def _start_languagetool(self) -> None:
        self.languagetool.start()
        self.languagetool_started = time.time()

    def watch(self) -> str:
        """Until idle or stopped: bring back a server that died. Returns why it stopped."""
        while True:
            time.sleep(self.poll_s)
            state = self.state(ready=True)
            if up_state.idle_seconds(state, self.folder) >= self.idle_timeout_s:
                return f"idle for {self.idle_timeout_s:.0f} s"
            revived = False
            if not self.languagetool.running:
                print("LanguageTool server died: starting it again", flush=True)
                self._start_languagetool()
                revived = True
            if not self.prefect.running:
                print("Prefect server died: starting it again", flush=True)
                self.prefect.launch().wait_until_ready()
                revived = True
            if revived:
                up_state.write_state(self.state(ready=True), self.folder)

    def stop(self) -> None:
        up_state.remove_state(self.folder)
        if self.runner is not None:
            self.runner.should_exit = True
            (self.folder / runner.SOCKET_FILE).unlink(missing_ok=True)
        self.languagetool.stop()
        self.prefect.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mtrepair.services.keeper")
    parser.add_argument("--idle-timeout", type=float, default=up_state.DEFAULT_IDLE_TIMEOUT_S)
    parser.add_argument("--poll", type=float, default=POLL_S)
    args = parser.parse_args(argv)
    env.configure()
    folder = up_state.home().resolve()  # absolute: the runner changes into each run's working folder
    folder.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    keeper = Keeper(folder, args.idle_timeout, args.poll)
    why = "stopped"
    try:
        keeper.start()
        print(f"ready: Prefect {keeper.prefect.url}, LanguageTool {keeper.languagetool.url}", flush=True)
        why = keeper.watch()
        return 0
    except _Stop:
        why = "stopped by a signal (mtrepair down)"
        return 0
    except Exception as exc:  # written to keeper.log, which `mtrepair up` shows in one line
        why = f"failed: {type(exc).__name__}: {exc}"
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        keeper.stop()
        print(f"keeper {why}; both servers stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
