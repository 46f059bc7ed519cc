"""Installed as a tool: the built wheel, a fresh virtual environment, an empty home, another folder.

What a new user does: `uv build`, install the wheel into a clean environment outside the
checkout, `mtrepair setup` with an empty home directory, then `mtrepair run` on the seed pair
from a folder of their own. The package caches stay shared so nothing large is downloaded
again: uv's cache (PyTorch is hard-linked, not fetched) and Maven's local repository
(MAVEN_OPTS=-Dmaven.repo.local=...). One module-scoped installation serves every test here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED_REFERENCE, SEED_TARGET

pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def uv() -> str:
    found = shutil.which("uv") or str(Path.home() / ".local" / "bin" / "uv")  # where `make` installs it
    assert Path(found).exists(), "uv is needed (make install puts it in ~/.local/bin)"
    return found


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, timeout=900, **kwargs)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def tool(tmp_path_factory):
    """(wheel, venv/bin, a user's environment with an empty HOME) for the wheel built from this checkout."""
    root = tmp_path_factory.mktemp("tool")
    cache = run([uv(), "cache", "dir"]).stdout.strip()  # the real one, before HOME changes
    run([uv(), "build", "--quiet", "--out-dir", root / "dist", ROOT], cwd=root)  # sdist, then the wheel from it
    [wheel] = (root / "dist").glob("mtrepair-*.whl")
    run([uv(), "venv", "--quiet", "--python", sys.executable, root / "venv"], cwd=root)
    run([uv(), "pip", "install", "--quiet", wheel], cwd=root,
        env={**os.environ, "VIRTUAL_ENV": str(root / "venv"), "UV_CACHE_DIR": cache})
    home = root / "home"
    home.mkdir()
    maven_repository = Path(os.path.expanduser("~")) / ".m2" / "repository"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("MTREPAIR_", "PREFECT_", "VIRTUAL_ENV", "PYTHON", "XDG_"))}
    env.update(HOME=str(home), MAVEN_OPTS=f"-Dmaven.repo.local={maven_repository}",
               PATH=os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if not p.startswith(str(ROOT))))
    return wheel, root / "venv" / "bin", env


def test_the_wheel_holds_the_package_data_and_nothing_of_the_repository(tool):
    wheel, _, _ = tool
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("repair/engines/languagetool.pom.xml", "repair/data/calibration.json",
                   "repair/templates/report.html.j2", "repair/templates/review.js", "repair/setup/registry.py",
                   "mtrepair/reaper.py", "flows/repair_pair.py", "desk/templates/desk.html.j2", "desk/static/desk.css",
                   "mtrepair/services/keeper.py", "repair/setup/wordnet.py"):
        assert needed in names, needed
    tops = {name.split("/")[0] for name in names if not name.startswith("mtrepair-")}
    assert tops == {"repair", "flows", "mtrepair", "desk"}  # no tests/, bench/, evaluation/, deploy/, data/


def test_setup_in_an_empty_home_then_a_run_from_another_folder(tool, tmp_path):
    _, bin_dir, env = tool
    mtrepair = bin_dir / "mtrepair"
    where = run([bin_dir / "python", "-c", "import repair; print(repair.__file__)"], cwd=tmp_path, env=env)
    assert str(bin_dir.parent) in where.stdout  # the installed package, not the checkout

    checked = subprocess.run([mtrepair, "setup", "--check"], cwd=tmp_path, env=env, capture_output=True, text=True)
    states = {line.split()[0]: line.split()[1] for line in checked.stdout.splitlines() if line.split()}
    assert checked.returncode == 1 and states["languagetool"] == "missing", checked.stdout + checked.stderr

    done = run([mtrepair, "setup"], cwd=tmp_path, env=env)
    cache = Path(env["HOME"]) / ".cache" / "mtrepair"
    lines = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.split()}
    assert lines["languagetool"][1:3] == ["installed", str(cache / "languagetool" / "6.7")], done.stdout
    assert lines["onnx-model"][1] == "installed" and lines["onnx-model"][2].startswith(str(cache / "onnx"))
    assert "MB;" in " ".join(lines["languagetool"]) and done.stderr == ""
    assert not [p for p in cache.rglob(".partial-*")] and not [p for p in cache.rglob(".export-*")]

    again = run([mtrepair, "setup"], cwd=tmp_path, env=env)
    assert [line.split()[1] for line in again.stdout.splitlines()[:3]] == ["ready", "ready", "ready"]

    work = tmp_path / "articles"
    work.mkdir()
    for seed in (SEED_TARGET, SEED_REFERENCE):
        shutil.copy(seed, work / seed.name)
    repaired = run([mtrepair, "run", SEED_TARGET.name, "--reference", SEED_REFERENCE.name], cwd=work, env=env)
    assert repaired.stderr == "", repaired.stderr  # no note about a missing export, no warning, no traceback
    [run_dir] = (work / "outputs").iterdir()
    assert (run_dir / "repaired.txt").read_text(encoding="utf-8").strip()
    assert f"report: outputs/{run_dir.name}/report.html" in repaired.stdout

    # the review desk comes with the installed package: its page for this folder, in-process
    desk = run([bin_dir / "python", "-c", "import sys; from starlette.testclient import TestClient; "
                "from desk.app import desk_app; page = TestClient(desk_app(sys.argv[1], port=8800), "
                "base_url='http://127.0.0.1:8800').get('/'); "
                "print(page.status_code, 'Review desk' in page.text)", str(work / "outputs")], cwd=tmp_path, env=env)
    assert desk.stdout.split() == ["200", "True"], desk.stdout + desk.stderr
