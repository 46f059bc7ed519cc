"""Sentence embeddings, alignment to the references, and which references may guide edits."""
