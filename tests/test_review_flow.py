"""`--review` in Prefect: the run pauses for decisions, is resumed with them, and finishes."""

import json
import threading
import time

import pytest
from review_helpers import write_synthetic_run

from repair.decide.decisions import DecisionSet, load_run
from repair.records import Decision


def paused_run_for(folder, timeout=120):
    """The id of the paused review-run flow run for `folder`, once it has paused."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterState, FlowRunFilterStateType
    from prefect.client.schemas.objects import StateType

    deadline = time.monotonic() + timeout
    paused = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])))
    while time.monotonic() < deadline:
        with get_client(sync_client=True) as client:
            for flow_run in client.read_flow_runs(flow_run_filter=paused):
                if flow_run.parameters.get("run_dir") == str(folder):
                    return flow_run.id
        time.sleep(0.5)
    raise AssertionError(f"no paused review run for {folder}")


def in_thread(function, *args, **kwargs):
    outcome = {}

    def target():
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


@pytest.fixture(scope="module")
def prefect_api():
    """Prefect's temporary server, started before the flow and the test's client race for it."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        client.hello()


def test_a_paused_review_is_resumed_with_decisions_and_writes_final_txt(tmp_path, prefect_api):
    from flows.review import review_run
    from prefect.flow_runs import resume_flow_run

    folder = write_synthetic_run(tmp_path / "run")
    run = load_run(folder)
    thread, outcome = in_thread(review_run, str(folder), timeout=120, poll_interval=1)
    flow_run_id = paused_run_for(folder)
    assert not (folder / "final.txt").exists()
    decisions = DecisionSet(run.run_id, run.text_sha256, (Decision("P0003", "accept"), Decision("P0006", "edit", "later")))
    resume_flow_run(flow_run_id, run_input={"mode": "decisions", "decisions_json": json.dumps(decisions.to_dict())})
    thread.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"]["counts"] == {"accepted": 1, "edited": 1, "rejected": 0, "overridden": 0, "undecided": 4}
    assert (folder / "final.txt").read_text() == run.text.replace("murder", "killer").replace("soon", "later")


def test_the_prefect_form_can_ask_for_a_preset(tmp_path, prefect_api):
    from flows.review import review_run
    from prefect.flow_runs import resume_flow_run

    folder = write_synthetic_run(tmp_path / "run")
    thread, outcome = in_thread(review_run, str(folder), timeout=120, poll_interval=1)
    resume_flow_run(paused_run_for(folder), run_input={"mode": "reject-all"})
    thread.join(60)
    assert "error" not in outcome, outcome.get("error")
    assert (folder / "final.txt").read_text() == (folder / "cleaned.txt").read_text()


def test_repair_and_review_repairs_pauses_and_finishes(tmp_path, settings, embedder, prefect_api):
    from flows.review import repair_and_review
    from prefect.flow_runs import resume_flow_run

    from conftest import SEED_REFERENCE, SEED_TARGET

    out = tmp_path / "run"
    thread, outcome = in_thread(repair_and_review, str(SEED_TARGET), [str(SEED_REFERENCE)], str(out), settings,
                                timeout=300, serve=False, open_browser=False)
    resume_flow_run(paused_run_for(out, timeout=300), run_input={"mode": "accept-default"})
    thread.join(120)
    assert "error" not in outcome, outcome.get("error")
    assert outcome["value"].review["final"] == str(out / "final.txt")
    assert (out / "final.txt").read_bytes() == (out / "repaired.txt").read_bytes()
