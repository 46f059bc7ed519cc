"""mtrepair's library: repair a machine-translated article against references.

The whole flow of data, one stage per step (see `pipeline.Repairer`):

    article file(s) --prepare--> PreparedDocument (cleaned text, sentences, cleanup edits)
        --check_grammar--> GrammarResult (LanguageTool matches)
        --embed--> sentence vectors
        --check_references--> ReferenceCheck per reference (identical or off-event ones set aside)
        --align--> Alignment per target sentence (best reference sentences)
        --propose--> Proposals (every registered proposer, calibrated, numbered)
        --report--> run folder: cleaned.txt, repaired.txt, proposals.json, report.html/.md, run.json (RunRecord)

From Python::

    import repair
    record = repair.load().repair("target.txt", ["reference.txt"], "outputs/run")

Every stage works on the typed records of `repair.records`; no Prefect here.
The Prefect flows in `flows/` wrap the same stages as tasks, the CLI in
`mtrepair/` calls the flows or line mode (`line_mode.correct_lines`).
"""

__version__ = "0.1.0"


def load(settings=None, **overrides):
    """The repair pipeline (`pipeline.Repairer`) for `settings` (default: from the environment)."""
    from repair.pipeline import load as _load

    return _load(settings, **overrides)
