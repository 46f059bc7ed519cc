"""One module per resource the desk serves: drops, decisions, files."""
