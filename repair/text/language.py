"""Tell whether an article is in English, before anything tries to "repair" it.

The pipeline's rules, model and LanguageTool settings are for English: an
article in another language would come back full of nonsense proposals, so it
is refused with the language named. Two cheap steps, on a sample of the text:

1. the writing system: if most letters are not Latin (Cyrillic, Arabic,
   Sinhala, CJK ...), the article is not English, and the script is named;
2. otherwise lingua (a well-kept n-gram language identifier) chooses among the
   common Latin-script languages, and wordfreq says what share of the words are
   common English words that are no more common in lingua's choice; the article
   is refused only when lingua is confident it is another language AND fewer
   than half of its words are English. Either signal alone misfires on English
   full of foreign names (lingua alone refused 36 of 7,500 two-line English
   snippets of the evaluation data); together they refused none of them, and
   16 of 15,000 single lines (each a string of foreign names), while refusing
   all but 8 of 3,000 two-line snippets in Romanian, Russian and Sinhala.

Short texts (a headline, under `MIN_LETTERS` letters, or `MIN_SCRIPT_LETTERS` in
another script) are never refused: there is too little to tell. English
articles that quote other languages stay English.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

MIN_LETTERS = 60
"""Below this many letters in the sample, no verdict on a Latin-script text is given."""

MIN_SCRIPT_LETTERS = 20
"""Below this many letters, no verdict on the writing system is given."""

MIN_CONFIDENCE = 0.8
"""lingua's confidence (0..1) that the text is in the other language, to refuse it."""

MAX_ENGLISH_WORDS = 0.5
"""Share of common English words (wordfreq Zipf >= 3) at or above which a text is never refused."""

SAMPLE_CHARS = 1500
"""Characters read from the start, the middle and the end of the article."""

_LATIN_LANGUAGES = (
    "ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "POLISH",
    "ROMANIAN", "TURKISH", "INDONESIAN", "MALAY", "SWEDISH", "DANISH", "BOKMAL", "FINNISH",
    "CZECH", "SLOVAK", "HUNGARIAN", "CROATIAN", "SLOVENE", "VIETNAMESE", "TAGALOG", "CATALAN",
    "LATIN", "ESPERANTO", "AFRIKAANS", "SWAHILI", "ALBANIAN", "LITHUANIAN", "LATVIAN", "ESTONIAN",
)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@dataclass(frozen=True)
class Verdict:
    """What the article seems to be written in."""

    language: str | None
    """'English', 'German', ... or None when there was too little text to tell."""
    confidence: float
    script: str
    english_words: float = 1.0
    """Share of the sample's words that are common English words."""


def sample(text: str, size: int = SAMPLE_CHARS) -> str:
    """Up to three windows of `size` characters: start, middle and end."""
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2 - size // 2
    return "\n".join((text[:size], text[middle : middle + size], text[-size:]))


def main_script(text: str) -> tuple[str, int]:
    """The writing system of most letters ('LATIN', 'CYRILLIC', ...) and how many letters there are."""
    scripts = Counter(_script(ch) for ch in text if ch.isalpha())
    if not scripts:
        return "NONE", 0
    return scripts.most_common(1)[0][0], sum(scripts.values())


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ")[0] if name else "UNKNOWN"


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LATIN_LANGUAGES if hasattr(Language, name)]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(text: str) -> Verdict:
    """The language of `text` as far as it can be told from a sample."""
    part = sample(text)
    script, letters = main_script(part)
    if script != "LATIN" and letters >= MIN_SCRIPT_LETTERS:
        return Verdict(f"{script.title()} script", 1.0, script)
    if letters < MIN_LETTERS:
        return Verdict(None, 0.0, script)
    values = _detector().compute_language_confidence_values(part)
    if not values:
        return Verdict(None, 0.0, script)
    top = values[0]
    other = top.language.iso_code_639_1.name.lower()
    return Verdict(top.language.name.title(), round(float(top.value), 3), script, english_share(part, other))


_WORDFREQ_CODES = {"tl": "fil", "nb": "nb", "hr": "sh", "sr": "sh", "bs": "sh"}


def english_share(text: str, other: str | None = None) -> float:
    """The share of words in `text` that are common English words (1.0 for no
    words) and, when `other` (an ISO 639-1 code) is given, no more common in
    that language: 'de' and 'que' are frequent on the English web too."""
    from wordfreq import available_languages, zipf_frequency

    words = [word.lower() for word in _WORD.findall(text)]
    if not words:
        return 1.0
    other = _WORDFREQ_CODES.get(other or "", other)
    rival = other if other and other != "en" and other in available_languages() else None
    english = 0
    for word in words:
        score = zipf_frequency(word, "en")
        if score >= 3.0 and (rival is None or score >= zipf_frequency(word, rival)):
            english += 1
    return round(english / len(words), 3)


def english_problem(text: str) -> str | None:
    """Why `text` is not usable as an English article, or None if it is (or cannot be told)."""
    verdict = detect(text)
    if verdict.language is None or verdict.language == "English":
        return None
    if verdict.script != "LATIN":
        return f"is not in English: most of its letters are in {verdict.language}"
    if verdict.confidence >= MIN_CONFIDENCE and verdict.english_words < MAX_ENGLISH_WORDS:
        return f"is in {verdict.language}, not English; mtrepair repairs English articles only"
    return None
