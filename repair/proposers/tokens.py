"""Words with their character offsets, and English closed-class words.

Closed-class words (articles, determiners, prepositions, pronouns, auxiliaries)
are a fixed, small part of the language, so listing them is grammar, not data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]", re.UNICODE)

CLOSED_CLASS = frozenset(
    """a an the this that these those its his her their our your my some any each every no
    of in on at to for from by with about into onto over under after before between against
    during through without within upon via as than and or but nor so yet
    he she it they we you i him them us me who whom which what
    is are was were be been being has have had do does did will would shall should can could may might must
    not""".split()
)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def key(self) -> str:
        return self.text.casefold().replace("’", "'")

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum() or self.text[0] == "_"

    @property
    def is_closed_class(self) -> bool:
        return self.key in CLOSED_CLASS


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Words and punctuation marks of `text`, offsets shifted by `offset`."""
    return [Token(m.group(0), offset + m.start(), offset + m.end()) for m in _TOKEN.finditer(text)]
