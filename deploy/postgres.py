"""A private PostgreSQL cluster for Prefect's server: Debian's binaries, a folder, a loopback port.

    python -m deploy.postgres start [--dir .cache/postgres] [--port 5433]   # prints the connection URL
    python -m deploy.postgres url   [--dir .cache/postgres]
    python -m deploy.postgres stop  [--dir .cache/postgres]

Prefect's server keeps its state in the database named by
PREFECT_API_DATABASE_CONNECTION_URL (`postgresql+asyncpg://...`). This module
makes such a database without touching the machine's own PostgreSQL service:
`initdb` into a folder, `postgres` listening on 127.0.0.1 only (no Unix
socket outside the folder), password authentication with a random password
kept in the folder, and a database `prefect` owned by the user `prefect`. The
tests start one per session; `make postgres` starts one for a single-machine
team setup (docs/deploy.md).

PostgreSQL refuses to run as root, so under root the cluster runs as the
`postgres` system user that Debian's package creates, and its folder is owned
by that user.
"""

from __future__ import annotations

import argparse
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

USER = "prefect"
DATABASE = "prefect"
DEFAULT_DIR = Path(".cache/postgres")


class PostgresError(RuntimeError):
    """The cluster could not be made, started or stopped; the message says why in one line."""


def bin_dir() -> Path:
    """The folder of Debian's PostgreSQL server binaries (the newest installed version)."""
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    raise PostgresError("PostgreSQL is not installed: `make postgres` (as root) or `sudo apt-get install postgresql`")


def _run_as() -> list[str]:
    """Run the server's commands as `postgres` when this process is root, else as this user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresError("running as root and there is no `postgres` user to run PostgreSQL as") from None
    return ["runuser", "-u", "postgres", "--"]


def _chown(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass(frozen=True)
class Cluster:
    """One cluster folder: `data/` (PostgreSQL's), `password`, `port`, `server.log`."""

    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def port(self) -> int:
        return int((self.folder / "port").read_text())

    @property
    def password(self) -> str:
        return (self.folder / "password").read_text().strip()

    @property
    def url(self) -> str:
        """Prefect's PREFECT_API_DATABASE_CONNECTION_URL for this cluster."""
        return f"postgresql+asyncpg://{USER}:{self.password}@127.0.0.1:{self.port}/{DATABASE}"

    def _pg(self, tool: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        command = [*_run_as(), str(bin_dir() / tool), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            last = (done.stderr or done.stdout).strip().splitlines()
            raise PostgresError(f"{tool} failed: {last[-1] if last else f'exit code {done.returncode}'}")
        return done

    def init(self, port: int) -> None:
        """Make the cluster folder (once): data directory, the `prefect` superuser with a random password."""
        if (self.data / "PG_VERSION").exists():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        _chown(self.folder)
        (self.folder / "password").write_text(secrets.token_urlsafe(24) + "\n")
        (self.folder / "password").chmod(0o600)
        _chown(self.folder / "password")
        (self.folder / "port").write_text(f"{port}\n")
        self._pg("initdb", "--pgdata", str(self.data), "--username", USER, "--pwfile", str(self.folder / "password"),
                 "--auth-host=scram-sha-256", "--auth-local=scram-sha-256", "--encoding=UTF8", "--no-instructions")

    def running(self) -> bool:
        done = subprocess.run([*_run_as(), str(bin_dir() / "pg_ctl"), "status", "--pgdata", str(self.data)],
                              capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        return done.returncode == 0

    def start(self, port: int) -> str:
        """Start the server (initialising the folder the first time) and make sure the database exists."""
        self.init(port)
        if not self.running():
            options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.folder}"
            self._pg("pg_ctl", "start", "--pgdata", str(self.data), "--wait", "--timeout", "120",
                     "--log", str(self.folder / "server.log"), "-o", options, timeout=180)
        self._create_database()
        return self.url

    def _create_database(self) -> None:
        env = {**os.environ, "PGPASSWORD": self.password}
        connect = ["--host", "127.0.0.1", "--port", str(self.port), "--username", USER]
        exists = subprocess.run([str(bin_dir() / "psql"), *connect, "--dbname", "postgres", "--tuples-only",
                                 "--command", f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'"],
                                capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
        if exists.returncode != 0:
            raise PostgresError(f"psql failed: {exists.stderr.strip().splitlines()[-1] if exists.stderr.strip() else exists.returncode}")
        if exists.stdout.strip() != "1":
            created = subprocess.run([str(bin_dir() / "createdb"), *connect, DATABASE], capture_output=True, text=True,
                                     timeout=60, env=env, stdin=subprocess.DEVNULL)
            if created.returncode != 0:
                raise PostgresError(f"createdb failed: {created.stderr.strip()}")

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are closed); nothing to do when it is not running."""
        if (self.data / "PG_VERSION").exists() and self.running():
            self._pg("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "fast", "--wait", timeout=120)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m deploy.postgres", description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["start", "stop", "url"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"the cluster folder (default {DEFAULT_DIR})")
    parser.add_argument("--port", type=int, default=5433, help="loopback port, used when the folder is made (default 5433)")
    args = parser.parse_args(argv)
    cluster = Cluster(args.dir.resolve())
    try:
        if args.action == "start":
            print(cluster.start(args.port))
        elif args.action == "url":
            if not (cluster.folder / "password").exists():
                raise PostgresError(f"{cluster.folder}: no cluster there (python -m deploy.postgres start)")
            print(cluster.url)
        else:
            cluster.stop()
    except (PostgresError, subprocess.TimeoutExpired) as exc:
        print(f"postgres: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
