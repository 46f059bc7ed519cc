"""`mtrepair languagetool`: one long-lived server for many runs, stopped cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from repair.engines.languagetool import is_alive

ROOT = Path(__file__).resolve().parent.parent


def test_it_serves_until_stopped_and_says_how_to_use_it():
    process = subprocess.Popen([sys.executable, "-m", "mtrepair", "languagetool", "--port", "0"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not any("export" in line for line in lines):
            lines.append(process.stdout.readline())
        url = re.search(r"MTREPAIR_LANGUAGETOOL_URL=(\S+)", "".join(lines)).group(1)
        assert is_alive(url)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert "stopped" in process.stdout.read()
        assert not is_alive(url, timeout=1.0)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_taken_port_is_one_line_of_error(languagetool_url):
    port = languagetool_url.rsplit(":", 1)[1]
    result = subprocess.run([sys.executable, "-m", "mtrepair", "languagetool", "--port", port], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env={**os.environ})
    assert result.returncode == 2
    assert f"already answers on port {port}" in result.stderr
    assert "Traceback" not in result.stderr
