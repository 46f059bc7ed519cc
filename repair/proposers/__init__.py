"""Proposal makers, one module per kind of evidence: grammar rules, quotes,
phrases, entities and coverage. Each takes typed records and returns `Proposal`s."""
