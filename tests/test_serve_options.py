"""Which task runner and cluster a served deployment hands its runs (no server, no cluster started).

`serve_batch` is run with the Prefect API check, the warm cluster and the runner
replaced by recorders: what is tested is only the choice it makes.
"""

from contextlib import contextmanager

import pytest

import flows.serve as serve
import flows.warm_workers as warm_workers


@pytest.fixture
def served(monkeypatch):
    calls = {"clusters": [], "closed": 0}

    @contextmanager
    def fake_cluster(settings, n_workers):
        calls["clusters"].append((settings, n_workers))
        try:
            yield warm_workers.WarmCluster("tcp://127.0.0.1:9999", (4242,))
        finally:
            calls["closed"] += 1

    def fake_serve(drops_dir, out_dir, interval, cron, name, task_runner, dask_address, *rest):
        calls["runner"] = (task_runner, dask_address)

    monkeypatch.setattr(serve, "check_api", lambda url: url)
    monkeypatch.setattr(serve, "shared_languagetool", lambda settings, task_runner, address: "http://lt")
    monkeypatch.setattr(warm_workers, "warm_cluster", fake_cluster)
    monkeypatch.setattr(serve, "_serve", fake_serve)
    return calls


def test_warm_by_default_runs_go_to_the_cluster_it_starts_and_closes(served):
    told = []
    serve.serve_batch("drops", "out", dask_workers=3, on_warm=told.append)
    assert served["runner"] == ("dask", "tcp://127.0.0.1:9999")
    assert [n for _, n in served["clusters"]] == [3]
    assert served["closed"] == 1
    assert told == [warm_workers.WarmCluster("tcp://127.0.0.1:9999", (4242,))]


def test_no_warm_keeps_the_configured_runner(served):
    serve.serve_batch("drops", "out", warm=False)
    assert served["runner"] == ("sequential", None) and served["clusters"] == []


def test_an_existing_cluster_is_used_as_given(served):
    serve.serve_batch("drops", "out", task_runner="dask", dask_address="tcp://elsewhere:8786")
    assert served["runner"] == ("dask", "tcp://elsewhere:8786") and served["clusters"] == []


def test_the_cluster_closes_when_serving_fails(served, monkeypatch):
    def broken(*args):
        raise RuntimeError("the runner stopped")

    monkeypatch.setattr(serve, "_serve", broken)
    with pytest.raises(RuntimeError):
        serve.serve_batch("drops", "out")
    assert served["closed"] == 1
