"""Drops (folders to repair) and the batch's output index."""
