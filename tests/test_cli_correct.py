"""`mtrepair correct` as a pipeline uses it: same line count out, one-line errors."""

from test_cli import mtrepair


def test_correct_keeps_the_line_count_and_the_tokenisation(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("He said “ hello ” .\n\nFine , as is .\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    result = mtrepair("correct", "--input", str(source), "--output", str(out), "--no-grammar")
    assert result.returncode == 0, result.stderr
    assert "3 lines" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert out.read_text(encoding="utf-8").splitlines() == ["He said “ hello ” .", "", "Fine , as is ."]


def test_correct_with_a_missing_input_says_so_in_one_line(tmp_path):
    result = mtrepair("correct", "--input", str(tmp_path / "none.txt"), "--output", str(tmp_path / "out.txt"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"mtrepair: error: {tmp_path / 'none.txt'}: no such file"
    assert not (tmp_path / "out.txt").exists()
