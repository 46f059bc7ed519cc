"""Export a sentence-transformers model's transformer to ONNX, once per machine.

Run once at set-up time (`mtrepair setup`, component onnx-model, which `make install` calls) so that
a run can embed with ONNX Runtime and never import PyTorch (see
repair/alignment/onnx_embedder.py). sentence-transformers stays the model's home: it loads
the model, and its transformer module is what gets exported, with PyTorch's own
exporter (no `optimum` needed). Only the transformer is exported; pooling and
normalisation are done by the runtime path as modules.json says.

The export lands in the machine-wide cache under a key made of the model folder
and the versions that shape the graph, written to a temporary folder and renamed,
so a half-written export is never used.
"""

from __future__ import annotations

import inspect
import json
import os
import shutil
import sys
import tempfile
import warnings
from pathlib import Path

from repair.alignment.onnx_embedder import ONNX_FILE, export_dir, read_pipeline

OPSET = 17


def export(model_folder: str | Path, target: Path | None = None) -> Path:
    """Export `model_folder`'s transformer to `target` (default: its cache folder); return the folder."""
    model_folder = Path(model_folder)
    target = target or export_dir(model_folder)
    if (target / ONNX_FILE).exists():
        return target
    read_pipeline(model_folder)  # refuses a model whose pooling the runtime path cannot do
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's deprecation and tracing notes are not for users
        _export(model_folder, target)
    return target


def _export(model_folder: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_folder), device="cpu")
    transformer = model[0]
    encoder = transformer.auto_model.eval()
    names = _input_names(transformer, encoder)
    sample = _tokenize(transformer, ["an example sentence", "a second one, a little longer"])
    args = tuple(sample[name].to("cpu") for name in names)

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, *inputs):
            return self.encoder(**dict(zip(names, inputs)), return_dict=True).last_hidden_state

    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=target.parent))
    try:
        with torch.no_grad():
            torch.onnx.export(
                LastHiddenState(),
                args,
                str(scratch / ONNX_FILE),
                input_names=names,
                output_names=["last_hidden_state"],
                dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in names},
                              "last_hidden_state": {0: "batch", 1: "tokens"}},
                opset_version=OPSET,
                dynamo=False,
            )
        scratch.chmod(0o755)
        (scratch / "inputs.json").write_text(json.dumps({"inputs": names}), encoding="utf-8")
        try:
            os.rename(scratch, target)
        except OSError:  # another process finished first
            if not (target / ONNX_FILE).exists():
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _tokenize(transformer, texts: list[str]) -> dict:
    preprocess = getattr(transformer, "preprocess", None) or transformer.tokenize
    return preprocess(texts)


def _input_names(transformer, encoder) -> list[str]:
    sample = _tokenize(transformer, ["x"])
    accepted = inspect.signature(encoder.forward).parameters
    return [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in sample and name in accepted]


def main(argv: list[str] | None = None) -> int:
    """`python -m repair.alignment.onnx_export [MODEL]`: export the bundled model (or MODEL) if not yet cached."""
    from repair.alignment.align import resolve_model
    from repair.config import DEFAULT_MODEL
    from repair.errors import RepairError

    args = sys.argv[1:] if argv is None else argv
    name = args[0] if args else (os.environ.get("MTREPAIR_MODEL") or DEFAULT_MODEL)
    try:
        folder = export(resolve_model(name))
    except RepairError as exc:
        print(f"mtrepair: error: {exc}", file=sys.stderr)
        return 2
    print(f"ONNX export of {name}: {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
