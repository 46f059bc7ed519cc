"""The review desk's app in-process (Starlette's TestClient, httpx), on hand-made run folders.

The security rules (Host, Origin, token, body size, paths), the version check
between two editors, Done and reopen, and stale decisions after a drop is
repaired again. No LanguageTool or model: the runs are written by the same
`run_files` a real run uses (tests/review_helpers.py).
"""

import json
import os
import subprocess
import sys

import pytest
from review_helpers import TEXT, write_synthetic_run
from starlette.testclient import TestClient
from test_cli import ROOT, mtrepair

from desk.app import app_for, desk_app
from desk.security import COOKIE
from repair.decide.decisions import load_decisions, load_run
from repair.decide.final import finish

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture
def out(tmp_path):
    """An output folder with three drops: a needy one, a clean one, a failed one."""
    out = tmp_path / "out"
    write_synthetic_run(out / "needy" / "aaaa000000000000")
    write_synthetic_run(out / "clean" / "bbbb000000000000", text=TEXT.replace("soon", "soon, he said"), proposals=[])
    (out / "broken").mkdir()
    (out / "broken" / "error.json").write_text(json.dumps({"drop": "broken", "error": "target.txt: is empty"}))
    return out


def client(app, **headers):
    return TestClient(app, base_url=BASE, headers=headers)


def decisions_doc(info, *decisions, by="Alice"):
    return {"schema_version": 1, "kind": "mtrepair-decisions", "run_id": info["run_id"], "text_sha256": info["text_sha256"],
            "decisions": list(decisions), "by": by}


def test_the_desk_lists_drops_neediest_first_with_their_state(out):
    c = client(desk_app(out, port=PORT))
    drops = c.get("/api/drops").json()["drops"]
    assert [d["name"] for d in drops] == ["needy", "clean", "broken"]
    assert [d["state"] for d in drops] == ["new", "new", "failed"]
    assert drops[0]["need"] == 30.0 and drops[1]["need"] == 0.0  # 6 proposals and flags in 20 words; none
    assert drops[2]["error"] == "target.txt: is empty"
    page = c.get("/")
    assert page.status_code == 200 and "default-src 'none'" in page.headers["content-security-policy"]
    assert page.text.index(">needy<") < page.text.index(">clean<") < page.text.index("broken")
    assert [d["name"] for d in c.get("/api/drops?state=failed").json()["drops"]] == ["broken"]
    assert [d["name"] for d in c.get("/api/drops?q=CLE").json()["drops"]] == ["clean"]
    write_synthetic_run(out / "later" / "cccc000000000000")  # a new drop shows on the next request
    assert "later" in [d["name"] for d in c.get("/api/drops").json()["drops"]]


def test_a_drop_opens_on_its_latest_run_page(out):
    c = client(desk_app(out, port=PORT))
    answer = c.get("/drops/needy/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/drops/needy/aaaa000000000000/"
    page = c.get("/drops/needy/aaaa000000000000/")
    assert page.status_code == 200 and 'id="review-data"' in page.text
    assert c.get("/drops/needy/aaaa000000000000/report.md").status_code == 200


def test_saves_carry_the_editor_and_an_older_version_is_refused(out):
    c = client(desk_app(out, port=PORT))
    api = "/drops/needy/aaaa000000000000/api/"
    info = c.get(api + "run").json()
    assert info["version"] == "" and info["state"] == "new" and info["desk"] is True
    first = c.post(api + "decisions", json=decisions_doc(info, {"proposal_id": "P0001", "action": "accept"}),
                   headers={"If-Match": '""'})
    assert first.status_code == 200, first.text
    version = first.json()["version"]
    bob = c.post(api + "decisions", json=decisions_doc(info, {"proposal_id": "P0002", "action": "reject"}, by="Bob"),
                 headers={"If-Match": '""'})
    assert bob.status_code == 412
    assert bob.json()["error"].startswith("Alice saved newer decisions at ") and bob.json()["version"] == version
    saved = json.loads((out / "needy" / "aaaa000000000000" / "decisions.json").read_text())
    assert saved["by"] == "Alice" and saved["decisions"] == [{"proposal_id": "P0001", "action": "accept"}]
    assert c.post(api + "decisions", json=decisions_doc(info), headers={}).status_code == 428
    nameless = c.post(api + "decisions", json=decisions_doc(info, by=""), headers={"If-Match": version})
    assert nameless.status_code == 400 and "give your name" in nameless.json()["error"]
    drop = c.get("/api/drops?q=needy").json()["drops"][0]
    assert drop["state"] == "in review" and drop["held_by"] == "Alice" and drop["decided"] == 1


def test_bad_decisions_are_refused_and_nothing_is_written(out):
    c = client(desk_app(out, port=PORT))
    api = "/drops/needy/aaaa000000000000/api/"
    info = c.get(api + "run").json()
    for bad in ({"proposal_id": "P0007", "action": "accept"}, {"proposal_id": "P9999", "action": "accept"},
                {"proposal_id": "P0001", "action": "maybe"}):
        answer = c.post(api + "decisions", json=decisions_doc(info, bad), headers={"If-Match": '""'})
        assert answer.status_code == 400, bad
    other = decisions_doc(info) | {"text_sha256": "0" * 64}
    assert c.post(api + "decisions", json=other, headers={"If-Match": '""'}).status_code == 400
    assert not (out / "needy" / "aaaa000000000000" / "decisions.json").exists()


def test_done_writes_what_mtrepair_apply_writes_then_reopen_and_done_again(out, tmp_path):
    c = client(desk_app(out, port=PORT))
    run = out / "needy" / "aaaa000000000000"
    api = "/drops/needy/aaaa000000000000/api/"
    info = c.get(api + "run").json()
    doc = decisions_doc(info, {"proposal_id": "P0001", "action": "accept"}, {"proposal_id": "P0003", "action": "reject"},
                       {"proposal_id": "P0005", "action": "edit", "text": "Ties are frozen."})
    version = c.post(api + "decisions", json=doc, headers={"If-Match": '""'}).json()["version"]
    assert c.post(api + "done", json={"by": "Alice"}, headers={"If-Match": '"stale"'}).status_code == 412
    answer = c.post(api + "done", json={"by": "Alice"}, headers={"If-Match": f'"{version}"'})
    assert answer.status_code == 200 and answer.json()["counts"]["accepted"] == 1
    desk_final = (run / "final.txt").read_bytes()
    copy = tmp_path / "copy"
    write_synthetic_run(copy)
    result = mtrepair("apply", str(copy), "--decisions", str(run / "decisions.json"))
    assert result.returncode == 0, result.stderr
    assert desk_final == (copy / "final.txt").read_bytes() and (run / "changes.md").read_bytes() == (copy / "changes.md").read_bytes()
    assert c.get("/drops/needy/aaaa000000000000/final.txt").content == desk_final
    assert c.get("/api/drops?state=done").json()["drops"][0]["final"] is True

    closed = c.post(api + "decisions", json=doc, headers={"If-Match": version})
    assert closed.status_code == 409 and "reopen" in closed.json()["error"]
    assert c.post(api + "reopen", json={"by": "Bob"}).status_code == 200
    assert c.get(api + "run").json()["state"] == "in review"
    doc["decisions"] = doc["decisions"][:1]
    version = c.post(api + "decisions", json=doc | {"by": "Bob"}, headers={"If-Match": version}).json()["version"]
    assert c.post(api + "done", json={"by": "Bob"}, headers={"If-Match": version}).status_code == 200
    assert (run / "final.txt").read_text() == finish(load_run(copy), load_decisions(run / "decisions.json")).outcome.text


def test_stale_decisions_are_shown_not_applied_and_what_fits_can_be_carried_over(out):
    c = client(desk_app(out, port=PORT))
    old_api = "/drops/needy/aaaa000000000000/api/"
    info = c.get(old_api + "run").json()
    doc = decisions_doc(info, {"proposal_id": "P0001", "action": "accept"}, {"proposal_id": "P0005", "action": "reject"})
    assert c.post(old_api + "decisions", json=doc, headers={"If-Match": '""'}).status_code == 200
    # the drop is repaired again after its text changed: the last sentence is gone, so the flag on it is too
    new_text = TEXT.replace("The ties are at a dead end.", "Talks go on.")
    from review_helpers import synthetic_proposals

    kept = [p for p in synthetic_proposals() if p.id != "P0005"]
    new_run = out / "needy" / "dddd000000000000"
    write_synthetic_run(new_run, text=new_text, proposals=kept)
    os.utime(new_run / "run.json", (2e9, 2e9))  # the newest run
    drop = c.get("/api/drops?q=needy").json()["drops"][0]
    assert drop["run"] == "dddd000000000000" and drop["state"] == "new" and drop["stale"] is True
    api = "/drops/needy/dddd000000000000/api/"
    new = c.get(api + "run").json()
    assert new["decisions"] is None
    stale = new["stale"]
    assert stale["run"] == "aaaa000000000000" and stale["total"] == 2 and stale["fitting"] == 1
    assert "P0005" in stale["dropped"][0]
    assert not (new_run / "decisions.json").exists()  # nothing applied silently
    answer = c.post(api + "carry-over", json={"by": "Carol"}, headers={"If-Match": '""'})
    assert answer.status_code == 200 and "Carried over 1 of 2" in answer.json()["message"]
    saved = load_decisions(new_run / "decisions.json")
    assert [(d.proposal_id, d.action) for d in saved.decisions] == [("P0001", "accept")]
    assert saved.text_sha256 == load_run(new_run).text_sha256


@pytest.mark.parametrize("path", [
    "/drops/%2e%2e/aaaa000000000000/report.html",
    "/drops/needy/%2e%2e/report.html",
    "/drops/needy/aaaa000000000000/..%2f..%2f..%2fetc%2fpasswd",
    "/drops/needy/aaaa000000000000/%2e%2e",
    "/drops/needy/aaaa000000000000/error.json",
    "/drops/.hidden/x/report.html",
    "/drops/outside/run/report.html",
    "/drops/needy/linked/report.html",
    "/drops/needy/aaaa000000000000/changes.md",
])
def test_nothing_outside_the_output_folder_is_served(out, tmp_path, path):
    elsewhere = write_synthetic_run(tmp_path / "elsewhere" / "run")
    (out / "outside").symlink_to(elsewhere.parent)
    (out / "needy" / "linked").symlink_to(elsewhere)
    (out / "needy" / "aaaa000000000000" / "changes.md").symlink_to(tmp_path / "secret.txt")
    (tmp_path / "secret.txt").write_text("secret")
    c = client(desk_app(out, port=PORT))
    answer = c.get(path)
    assert answer.status_code == 404, path
    assert b"secret" not in answer.content and b"review-data" not in answer.content


def test_foreign_host_origin_methods_and_large_bodies_are_refused(out):
    c = client(desk_app(out, port=PORT))
    api = "/drops/needy/aaaa000000000000/api/"
    assert c.get("/", headers={"Host": f"evil.example:{PORT}"}).status_code == 403
    assert c.get("/", headers={"Host": "127.0.0.1:1"}).status_code == 403
    assert c.get("/", headers={"Host": f"localhost:{PORT}"}).status_code == 200
    info = c.get(api + "run").json()
    doc = decisions_doc(info)
    assert c.post(api + "decisions", json=doc, headers={"If-Match": '""', "Origin": "http://evil.example"}).status_code == 403
    assert c.post(api + "decisions", json=doc, headers={"If-Match": '""', "Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert c.post(api + "decisions", content=b"x=1", headers={"If-Match": '""', "Content-Type": "text/plain"}).status_code == 415
    assert c.put(api + "decisions", json=doc).status_code == 405
    big = b'{"x": "' + b"a" * 20_000_001 + b'"}'
    assert c.post(api + "decisions", content=big, headers={"If-Match": '""', "Content-Type": "application/json"}).status_code == 413
    assert c.post(api + "decisions", json=doc, headers={"If-Match": '""', "Origin": BASE}).status_code == 200


def test_with_a_token_every_request_needs_it_and_a_link_signs_in_once(out):
    app = desk_app(out, host="0.0.0.0", port=PORT, token=TOKEN)
    anonymous = client(app)
    assert anonymous.get("/").status_code == 401
    assert anonymous.get("/api/drops").status_code == 401
    assert anonymous.get("/drops/needy/aaaa000000000000/final.txt").status_code == 401
    assert anonymous.get("/", headers={"Authorization": "Bearer wrong-token-wrong-token"}).status_code == 403
    assert anonymous.get("/?token=wrong").status_code == 403
    assert anonymous.get("/", headers={"Host": "desk.newsroom.example:8765"}).status_code == 401  # any name, still the token
    assert client(app, Authorization=f"Bearer {TOKEN}").get("/api/drops").status_code == 200
    assert client(app, **{"X-Mtrepair-Token": TOKEN}).get("/api/drops").status_code == 200
    browser = client(app)
    signed = browser.get(f"/drops/needy/?token={TOKEN}", follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == "/drops/needy/"
    cookie = browser.cookies.get(COOKIE)
    assert cookie and TOKEN not in cookie
    assert browser.get("/").status_code == 200  # the cookie, no token in the address
    forged = client(app)
    forged.cookies.set(COOKIE, "0" * 64)
    assert forged.get("/").status_code == 401


def test_a_run_folder_still_opens_its_own_page(out):
    c = client(app_for(out / "needy" / "aaaa000000000000", port=PORT))
    assert 'id="review-data"' in c.get("/").text
    info = c.get("/api/run").json()
    assert info["desk"] is False
    saved = c.post("/api/decisions", json=decisions_doc(info, {"proposal_id": "P0001", "action": "accept"}, by=None))
    assert saved.status_code == 200 and "Apply with: mtrepair apply" in saved.json()["message"]
    assert c.post("/api/done", json={}).status_code in (404, 405)


def test_off_loopback_the_desk_refuses_to_start_without_a_token(out, tmp_path):
    result = mtrepair("review", str(out), "--host", "0.0.0.0", "--no-browser")
    assert result.returncode == 2
    assert result.stderr.strip() == ("mtrepair: error: --host 0.0.0.0: the desk would be reachable from other machines; "
                                     "give --token-file FILE")
    short = tmp_path / "token"
    short.write_text("short\n")
    result = mtrepair("review", str(out), "--host", "0.0.0.0", "--token-file", str(short), "--no-browser")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and f"{short}: the token must be" in result.stderr
    missing = subprocess.run([sys.executable, "-m", "mtrepair", "review", str(out), "--host", "0.0.0.0", "--token-file",
                              str(tmp_path / "nope"), "--no-browser"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_the_output_folders_own_paths_open_the_desks_pages(out):
    """A batch's --reports-url may point at the desk: its links (<drop>/<run>/report.html) open the review page."""
    c = client(desk_app(out, port=PORT))
    answer = c.get("/needy/aaaa000000000000/report.html", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/drops/needy/aaaa000000000000/"
    assert c.get("/needy/aaaa000000000000/report.md", follow_redirects=False).headers["location"] == \
        "/drops/needy/aaaa000000000000/report.md"
    assert c.get("/index.html", follow_redirects=False).headers["location"] == "/"
    assert c.get("/needy/%2e%2e/report.html").status_code == 404


def test_an_empty_folder_is_an_empty_desk_and_a_run_folder_is_not_a_desk(tmp_path):
    empty = tmp_path / "out"
    empty.mkdir()
    c = client(app_for(empty, port=PORT))
    assert c.get("/api/drops").json() == {"drops": []} and "No drops yet" in c.get("/").text
    run = write_synthetic_run(tmp_path / "run")
    assert c.get("/").status_code == 200 and client(app_for(run, port=PORT)).get("/api/run").json()["desk"] is False
