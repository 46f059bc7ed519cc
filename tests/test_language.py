"""Language: English articles pass, others are named, short texts are not judged."""

import pytest

from conftest import SEED_REFERENCE, SEED_TARGET
from repair.text.language import MIN_LETTERS, detect, english_problem

FOREIGN = {
    "German": "Der russische Präsident hat am Montag seinen Botschafter aus Washington zurückgerufen, "
    "nachdem der amerikanische Präsident ihn einen Mörder genannt hatte.",
    "French": "Le président russe a rappelé lundi son ambassadeur à Washington, après que le président "
    "américain l'a qualifié de tueur dans une interview.",
    "Spanish": "El presidente ruso llamó el lunes a su embajador en Washington, después de que el presidente "
    "estadounidense lo calificara de asesino en una entrevista.",
    "Romanian": "Președintele rus și-a rechemat luni ambasadorul de la Washington, după ce președintele "
    "american l-a numit ucigaș într-un interviu televizat.",
}


@pytest.mark.parametrize("language", sorted(FOREIGN))
def test_latin_script_languages_are_named(language):
    assert english_problem(FOREIGN[language]) == f"is in {language}, not English; mtrepair repairs English articles only"


@pytest.mark.parametrize(
    "text, script",
    [
        ("Президент России отозвал посла из Вашингтона после того, как американский президент назвал его убийцей.", "Cyrillic"),
        ("俄罗斯总统周一召回了驻华盛顿大使，此前美国总统在接受采访时称他为杀手。俄罗斯外交部表示，两国关系陷入僵局。", "Cjk"),
    ],
)
def test_other_scripts_are_named(text, script):
    assert english_problem(text) == f"is not in English: most of its letters are in {script} script"


def test_the_seed_articles_are_english():
    for path in (SEED_TARGET, SEED_REFERENCE):
        assert english_problem(path.read_text(encoding="utf-8")) is None
        assert detect(path.read_text(encoding="utf-8")).language == "English"


def test_english_full_of_foreign_names_is_not_refused():
    text = (
        "Sergei Lavrov met Annalena Baerbock and Jean-Yves Le Drian in Sankt Peterburg on Monday. "
        "Aleksandr Ovechkin of the Washington Capitals said he was happy to head off to Toronto."
    )
    assert english_problem(text) is None


def test_an_english_article_quoting_another_language_stays_english():
    text = (
        "The crowd chanted \u201cRossiya bez Putina\u201d outside the court on Tuesday. Police said the "
        "protest was not authorised and detained several people, according to the independent monitor. "
        "The phrase means Russia without Putin, and it has been heard at rallies since 2011."
    )
    assert english_problem(text) is None


def test_a_short_headline_is_never_judged():
    headline = "Putin ruft Botschafter zurück"
    assert sum(ch.isalpha() for ch in headline) < MIN_LETTERS
    assert detect(headline).language is None
    assert english_problem(headline) is None
