"""The `mtrepair` command line: a thin layer over the `repair` library and the flows."""
