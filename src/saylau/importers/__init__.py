"""Importers: one package per real source, each turning its published files into the core's
inputs (saylau.inputs.ElectionInputs)."""
