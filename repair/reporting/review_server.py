"""`mtrepair review RUN_DIR`: serve one run's review page and save its decisions.

A small stdlib HTTP server, for one editor on one machine:
- it binds to 127.0.0.1 only, on a free port, and answers only requests whose
  Host header names that address and port (127.0.0.1 or localhost), so a web
  page elsewhere cannot reach it through DNS rebinding;
- it serves report.html (GET /), what the page needs to know (GET /api/run),
  and takes the decisions (POST /api/decisions, JSON, same origin only);
- the one file it ever writes is decisions.json in its run folder, atomically,
  and only after the decisions passed the same checks `mtrepair apply` makes.

`on_save` lets a caller act on saved decisions (the Prefect review flow resumes
its paused run); whatever it returns is shown to the editor.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from repair.decide.decisions import MAX_DECISIONS_BYTES, DecisionSet, ReviewRun, check_decisions, load_decisions, load_run, parse_decisions
from repair.errors import InputError, RepairError
from repair.reporting.outputs import to_json, write_atomic

DECISIONS_FILE = "decisions.json"
OnSave = Callable[[DecisionSet, Path], "str | None"]


class ReviewServer:
    """Serve `run_dir`'s review page on 127.0.0.1; write decisions.json there on save."""

    def __init__(self, run_dir: str | Path, port: int = 0, on_save: OnSave | None = None, waiting: str | None = None):
        self.run: ReviewRun = load_run(run_dir)
        self.folder = self.run.folder.resolve()
        self.report = self.folder / "report.html"
        if not self.report.is_file():
            raise InputError(self.report, "missing; is this the folder of a finished `mtrepair run`?")
        self.on_save = on_save
        self.waiting = waiting
        self.saves = 0
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        except OSError as exc:
            raise RepairError(f"127.0.0.1:{port}: cannot serve the review page ({exc.strerror or exc})") from None
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    def serve_forever(self) -> None:
        self.httpd.serve_forever(poll_interval=0.2)

    def start(self) -> ReviewServer:
        """Serve in a background thread (for a flow that waits meanwhile)."""
        self._thread = threading.Thread(target=self.serve_forever, name="mtrepair-review", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self.httpd.server_close()

    def __enter__(self) -> ReviewServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # What the handler calls -------------------------------------------------

    def run_info(self) -> dict:
        return {
            "run_id": self.run.run_id,
            "text_sha256": self.run.text_sha256,
            "target": self.run.target,
            "folder": str(self.folder),
            "decisions": self._saved_decisions(),
            "waiting": self.waiting,
        }

    def _saved_decisions(self) -> dict | None:
        """The decisions saved earlier for this run, if any (so review can go on)."""
        path = self.folder / DECISIONS_FILE
        if path.is_symlink() or not path.is_file():
            return None
        try:
            saved = load_decisions(path)
            check_decisions(saved, self.run)
        except RepairError:
            return None
        return saved.to_dict()

    def save(self, body: bytes) -> str:
        """Check decisions sent by the page and write them; the message for the editor."""
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(DECISIONS_FILE, f"is not valid JSON ({exc})") from None
        decisions = parse_decisions(data, DECISIONS_FILE)
        check_decisions(decisions, self.run)
        with self._lock:
            refuse_links(self.folder, DECISIONS_FILE)
            path = write_atomic(self.folder / DECISIONS_FILE, to_json(decisions.to_dict()))
            self.saves += 1
            extra = self.on_save(decisions, path) if self.on_save else None
        n, rewritten = len(decisions.decisions), len(decisions.rewrites)
        also = f" and {rewritten} rewritten sentence{'s' if rewritten != 1 else ''}" if rewritten else ""
        message = f"Saved {n} decision{'s' if n != 1 else ''}{also} to {path}."
        return f"{message} {extra}" if extra else f"{message} Apply with: mtrepair apply {self.folder} --decisions {path}"


def refuse_links(folder: Path, name: str) -> None:
    """Refuse to write `name` in `folder` when it, or the folder, is now a symbolic link (it would point elsewhere)."""
    if (folder / name).is_symlink():
        raise InputError(folder / name, "is a symbolic link; the review server writes only plain files in the run folder")
    if folder.is_symlink() or folder.resolve() != folder:
        raise InputError(folder, "became a symbolic link after the review started; nothing written")


def _handler(server: ReviewServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "mtrepair-review"
        sys_version = ""

        def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
            """Quiet: the command prints what matters (saves), not every request."""

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if not self._host_ok():
                return
            path = urlsplit(self.path).path
            if path in ("/", "/report.html"):
                self._send(HTTPStatus.OK, server.report.read_bytes(), "text/html; charset=utf-8")
            elif path == "/api/run":
                self._json(HTTPStatus.OK, server.run_info())
            else:
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})

        def do_POST(self) -> None:  # noqa: N802
            if not self._host_ok():
                return
            origin = self.headers.get("Origin")
            cross_site = self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none")
            if cross_site or (origin is not None and urlsplit(origin).netloc not in server.allowed_hosts):
                self._json(HTTPStatus.FORBIDDEN, {"error": "decisions are taken from the review page only"})
                return
            if urlsplit(self.path).path != "/api/decisions":
                self._json(HTTPStatus.NOT_FOUND, {"error": "not found"})
                return
            if not (self.headers.get("Content-Type") or "").startswith("application/json"):
                self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "send decisions as application/json"})
                return
            try:
                length = int(self.headers.get("Content-Length") or "")
            except ValueError:
                self._json(HTTPStatus.LENGTH_REQUIRED, {"error": "Content-Length is required"})
                return
            if not 0 < length <= MAX_DECISIONS_BYTES:
                self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "decisions too large"})
                return
            body = self.rfile.read(length)
            try:
                message = server.save(body)
            except RepairError as exc:
                self._json(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
                return
            self._json(HTTPStatus.OK, {"message": message})

        def _refuse_method(self) -> None:
            self._json(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed"})

        do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815

        def _host_ok(self) -> bool:
            if self.headers.get("Host") in server.allowed_hosts:
                return True
            self._json(HTTPStatus.FORBIDDEN, {"error": "wrong Host header; open the address mtrepair review printed"})
            return False

        def _json(self, status: HTTPStatus, data: dict) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Content-Security-Policy", "frame-ancestors 'none'")
            self.end_headers()
            self.wfile.write(body)

    return Handler
