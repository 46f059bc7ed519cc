"""`make bench`: speed and memory of the pipeline, as ratios to its bare components.

Absolute times on a shared machine vary; ratios measured side by side in one run
hold. Nothing here runs in `make test`.
"""
