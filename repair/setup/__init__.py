"""Set-up: what a run needs beyond the Python packages, checked and installed by name.

`mtrepair setup` (and `make install`, which calls it) runs `install()`; `mtrepair setup --check`
runs `check()`. Components run in the order of the imports below; adding one is a module
with a `check` (and, where mtrepair can fetch it, an `install`) and one `register(...)` call:

    from repair.setup.registry import Component, State, register
    register(Component("wordnet", "WordNet database (Debian wordnet-base)", check, install))

See registry.py for the contract (idempotent, atomic, one line per failure).
"""

from repair.setup.registry import COMPONENTS, Component, Outcome, State, check, install, register
from repair.setup import java, languagetool, onnx_model, language_model, wordnet  # noqa: F401,E402  (registration order)

__all__ = ["COMPONENTS", "Component", "Outcome", "State", "check", "install", "register"]
