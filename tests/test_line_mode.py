"""Line mode: one line in, one line out, the article pipeline's proposals per line."""

from repair.decide.calibration import Calibration
from repair.config import Settings
from repair.engines.grammar_batch import pack
from repair.line_mode import correct_lines, lines_document

NONE = Calibration()


def test_every_line_is_one_sentence_of_one_document():
    document = lines_document(["First line.", "", "Third, line. Two sentences."])
    assert [s.paragraph for s in document.sentences] == [0, 2]
    assert document.sentences[1].text == "Third, line. Two sentences."


def test_cleanup_only_keeps_the_line_count_and_fixes_spacing():
    lines = ["He said “ hello ” to me.", "", "Advertisement", "Fine  as is."]
    result = correct_lines(lines, calibration=NONE, tokenized=False)
    assert result.lines == ["He said “hello” to me.", "", "Advertisement", "Fine as is."]
    assert [p.kind for p in result.proposals[0]] == ["cleanup", "cleanup"]


def test_tokenised_input_comes_back_tokenised():
    lines = ["He said “ hello ” to me .", "Fine , as is ."]
    result = correct_lines(lines, calibration=NONE)
    assert result.tokenized
    assert result.lines == lines  # nothing to change once the tokenisation is understood


def test_requests_are_packed_up_to_the_size_limit():
    texts = ["a" * 40, "", "b" * 40, "c" * 40, "d" * 200]
    assert pack(texts, 100) == [[0, 2], [3], [4]]


def test_real_languagetool_fixes_lines_in_one_batch(settings):
    from repair.engines import resources

    checker = resources.get_checker(settings)
    lines = ["He go to school yesterday .", "This is fine .", "She have a apple ."]
    result = correct_lines(lines, checker=checker, settings=settings, calibration=NONE, min_confidence=0.4)
    assert len(result.lines) == 3
    assert result.lines[1] == lines[1]
    assert result.lines[2] == "She has an apple ."
    assert all(p.kind in {"grammar", "flag"} for p in result.proposals[2])
