"""Checking, reading and writing the Parquet files of the infer job.

Beam's Parquet reader silently drops a requested column that a file lacks and
fails deep inside a worker on a corrupt file, so every input file's footer is
checked on the launching machine before the pipeline is built.
"""

import collections
import concurrent.futures
import dataclasses
from typing import Dict, List

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import filebasedsink
from apache_beam.io.filesystem import CompressionTypes
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


class _BackgroundParquetWriter:
    """A ParquetWriter that encodes and writes on its own thread (pyarrow
    releases the GIL there), so the next batch is normalized meanwhile. At
    most _MAX_PENDING tables wait; a failed write raises from the next
    write() or from close()."""

    _MAX_PENDING = 2

    def __init__(self, handle, schema: pa.Schema, codec: str):
        self._handle = handle
        self._writer = pq.ParquetWriter(handle, schema, compression=codec)
        self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="parquet")
        self._pending = collections.deque()

    def write(self, table: pa.Table) -> None:
        while len(self._pending) >= self._MAX_PENDING:
            self._pending.popleft().result()
        self._pending.append(self._thread.submit(self._writer.write_table, table))

    def close(self) -> None:
        try:
            while self._pending:
                self._pending.popleft().result()
            self._writer.close()
        finally:
            self._thread.shutdown(cancel_futures=True)
            self._handle.close()


class ParquetSink(filebasedsink.FileBasedSink):
    """Beam file sink of pyarrow Tables, written in the background (see
    _BackgroundParquetWriter); otherwise like beam.io.WriteToParquetBatched's."""

    def __init__(self, prefix: str, schema: pa.Schema, codec: str, num_shards: int):
        super().__init__(prefix, coder=None, file_name_suffix=".parquet", num_shards=num_shards,
                         mime_type="application/x-parquet",
                         compression_type=CompressionTypes.UNCOMPRESSED)
        self._schema = schema
        self._codec = codec

    def open(self, temp_path):
        return _BackgroundParquetWriter(super().open(temp_path), self._schema, self._codec)

    def write_record(self, writer, table):
        writer.write(table)

    def close(self, writer):
        writer.close()


class WriteParquetBatches(beam.PTransform):
    """(file name, pyarrow.Table) batches -> sharded Parquet at `prefix`."""

    def __init__(self, prefix: str, schema: pa.Schema, num_shards: int = 0):
        super().__init__()
        self._sink = ParquetSink(prefix, schema, "snappy", num_shards)

    def expand(self, batches):
        return (batches
                | "DropFileName" >> beam.Map(lambda named: named[1])
                | "WriteParquet" >> beam.io.Write(self._sink))
