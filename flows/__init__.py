"""Prefect flows over the `repair` library: one pair on demand, drops in batches."""
