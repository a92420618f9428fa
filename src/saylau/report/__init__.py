"""Reports of a run: the results table in the published form."""
