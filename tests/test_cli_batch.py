"""`mtrepair batch` and `mtrepair serve` as a user runs them: progress lines, a quiet second run, one-line errors."""

import shutil
from datetime import timedelta

import click
import pytest
from conftest import SEED_REFERENCE, SEED_TARGET
from test_cli import mtrepair

from mtrepair.cli.batch import parse_interval
from repair.engines.languagetool import free_port


def test_batch_repairs_new_drops_then_finds_nothing_new(tmp_path, languagetool_url):
    drops, out = tmp_path / "drops", tmp_path / "out"
    (drops / "seed").mkdir(parents=True)
    shutil.copy(SEED_TARGET, drops / "seed" / "target.txt")
    shutil.copy(SEED_REFERENCE, drops / "seed" / "reference.txt")
    env = {"MTREPAIR_LANGUAGETOOL_URL": languagetool_url}

    first = mtrepair("batch", str(drops), "--out", str(out), env_extra=env)
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert "Traceback" not in output and "ERROR" not in output
    assert "[1/1] seed: " in first.stdout  # not a terminal: one line per drop
    assert "1 repaired, 0 unchanged, 0 error, 0 pending" in first.stdout
    assert f"index: {out / 'index.html'}" in first.stdout
    assert len(list(out.glob("seed/*/report.html"))) == 1

    second = mtrepair("batch", str(drops), "--out", str(out), env_extra=env)
    assert second.returncode == 0, second.stderr
    assert "0 repaired, 1 unchanged" in second.stdout and "[1/1]" not in second.stdout
    assert len(list(out.glob("seed/*/report.html"))) == 1


def test_a_missing_drops_folder_is_one_clear_line(tmp_path):
    result = mtrepair("batch", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"mtrepair: error: {tmp_path / 'nowhere'}: no such folder"


def test_serve_needs_exactly_one_schedule(tmp_path):
    result = mtrepair("serve", str(tmp_path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "give exactly one of --interval or --cron" in result.stderr


def test_serve_without_a_prefect_server_says_how_to_start_one(tmp_path):
    api = f"http://127.0.0.1:{free_port()}/api"
    result = mtrepair("serve", str(tmp_path), "--out", str(tmp_path / "out"), "--interval", "1m",
                      env_extra={"PREFECT_API_URL": api})
    assert result.returncode == 2
    assert result.stderr.strip() == (f"mtrepair: error: no Prefect server answers at {api}: start one with "
                                      "`prefect server start` (or set PREFECT_API_URL to your team's server)")
    assert "Traceback" not in result.stdout + result.stderr


def test_intervals_read_like_people_write_them():
    assert parse_interval("90") == timedelta(seconds=90)
    assert parse_interval("30s") == timedelta(seconds=30)
    assert parse_interval("10m") == timedelta(minutes=10)
    assert parse_interval("2h") == timedelta(hours=2)
    assert parse_interval("1d") == timedelta(days=1)
    for bad in ["", "soon", "0s", "10 minutes", "-5m"]:
        with pytest.raises(click.BadParameter):
            parse_interval(bad)


def test_a_bad_cron_expression_is_one_clear_line(tmp_path):
    result = mtrepair("serve", str(tmp_path), "--out", str(tmp_path / "out"), "--cron", "every day")
    assert result.returncode == 2
    assert result.stderr.strip() == "mtrepair: error: --cron 'every day' is not a valid cron expression (e.g. '*/15 * * * *')"
