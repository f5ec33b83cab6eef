"""Strings -> time, status, confidence, error and attention spans: the one path
of the infer job (pipeline/normalize.py) and of `model.normalize`.

A column of texts goes through named steps:

    read_text_column   -> which rows the model cannot read, and why (model/text_column.py)
    dictionary_encode  -> each distinct readable string once
    ResultCache        -> results of strings seen in earlier batches
    the model          -> the rest, sorted by length, in parallel batches
    results_of         -> status, error, candidate time, attention spans (model/spans.py)
    Results.to_arrow   -> one entry per distinct string (and per error code)
    take               -> one result row per input row

Only the distinct strings ever become Python objects; the per-row work is
Arrow/numpy.
"""

import concurrent.futures
import functools
import sys
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from model import DEFAULT_MODEL_DIR
from model.calibration import below_threshold
from model.result_cache import ResultCache
from model.results import ALPHABET_INDEX, NO_ERROR, Results
from model.serving import (TimeNormalizer, attention_by_character, parallel_calls,
                           resolve_min_confidence)
from model.spans import attention_spans, span_texts
from model.text_column import READABLE, read_text_column
from schemas import features, parquet
from schemas.parquet import Error, Status

DEFAULT_CACHE_SIZE = 500_000  # about 0.5 kB each: ~250 MB per process when full
# The model: a list of strings -> the serving signature's outputs as numpy
# (model/serving.py's TimeNormalizer, or a fake in tests).
Model = Callable[[Sequence[str]], Dict[str, np.ndarray]]


class Normalizer:
    """Normalizes text columns with one loaded `model`.

    Times below `min_confidence` become rejected/low_confidence. `calls`
    model batches are in flight at once (the model must allow concurrent
    calls). The results of up to `cache_size` distinct strings are kept for
    later batches.
    """

    def __init__(self, model: Model, min_confidence: float = 0.0, full_attention: bool = False,
                 cache_size: int = DEFAULT_CACHE_SIZE, calls: int = 0):
        self._model = model
        self._min_confidence = min_confidence
        self._full_attention = full_attention
        self._cache = ResultCache(cache_size)
        self._pool = concurrent.futures.ThreadPoolExecutor(parallel_calls(calls),
                                                           thread_name_prefix="model")
        # Rows the model never reads take the entry at their Error code.
        self._unread = Results.invalid(tuple(Error), full_attention)

    def close(self) -> None:
        self._pool.shutdown()

    def normalize_table(self, table: pa.Table, text_column: str) -> pa.Table:
        """`table` with the columns of schemas/parquet.py appended."""
        columns = self.normalize_column(table.column(text_column))
        for field in parquet.added_fields(self._full_attention):
            table = table.append_column(field, columns[field.name])
        return table

    def normalize_column(self, column) -> Dict[str, pa.Array]:
        """The output columns of schemas/parquet.py for one text column, by name."""
        texts, reason = read_text_column(column)
        readable = reason == READABLE
        encoded = pc.dictionary_encode(texts.filter(pa.array(readable)))
        entries = Results.concat([self._unread, self.lookup(encoded.dictionary.to_pylist())])
        row_entry = reason.copy()
        row_entry[readable] = len(self._unread) + encoded.indices.to_numpy(zero_copy_only=False)
        take = pa.array(row_entry)
        return {name: values.take(take) for name, values in entries.to_arrow().items()}

    def lookup(self, distinct: List[str]) -> Results:
        """Results of distinct strings: from the cache, or from the model."""
        slots = self._cache.lookup(distinct)
        found = np.flatnonzero(slots >= 0)
        missing = np.flatnonzero(slots < 0)
        missing_texts = [distinct[i] for i in missing]
        if not missing_texts and len(found):
            return self._cache.take(slots)
        inferred = self._infer(missing_texts)
        # Found results are taken before inserting, which may evict them.
        both = Results.concat([self._cache.take(slots[found]), inferred]) if len(found) \
            else inferred
        self._cache.insert(missing_texts, inferred)
        return both.take(np.argsort(np.concatenate([found, missing]), kind="stable"))

    def _infer(self, texts: List[str]) -> Results:
        """Runs the model on `texts`; returns their results in order."""
        # Phrases of similar length share a model batch, so the LSTMs run
        # over fewer padding steps.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        size = features.SERVING_BATCH_SIZE  # one model call each, in parallel
        batches = [[texts[i] for i in order[start:start + size]]
                   for start in range(0, len(order), size)]
        parts = [Results.invalid([], self._full_attention)]
        parts.extend(self._pool.map(self._infer_batch, batches))
        return Results.concat(parts).take(np.argsort(order, kind="stable").astype(np.int64))

    def _infer_batch(self, texts: List[str]) -> Results:
        return results_of(texts, self._model(texts), self._min_confidence, self._full_attention)


def verdicts(rejected: np.ndarray, confidence: np.ndarray, min_confidence: float,
             too_long: Optional[np.ndarray] = None):
    """Each answer's Status and Error code (NO_ERROR for ok), int8: a rejection
    is not_a_time, a time below `min_confidence` low_confidence, an input the
    model measured too long invalid."""
    rejected = np.asarray(rejected, bool)
    too_long = np.zeros_like(rejected) if too_long is None else too_long
    low = below_threshold(rejected, confidence, min_confidence) & ~too_long
    status = np.select([too_long, rejected | low], [Status.INVALID, Status.REJECTED],
                       Status.OK).astype(np.int8)
    error = np.select([too_long, rejected, low],
                      [Error.TOO_LONG, Error.NOT_A_TIME, Error.LOW_CONFIDENCE],
                      NO_ERROR).astype(np.int8)
    return status, error


def results_of(texts: List[str], outputs: Dict[str, np.ndarray], min_confidence: float,
               full_attention: bool = False) -> Results:
    """The Results of `texts` from the serving signature's `outputs` for them."""
    n = len(texts)
    times = np.asarray(outputs[features.OUTPUT_TIME_KEY], object)
    rejected = np.asarray(outputs[features.OUTPUT_REJECTED_KEY], bool)
    confidence = np.asarray(outputs[features.OUTPUT_CONFIDENCE_KEY], np.float32).copy()
    too_long = np.asarray(outputs[features.OUTPUT_LENGTH_KEY]) > features.MAX_INPUT_LEN
    status, error = verdicts(rejected, confidence, min_confidence, too_long)
    low = error == Error.LOW_CONFIDENCE
    confidence[too_long] = np.nan
    ok = status == Status.OK
    attention = outputs[features.OUTPUT_ATTENTION_KEY]
    offsets = outputs[features.OUTPUT_OFFSETS_KEY]
    start, end, weight = attention_spans(texts, attention, offsets)
    output = ALPHABET_INDEX[np.where(rejected, features.REJECT_LABEL, times).astype(
        f"U{features.OUTPUT_LEN}").view(np.uint32).reshape(n, features.OUTPUT_LEN) % 128]
    span_text = span_texts(texts, start, end)
    # Equal times share one str object (interned): cached results stay small.
    distinct, inverse = np.unique(times.astype(str), return_inverse=True)
    times = np.array([sys.intern(str(time)) for time in distinct], object)[inverse]
    full = None
    if full_attention:
        full = np.full(n, None, object)
        for row in np.flatnonzero(~too_long):
            full[row] = attention_by_character(texts[row], attention[row], offsets[row]).tolist()
    return Results(time=np.where(ok, times, None), candidate_time=np.where(low, times, None),
                   status=status, confidence=confidence, error=error, has_attention=~too_long,
                   span_output=output, span_start=start, span_end=end, span_text=span_text,
                   span_weight=weight, full_attention=full)


# ---------------------------------------------------------------- the library call

@functools.lru_cache(maxsize=None)
def _loaded_model(model_dir: str) -> TimeNormalizer:
    return TimeNormalizer(model_dir)  # once per process and model directory


@functools.lru_cache(maxsize=None)
def _normalizer(model_dir: str, min_confidence: Optional[float]) -> Normalizer:
    threshold = resolve_min_confidence(min_confidence, model_dir)["value"]
    return Normalizer(_loaded_model(model_dir), threshold)


def normalize(texts, model_dir: Optional[str] = None, min_confidence: Optional[float] = None):
    """Normalizes `texts` as `timenorm infer` would, with the same code.

    `texts`: a list of strings (None for a missing value), or a pandas Series.
    Returns one record per string, {text, time, candidate_time, status,
    confidence, error, attention} as in schemas/parquet.py; for a Series, a
    DataFrame of those columns with the Series' index. `model_dir` defaults
    to the shipped model, `min_confidence` to the model's own threshold. The
    model is loaded once per process and directory.
    """
    normalizer = _normalizer(model_dir or DEFAULT_MODEL_DIR, min_confidence)
    is_series = type(texts).__module__.startswith("pandas")
    try:
        column = pa.Array.from_pandas(texts) if is_series else pa.array(list(texts))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
        raise TypeError(f"normalize takes strings (or None): {error}") from error
    table = pa.table({parquet.DEFAULT_TEXT_COLUMN: column, **normalizer.normalize_column(column)})
    if not is_series:
        return table.to_pylist()
    frame = table.to_pandas()
    frame.index = texts.index
    return frame
