"""The infer job's summary: rows per file, per status and per error, counted
Beam's way ((key, rows) pairs -> CombinePerKey(sum) -> ToDict), written as
JSON once the Parquet files are final.
"""

import json
from typing import List, Optional

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from schemas import parquet


class CountRows(beam.PTransform):
    """Output batches -> one dict {files, status, error: {name: rows}}."""

    def expand(self, batches):
        return (batches
                | "CountBatches" >> beam.FlatMap(batch_counts)
                | "SumCounts" >> beam.CombinePerKey(sum)
                | "GatherCounts" >> beam.combiners.ToDict()
                | "NestCounts" >> beam.Map(nest_counts))


def batch_counts(named_table):
    """(key, rows) pairs of one output batch: (("files", file name), rows),
    (("status", status), rows) and (("error", error), rows); the same go to
    the Beam counters infer/rows, infer/status_* and infer/error_*."""
    file_name, table = named_table
    beam.metrics.Metrics.counter("infer", "rows").inc(table.num_rows)
    yield ("files", file_name), table.num_rows
    for column, key in ((parquet.STATUS_COLUMN, "status"), (parquet.ERROR_COLUMN, "error")):
        for entry in table.column(column).value_counts().to_pylist():
            if entry["values"] is not None:
                beam.metrics.Metrics.counter("infer", f"{key}_{entry['values']}").inc(
                    entry["counts"])
                yield (key, entry["values"]), entry["counts"]


def nest_counts(counts: dict) -> dict:
    """{(kind, name): rows} -> {kind: {name: rows}} for files, status and error."""
    nested = {"files": {}, "status": {}, "error": {}}
    for (kind, name), rows in sorted(counts.items()):
        nested[kind][name] = rows
    return nested


def make_summary(counts: dict, rows_in: dict, written: List[str],
                 settings: Optional[dict] = None) -> dict:
    """The run's summary from the nested counts (nest_counts); `settings` (what
    the run chose, such as its min_confidence and where it came from) are
    recorded as given."""
    rows_out = {path: counts["files"].get(path, 0) for path in rows_in}
    return {
        "rows_in": sum(rows_in.values()),
        "rows_out": sum(counts["files"].values()),
        "balanced": rows_out == rows_in and set(counts["files"]) <= set(rows_in),
        "status": {status: counts["status"].get(status, 0) for status in parquet.STATUSES},
        "error": counts["error"],
        "files_read": len(rows_in),
        "rows_per_file": {path: {"in": rows_in[path], "out": rows_out[path]}
                          for path in sorted(rows_in)},
        "files_written": sorted(written),
        **(settings or {}),
    }


class _WriteSummaryFn(beam.DoFn):
    def __init__(self, path: str, rows_in: dict, settings: dict):
        self._path = path
        self._rows_in = rows_in
        self._settings = settings

    def process(self, written, counts):
        summary = make_summary(counts, self._rows_in, written, self._settings)
        with FileSystems.create(self._path) as handle:
            handle.write((json.dumps(summary, indent=2) + "\n").encode())
        yield summary


class WriteSummary(beam.PTransform):
    """Writes the JSON summary once the Parquet files are final."""

    def __init__(self, path: str, rows_in: dict, counts, settings: Optional[dict] = None):
        super().__init__()
        self._path = path
        self._rows_in = rows_in
        self._counts = counts
        self._settings = settings or {}

    def expand(self, written_files):
        return (written_files
                | "ListWritten" >> beam.combiners.ToList()
                | "WriteJson" >> beam.ParDo(_WriteSummaryFn(self._path, self._rows_in,
                                                            self._settings),
                                            beam.pvalue.AsSingleton(self._counts)))
