"""The review page allows its own script and style by hash, and nothing else."""

import json
import re

from review_helpers import write_synthetic_run

from repair.reporting.review_page import csp_hash, script_json


def test_script_json_cannot_close_the_script_block():
    data = {"text": "</script><script>alert(1)</script> & <!-- \u2028"}
    encoded = script_json(data)
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == data


def test_the_policy_names_the_hashes_of_the_inline_script_and_style(tmp_path):
    html = (write_synthetic_run(tmp_path / "run") / "report.html").read_text()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    assert f"script-src {csp_hash(script)};" in policy
    assert f"style-src {csp_hash(style)};" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the page loads nothing from the network"
