"""Review of a batch's output folder as a team: which drops wait, their saved decisions, Done.

Pure functions over the files a batch and the review page write; the review desk
(`desk/`) and the CLI call them. Nothing here serves or imports a web framework.
"""
