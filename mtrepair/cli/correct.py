"""`mtrepair correct`: line mode, one sentence a line in, one corrected line out.

A pipeline filter: no Prefect flow, no run folder; the same proposal logic as
`mtrepair run` (cleanup and grammar; with --reference also reference-guided
edits). The output has exactly as many lines as the input and is written
atomically, so a failed run leaves no half-written file.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import click

from mtrepair.cli.common import (guard_processes, languagetool_url_option, min_confidence_option, model_option,
                                  user_errors, uses_running_services)

MAX_INPUT_BYTES = 200_000_000


@click.command()
@click.option("-i", "--input", "input_path", required=True, type=click.Path(path_type=Path),
              help="Text file, one sentence a line.")
@click.option("-o", "--output", "output_path", required=True, type=click.Path(path_type=Path),
              help="Where to write the corrected lines (same line count).")
@click.option("-r", "--reference", "references", multiple=True, type=click.Path(path_type=Path),
              help="A cleaner article on the same content (repeatable); without one: cleanup and grammar only.")
@click.option("--proposals", "proposals_path", type=click.Path(path_type=Path), default=None,
              help="Also write every proposal as JSON lines (line number, applied or not).")
@click.option("--tokenized", type=click.Choice(["auto", "yes", "no"]), default="auto", show_default=True,
              help="Input is pre-tokenised ('Hello , world .'); output keeps its tokenisation.")
@click.option("--profile", type=click.Choice(["mt", "learner"]), default="mt", show_default=True,
              help="Calibration: machine-translated text, or human text with typos.")
@min_confidence_option("in the output")
@click.option("--no-grammar", is_flag=True, help="Skip LanguageTool (cleanup and reference edits only).")
@model_option
@languagetool_url_option
@uses_running_services
def correct(input_path, output_path, references, proposals_path, tokenized, profile, min_confidence, no_grammar,
            model, languagetool_url):
    """Correct INPUT line by line into OUTPUT."""
    from repair.config import Settings

    settings = Settings.from_env(model=model, languagetool_url=languagetool_url, profile=profile,
                                 min_confidence=min_confidence)
    started = time.perf_counter()
    with user_errors():
        lines = read_lines(input_path)
        refs = [_prepare(path) for path in references]
        _check_writable(output_path)
        if proposals_path:
            _check_writable(proposals_path)
        guard_processes()
        from repair.engines import resources
        from repair.line_mode import correct_lines
        from repair.reporting.outputs import write_atomic

        checker = None if no_grammar else resources.get_checker(settings)
        embedder = resources.get_embedder(settings) if refs else None
        result = correct_lines(lines, refs, checker, embedder, settings,
                               tokenized={"auto": None, "yes": True, "no": False}[tokenized])
        write_atomic(output_path, "".join(line + "\n" for line in result.lines))
        if proposals_path:
            write_atomic(proposals_path, _proposal_lines(result))
    wall = time.perf_counter() - started
    applied = Counter(p.kind for found in result.applied for p in found)
    proposed = Counter(p.kind for found in result.proposals for p in found if not p.applied)
    changed = sum(a != b for a, b in zip(lines, result.lines))
    click.echo(f"{len(lines)} lines, {changed} changed; applied: "
               + (", ".join(f"{k} {v}" for k, v in sorted(applied.items())) or "none")
               + "; proposed: " + (", ".join(f"{k} {v}" for k, v in sorted(proposed.items())) or "none"))
    if result.reference_type is not None:
        click.echo(f"reference type: {result.reference_type.kind} (mean similarity {result.reference_type.mean_similarity:.2f})")
    for check in result.reference_checks:
        if check.note:
            click.echo(f"note: {check.note}")
    if result.skipped:
        click.echo(f"note: grammar check skipped for {len(result.skipped)} lines (LanguageTool did not answer)")
    click.echo(f"time: {wall:.1f} s ({1000 * wall / max(len(lines), 1):.1f} s per 1000 lines); output: {output_path}")


def read_lines(path: Path) -> list[str]:
    """The lines of a text file, decoded like an article (strict, repaired unicode)."""
    from repair.text.load import read_article

    text = read_article(path, max_bytes=MAX_INPUT_BYTES).text
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return lines


def _prepare(path: Path):
    from repair.text.articles import prepare_article

    return prepare_article(path).document


def _check_writable(path: Path) -> None:
    from repair.errors import InputError

    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise InputError(path, "is a directory, not a file")
    if not folder.is_dir():
        raise InputError(path, f"cannot be written: folder {folder} does not exist")


def _proposal_lines(result) -> str:
    out = []
    for number, found in enumerate(result.proposals, 1):
        chosen = {id(p) for p in result.applied[number - 1]}
        for p in found:  # offsets point into the cleaned (or detokenised) line
            row = {"line": number, **p.to_dict(), "applied": p.applied or id(p) in chosen}
            out.append(json.dumps(row, ensure_ascii=False))
    return "".join(line + "\n" for line in out)
