"""The `mtrepair` command line: the group and `main` in `main.py`, shared options and error
handling in `common.py`, one module per command."""

from mtrepair.cli.main import check_inputs, check_model, check_out_dir, cli, main

__all__ = ["check_inputs", "check_model", "check_out_dir", "cli", "main"]
