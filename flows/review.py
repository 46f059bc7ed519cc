"""Human review inside Prefect: pause after the report, wait for decisions, finish.

`review_run` pauses its flow run with `pause_flow_run(wait_for_input=DecisionsInput)`.
The decisions come either from Prefect's UI (the paused run shows a form: a
preset, or decisions.json as the review page exports it) or, with `serve=True`,
from the review page, served for the run folder: its Save button writes
decisions.json and resumes the run with it. Either way the run then writes
final.txt and changes.md and returns their summary.

`repair_and_review` is `mtrepair run --review`: the repair-pair flow, then this.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from prefect import flow
from prefect.context import FlowRunContext
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run, resume_flow_run
from prefect.input import RunInput
from pydantic import Field

from repair.config import Settings
from repair.decide.decisions import DecisionSet, load_decisions, load_run, parse_decisions, preset
from repair.errors import InputError, RepairError
from repair.decide.final import finish
from repair.review.saved import DECISIONS_FILE
from repair.reporting.run_record import RunRecord

from desk.server import ReviewServer

from .repair_pair import repair_pair

DAY = 24 * 3600


class DecisionsInput(RunInput):
    """What the paused run asks for (Prefect shows it as a form)."""

    mode: Literal["decisions", "accept-default", "accept-all", "reject-all"] = Field(
        "decisions",
        description="decisions: use the editor's decisions (below, or decisions.json saved by the review page); "
        "accept-default: what repaired.txt holds; accept-all; reject-all: what cleaned.txt holds.",
    )
    decisions_json: str = Field(
        "",
        description="decisions.json as the review page exports it; empty: read decisions.json from the run folder.",
    )


def decisions_from(answer: DecisionsInput, run_dir: Path) -> DecisionSet:
    """Turn the form's answer into decisions for the run (checked when applied)."""
    run = load_run(run_dir)
    if answer.mode != "decisions":
        return preset(run, answer.mode)
    if answer.decisions_json.strip():
        try:
            data = json.loads(answer.decisions_json)
        except json.JSONDecodeError as exc:
            raise InputError("decisions_json", f"is not valid JSON ({exc.msg})") from None
        return parse_decisions(data, "decisions_json")
    return load_decisions(run_dir / DECISIONS_FILE)


def _resumer(flow_run_id):
    """What the review page's Save does in a paused run: resume it with the decisions."""

    def on_save(decisions: DecisionSet, path: Path) -> str:
        try:
            resume_flow_run(flow_run_id, run_input={"mode": "decisions", "decisions_json": json.dumps(decisions.to_dict())})
        except Exception as exc:  # noqa: BLE001 - the page shows why, the file is saved
            raise RepairError(f"saved {path}, but the paused run could not be resumed ({exc})") from None
        return "The paused run goes on and writes final.txt and changes.md."

    return on_save


@flow(name="review-run", log_prints=False, validate_parameters=False)
def review_run(
    run_dir: str,
    timeout: int = DAY,
    serve: bool = False,
    open_browser: bool = False,
    poll_interval: int = 2,
    port: int = 0,
) -> dict:
    """Wait for an editor's decisions on a finished run, then write final.txt and changes.md."""
    folder = Path(run_dir)
    load_run(folder)  # refuse a folder that is not a finished run before waiting on it
    server = None
    if serve:
        flow_run_id = FlowRunContext.get().flow_run.id
        server = ReviewServer(
            folder,
            port=port,
            on_save=_resumer(flow_run_id),
            waiting=f"A Prefect run ({flow_run_id}) waits for these decisions: Save sends them to it.",
        ).start()
        print(f"review page: {server.url}  (Save there, or resume flow run {flow_run_id} in the Prefect UI)", flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
    try:
        answer = pause_flow_run(wait_for_input=DecisionsInput, timeout=timeout, poll_interval=poll_interval)
    except FlowPauseTimeout:
        raise RepairError(
            f"{folder}: no decisions within {timeout} s; apply them later with `mtrepair apply {folder} --decisions FILE`"
        ) from None
    finally:
        if server is not None:
            server.close()
    final = finish(load_run(folder), decisions_from(answer, folder))
    return {
        "final": str(final.final_txt),
        "changes": str(final.changes_md),
        "counts": final.outcome.counts(),
        "mode": answer.mode,
    }


@flow(name="repair-and-review", log_prints=False, validate_parameters=False)
def repair_and_review(
    target: str,
    references: list[str],
    out_dir: str | None = None,
    settings: Settings | None = None,
    timeout: int = DAY,
    serve: bool = True,
    open_browser: bool = True,
) -> RunRecord:
    """`mtrepair run --review`: repair, pause for the editor's decisions, write final.txt."""
    record = repair_pair(target, references, out_dir, settings)
    record.review = review_run(record.out_dir, timeout=timeout, serve=serve, open_browser=open_browser)
    return record
