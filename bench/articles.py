"""Real articles of chosen sizes, built from the WMT21 ru-en news test set.

Each line of a system output is one paragraph; the reference is the human
translation A of the same lines. Sizes above 1,000 lines take the outputs of
several systems in turn (the duplicate-passage cleanup removes identical lines,
so the sentence count after cleanup is what is reported).
"""

from __future__ import annotations

from pathlib import Path

WMT = "wmt21-ru-en"
SYSTEMS = ["Online-Y", "Online-A", "AFRL", "Manifold", "NiuTrans", "Online-B", "Online-G", "Online-W", "NVIDIA-NeMo", "Facebook-AI"]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def system_lines(data: Path, system: str) -> list[str]:
    return _lines(data / WMT / "system-outputs" / f"newstest2021.ru-en.hyp.{system}.en")


def reference_lines(data: Path, which: str = "A") -> list[str]:
    return _lines(data / WMT / f"newstest2021.ru-en.ref.{which}.en")


def docids(data: Path) -> list[str]:
    return _lines(data / WMT / "newstest2021.ru-en.docids")


def article_pair(data: Path, lines: int, folder: Path) -> tuple[Path, Path]:
    """Write a target of `lines` paragraphs and its reference; return their paths."""
    target: list[str] = []
    for system in SYSTEMS:
        target.extend(system_lines(data, system))
        if len(target) >= lines:
            break
    target = target[:lines]
    reference = reference_lines(data)[: min(lines, 1000)]
    folder.mkdir(parents=True, exist_ok=True)
    target_path = folder / f"target-{lines}.txt"
    reference_path = folder / f"reference-{lines}.txt"
    target_path.write_text("\n".join(target) + "\n", encoding="utf-8")
    reference_path.write_text("\n".join(reference) + "\n", encoding="utf-8")
    return target_path, reference_path
