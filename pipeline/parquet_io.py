"""Checking, reading and writing the Parquet files of the infer job.

Beam's Parquet reader silently drops a requested column that a file lacks and
fails deep inside a worker on a corrupt file, so every input file's footer is
checked on the launching machine before the pipeline is built.
"""

import dataclasses
from typing import Dict, List

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystems import FileSystems

from schemas import parquet


class InputError(ValueError):
    """The input cannot be processed; raised before any work starts."""


@dataclasses.dataclass
class InputFiles:
    paths: List[str]
    schema: pa.Schema  # shared by every file
    rows: Dict[str, int]  # rows per file, from the footers


def _read_footer(path: str) -> pq.FileMetaData:
    try:
        with FileSystems.open(path, compression_type="uncompressed") as handle:
            return pq.ParquetFile(handle).metadata
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error})") from error


def check_inputs(pattern: str, text_column: str, full_attention: bool) -> InputFiles:
    """Matches `pattern` and checks every file; raises InputError naming the
    file and the problem: no match, not Parquet, missing text column, a schema
    that differs from the first file's, or an input column that an output
    column would overwrite."""
    matches = FileSystems.match([pattern])[0].metadata_list
    paths = sorted(m.path for m in matches)
    if not paths:
        raise InputError(f"no files match {pattern}")
    schema, rows = None, {}
    for path in paths:
        metadata = _read_footer(path)
        file_schema = metadata.schema.to_arrow_schema().remove_metadata()
        if text_column not in file_schema.names:
            raise InputError(f"{path}: no column {text_column!r}; its columns are "
                             f"{', '.join(file_schema.names) or '(none)'}")
        clashes = sorted(set(file_schema.names) & set(parquet.added_columns(full_attention)))
        if clashes:
            raise InputError(f"{path}: input column(s) {', '.join(clashes)} would be overwritten "
                             "by the output columns of the same name; rename them first")
        if schema is None:
            schema = file_schema
        elif not file_schema.equals(schema):
            raise InputError(f"{path}: its schema differs from {paths[0]}'s:\n"
                             f"{file_schema}\nvs\n{schema}")
        rows[path] = metadata.num_rows
    return InputFiles(paths, schema, rows)


class ReadParquetBatches(beam.PTransform):
    """Checked files -> (file name, pyarrow.Table) batches, all columns."""

    def __init__(self, paths: List[str]):
        super().__init__()
        self._paths = paths

    def expand(self, pbegin):
        return (pbegin
                | "ListFiles" >> beam.Create(self._paths)
                | "ReadBatches" >> beam.io.ReadAllFromParquetBatched(with_filename=True))


class WriteParquetBatches(beam.PTransform):
    """(file name, pyarrow.Table) batches -> sharded Parquet at `prefix`."""

    def __init__(self, prefix: str, schema: pa.Schema, num_shards: int = 0):
        super().__init__()
        self._prefix = prefix
        self._schema = schema
        self._num_shards = num_shards

    def expand(self, batches):
        return (batches
                | "DropFileName" >> beam.Map(lambda named: named[1])
                | "WriteParquet" >> beam.io.WriteToParquetBatched(
                    self._prefix, schema=self._schema, codec="snappy",
                    file_name_suffix=".parquet", num_shards=self._num_shards))
