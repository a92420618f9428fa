"""Saylau's version: what every bundle, export and report names as its maker."""

__version__ = "0.1.0"
