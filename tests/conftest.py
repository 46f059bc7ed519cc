"""Shared fixtures: one real LanguageTool server and one real model per test session.

Set MTREPAIR_LANGUAGETOOL_URL to test against a server that is already running.
Prefect keeps its state in a temporary PREFECT_HOME, away from the user's.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="mtrepair-test-prefect-"))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")  # a busy 2-core machine

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_TARGET = SEEDS / "000_ab55c3e2a6d3611c.txt"
SEED_REFERENCE = SEEDS / "003_985378199c8bf71d.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def languagetool_url():
    """The URL of a real LanguageTool server, started once for the whole session."""
    url = os.environ.get("MTREPAIR_LANGUAGETOOL_URL")
    if url:
        yield url
        return
    from repair.languagetool import LanguageToolServer

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
    from flows import resources

    return resources.get_embedder(settings)


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, settings, embedder):
    """The seed pair repaired once by the real flow; returns (record, run folder)."""
    from flows.repair_pair import repair_pair

    out = tmp_path_factory.mktemp("seed-run")
    record = repair_pair(str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings)
    return record, out
