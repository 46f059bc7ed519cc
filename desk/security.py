"""Who may talk to the desk, checked once for every request (one ASGI middleware).

- **Host**: only the names the desk was started for (127.0.0.1, localhost and the
  `--host` address, with the port); a page elsewhere cannot reach a loopback desk
  through DNS rebinding. Bound to every address (0.0.0.0, ::) the desk cannot know
  its public names and takes any Host, which is why a token is required then.
- **Token** (`--token-file`): a request carries it in `Authorization: Bearer T`,
  `X-Mtrepair-Token: T`, or the desk's cookie. Opening any page with `?token=T`
  once sets that cookie (HttpOnly, SameSite=Lax; its value is an HMAC of the
  token, never the token) and redirects to the same address without it, as
  Datasette's sign-in link does. Without it: 401; with a wrong one: 403.
- **Writes** (POST) must come from the desk's own pages (Origin equal to the Host,
  no cross-site `Sec-Fetch-Site`), be JSON, say their length, and stay under the
  body limit, which is also enforced while the body is read.
- Only GET, HEAD and POST exist. Every answer says no-store, nosniff, no-referrer
  and may not be framed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode, urlsplit

COOKIE = "mtrepair_desk"
MIN_TOKEN_CHARS = 16
METHODS = ("GET", "HEAD", "POST")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_any_address(host: str) -> bool:
    return host in ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str] | None:
    """Host headers the desk answers; None (any) when it listens on every address."""
    if is_any_address(host):
        return None
    names = {"127.0.0.1", "localhost", *extra}
    names.add(f"[{host}]" if ":" in host else host)
    return frozenset(f"{name}:{port}" for name in names)


def cookie_value(token: str) -> str:
    """What the sign-in cookie holds: proof of the token, not the token."""
    return hmac.new(token.encode("utf-8"), b"mtrepair-desk-cookie", hashlib.sha256).hexdigest()


class DeskGuard:
    """ASGI middleware: Host, token, origin, method and body-size rules for every request."""

    def __init__(self, app, *, hosts: frozenset[str] | None, token: str | None, max_body: int):
        self.app = app
        self.hosts = hosts
        self.token = token
        self.cookie = cookie_value(token) if token else None
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        host = headers.get("host", "")
        if self.hosts is not None and host not in self.hosts:
            await _answer(send, 403, "wrong Host header; open the address mtrepair review printed")
            return
        if method not in METHODS:
            await _answer(send, 405, "method not allowed")
            return
        if self.token is not None:
            refused = await self._check_token(scope, headers, send)
            if refused:
                return
        if method == "POST":
            problem = _write_problem(headers, host, self.max_body)
            if problem:
                await _answer(send, *problem)
                return
            receive = _limited(receive, self.max_body)
        started = False
        secured = _secured(send)

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await secured(message)

        try:
            await self.app(scope, receive, tracked)
        except BodyTooLarge:
            if not started:
                await _answer(send, 413, f"request body larger than {self.max_body:,} bytes")

    async def _check_token(self, scope, headers: dict, send) -> bool:
        """True when the request was answered here (refused, or signed in and redirected)."""
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = [v for k, v in query if k == "token"]
        if given and scope["method"] == "GET":
            if not hmac.compare_digest(given[0].encode("utf-8"), self.token.encode("utf-8")):
                await _answer(send, 403, "wrong token")
                return True
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
            await _answer(send, 303, "signed in", extra=[
                (b"location", location.encode("latin-1", "replace")),
                (b"set-cookie", f"{COOKIE}={self.cookie}; HttpOnly; SameSite=Lax; Path=/".encode("latin-1")),
            ])
            return True
        offered = None
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            offered = auth[7:].strip()
        offered = offered or headers.get("x-mtrepair-token")
        if offered is not None:
            if hmac.compare_digest(offered.encode("utf-8"), self.token.encode("utf-8")):
                return False
            await _answer(send, 403, "wrong token")
            return True
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no sign-in
            cookies = SimpleCookie()
        morsel = cookies.get(COOKIE)
        if morsel is not None and hmac.compare_digest(morsel.value.encode("latin-1"), self.cookie.encode("latin-1")):
            return False
        await _answer(send, 401, "this desk needs its token: open the sign-in link its operator gave you "
                                 "(the desk's address with ?token=...), or send Authorization: Bearer TOKEN")
        return True


def _write_problem(headers: dict, host: str, max_body: int) -> tuple[int, str] | None:
    origin = headers.get("origin")
    if headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        return 403, "decisions are taken from the review page only"
    if origin is not None and urlsplit(origin).netloc != host:
        return 403, "decisions are taken from the review page only"
    if not headers.get("content-type", "").startswith("application/json"):
        return 415, "send application/json"
    length = headers.get("content-length")
    if length is None or not length.isdigit():
        return 411, "Content-Length is required"
    if int(length) > max_body:
        return 413, f"request body larger than {max_body:,} bytes"
    return None


def _limited(receive, limit: int):
    """`receive` that fails the request once more than `limit` bytes arrived (a lying Content-Length)."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


class BodyTooLarge(Exception):
    """More body than Content-Length promised or the limit allows."""


SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def _secured(send):
    async def wrapped(message):
        if message["type"] == "http.response.start":
            names = {k.lower() for k, _ in message.get("headers", [])}
            message = {**message, "headers": [*message.get("headers", []),
                                                *[(k, v) for k, v in SECURITY_HEADERS if k not in names]]}
        await send(message)

    return wrapped


async def _answer(send, status: int, error: str, extra: list | None = None) -> None:
    body = json.dumps({"error": error} if status >= 400 else {"message": error}).encode("utf-8")
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               *SECURITY_HEADERS, *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
