"""The results bundle's files: the manifest, the folder it is drafted in, and the JSON diff
that verification reports (writing and verifying a bundle is saylau.pipeline's)."""
