"""The Beam jobs: generate (time language -> TFRecords) and infer (Parquet -> Parquet).

Run as commands (`timenorm generate`, `python -m pipeline.infer`), both go
through pipeline/cli.py, which imports them with the cycle collector held;
importing them as a library leaves the collector alone.
"""
