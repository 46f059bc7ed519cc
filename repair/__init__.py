"""mtrepair's library: clean, segment, check, align, propose, report, apply.

Every stage is a plain function over the records in `repair.records`; the
Prefect flows in `flows/` and the CLI in `mtrepair/` only call them.
"""

__version__ = "0.1.0"
