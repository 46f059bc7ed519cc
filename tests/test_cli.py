"""The command line as a user runs it: clean output, one-line errors."""

import os
import subprocess
import sys

from conftest import ROOT, SEED_REFERENCE, SEED_TARGET


def mtrepair(*args, env_extra=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "mtrepair", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)


def test_run_on_the_seeds_prints_a_summary_and_no_errors(tmp_path, languagetool_url):
    out = tmp_path / "run"
    result = mtrepair("run", str(SEED_TARGET), "--reference", str(SEED_REFERENCE), "--out", str(out),
                      env_extra={"MTREPAIR_LANGUAGETOOL_URL": languagetool_url})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output and "database is locked" not in output
    assert "sentences touched" in output
    assert f"report: {out / 'report.html'}" in output
    assert (out / "report.html").exists()


def test_missing_input_is_one_clear_line(tmp_path):
    result = mtrepair("run", str(tmp_path / "missing.txt"), "--reference", str(SEED_REFERENCE), "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert "missing.txt: no such file" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_an_unexpected_failure_is_one_line_too(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from mtrepair import cli
    import importlib

    cli_main = importlib.import_module("mtrepair.cli.main")  # the module (the package exports its `main` function)

    def broken(paths):
        raise RuntimeError("something\nunexpected")

    monkeypatch.setattr(cli_main, "check_inputs", broken)  # where the run command looks it up
    monkeypatch.delenv("MTREPAIR_VERBOSE", raising=False)
    monkeypatch.setenv("PREFECT_LOGGING_LEVEL", os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING"))  # the CLI sets it
    result = CliRunner().invoke(cli.cli, ["run", str(SEED_TARGET), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip() == "mtrepair: internal error: RuntimeError: something unexpected (run with -v for details)"
