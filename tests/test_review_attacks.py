"""The review server from an attacker's view: each attack is refused and nothing is written anywhere."""

from __future__ import annotations

import json
import os
import socket
import time

import pytest
from review_helpers import write_synthetic_run
from test_review_server import decisions, request

from desk.server import ReviewServer


@pytest.fixture
def served(tmp_path):
    folder = write_synthetic_run(tmp_path / "run")
    with ReviewServer(folder).start() as server:
        yield server, folder


def snapshot(root):
    """Every file under `root` with its bytes (symlinks as their target), to prove nothing changed."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            files[str(path)] = "-> " + os.readlink(path)
        elif path.is_file():
            files[str(path)] = path.read_bytes()
    return files


def test_a_page_on_another_origin_cannot_post_decisions(served, tmp_path):
    server, folder = served
    before = snapshot(tmp_path)
    body = decisions(folder, ("P0003", "accept"))
    for headers in [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},  # a sandboxed frame or a file:// page
        {"Origin": f"http://127.0.0.1:{server.port}.evil.example"},
        {"Origin": f"http://evil.example:{server.port}"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ]:
        status, reply, _ = request(server, "POST", "/api/decisions", body, headers=headers)
        assert status == 403, headers
        assert "review page only" in json.loads(reply)["error"]
    # a form post (no preflight) cannot send JSON
    assert request(server, "POST", "/api/decisions", b"a=b", headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 415
    assert snapshot(tmp_path) == before


def test_a_rebinding_host_is_refused(served, tmp_path):
    server, folder = served
    before = snapshot(tmp_path)
    body = decisions(folder, ("P0003", "accept"))
    for host in ["attacker.example", f"attacker.example:{server.port}", f"127.0.0.1.nip.io:{server.port}",
                 f"127.0.0.1:{server.port}.attacker.example", "127.0.0.1", "localhost", "[::1]:%d" % server.port, ""]:
        assert request(server, "GET", "/api/run", host=host or " ")[0] == 403, host
        assert request(server, "POST", "/api/decisions", body, host=host or " ")[0] == 403, host
    assert snapshot(tmp_path) == before


def test_a_100_mb_body_is_refused_without_reading_it(served, tmp_path):
    server, _ = served
    before = snapshot(tmp_path)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            f"POST /api/decisions HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode()
        )
        started = time.monotonic()
        try:
            sock.sendall(b"[" * (1024 * 1024))  # the first megabyte; the server answers without waiting for the rest
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = sock.recv(4096).decode("latin-1")
    assert reply.startswith("HTTP/1.0 413") or reply.startswith("HTTP/1.1 413"), reply[:80]
    assert time.monotonic() - started < 5
    # no Content-Length at all (a chunked upload of unknown size) is refused too
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(f"POST /api/decisions HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n".encode())
        assert sock.recv(4096).decode("latin-1").split()[1] == "411"
    assert snapshot(tmp_path) == before


def test_100_000_decisions_are_refused_in_one_line(served, tmp_path):
    server, folder = served
    before = snapshot(tmp_path)
    body = decisions(folder, *[(f"P{n:06d}", "reject") for n in range(100_000)])
    started = time.monotonic()
    status, reply, _ = request(server, "POST", "/api/decisions", body)
    assert status == 400
    error = json.loads(reply)["error"]
    assert error == "decisions.json: has 100,000 decisions, but run synthetic001 has only 6 proposals to decide on"
    assert time.monotonic() - started < 10
    assert snapshot(tmp_path) == before


def test_a_decisions_json_that_is_a_symlink_elsewhere_is_not_written_through(served, tmp_path):
    server, folder = served
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"precious": true}')
    (folder / "decisions.json").symlink_to(elsewhere)
    before = snapshot(tmp_path)
    status, reply, _ = request(server, "POST", "/api/decisions", decisions(folder, ("P0003", "accept")))
    assert status == 400
    assert json.loads(reply)["error"].endswith("is a symbolic link; the review server writes only plain files in the run folder")
    assert snapshot(tmp_path) == before
    assert (folder / "decisions.json").is_symlink() and elsewhere.read_text() == '{"precious": true}'
    # and it is not read either: the page is not shown what the link points to
    assert json.loads(request(server, "GET", "/api/run")[1])["decisions"] is None


def test_a_run_folder_swapped_for_a_symlink_is_not_written_through(served, tmp_path):
    server, folder = served
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder.rename(tmp_path / "moved")
    folder.symlink_to(elsewhere)
    status, reply, _ = request(server, "POST", "/api/decisions", decisions(tmp_path / "moved", ("P0003", "accept")))
    assert status == 400 and "symbolic link" in json.loads(reply)["error"]
    assert list(elsewhere.iterdir()) == []
