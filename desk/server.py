"""Serve the desk (or one run's page) with uvicorn, in the foreground or in a background thread.

The socket is bound here, before the app is built, so that a free port (0) is
known to the Host check. The desk refuses to listen beyond loopback without a
token. `ReviewServer` is the one-run page in a background thread, for the paused
`--review` flow, with the interface the flow has always used.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import uvicorn

from repair.errors import InputError, RepairError

from desk.app import app_for, run_app
from desk.security import MIN_TOKEN_CHARS, is_loopback
from desk.site import OnSave


def read_token(path: str | Path | None) -> str | None:
    """The token in `path` (its first line); InputError when it is missing, unreadable or too short."""
    if path is None:
        return None
    path = Path(path)
    try:
        token = path.read_text(encoding="utf-8").strip().splitlines()[0].strip() if path.stat().st_size else ""
    except (OSError, UnicodeDecodeError, IndexError) as exc:
        raise InputError(path, f"cannot be read as a token file ({getattr(exc, 'strerror', None) or exc})") from None
    if len(token) < MIN_TOKEN_CHARS or not token.isprintable() or " " in token:
        raise InputError(path, f"the token must be one line of at least {MIN_TOKEN_CHARS} printable characters without spaces")
    return token


def check_exposure(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token."""
    if not is_loopback(host) and token is None:
        raise RepairError(f"--host {host}: the desk would be reachable from other machines; give --token-file FILE")


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise RepairError(f"{host}:{port}: cannot listen there ({exc.strerror or exc})") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}/"


def _server(app, sock: socket.socket) -> uvicorn.Server:
    config = uvicorn.Config(app, log_level="warning", access_log=False, log_config=None, lifespan="off",
                            timeout_graceful_shutdown=2)
    return uvicorn.Server(config)


class Served:
    """A bound socket and the app on it; `serve()` blocks, `start()` runs in a thread."""

    def __init__(self, app, sock: socket.socket, host: str):
        self.app, self.sock, self.host = app, sock, host
        self.port = sock.getsockname()[1]
        self.server = _server(app, sock)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return url_of(self.host, self.port)

    def serve(self) -> None:
        self.server.run(sockets=[self.sock])

    def start(self):
        self._thread = threading.Thread(target=self.serve, name="mtrepair-review", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def serve_folder(folder: str | Path, host: str = "127.0.0.1", port: int = 0, token: str | None = None) -> Served:
    """The desk (output folder) or one run's page (run folder), bound and ready to serve."""
    check_exposure(host, token)
    sock = bind(host, port)
    try:
        app = app_for(folder, host=host, port=sock.getsockname()[1], token=token)
    except BaseException:
        sock.close()
        raise
    return Served(app, sock, host)


class ReviewServer(Served):
    """One run's review page on 127.0.0.1 in a background thread; Save calls `on_save`."""

    def __init__(self, run_dir: str | Path, port: int = 0, on_save: OnSave | None = None, waiting: str | None = None):
        sock = bind("127.0.0.1", port)
        try:
            app = run_app(run_dir, port=sock.getsockname()[1], on_save=on_save, waiting=waiting)
        except BaseException:
            sock.close()
            raise
        super().__init__(app, sock, "127.0.0.1")

    @property
    def saves(self) -> int:
        return self.app.app.state.site.saves
