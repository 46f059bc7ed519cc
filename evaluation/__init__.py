"""The evaluation harness: benchmarks on third-party data (see docs/quality.md).

Not part of the library and not run by `make test`; `make eval` runs it. It
needs the `eval` extras (gleu, sacrebleu, rapidfuzz).
"""
