"""Shared fixtures: one real LanguageTool server and one real model per test session.

Set MTREPAIR_LANGUAGETOOL_URL to test against a server that is already running.
Prefect keeps its state in a temporary PREFECT_HOME, away from the user's.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from mtrepair import env

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mtrepair-test-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
env.configure()  # the same Prefect and model-library settings as the CLI

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TARGET = SEEDS / "000_ab55c3e2a6d3611c.txt"
SEED_REFERENCE = SEEDS / "003_985378199c8bf71d.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
# JFLEG, MLQE-PE and WMT21 are copied into the repository (data/*/ORIGIN.md), so tests of them run without ../shared.
REPO_DATA = ROOT / "data"


@pytest.fixture(scope="session", autouse=True)
def _flows_on_demand():
    """Flows here run as `mtrepair run` runs them: without Prefect's heartbeat thread (flows/local.py)."""
    from flows.local import on_demand

    with on_demand():
        yield


@pytest.fixture(scope="session")
def languagetool_url():
    """The URL of a real LanguageTool server, started once for the whole session."""
    url = os.environ.get("MTREPAIR_LANGUAGETOOL_URL")
    if url:
        yield url
        return
    from repair.engines.languagetool import LanguageToolServer

    server = LanguageToolServer().start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def settings(languagetool_url):
    from repair.config import Settings

    return Settings.from_env(languagetool_url=languagetool_url)


@pytest.fixture(scope="session")
def embedder(settings):
    """The real all-MiniLM-L6-v2 model, loaded once (shared with the flows)."""
    from repair.engines import resources

    return resources.get_embedder(settings)


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, settings, embedder):
    """The seed pair repaired once by the real flow; returns (record, run folder)."""
    from flows.repair_pair import repair_pair

    out = tmp_path_factory.mktemp("seed-run")
    record = repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings)
    return record, out


HOSTILE = (
    '<script>window.__xss = "script"</script> Russia recalled <img src=x onerror="window.__xss = \'img\'"> its envoy. '
    '<a href="javascript:window.__xss = \'link\'">link</a>'
)


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory, settings, embedder):
    """A run whose article and reference carry script, an onerror image and a javascript: link."""
    from flows.repair_pair import repair_pair

    folder = tmp_path_factory.mktemp("hostile")
    target = folder / "target.txt"
    target.write_text(f"Moscow recalls ambassador\n{HOSTILE}\nThe Kremlin said the ties were at a dead end.\n")
    reference = folder / "reference.txt"
    reference.write_text(
        'Russia pulled its ambassador. <script>window.__xss = "reference"</script> '
        "The Kremlin said ties were in a blind alley. <img src=x onerror=\"window.__xss = 'ref-img'\">\n"
    )
    out = folder / "run"
    repair_pair(str(target), [str(reference)], str(out), settings, publish_artifact=False)
    return out


@pytest.fixture
def seed_run_copy(seed_run, tmp_path):
    """A private copy of the seed run folder, for tests that write final.txt or decisions.json."""
    import shutil

    _, out = seed_run
    copy = tmp_path / "run"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("final.txt", "changes.md", "decisions.json"))
    return copy
