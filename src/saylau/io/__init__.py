"""The edges for files: the election directory, protocol files and the results bundle's files.

`io` reads and writes files of the core's types. It never imports the pipeline, analysis,
exports, reports, the service or the command line (docs/architecture.md).
"""
