"""Component `language-model`: the CMU US English trigram model that ships inside PyPI `pocketsphinx`.

It comes with the Python package, so there is nothing to fetch: the component only checks that
the model file is there and readable (a broken or trimmed install would flag no word).
"""

from __future__ import annotations

from repair.setup.registry import Component, State, register


def check() -> State:
    from repair.engines.language_model import model_path

    try:
        path = model_path()
    except Exception as exc:  # pocketsphinx missing or without its model: say so in one line
        return State("language-model", False, fix=f"{' '.join(str(exc).split())}: reinstall mtrepair (pip install pocketsphinx)")
    if not path.is_file():
        return State("language-model", False, path, fix=f"{path} is missing: reinstall pocketsphinx")
    return State("language-model", True, path, path.stat().st_size, "CMU US English trigram (pocketsphinx)")


register(Component("language-model", "trigram language model for the out-of-place word flags (in pocketsphinx)", check))
