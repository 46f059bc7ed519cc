"""The one-run review server (desk.server.ReviewServer, on uvicorn): 127.0.0.1 only, its own Host only, and one file written in its run folder."""

import http.client
import json

import pytest
from review_helpers import write_synthetic_run

from repair.decide.decisions import DecisionSet, load_run
from repair.records import Decision
from desk.server import ReviewServer


@pytest.fixture
def served(tmp_path):
    folder = write_synthetic_run(tmp_path / "run")
    with ReviewServer(folder).start() as server:
        yield server, folder


def request(server, method, path, body=None, host=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.putrequest(method, path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{server.port}")
    data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if data is not None:
        all_headers["Content-Length"] = str(len(data))
    for key, value in all_headers.items():
        connection.putheader(key, value)
    connection.endheaders(data)
    response = connection.getresponse()
    return response.status, response.read(), response.headers  # case-insensitive, as HTTP header names are


def decisions(folder, *items):
    run = load_run(folder)
    return DecisionSet(run.run_id, run.text_sha256, tuple(Decision(*d) for d in items)).to_dict()


def test_it_listens_on_127_0_0_1_and_serves_the_page(served):
    server, folder = served
    assert server.sock.getsockname()[0] == "127.0.0.1"
    status, body, headers = request(server, "GET", "/")
    assert status == 200 and body == (folder / "report.html").read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff" and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    status, body, _ = request(server, "GET", "/api/run", host=f"localhost:{server.port}")
    assert status == 200 and json.loads(body)["run_id"] == "synthetic001"


def test_a_foreign_host_header_is_refused(served):
    server, folder = served
    for host in ["evil.example", f"evil.example:{server.port}", "127.0.0.1:1"]:
        assert request(server, "GET", "/", host=host)[0] == 403
        assert request(server, "POST", "/api/decisions", decisions(folder, ("P0003", "accept")), host=host)[0] == 403
    assert not (folder / "decisions.json").exists()


def test_a_post_from_another_origin_is_refused(served):
    server, folder = served
    status, _, _ = request(server, "POST", "/api/decisions", decisions(folder, ("P0003", "accept")),
                           headers={"Origin": "http://evil.example"})
    assert status == 403 and not (folder / "decisions.json").exists()


def test_valid_decisions_are_saved_as_decisions_json_in_the_run_folder(served):
    server, folder = served
    status, body, _ = request(server, "POST", "/api/decisions", decisions(folder, ("P0003", "accept")),
                              headers={"Origin": f"http://127.0.0.1:{server.port}"})
    assert status == 200 and "Saved 1 decision" in json.loads(body)["message"]
    assert json.loads((folder / "decisions.json").read_text())["decisions"] == [{"proposal_id": "P0003", "action": "accept"}]
    assert json.loads(request(server, "GET", "/api/run")[1])["decisions"]["decisions"][0]["proposal_id"] == "P0003"


def test_bad_decisions_are_refused_with_one_line_and_nothing_is_written(served):
    server, folder = served
    other = {**decisions(folder, ("P0003", "accept")), "run_id": "another-run"}
    status, body, _ = request(server, "POST", "/api/decisions", other)
    assert status == 400 and json.loads(body)["error"].startswith("decisions.json: made for run another-run")
    status, body, _ = request(server, "POST", "/api/decisions", b"{not json")
    assert status == 400 and "is not valid JSON" in json.loads(body)["error"]
    assert request(server, "POST", "/api/decisions", b"{}", headers={"Content-Type": "text/plain"})[0] == 415
    assert not (folder / "decisions.json").exists()


def test_nothing_is_written_or_read_outside_the_run_folder(served, tmp_path):
    server, folder = served
    before = sorted(p.name for p in tmp_path.rglob("*"))
    body = decisions(folder, ("P0003", "accept"))
    for path in ["/../escape.json", "/api/decisions/../../escape.json", "/api/../../escape", "/decisions.json", "/api/decisions/x"]:
        assert request(server, "POST", path, body)[0] in (404, 405)
    for path in ["/../../../../etc/passwd", "/cleaned.txt", "/proposals.json", "/%2e%2e/%2e%2e/etc/passwd"]:
        assert request(server, "GET", path)[0] == 404
    assert request(server, "PUT", "/api/decisions", body)[0] == 405
    assert request(server, "DELETE", "/report.html")[0] == 405
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
