"""Checking, reading and writing the Parquet files of the infer job.

Every input file's footer is checked on the launching machine before the
pipeline is built. The files are then read here rather than by Beam's
ReadAllFromParquet(Batched), which treats each path as a glob pattern again
(a file named `x[1].parquet` is lost, `a*.parquet` also reads `ab.parquet`),
silently drops a requested column a file lacks and, on a corrupt page, fails
without naming the file.
"""

import collections
import contextlib
import concurrent.futures
import dataclasses
import re
from typing import Dict, List, Tuple

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io import filebasedsink
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from schemas import parquet


class InputError(ValueError):
    """The input cannot be processed; raised before any work starts."""


class ReadError(RuntimeError):
    """A file passed the footer check but could not be read; names the file."""


# Rows of one read element: the row groups of a file are read in runs of about
# this many rows, so large files spread over workers and small ones stay whole.
ROWS_PER_READ = 1_000_000
_LOCAL_SCHEME = "file://"


def literal_pattern(path: str) -> str:
    """`path` as a FileSystems.match pattern that matches only itself."""
    return re.sub(r"([*?\[])", r"[\1]", path)


def local_path(path: str) -> str:
    """A file:// URL as the plain local path Beam's filesystems understand."""
    return path[len(_LOCAL_SCHEME):] if path.startswith(_LOCAL_SCHEME) else path


@dataclasses.dataclass
class InputFiles:
    paths: List[str]
    schema: pa.Schema  # shared by every file
    rows: Dict[str, int]  # rows per file, from the footers
    row_groups: Dict[str, List[int]]  # rows per row group, per file

    def read_units(self, rows_per_read: int = ROWS_PER_READ) -> List[Tuple[str, List[int]]]:
        """(path, row group indices) runs of about `rows_per_read` rows each."""
        units = []
        for path in self.paths:
            run, run_rows = [], 0
            for index, rows in enumerate(self.row_groups[path]):
                if run and run_rows + rows > rows_per_read:
                    units.append((path, run))
                    run, run_rows = [], 0
                run.append(index)
                run_rows += rows
            if run:
                units.append((path, run))
        return units


def _read_footer(path: str) -> pq.FileMetaData:
    try:
        with FileSystems.open(path, compression_type="uncompressed") as handle:
            return pq.ParquetFile(handle).metadata
    except (pa.ArrowInvalid, OSError) as error:
        raise InputError(f"{path}: not a readable Parquet file ({error})") from error


def check_inputs(pattern: str, text_column: str, full_attention: bool) -> InputFiles:
    """Matches `pattern` (a glob; file:// is read as a local path) and checks
    every file; raises InputError naming the file and the problem: no match,
    not Parquet, missing or repeated text column, a schema that differs from
    the first file's, or an input column that an output column would
    overwrite. The matched paths are names, never patterns again."""
    pattern = local_path(pattern)
    try:
        matches = FileSystems.match([pattern])[0].metadata_list
    except (ValueError, OSError) as error:  # an unknown scheme, an unreadable bucket
        raise InputError(f"cannot list {pattern}: {error}") from error
    paths = sorted(m.path for m in matches)
    if not paths:
        raise InputError(f"no files match {pattern}")
    schema, rows, row_groups = None, {}, {}
    for path in paths:
        metadata = _read_footer(path)
        file_schema = metadata.schema.to_arrow_schema().remove_metadata()
        if text_column not in file_schema.names:
            raise InputError(f"{path}: no column {text_column!r}; its columns are "
                             f"{', '.join(file_schema.names) or '(none)'}")
        if file_schema.names.count(text_column) > 1:
            raise InputError(f"{path}: {file_schema.names.count(text_column)} columns are "
                             f"named {text_column!r}; the text column must be unique")
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
        row_groups[path] = [metadata.row_group(index).num_rows
                            for index in range(metadata.num_row_groups)]
    return InputFiles(paths, schema, rows, row_groups)


class _ReadRowGroupsFn(beam.DoFn):
    """(path, row group indices) -> (path, Table) per row group, every column.

    The path is opened as it is (never matched as a pattern); any error while
    reading names the file."""

    def process(self, unit):
        path, indices = unit
        try:
            handle = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
            parquet_file = pq.ParquetFile(handle)
        except Exception as error:
            raise ReadError(f"{path}: cannot be read: {type(error).__name__}: {error}") from error
        with handle:
            for index in indices:
                try:
                    table = parquet_file.read_row_group(index)
                except Exception as error:  # a corrupt page, a truncated file
                    raise ReadError(f"{path}: row group {index} cannot be read: "
                                    f"{type(error).__name__}: {error}") from error
                yield path, table  # outside the try: errors downstream are not ours


class ReadParquetBatches(beam.PTransform):
    """Checked files -> (file name, pyarrow.Table) batches, one per row group,
    all columns."""

    def __init__(self, inputs: InputFiles):
        super().__init__()
        self._units = inputs.read_units()

    def expand(self, pbegin):
        return (pbegin
                | "ListRowGroups" >> beam.Create(self._units)
                | "Spread" >> beam.Reshuffle()
                | "ReadRowGroups" >> beam.ParDo(_ReadRowGroupsFn()))


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
        except BaseException:
            # The temporary file is discarded; its writer is closed too, or
            # it would try again at garbage collection, on a closed handle.
            self._thread.shutdown(cancel_futures=True)
            with contextlib.suppress(Exception):
                self._writer.close()
            self._handle.close()
            raise
        try:
            self._writer.close()
        finally:
            self._thread.shutdown()
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
