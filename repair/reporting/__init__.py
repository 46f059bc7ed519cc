"""The run folder: report pages, run.json, the review page and its server."""
