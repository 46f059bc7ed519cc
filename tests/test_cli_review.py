"""`mtrepair apply` and `mtrepair review` as an editor runs them."""

import json
import signal
import subprocess
import sys
import urllib.request

from review_helpers import write_synthetic_run
from test_cli import mtrepair

from conftest import ROOT


def test_reject_all_gives_cleaned_txt_and_accept_default_gives_repaired_txt(seed_run_copy):
    run = seed_run_copy
    result = mtrepair("apply", str(run), "--reject-all")
    assert result.returncode == 0, result.stderr
    assert (run / "final.txt").read_bytes() == (run / "cleaned.txt").read_bytes()
    result = mtrepair("apply", str(run), "--accept-default")
    assert result.returncode == 0, result.stderr
    assert (run / "final.txt").read_bytes() == (run / "repaired.txt").read_bytes()
    assert f"final article: {run / 'final.txt'}" in result.stdout
    assert "## Applied" in (run / "changes.md").read_text()


def test_decisions_for_another_run_are_refused_and_nothing_is_written(seed_run_copy, tmp_path):
    proposals = json.loads((seed_run_copy / "proposals.json").read_text())
    decisions = tmp_path / "decisions.json"
    decisions.write_text(json.dumps({"schema_version": 1, "run_id": "0123456789ab", "text_sha256": proposals["text_sha256"],
                                     "decisions": []}))
    result = mtrepair("apply", str(seed_run_copy), "--decisions", str(decisions))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"mtrepair: error: {decisions}: made for run 0123456789ab, "
                                      f"but {seed_run_copy} is run {proposals['run_id']}")
    assert not (seed_run_copy / "final.txt").exists() and not (seed_run_copy / "changes.md").exists()


def test_a_malformed_decisions_file_is_one_line(tmp_path):
    run = write_synthetic_run(tmp_path / "run")
    decisions = tmp_path / "decisions.json"
    decisions.write_text("{oops")
    result = mtrepair("apply", str(run), "--decisions", str(decisions))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"mtrepair: error: {decisions}: is not valid JSON (line 1, column 2: "
                                                  "Expecting property name enclosed in double quotes)"]


def test_apply_wants_exactly_one_source_of_decisions(tmp_path):
    run = write_synthetic_run(tmp_path / "run")
    assert mtrepair("apply", str(run)).returncode == 2
    result = mtrepair("apply", str(run), "--accept-all", "--decisions", "x.json")
    assert result.returncode == 2 and "give exactly one of" in result.stderr


def test_review_serves_the_page_saves_decisions_and_stops_on_ctrl_c(tmp_path):
    run = write_synthetic_run(tmp_path / "run")
    server = subprocess.Popen([sys.executable, "-m", "mtrepair", "review", str(run), "--no-browser"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        assert first.startswith("review page: http://127.0.0.1:"), first + server.stderr.read()
        url = first.split()[2]
        with urllib.request.urlopen(url, timeout=10) as page:
            assert b"review-data" in page.read()
        info = json.load(urllib.request.urlopen(url + "api/run", timeout=10))
        body = json.dumps({"schema_version": 1, "run_id": info["run_id"], "text_sha256": info["text_sha256"],
                           "decisions": [{"proposal_id": "P0003", "action": "accept"}]}).encode()
        request = urllib.request.Request(url + "api/decisions", body, {"Content-Type": "application/json"})
        assert "Saved 1 decision" in json.load(urllib.request.urlopen(request, timeout=10))["message"]
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert "saved 1 decisions to" in out and "review server stopped" in out
    assert "Traceback" not in out + err
    assert json.loads((run / "decisions.json").read_text())["run_id"] == info["run_id"]
