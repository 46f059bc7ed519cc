"""The three ways in (run, batch, line mode) share one pipeline: the bugs of
their separate wirings, each with a test that failed before."""

from dataclasses import replace

from click.testing import CliRunner
from test_html_text import PAGE

from repair.config import Settings, default_min_confidence


def test_run_reads_an_html_target_as_batch_does(tmp_path):
    from mtrepair.cli import check_inputs
    from repair.text.articles import prepare_article

    page = tmp_path / "target.html"
    page.write_text(PAGE, encoding="utf-8")
    check_inputs([page])  # used to refuse the page as "an HTML page saved as text"
    assert prepare_article(page).document.sentences[0].text == "Biden calls Putin a “killer”"


def test_every_command_states_the_real_default_threshold():
    from mtrepair.cli import cli

    chosen = f"mt {default_min_confidence('mt')}"
    for command in ("run", "batch", "serve", "correct"):
        result = CliRunner().invoke(cli, [command, "--help"], terminal_width=400)
        assert result.exit_code == 0
        assert chosen in " ".join(result.output.split()), command
        assert "default 0.5)" not in result.output


def test_settings_take_the_threshold_of_their_profile():
    assert Settings().min_confidence == default_min_confidence("mt")
    assert Settings(profile="learner").min_confidence == default_min_confidence("learner")
    assert Settings.from_env(profile="learner").min_confidence == default_min_confidence("learner")
    assert Settings(profile="learner", min_confidence=0.3).min_confidence == 0.3


def test_disabled_rules_reach_languagetool(settings):
    from repair.engines import resources
    from repair.line_mode import lines_document

    document = lines_document(["She have a apple."])
    found = {m.rule_id for m in resources.get_checker(settings).check(document).matches}
    assert "EN_A_VS_AN" in found
    quiet = replace(settings, disabled_rules=("EN_A_VS_AN",))
    assert "EN_A_VS_AN" not in {m.rule_id for m in resources.get_checker(quiet).check(document).matches}


def test_line_mode_applies_the_settings_threshold(settings):
    from repair.engines import resources
    from repair.line_mode import correct_lines

    checker = resources.get_checker(settings)
    lines = ["She have a apple."]
    learner = replace(settings, profile="learner")  # used to apply the profile's 0.5 whatever the settings said
    assert correct_lines(lines, checker=checker, settings=replace(learner, min_confidence=0.0)).lines != lines
    strict = correct_lines(lines, checker=checker, settings=replace(learner, min_confidence=1.0))
    assert strict.lines == lines and strict.proposals[0]  # proposed, not applied


def test_line_mode_sets_aside_an_off_event_or_identical_reference(embedder):
    from repair.line_mode import correct_lines, lines_document

    lines = ["Stir the flour into the melted butter.", "Bake the cake for forty minutes.", "Let it cool before slicing."]
    football = lines_document(["The striker scored twice in the second half.", "The coach praised his defence."], "sport")
    off = correct_lines(lines, [football], embedder=embedder, tokenized=False)
    assert [c.usable for c in off.reference_checks] == [False] and off.reference_type is None
    assert not any(p.kind in {"reference", "flag"} for found in off.proposals for p in found)

    same = correct_lines(lines, [lines_document(lines, "copy")], embedder=embedder, tokenized=False)
    assert same.reference_checks[0].identical and same.reference_type is None
