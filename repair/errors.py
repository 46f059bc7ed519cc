"""Errors a user can act on: each names the file (or setting) and the problem."""

from __future__ import annotations


class RepairError(Exception):
    """Base class: printed to the user as one line, without a traceback."""


class InputError(RepairError):
    """An input file cannot be used as an article."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class SetupError(RepairError):
    """A component (LanguageTool, the model, an output folder) is not usable."""
