"""mtrepair.env: what a command sets up for Prefect before it imports it."""

from __future__ import annotations

import os

import pytest

from mtrepair import env


@pytest.mark.parametrize("verbose, client, server", [(False, "CRITICAL", "CRITICAL"), (True, "INFO", "WARNING")])
def test_prefect_and_its_temporary_server_stay_quiet_unless_verbose(monkeypatch, verbose, client, server):
    # The temporary API server inherits the environment: its shutdown noise is for -v only.
    for name in ("PREFECT_LOGGING_LEVEL", "PREFECT_SERVER_LOGGING_LEVEL", "PREFECT_API_URL", "MTREPAIR_VERBOSE"):
        monkeypatch.setenv(name, "")  # recorded, so the test leaves the environment as it found it
        monkeypatch.delenv(name)
    monkeypatch.setattr(env, "quiet_library_warnings", lambda: None)
    env.configure(verbose=verbose)
    assert os.environ["PREFECT_LOGGING_LEVEL"] == client
    assert os.environ["PREFECT_SERVER_LOGGING_LEVEL"] == server
