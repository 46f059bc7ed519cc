"""Hostile text in an article or a reference reaches the report only as text."""

import json

from flows.repair_pair import repair_pair

HOSTILE = '<script>alert(1)</script> Russia recalled <img src=x onerror="alert(2)"> its envoy. <a href="javascript:alert(3)">link</a>'


def test_script_in_input_is_escaped_in_report(tmp_path, settings, embedder):
    target = tmp_path / "target.txt"
    target.write_text(f"Moscow recalls ambassador\n{HOSTILE}\nThe Kremlin said the ties were at a dead end.\n")
    reference = tmp_path / "reference.txt"
    reference.write_text("Russia pulled its ambassador. <script>alert(4)</script> The Kremlin said ties were in a blind alley.\n")
    out = tmp_path / "run"
    repair_pair(str(target), [str(reference)], str(out), settings, publish_artifact=False)
    html = (out / "report.html").read_text()
    assert "<script>" not in html and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert json.loads((out / "proposals.json").read_text())["proposals"] is not None
