"""A served run whose drops go to warm workers imports only the batch flow: no model, no grammar stack.

Prefect's runner starts each scheduled run in a new process that imports the flow's
module; with the work done by warm Dask workers (flows/warm_workers.py) that process
needs neither the model's runtime nor LanguageTool's client, so importing them there
would only lengthen every run. Checked in a fresh interpreter, on sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_ONLY = ("onnxruntime", "tokenizers", "wordfreq", "language_tool_python", "repair.engines.grammar",
             "repair.engines.resources", "repair.pipeline")


def test_the_batch_flow_module_leaves_the_work_stack_to_the_workers():
    probe = "import json, sys\nimport flows.batch\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300)
    modules = set(json.loads(done.stdout.splitlines()[-1]))
    assert "prefect" in modules and "repair.batch.drop_work" in modules
    assert not [name for name in WORK_ONLY if name in modules]
