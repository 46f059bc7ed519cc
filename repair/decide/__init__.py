"""Gathering proposals (calibrated, numbered), applying them, and the editor's decisions."""
