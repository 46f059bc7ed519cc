"""The benchmark data ships with the repository; comparable-dev never does."""

import pytest

from evaluation.data import PUBLIC_SETS, REPOSITORY_DATA, check_data, comparable_dev, comparable_dev_line


def test_the_public_sets_are_in_the_repository_with_their_origin():
    for name in PUBLIC_SETS:
        assert (REPOSITORY_DATA / name / "ORIGIN.md").is_file(), name
    assert (REPOSITORY_DATA / "mlqe-pe" / "LICENSE_CC0.txt").is_file()
    assert len((REPOSITORY_DATA / "jfleg" / "test" / "test.src").read_text(encoding="utf-8").splitlines()) == 747
    assert len(list((REPOSITORY_DATA / "wmt21-ru-en" / "system-outputs").iterdir())) == 10
    assert check_data(REPOSITORY_DATA) == REPOSITORY_DATA


def test_comparable_dev_is_not_in_the_repository_and_its_absence_is_one_line():
    assert comparable_dev(REPOSITORY_DATA) is None
    line = comparable_dev_line(REPOSITORY_DATA)
    assert line.startswith("comparable-dev: not in ") and "\n" not in line


def test_comparable_dev_is_used_when_the_data_folder_has_it(tmp_path):
    (tmp_path / "comparable-dev").mkdir()
    assert comparable_dev(tmp_path) == tmp_path / "comparable-dev"
    assert comparable_dev_line(tmp_path) == f"comparable-dev: using {tmp_path / 'comparable-dev'}"


def test_a_folder_without_the_sets_is_refused_in_one_line(tmp_path):
    (tmp_path / "jfleg").mkdir()
    with pytest.raises(SystemExit) as refused:
        check_data(tmp_path)
    assert str(refused.value) == (f"evaluation: error: {tmp_path}: no mlqe-pe, wmt21-ru-en folder there "
                                  f"(the repository's own data is {REPOSITORY_DATA})")

