"""`mtrepair up`: a per-user Prefect server and LanguageTool server kept warm in the background.

Every `mtrepair run` otherwise starts Prefect's temporary API server and a
LanguageTool JVM of its own and pays for both again. `mtrepair up` starts the
two once, in a background *keeper* process (`keeper.py`), and records them in a
state file in the user's cache (`state.py`); later runs find them there
(`discover.py`) and use them, or fall back to today's per-process start. The
keeper stops both after an idle time, on `mtrepair down`, and when it dies.

The model of Gradle's daemon and `prefect server start --background`: nothing
starts implicitly, one pair per user (per cache folder), never shared across
versions.
"""
