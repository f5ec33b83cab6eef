"""Reading a text column: which values the model can read, and why not the rest.

Validation is columnar (Arrow compute); only rows that pass reach the model.
"""

from typing import Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from schemas import features, parquet
from schemas.parquet import Error

READABLE = -1  # the reason code of a row the model reads
# Text columns are read as their bytes and decoded here: invalid UTF-8 is legal
# on disk in a string column and becomes not_utf8 rather than failing the batch.
_AS_BYTES = {pa.string(): pa.binary(), pa.large_string(): pa.large_binary(),
             pa.string_view(): pa.binary_view()}
_ENDS = f"^{features.WHITESPACE_CLASS}+|{features.WHITESPACE_CLASS}+$"
_RUN = f"{features.WHITESPACE_CLASS}+"


def read_text_column(column) -> Tuple[pa.Array, np.ndarray]:
    """The text column as a string array plus each row's reason not to read it:
    an `Error` code (null, blank, too_long, not_a_string, not_utf8), or
    READABLE."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if column.type in _AS_BYTES:
        column = column.view(_AS_BYTES[column.type])
    if pa.types.is_binary_view(column.type):
        column = column.cast(pa.large_binary())
    reason = np.full(len(column), READABLE, np.int64)
    null = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        column, not_utf8 = _decode_binary(column)
        reason[not_utf8] = Error.NOT_UTF8
    elif not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        reason[:] = Error.NOT_A_STRING
        column = pa.nulls(len(column), pa.string())
    reason[null] = Error.NULL
    blank = pc.fill_null(pc.equal(pc.utf8_trim(column, features.WHITESPACE), ""), False)
    reason[(reason == READABLE) & blank.to_numpy(zero_copy_only=False)] = Error.BLANK
    # Long values are measured after clean-up here (the model measures the rest).
    long_rows = np.flatnonzero((reason == READABLE) & pc.fill_null(pc.greater(
        pc.utf8_length(column), parquet.MAX_RAW_CHARS), False).to_numpy(zero_copy_only=False))
    if len(long_rows):
        too_long = cleaned_length(column.take(pa.array(long_rows))) > features.MAX_INPUT_LEN
        reason[long_rows[too_long]] = Error.TOO_LONG
    return column.cast(pa.string()), reason


def cleaned_length(texts: pa.Array) -> np.ndarray:
    """Characters left after the whitespace clean-up of pipeline/preprocessing.py
    (ends trimmed, inner runs of features.WHITESPACE folded to one space)."""
    trimmed = pc.replace_substring_regex(texts, _ENDS, "")
    return pc.utf8_length(pc.replace_substring_regex(trimmed, _RUN, " ")).to_numpy(
        zero_copy_only=False)


def _decode_binary(column: pa.Array) -> Tuple[pa.Array, np.ndarray]:
    """A binary column as strings, and which values were not UTF-8 (now null)."""
    try:
        return column.cast(pa.string()), np.zeros(len(column), bool)
    except pa.ArrowInvalid:
        values, bad = [], np.zeros(len(column), bool)
        for row, value in enumerate(column.to_pylist()):
            try:
                values.append(None if value is None else value.decode("utf-8"))
            except UnicodeDecodeError:
                values.append(None)
                bad[row] = True
        return pa.array(values, pa.string()), bad
