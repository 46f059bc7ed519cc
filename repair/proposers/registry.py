"""The proposer registry: every proposer by name, in the order it runs.

A proposer is a function of one `ProposalContext` returning a list of
`Proposal`s, registered under a name with the `@proposer("name")` decorator
(as spaCy registers its components and ftfy names its fixers). Adding a
proposer is one module with one decorated function, plus its import in
`repair/proposers/__init__.py`, which fixes the order: registration order is
the order `run_proposers` calls them, and so the order proposals of equal
rank keep in the output. `Settings.disabled_proposers` switches any of them
off by name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from repair.errors import SetupError
from repair.records import Alignment, CleanupEdit, Document, GrammarMatch, Proposal
from repair.alignment.reference_type import ReferenceType


@dataclass(frozen=True)
class ProposalContext:
    """Everything a proposer may look at, for one target article."""

    target: Document
    cleanup: Sequence[CleanupEdit]
    grammar: Sequence[GrammarMatch]
    alignments: Sequence[Alignment]
    references: Mapping[str, Document]
    """The usable references, by name."""
    embed: Callable[[list[str]], np.ndarray] | None
    """Phrase embeddings (the model's `encode_phrases`); None without references."""
    min_alignment: float
    reference_type: ReferenceType | None = None


ProposerFunction = Callable[[ProposalContext], list[Proposal]]


@dataclass(frozen=True)
class RegisteredProposer:
    name: str
    make: ProposerFunction
    needs_references: bool
    """Skipped when the target has no usable reference."""


_REGISTRY: dict[str, RegisteredProposer] = {}


def proposer(name: str, *, needs_references: bool = False) -> Callable[[ProposerFunction], ProposerFunction]:
    """Register the decorated function as the proposer `name` (after those registered before it)."""

    def register(make: ProposerFunction) -> ProposerFunction:
        known = _REGISTRY.get(name)
        if known is not None and known.make.__qualname__ != make.__qualname__:
            raise ValueError(f"two proposers are registered as {name!r}")
        _REGISTRY[name] = RegisteredProposer(name, make, needs_references)
        return make

    return register


def proposer_names() -> tuple[str, ...]:
    """Every registered proposer, in the order they run."""
    return tuple(_REGISTRY)


def check_proposer_names(names: Collection[str]) -> None:
    """Refuse, in one line, a setting that names a proposer that does not exist."""
    unknown = sorted(set(names) - set(_REGISTRY))
    if unknown:
        raise SetupError(
            f"disabled_proposers: no proposer named {', '.join(unknown)} (known: {', '.join(_REGISTRY)})"
        )


def run_proposers(context: ProposalContext, disabled: Collection[str] = ()) -> list[Proposal]:
    """Every enabled proposer's proposals, in registration order (unnumbered, uncalibrated)."""
    check_proposer_names(disabled)
    proposals: list[Proposal] = []
    for entry in _REGISTRY.values():
        if entry.name in disabled or (entry.needs_references and not context.references):
            continue
        proposals += entry.make(context)
    return proposals

