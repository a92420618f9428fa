"""The election directory: election.toml, its tables and its laws, read and written."""
