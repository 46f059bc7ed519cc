"""Commands import only what they need: the quick ones never load the model's stack or Prefect.

Each case runs the real `mtrepair` entry point in a fresh interpreter and looks at
sys.modules when it exits (not at the clock: timings belong to `make bench`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_REFERENCE = ROOT / "seeds" / "003_985378199c8bf71d.txt"
HEAVY = ("torch", "sentence_transformers", "transformers", "sklearn", "prefect", "onnxruntime", "lemminflect")

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.__stderr__.write("MODULES " + json.dumps(sorted(m for m in sys.modules if "." not in m)) + "\\n"))
sys.argv = ["mtrepair", *sys.argv[1:]]
from mtrepair.cli import main
main()
"""


def imported_by(*args: str, cwd: Path = ROOT) -> tuple[int, set[str], str]:
    """Exit code, top-level modules imported, and stderr of `mtrepair ARGS`."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONWARNINGS": "default"})
    lines = done.stderr.splitlines()
    modules = next(json.loads(line[len("MODULES "):]) for line in lines if line.startswith("MODULES "))
    return done.returncode, set(modules), "\n".join(line for line in lines if not line.startswith("MODULES "))


def _binary_file(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(b"\x00\x01\x02\x03 not text \xff\xfe")
    return path


@pytest.mark.parametrize("case", ["help", "run-help", "apply-missing", "review-missing", "run-binary", "run-missing"])
def test_quick_commands_do_not_import_the_model_or_prefect(case, tmp_path):
    args = {
        "help": ["--help"],
        "run-help": ["run", "--help"],
        "apply-missing": ["apply", str(tmp_path / "no-run"), "--accept-all"],
        "review-missing": ["review", str(tmp_path / "no-run"), "--no-browser"],
        "run-binary": ["run", str(_binary_file(tmp_path)), "-r", str(SEED_REFERENCE)],
        "run-missing": ["run", str(tmp_path / "missing.txt"), "-r", str(SEED_REFERENCE)],
    }[case]
    code, modules, stderr = imported_by(*args)
    assert code == (0 if case.endswith("help") else 2), stderr
    assert not modules & set(HEAVY), f"{case} imported {sorted(modules & set(HEAVY))}"
    if code == 2:
        assert len(stderr.splitlines()) == 1 and stderr.startswith("mtrepair: error: "), stderr


def test_a_set_up_machine_checks_without_importing_the_model_or_prefect():
    """A second `mtrepair setup` only checks; so does --check (this machine is set up by `make install`)."""
    for args in (["setup"], ["setup", "--check"]):
        code, modules, stderr = imported_by(*args)
        assert code == 0, stderr
        assert not modules & set(HEAVY), f"{args} imported {sorted(modules & set(HEAVY))}"


def test_apply_on_a_run_folder_does_not_import_the_model_or_prefect(tmp_path):
    from review_helpers import write_synthetic_run

    run = write_synthetic_run(tmp_path / "run")
    code, modules, stderr = imported_by("apply", str(run), "--accept-all")
    assert code == 0, stderr
    assert (run / "final.txt").exists()
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


def test_onnx_path_encodes_without_torch():
    """The embedder a run gets (with the install-time export) never imports PyTorch or sentence-transformers."""
    code = (
        "import sys\n"
        "from repair.engines import resources\n"
        "from repair.config import Settings\n"
        "resources.get_embedder(Settings()).encode(['A first sentence.', 'And a second one.'])\n"
        "print(resources.embedder_backend(Settings()), sorted(m for m in %r if m in sys.modules))\n" % (HEAVY[:4],)
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    if done.stdout.startswith("sentence-transformers"):
        pytest.skip("no ONNX export on this machine: run `make install`")
    assert done.stdout.strip() == "onnx []", done.stdout
    assert done.stderr == ""
