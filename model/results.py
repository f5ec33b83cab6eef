"""Results of strings as numpy columns, and their Arrow output columns.

One entry per distinct string: a cache hit costs a dict lookup and the
per-row work stays Arrow/numpy (`take`).
"""

import dataclasses
from typing import Dict, Optional, Sequence

import numpy as np
import pyarrow as pa

from schemas import features, parquet
from schemas.parquet import Error, Status

NO_ERROR = -1  # the error code of an ok row (null in the error column)
_STATUS_LABELS = pa.array(parquet.STATUSES)
_ERROR_LABELS = pa.array(parquet.ERRORS)
# Output characters as int8 codes: code point -> index into OUTPUT_ALPHABET.
ALPHABET = pa.array(list(features.OUTPUT_ALPHABET))
ALPHABET_INDEX = np.zeros(128, np.int8)
ALPHABET_INDEX[[ord(char) for char in features.OUTPUT_ALPHABET]] = np.arange(
    len(features.OUTPUT_ALPHABET))


@dataclasses.dataclass
class Results:
    """Results of strings, one entry per string, as numpy columns."""
    time: np.ndarray  # object: "HH:MM" or None
    candidate_time: np.ndarray  # object: the unreported time of a low_confidence row, or None
    status: np.ndarray  # int8 Status code
    confidence: np.ndarray  # float32, NaN for null
    error: np.ndarray  # int8 Error code, NO_ERROR for null
    has_attention: np.ndarray  # bool
    span_output: np.ndarray  # [n, OUTPUT_LEN] int8 index into OUTPUT_ALPHABET
    span_start: np.ndarray  # [n, OUTPUT_LEN] int32
    span_end: np.ndarray  # [n, OUTPUT_LEN] int32
    span_text: np.ndarray  # [n, OUTPUT_LEN] object: text[start:end]
    span_weight: np.ndarray  # [n, OUTPUT_LEN] float32
    full_attention: Optional[np.ndarray] = None  # object: [OUTPUT_LEN][len(text)] lists

    def __len__(self):
        return len(self.status)

    def _columns(self):
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self)
                if getattr(self, field.name) is not None}

    def take(self, indices: np.ndarray) -> "Results":
        return Results(**{name: column[indices] for name, column in self._columns().items()})

    def put(self, indices: np.ndarray, other: "Results") -> None:
        for name, column in self._columns().items():
            column[indices] = getattr(other, name)

    @staticmethod
    def concat(parts: Sequence["Results"]) -> "Results":
        names = parts[0]._columns()
        return Results(**{name: np.concatenate([getattr(part, name) for part in parts])
                          for name in names})

    @staticmethod
    def invalid(errors: Sequence[Error], full_attention: bool) -> "Results":
        """Results of strings the model does not read, one per error."""
        n, steps = len(errors), features.OUTPUT_LEN
        return Results(
            time=np.full(n, None, object),
            candidate_time=np.full(n, None, object),
            status=np.full(n, Status.INVALID, np.int8),
            confidence=np.full(n, np.nan, np.float32),
            error=np.array(errors, np.int8),
            has_attention=np.zeros(n, bool),
            span_output=np.zeros((n, steps), np.int8),
            span_start=np.zeros((n, steps), np.int32),
            span_end=np.zeros((n, steps), np.int32),
            span_text=np.full((n, steps), None, object),
            span_weight=np.zeros((n, steps), np.float32),
            full_attention=np.full(n, None, object) if full_attention else None)

    def to_arrow(self) -> Dict[str, pa.Array]:
        """The columns of schemas/parquet.py, by name."""
        error = pa.array(self.error, mask=self.error == NO_ERROR)
        columns = {
            parquet.TIME_COLUMN: pa.array(self.time, pa.string()),
            parquet.CANDIDATE_TIME_COLUMN: pa.array(self.candidate_time, pa.string()),
            parquet.STATUS_COLUMN: _STATUS_LABELS.take(pa.array(self.status)),
            parquet.CONFIDENCE_COLUMN: pa.array(self.confidence, pa.float32(),
                                                mask=np.isnan(self.confidence)),
            parquet.ERROR_COLUMN: _ERROR_LABELS.take(error),
            parquet.ATTENTION_COLUMN: self._attention(),
        }
        if self.full_attention is not None:
            columns[parquet.FULL_ATTENTION_COLUMN] = pa.array(
                list(self.full_attention), parquet.FULL_ATTENTION_TYPE)
        return columns

    def _attention(self) -> pa.Array:
        rows = np.flatnonzero(self.has_attention)
        values = pa.StructArray.from_arrays(
            [ALPHABET.take(pa.array(self.span_output[rows].ravel())),
             pa.array(self.span_start[rows].ravel(), pa.int32()),
             pa.array(self.span_end[rows].ravel(), pa.int32()),
             pa.array(self.span_text[rows].ravel(), pa.string()),
             pa.array(self.span_weight[rows].ravel(), pa.float32())],
            fields=list(parquet.ATTENTION_SPAN_TYPE))
        lengths = np.where(self.has_attention, features.OUTPUT_LEN, 0)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
        return pa.ListArray.from_arrays(pa.array(offsets), values,
                                        type=pa.list_(parquet.ATTENTION_SPAN_TYPE),
                                        mask=pa.array(~self.has_attention))
