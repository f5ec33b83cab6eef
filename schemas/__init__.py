"""Contracts between the stages of timenorm: names, sizes, feature specs and
Parquet schemas. This package imports nothing else of the project."""
