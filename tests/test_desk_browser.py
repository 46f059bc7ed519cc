"""The review desk end to end: a real batch of three drops, `mtrepair review OUT_DIR` (uvicorn), headless Chromium.

The desk lists the drops neediest first; an editor reviews the seed drop (accept,
reject, a rewrite started with "use this") and Done writes a final.txt
byte-identical to `mtrepair apply --decisions` of the saved file; a second editor
saving over the first one's newer decisions is refused and the first one's work
stays; off loopback nothing answers without the token; traversal is refused; a
drop repaired again after its text changed shows its decisions as stale and
carries over what fits.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import SEED_REFERENCE, SEED_TARGET
from test_cli import ROOT, mtrepair
from test_review_browser import browser  # noqa: F401 (a fixture)
from test_review_rewrite_browser import FIRST_PLAIN_WITH_REFERENCES, references_of, rewrite_box

from bench.drops import make_drops

pytestmark = pytest.mark.e2e
TOKEN = "desk-token-for-the-browser-test-42"


def _age(folder: Path) -> None:
    old = time.time() - 60
    for path in [folder, *folder.iterdir()]:
        os.utime(path, (old, old))


@pytest.fixture(scope="module")
def batch(tmp_path_factory, settings, embedder):
    """Three drops (the seed pair, two WMT21 documents) repaired once by the real batch flow."""
    from flows.batch import run_batch

    root = tmp_path_factory.mktemp("desk")
    drops, out = root / "drops", root / "out"
    (drops / "seed").mkdir(parents=True)
    shutil.copy(SEED_TARGET, drops / "seed" / "target.txt")
    shutil.copy(SEED_REFERENCE, drops / "seed" / "reference.txt")
    make_drops(ROOT / "data" / "wmt21-ru-en", drops, count=2)
    for folder in drops.iterdir():
        _age(folder)
    options = {"settle_seconds": 0, "settings": {"languagetool_url": settings.languagetool_url}}
    document = run_batch(str(drops), str(out), **options)
    assert document["counts"]["repaired"] == 3, document
    return drops, out, lambda: run_batch(str(drops), str(out), **options)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(*args):
    server = subprocess.Popen([sys.executable, "-m", "mtrepair", "review", *args, "--no-browser"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = server.stdout.readline()
    assert first.startswith("review desk: http://"), first + server.stderr.read()
    return server, first.split()[2]


def _stop(server) -> None:
    server.send_signal(signal.SIGINT)
    out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in out + err and "ERROR" not in out + err


@pytest.fixture(scope="module")
def desk(batch):
    _, out, _ = batch
    server, url = _start(str(out), "--port", str(_free_port()))
    yield url
    _stop(server)


def _page(browser, name=None):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    if name:
        context.add_init_script(f"window.localStorage.setItem('mtrepair-desk:editor', {json.dumps(name)})")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def _open_drop(page, url, name):
    page.goto(url)
    page.locator(f'tr.drop[data-name="{name}"] td.name a').click()
    page.locator("#desk-bar").wait_for()


def _needs(out: Path) -> dict[str, float]:
    needs = {}
    for drop in out.iterdir():
        if drop.is_dir():
            [run] = [r for r in drop.iterdir() if (r / "run.json").is_file()]
            needs[drop.name] = json.loads((run / "run.json").read_text())["summary"]["need"]
    return needs


def _run_of(out: Path, name: str) -> Path:
    runs = sorted((r for r in (out / name).iterdir() if (r / "run.json").is_file()),
                  key=lambda r: (r / "run.json").stat().st_mtime)
    return runs[-1]


def test_the_desk_lists_every_drop_neediest_first(batch, desk, browser):  # noqa: F811
    _, out, _ = batch
    page = _page(browser)
    page.goto(desk)
    names = page.locator("tr.drop").evaluate_all("rows => rows.map((r) => r.dataset.name)")
    needs = _needs(out)
    assert sorted(names) == sorted(needs) and len(names) == 3
    assert names == sorted(needs, key=lambda n: (-needs[n], n))
    assert set(page.locator("tr.drop").evaluate_all("rows => rows.map((r) => r.dataset.state)")) == {"new"}
    assert page.errors == []


def test_an_editor_reviews_a_drop_and_done_writes_what_mtrepair_apply_writes(batch, desk, browser, tmp_path):  # noqa: F811
    _, out, _ = batch
    run = _run_of(out, "seed")
    proposals = [p for p in json.loads((run / "proposals.json").read_text())["proposals"] if p["kind"] != "cleanup"]
    killer = next(p for p in proposals if p["original"] == "murder" and p["replacement"] == "killer")
    other = next(p for p in proposals if p["id"] != killer["id"] and p["kind"] != "flag")
    page = _page(browser)
    _open_drop(page, desk, "seed")
    page.fill("#desk-editor", "Alice")
    page.press("#desk-editor", "Enter")
    page.locator(f'tr.proposal[data-id="{killer["id"]}"]').get_by_role("button", name="Accept").click()
    page.locator(f'tr.proposal[data-id="{other["id"]}"]').get_by_role("button", name="Reject").click()
    page.click("details.quiet > summary")
    index = page.evaluate(FIRST_PLAIN_WITH_REFERENCES)
    first = references_of(page, index).locator("li").first
    first.get_by_role("button", name=f"use this: reference sentence 1 as the start of a rewrite of sentence {index + 1}").click()
    box = rewrite_box(page, index)
    box.press("End")
    box.press_sequentially(" Officials confirmed it.")
    box.press("Enter")
    page.locator("#message", has_text="Saved 2 decisions and 1 rewritten sentence").wait_for()
    saved = json.loads((run / "decisions.json").read_text())
    assert saved["by"] == "Alice" and len(saved["rewrites"]) == 1
    assert {(d["proposal_id"], d["action"]) for d in saved["decisions"]} == {(killer["id"], "accept"), (other["id"], "reject")}

    page.click("#desk-done")
    page.locator("#message", has_text="Done: final.txt and changes.md written").wait_for()
    page.locator("#desk-final").wait_for()
    copy = tmp_path / "copy"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("final.txt", "changes.md", "review.json"))
    result = mtrepair("apply", str(copy), "--decisions", str(run / "decisions.json"))
    assert result.returncode == 0, result.stderr
    assert (run / "final.txt").read_bytes() == (copy / "final.txt").read_bytes()
    audit = [re.sub(r" · written .*", "", (folder / "changes.md").read_text()) for folder in (run, copy)]
    assert audit[0] == audit[1]  # the same audit, but for the time it was written
    assert "Officials confirmed it." in (run / "final.txt").read_text()
    first_final = (run / "final.txt").read_bytes()

    page.goto(desk)
    row = page.locator('tr.drop[data-name="seed"]')
    assert row.get_attribute("data-state") == "done" and "Alice" in row.locator("td.held").text_content()
    row.get_by_role("link", name="final.txt").click()
    assert page.locator("body").text_content() == (run / "final.txt").read_text()

    _open_drop(page, desk, "seed")  # reopen, change, Done again rewrites final.txt
    page.click("#desk-reopen")
    page.locator("#message", has_text="Reopened").wait_for()
    page.locator(f'tr.proposal[data-id="{killer["id"]}"]').get_by_role("button", name="Accept").click()  # undecides it
    page.locator("#message", has_text="Saved 1 decision and 1 rewritten sentence").wait_for()
    page.click("#desk-done")
    page.locator("#message", has_text="Done:").wait_for()
    assert len(json.loads((run / "decisions.json").read_text())["decisions"]) == 1
    again = tmp_path / "again"
    shutil.copytree(copy, again, ignore=shutil.ignore_patterns("final.txt", "changes.md"))
    assert mtrepair("apply", str(again), "--decisions", str(run / "decisions.json")).returncode == 0
    assert (run / "final.txt").read_bytes() == (again / "final.txt").read_bytes() != first_final
    assert page.errors == []


def test_a_second_editor_cannot_save_over_newer_decisions(batch, desk, browser):  # noqa: F811
    _, out, _ = batch
    name = sorted(n for n in _needs(out) if n != "seed")[0]
    run = _run_of(out, name)
    proposals = [p for p in json.loads((run / "proposals.json").read_text())["proposals"] if p["kind"] != "cleanup"]
    assert len(proposals) >= 2, f"{name} has too few proposals for two editors"
    alice, bob = _page(browser, "Alice"), _page(browser, "Bob")
    _open_drop(alice, desk, name)
    _open_drop(bob, desk, name)  # both start from the same (empty) version
    alice.locator(f'tr.proposal[data-id="{proposals[0]["id"]}"]').get_by_role("button", name="Reject").click()
    alice.locator("#message", has_text="Saved 1 decision").wait_for()
    bob.locator(f'tr.proposal[data-id="{proposals[1]["id"]}"]').get_by_role("button", name="Reject").click()
    message = bob.locator("#message", has_text="Not saved: Alice saved newer decisions")
    message.wait_for()
    assert "reload the page to see them" in message.text_content()
    assert bob.locator("#message.error").count() == 1
    saved = json.loads((run / "decisions.json").read_text())
    assert saved["by"] == "Alice" and saved["decisions"] == [{"proposal_id": proposals[0]["id"], "action": "reject"}]
    bob.reload()  # Bob takes Alice's decisions and goes on from them
    bob.locator("#desk-bar").wait_for()
    bob.locator("#message", has_text="saved on the desk by Alice").wait_for()
    bob.locator(f'tr.proposal[data-id="{proposals[1]["id"]}"]').get_by_role("button", name="Accept").click()
    bob.locator("#message", has_text="Saved 2 decisions").wait_for()
    saved = json.loads((run / "decisions.json").read_text())
    assert saved["by"] == "Bob" and len(saved["decisions"]) == 2
    alice.goto(desk)
    assert "Bob" in alice.locator(f'tr.drop[data-name="{name}"] td.held').text_content()
    assert alice.errors == [] and bob.errors == []


def test_off_loopback_nothing_answers_without_the_token(batch, browser, tmp_path):  # noqa: F811
    _, out, _ = batch
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    port = _free_port()
    server, url = _start(str(out), "--host", "0.0.0.0", "--port", str(port), "--token-file", str(token_file))
    try:
        for path in ("/", "/api/drops", "/drops/seed/"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10)
            assert refused.value.code == 401
        with pytest.raises(urllib.error.HTTPError) as wrong:
            urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer not-the-token-at-all"}), timeout=10)
        assert wrong.value.code == 403
        answer = urllib.request.urlopen(urllib.request.Request(url + "api/drops", headers={"Authorization": f"Bearer {TOKEN}"}), timeout=10)
        assert len(json.load(answer)["drops"]) == 3
        page = _page(browser)
        page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}")  # the sign-in link, once
        assert page.url == f"http://127.0.0.1:{port}/" and page.locator("tr.drop").count() == 3
        page.goto(f"http://127.0.0.1:{port}/api/drops")  # the cookie carries on, the address has no token
        assert json.loads(page.locator("body").text_content())["drops"]
        stranger = _page(browser)
        assert stranger.goto(f"http://127.0.0.1:{port}/").status == 401
    finally:
        _stop(server)


@pytest.mark.parametrize("path", ["/drops/../../../etc/passwd", "/drops/%2e%2e/%2e%2e/etc/passwd",
                                  "/drops/seed/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/drops/seed/..%2f..%2f..%2fetc%2fpasswd",
                                  "/../../etc/passwd", "/drops/seed/x/../../../../../etc/passwd"])
def test_traversal_is_refused_by_the_real_server(batch, desk, path):
    address = desk.split("//")[1].rstrip("/")
    connection = http.client.HTTPConnection(address, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", address)
    connection.endheaders()
    answer = connection.getresponse()
    body = answer.read()
    assert answer.status in (400, 404), (path, answer.status)
    assert b"root:" not in body


def test_a_drop_repaired_again_shows_stale_decisions_and_carries_over_what_fits(batch, desk, browser):  # noqa: F811
    drops, out, rerun = batch
    name = sorted(n for n in _needs(out) if n != "seed")[1]
    old_run = _run_of(out, name)
    api = desk + f"drops/{name}/{old_run.name}/api/"
    info = json.load(urllib.request.urlopen(api + "run", timeout=10))
    first_sentence = json.loads((old_run / "proposals.json").read_text())
    from repair.text.segment import split_sentences

    sentence = split_sentences((old_run / "cleaned.txt").read_text())[0]
    doc = {"schema_version": 2, "kind": "mtrepair-decisions", "run_id": info["run_id"], "text_sha256": info["text_sha256"],
           "decisions": [], "rewrites": [{"sentence_index": 0, "original": sentence.text, "text": "A headline, rewritten."}],
           "by": "Dana"}
    request = urllib.request.Request(api + "decisions", json.dumps(doc).encode(), {"Content-Type": "application/json", "If-Match": '""'})
    assert "Saved 0 decisions and 1 rewritten sentence" in json.load(urllib.request.urlopen(request, timeout=10))["message"]
    assert first_sentence["text_sha256"] == info["text_sha256"]

    target = drops / name / "target.txt"
    lines = target.read_text().splitlines()
    target.write_text("\n".join(lines[:-1] + ["The talks will resume next week, officials said."]) + "\n")
    _age(drops / name)
    assert rerun()["counts"]["repaired"] == 1
    new_run = _run_of(out, name)
    assert new_run != old_run and not (new_run / "decisions.json").exists()

    page = _page(browser, "Erin")
    page.goto(desk)
    row = page.locator(f'tr.drop[data-name="{name}"]')
    assert row.get_attribute("data-state") == "new" and "stale decisions" in row.text_content()
    _open_drop(page, desk, name)
    stale = page.locator("#desk-stale")
    stale.wait_for()
    assert "1 decisions by Dana were saved for an earlier text" in stale.text_content()
    assert "1 still fit this text" in stale.text_content()
    assert page.locator("#progress").text_content().count("rewritten") == 0  # not applied silently
    page.click("#desk-carry")
    page.locator("#message", has_text="Carried over 1 of 1 earlier decisions").wait_for()
    carried = json.loads((new_run / "decisions.json").read_text())
    assert carried["text_sha256"] != info["text_sha256"] and carried["by"] == "Erin"
    assert carried["rewrites"][0]["text"] == "A headline, rewritten."
    assert "1 sentence rewritten" in page.locator("#progress").text_content()
    assert page.errors == []


def test_reports_url_on_the_desk_links_each_drop_to_its_review_page(batch, desk, browser):  # noqa: F811
    from flows.report_links import report_link

    drops, out, _ = batch
    result = mtrepair("batch", str(drops), "--out", str(out), "--settle", "0", "--reports-url", desk)
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr, result.stderr
    index = json.loads((out / "index.json").read_text())
    assert all(d["status"] == "unchanged" for d in index["drops"])  # nothing new: only the index is written again
    html = (out / "index.html").read_text()
    for entry in index["drops"]:
        link = report_link(out, entry["report"], desk)  # what the batch's Prefect artifact links, too
        assert f'href="{link}"' in html
    run = _run_of(out, "seed")
    page = _page(browser, "Alice")
    page.goto(f"{desk}seed/{run.name}/report.html")
    page.locator("#desk-bar").wait_for()
    assert page.url == f"{desk}drops/seed/{run.name}/"
    assert page.errors == []
