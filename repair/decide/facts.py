"""Which facts an edit would change, and the guard that turns such an edit into a flag.

A reference article is written by another outlet: it may give another day, another
figure or another person for the same event. An edit taken from it that changes a
fact loses the article's own fact silently, so no edit may change a number, a
date word, a weekday or month name, a currency, or a person's or place's name into
a different one. Such an edit becomes a flag that carries both versions for a
person to decide. A respelling of the same name (Alexei / Alexey, Kiev / Kyiv) is
not a different fact: it stays an edit, labelled as a respelling.

Names are found the way a reader of English finds them: capitalised words that do
not start a sentence (or that start one but appear mid-sentence elsewhere in the
article, or are rare as words). Two spellings are one name when they are close as
strings and sound alike (jellyfish's Metaphone), or differ by one letter in a long name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

import jellyfish
from wordfreq import zipf_frequency

from repair.proposers.tokens import CLOSED_CLASS
from repair.records import Document, Proposal

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
DATE_WORDS = ("yesterday", "today", "tomorrow", "tonight")
NUMBER_WORDS = {
    w: str(n)
    for n, w in enumerate(
        "zero _ two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty".split()
    )
    if w != "_"  # "one" is a pronoun as often as a number ("no one", "one of them")
}
NUMBER_WORDS.update({w: str(10 * n) for n, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
NUMBER_WORDS.update({"hundred": "1e2", "thousand": "1e3", "million": "1e6", "billion": "1e9", "trillion": "1e12",
                     "dozen": "12", "first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th",
                     "sixth": "6th", "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th",
                     "twice": "2x", "half": "1/2", "quarter": "1/4"})
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH", "₹": "INR"}
CURRENCY_WORDS = {
    "dollar": "USD", "euro": "EUR", "pound": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH", "hryvnias": "UAH", "rupee": "INR", "franc": "CHF",
    "cent": "cent", "pence": "pence", "penny": "pence",
}
CURRENCY_CODES = frozenset({"USD", "EUR", "GBP", "JPY", "CNY", "RUB", "UAH", "INR", "CHF"})
MIN_NAME_RATIO = 0.75
COMMONER_WORD_GAP = 1.0
"""Two spellings whose word frequencies differ by ten times or more (one of them common) are two words."""
RARE_WORD_ZIPF = 3.0
"""A capitalised word that opens a sentence is taken for a name when it is rarer than this as an
English word (wordfreq's Zipf scale: 3 is once per million words); a rare name and a common word
are never two spellings of one name."""

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:st|nd|rd|th)?")
_WORD = re.compile(r"[^\W\d_]+(?:[’'-][^\W\d_]+)*")
_ACRONYM = re.compile(r"(?:[A-Z]\.){2,}")
_FACT = re.compile(rf"{_ACRONYM.pattern}|{_NUMBER.pattern}|{_WORD.pattern}|[{''.join(CURRENCY_SIGNS)}]")
_SENTENCE_END = re.compile(r"[.!?…:][\"'”’»)\]]*\s*$|\n\s*$")
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Fact:
    """One fact-bearing word of a text: what kind, as written, and its value for comparing."""

    kind: str  # number, date, weekday, month, currency, name
    text: str
    value: str


@dataclass(frozen=True)
class FactCheck:
    """What an edit does to the facts of the text it replaces.

    `changed` holds (kind, before, after); an empty side means the fact is removed
    or added. `respelled` holds (before, after) pairs of the same name.
    """

    changed: tuple[tuple[str, str, str], ...] = ()
    respelled: tuple[tuple[str, str], ...] = ()

    @property
    def safe(self) -> bool:
        return not self.changed

    def describe(self) -> str:
        parts = []
        for kind, before, after in self.changed:
            if before and after:
                parts.append(f"change the {kind} “{before}” to “{after}”")
            elif before:
                parts.append(f"remove the {kind} “{before}”")
            else:
                parts.append(f"add the {kind} “{after}”")
        return "; ".join(parts)


def normal_name(text: str) -> str:
    """A name without accents, case and possessive ending, for comparing spellings."""
    decomposed = unicodedata.normalize("NFKD", _POSSESSIVE.sub("", text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _sound(name: str) -> str:
    return jellyfish.metaphone(name).replace("Y", "").replace("W", "").replace("H", "")


def is_respelling(a: str, b: str) -> bool:
    """True when `a` and `b` are two spellings of one name (Alexei / Alexey), not two names.

    Not when they start with different letters (Kaikkonen / Raikkonen), nor when a rare name
    would become a common word (Myint / Mint, Henman / Herman): that is a spelling checker
    replacing a name it does not know.
    """
    a, b = normal_name(a), normal_name(b)
    if a == b:
        return True
    if a[:1] != b[:1] or SequenceMatcher(None, a, b).ratio() < MIN_NAME_RATIO:
        return False
    za, zb = _zipf(a), _zipf(b)
    # only a spelling wordfreq has seen is a name in its own right (Myint, Henman); an unseen one (Einstien,
    # Japen) is a typo of the common word
    if min(za, zb) > 0 and max(za, zb) >= RARE_WORD_ZIPF and abs(za - zb) >= COMMONER_WORD_GAP:
        return False
    if _sound(a) == _sound(b):
        return True
    return min(len(a), len(b)) >= 6 and jellyfish.damerau_levenshtein_distance(a, b) <= 1


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    return zipf_frequency(word, "en")


def _is_rare(word: str) -> bool:
    return _zipf(word) < RARE_WORD_ZIPF


def known_names(document: Document) -> frozenset[str]:
    """Capitalised words that appear mid-sentence somewhere in `document` (its names)."""
    names = set()
    for sentence in document.sentences:
        opener = _WORD.findall(sentence.text)[:1]
        found = [f for f in facts(sentence.text, starts_sentence=True) if f.kind == "name"]
        if found and opener and found[0].text == opener[0]:
            found = found[1:]  # capitalised by its place alone, as far as this sentence tells
        names.update(f.value for f in found)
    return frozenset(names)


def facts(text: str, names: frozenset[str] = frozenset(), starts_sentence: bool = True) -> list[Fact]:
    """The fact-bearing words of `text`, in order.

    `starts_sentence` says whether `text` begins a sentence; a capitalised word
    that opens a sentence counts as a name only when it is in `names` or rare.
    """
    found = []
    for match in _FACT.finditer(text):
        word = match.group(0)
        key = word.casefold().replace("’", "'")
        if word[0].isdigit():
            value = re.sub(r"(?<=\d),(?=\d{3}\b)", "", word)
            found.append(Fact("number", word, value.replace(",", ".")))
            continue
        if word in CURRENCY_SIGNS or word in CURRENCY_CODES:
            found.append(Fact("currency", word, CURRENCY_SIGNS.get(word, word)))
            continue
        singular = key[:-1] if key.endswith("s") else key
        if key in WEEKDAYS or singular in WEEKDAYS:
            found.append(Fact("weekday", word, key))  # "on Fridays" is not "on Friday"
        elif (key in MONTHS and (key != "may" or word[0].isupper()) and (key != "march" or word[0].isupper())):
            found.append(Fact("month", word, str(MONTHS.index(key) + 1)))
        elif key in DATE_WORDS:
            found.append(Fact("date", word, key))
        elif key in NUMBER_WORDS or singular in NUMBER_WORDS or _hyphenated_number(key):
            found.append(Fact("number", word, NUMBER_WORDS.get(key) or NUMBER_WORDS.get(singular) or _hyphenated_number(key)))
        elif key in CURRENCY_WORDS or singular in CURRENCY_WORDS:
            found.append(Fact("currency", word, CURRENCY_WORDS.get(key) or CURRENCY_WORDS[singular]))
        elif word[0].isupper() and key not in CLOSED_CLASS:
            opens = (starts_sentence and not text[: match.start()].strip(" \t\"'“‘«([")) or bool(
                _SENTENCE_END.search(text[: match.start()])
            )
            value = _POSSESSIVE.sub("", word).casefold()  # accents kept: Zürich / Zurich is a respelling
            if not opens or value in names or _is_rare(normal_name(word)):
                found.append(Fact("name", word, value))
    return found


def _hyphenated_number(key: str) -> str | None:
    """'twenty-five' -> '25'."""
    parts = key.split("-")
    if len(parts) == 2 and all(p in NUMBER_WORDS or p == "one" for p in parts):
        tens, ones = NUMBER_WORDS[parts[0]], NUMBER_WORDS.get(parts[1], "1")
        if tens.isdigit() and ones.isdigit():
            return str(int(tens) + int(ones))
    return None


def check_edit(original: str, replacement: str, names: frozenset[str] = frozenset(),
               starts_sentence: bool = False) -> FactCheck:
    """Which facts replacing `original` by `replacement` changes, and which names it only respells."""
    before = facts(original, names, starts_sentence)
    after = facts(replacement, names, starts_sentence)
    changed: list[tuple[str, str, str]] = []
    respelled: list[tuple[str, str]] = []
    for kind in ("number", "date", "weekday", "month", "currency"):
        removed = _difference(before, after, kind)
        added = _difference(after, before, kind)
        for k in range(max(len(removed), len(added))):
            changed.append((kind, removed[k] if k < len(removed) else "", added[k] if k < len(added) else ""))
    # a word that is a name on one side only by its capital (draconian / Draconian) is the same word
    words_before = {w.casefold() for w in _WORD.findall(original)}
    words_after = {w.casefold() for w in _WORD.findall(replacement)}
    removed = [n for n in _difference(before, after, "name") if _name_key(n) not in words_after]
    if starts_sentence:
        removed = [n for n in removed if not _opening_typo(n, original, replacement, names)]
    added = [n for n in _difference(after, before, "name") if _name_key(n) not in words_before]
    respelled += _expanded_acronyms(removed, added) + [(b, a) for a, b in _expanded_acronyms(added, removed)]
    for name in removed:
        twin = next((other for other in added if is_respelling(name, other)), None)
        if twin is None:
            changed.append(("name", name, ""))
        else:
            added.remove(twin)
            respelled.append((name, twin))
    changed += [("name", "", name) for name in added]
    # a removed name and an added one are one change of name: pair them for the message
    names_out = [c for c in changed if c[0] == "name" and c[1]]
    names_in = [c for c in changed if c[0] == "name" and c[2]]
    if names_out and names_in:
        others = [c for c in changed if c[0] != "name"]
        paired = [("name", o[1], i[2]) for o, i in zip(names_out, names_in)]
        rest = names_out[len(names_in):] + names_in[len(names_out):]
        changed = others + paired + rest
    return FactCheck(tuple(changed), tuple(respelled))


def _opening_typo(name: str, original: str, replacement: str, names: frozenset[str]) -> bool:
    """A misspelt ordinary word that opens a sentence ("Becuase", "Scond", "Forexample") looks like a
    name only by its capital: its fix into a common word of the same start is no change of name.
    A word the article also capitalises mid-sentence (`names`) stays a name."""
    key = _name_key(name)
    first = _WORD.findall(original)[:1]
    if key in names or not first or first[0] != name:
        return False
    words = [w.casefold() for w in _WORD.findall(replacement)[:2]]
    for k in (1, 2):
        phrase = words[:k]
        joined = "".join(phrase)
        if (len(phrase) == k and joined[:1] == key[:1] and _zipf(" ".join(phrase)) >= RARE_WORD_ZIPF
                and SequenceMatcher(None, key, joined).ratio() >= MIN_NAME_RATIO):
            return True
    return False


def _name_key(name: str) -> str:
    return _POSSESSIVE.sub("", name).casefold()


def _expanded_acronyms(words: list[str], acronyms: list[str]) -> list[tuple[str, str]]:
    """Pair a run of `words` with the acronym of their initials (United States / U.S.), removing both."""
    pairs = []
    for acronym in list(acronyms):
        letters = acronym.replace(".", "")
        if len(letters) < 2 or not letters.isupper():
            continue
        for i in range(len(words) - len(letters) + 1):
            run = words[i : i + len(letters)]
            if "".join(w[0] for w in run) == letters:
                pairs.append((" ".join(run), acronym))
                del words[i : i + len(letters)]
                acronyms.remove(acronym)
                break
    return pairs


def _difference(first: list[Fact], second: list[Fact], kind: str) -> list[str]:
    """Facts of `kind` in `first` that `second` lacks (as written), counting repeats."""
    left = Counter(f.value for f in first if f.kind == kind)
    right = Counter(f.value for f in second if f.kind == kind)
    missing = left - right
    out = []
    for fact in first:
        if fact.kind == kind and missing[fact.value] > 0:
            missing[fact.value] -= 1
            out.append(fact.text)
    return out


def starts_sentence(document: Document, offset: int) -> bool:
    """True when only opening quotes and spaces precede `offset` in its sentence."""
    sentence = document.sentence_at(offset)
    if sentence is None:
        return True
    return not document.text[sentence.start:offset].strip(" \t\"'“‘«([")


def check_proposal(document: Document, proposal: Proposal, names: frozenset[str] | None = None) -> FactCheck:
    """The fact check of one proposal's edit against `document`, the cleaned article it points into."""
    names = known_names(document) if names is None else names
    return check_edit(proposal.original, proposal.replacement, names, starts_sentence(document, proposal.start))


def guard_facts(document: Document, proposals: Iterable[Proposal]) -> list[Proposal]:
    """Every edit that would change a fact becomes a flag with both versions; respellings are labelled.

    Flags, applied cleanup and proposals that change nothing pass unchanged.
    """
    names: frozenset[str] | None = None
    out = []
    for p in proposals:
        if not p.is_edit:
            out.append(p)
            continue
        names = known_names(document) if names is None else names
        check = check_proposal(document, p, names)
        if not check.safe:
            out.append(fact_flag(p, check))
        elif check.respelled:
            label = "respelling of the same name: " + ", ".join(f"{a} / {b}" for a, b in check.respelled)
            note = f"{p.evidence.note}; {label}" if p.evidence.note else label
            out.append(replace(p, evidence=replace(p.evidence, note=note)))
        else:
            out.append(p)
    return out


FLAG_CONFIDENCE = 0.5


def fact_flag(p: Proposal, check: FactCheck) -> Proposal:
    """The flag that replaces edit `p`: it keeps the article's text and names the proposed one."""
    source = "reference" if p.kind == "reference" else p.kind
    kinds = sorted({kind for kind, _, _ in check.changed})
    rule = p.evidence.rule_id or p.kind
    return replace(
        p,
        kind="flag",
        replacement=p.original,
        applied=False,
        reason=(f"the {source} edit “{p.original}” → “{p.replacement}” would {check.describe()}; "
                f"not applied, check which version is right"),
        evidence=replace(
            p.evidence,
            rule_id="fact:" + "+".join(kinds),
            note=f"proposed by {rule}: “{p.replacement}”" + (f"; {p.evidence.note}" if p.evidence.note else ""),
        ),
        confidence=FLAG_CONFIDENCE,
    )

