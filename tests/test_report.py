"""Hostile text in an article or a reference reaches the report only as text."""

import json
import re

from conftest import HOSTILE


def test_script_in_input_is_escaped_in_report(hostile_run):
    html = (hostile_run / "report.html").read_text()
    # The page's own two script blocks are the only ones; the input's markup is text.
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/json" id="review-data">', "<script>"]
    assert "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window" in html and "onerror=&#34;window" in html
    data = re.search(r'<script type="application/json" id="review-data">(.*?)</script>', html, re.S).group(1)
    assert "<" not in data and ">" not in data
    assert HOSTILE in json.loads(data)["text"]
    assert json.loads((hostile_run / "proposals.json").read_text())["proposals"] is not None
