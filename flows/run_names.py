"""Names a team reads in the Prefect UI: runs after their drops folder and time, task runs after their drops.

Prefect names a flow run at random ("pistachio-goat") unless the flow says
otherwise; in a list of scheduled batches that name says nothing. A batch run
is named `<drops folder> <local time>`, a group's task run `repair <drops>`,
and each drop's outcome task run `<drop name>`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

SHOWN_DROPS = 3


def batch_run_name() -> str:
    """`drops 2026-12-02 11:40:05`: the drops folder's name and the run's start (local time)."""
    from prefect.runtime import flow_run

    drops_dir = str(flow_run.parameters.get("drops_dir") or "drops")
    return f"{Path(drops_dir).resolve().name or drops_dir} {datetime.now():%Y-%m-%d %H:%M:%S}"


def group_run_name(parameters: dict[str, Any]) -> str:
    """`repair a, b, c +5`: the drops one group task repairs."""
    names = [job.drop.name for job in parameters.get("jobs") or []]
    shown = ", ".join(names[:SHOWN_DROPS])
    more = len(names) - SHOWN_DROPS
    return f"repair {shown}" + (f" +{more}" if more > 0 else "")


def drop_run_name(parameters: dict[str, Any]) -> str:
    """The drop's own name, for its outcome task run."""
    return str(parameters["entry"].name)
