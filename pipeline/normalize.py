"""The model-applying step of the infer job, columnar from end to end.

One Arrow batch goes through named steps:

    read_text_column   -> which rows are invalid (null, blank, too long, not a string)
    dictionary_encode  -> each distinct readable string once
    NormalizeTimesFn   -> cached results, model on the rest (sorted by length, batched)
    attention_spans    -> per output character, the input span it attended to most
    pc.take            -> one result row per input row, appended to the batch

Only the distinct strings ever reach Python objects; the per-row work is
Arrow/numpy.
"""

import collections
import re
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from model.serving import attention_by_character
from schemas import features, parquet

# Rows that never reach the model take their result from one of these fixed
# entries, in this order, at the head of the batch's result table.
_INVALID_ERRORS = (parquet.ERROR_NULL, parquet.ERROR_BLANK, parquet.ERROR_TOO_LONG,
                   parquet.ERROR_NOT_A_STRING, parquet.ERROR_NOT_UTF8)
_MODEL_BATCH_SIZE = 2048  # measured: 30% more strings/s than 512 on 2 cores
DEFAULT_CACHE_SIZE = 100_000
# Attention spans are runs of digits, runs of letters or single other
# characters of the input, so "06" of a timestamp or "quarter" of a phrase is
# one span.
_SPAN = re.compile(r"[0-9]+|[^\W\d_]+|\S", re.UNICODE)

Model = Callable[[Sequence[str]], Dict[str, np.ndarray]]
Result = Tuple[Optional[str], str, Optional[float], Optional[str], Optional[list],
               Optional[list]]  # time, status, confidence, error, attention, full_attention


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


def read_text_column(column) -> Tuple[pa.Array, np.ndarray]:
    """The text column as a string array plus each row's invalid reason
    (index into _INVALID_ERRORS, or -1 for a readable row)."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    reason = np.full(len(column), -1, np.int64)
    null = column.is_null().to_numpy(zero_copy_only=False)
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        column, not_utf8 = _decode_binary(column)
        reason[not_utf8] = _INVALID_ERRORS.index(parquet.ERROR_NOT_UTF8)
    elif not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
        reason[:] = _INVALID_ERRORS.index(parquet.ERROR_NOT_A_STRING)
        column = pa.nulls(len(column), pa.string())
    reason[null] = _INVALID_ERRORS.index(parquet.ERROR_NULL)
    blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(column), ""), False)
    too_long = pc.fill_null(pc.greater(pc.utf8_length(column), parquet.MAX_RAW_CHARS), False)
    reason[(reason == -1) & blank.to_numpy(zero_copy_only=False)] = \
        _INVALID_ERRORS.index(parquet.ERROR_BLANK)
    reason[(reason == -1) & too_long.to_numpy(zero_copy_only=False)] = \
        _INVALID_ERRORS.index(parquet.ERROR_TOO_LONG)
    return column.cast(pa.string()), reason


def _span_bounds(text: str) -> List[Tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SPAN.finditer(text)] or [(0, len(text))]


def attention_spans(texts: Sequence[str], outputs: Sequence[str], attention: np.ndarray,
                    offsets: np.ndarray, full: bool) -> List[Tuple[list, Optional[list]]]:
    """For each text and output character, the input span with the most attention.

    attention [b, 5, MAX_INPUT_LEN] is over model positions; offsets [b,
    MAX_INPUT_LEN] maps each position to its character in the text
    (NO_OFFSET for padding). Returns per text the spans {output, start, end,
    text, weight} (text == text[start:end]) and, with `full`, the [5][len(text)]
    weights per input character.
    """
    rows, _, width = attention.shape
    bounds = [_span_bounds(text) for text in texts]
    most_spans = max((len(b) for b in bounds), default=1)
    # span_of[b, t]: which span of text b model position t falls in; positions
    # on whitespace or padding go to an extra column that is never chosen.
    span_of = np.full((rows, width), most_spans, np.int64)
    for row, (text, row_bounds) in enumerate(zip(texts, bounds)):
        char_span = np.full(len(text), most_spans, np.int64)
        for index, (start, end) in enumerate(row_bounds):
            char_span[start:end] = index
        valid = (offsets[row] != features.NO_OFFSET) & (offsets[row] < len(text))
        span_of[row, valid] = char_span[offsets[row, valid]]
    one_hot = np.eye(most_spans + 1, dtype=np.float32)[span_of]           # [b, t, spans + 1]
    span_weights = np.einsum("bst,btk->bsk", attention, one_hot)[:, :, :most_spans]
    best = span_weights.argmax(axis=-1)                                   # [b, 5]
    best_weight = np.take_along_axis(span_weights, best[..., None], -1)[..., 0]
    results = []
    for row, (text, output) in enumerate(zip(texts, outputs)):
        spans = []
        for step, char in enumerate(output):
            start, end = bounds[row][best[row, step]]
            spans.append({"output": char, "start": start, "end": end, "text": text[start:end],
                          "weight": float(best_weight[row, step])})
        per_char = (attention_by_character(text, attention[row], offsets[row]).tolist()
                     if full else None)
        results.append((spans, per_char))
    return results


class NormalizeTimesFn(beam.DoFn):
    """(file name, Table) -> (file name, Table + the columns of schemas/parquet.py).

    `load_model` returns a callable from a list of strings to the serving
    signature's outputs as numpy; it runs once per worker process (shared
    between the DoFn instances of that process). A bounded per-instance LRU
    cache keeps results of strings seen in earlier batches.
    """

    def __init__(self, load_model: Callable[[], Model], text_column: str,
                 min_confidence: float = 0.0, full_attention: bool = False,
                 cache_size: int = DEFAULT_CACHE_SIZE, shared_handle=None):
        self._load_model = load_model
        self._text_column = text_column
        self._min_confidence = min_confidence
        self._full_attention = full_attention
        self._cache_size = cache_size
        self._shared_handle = shared_handle
        self._width = len(parquet.added_fields(full_attention))  # result fields per row
        self._model: Optional[Model] = None
        self._cache: "collections.OrderedDict[str, Result]" = collections.OrderedDict()

    def setup(self):
        if self._shared_handle is not None:
            self._model = self._shared_handle.acquire(self._load_model)
        else:
            self._model = self._load_model()
        self._cache = collections.OrderedDict()

    def process(self, named_table):
        file_name, table = named_table
        yield file_name, self.normalize(table)

    # -- the steps

    def normalize(self, table: pa.Table) -> pa.Table:
        texts, reason = read_text_column(table.column(self._text_column))
        readable = reason == -1
        encoded = pc.dictionary_encode(texts.filter(pa.array(readable)))
        distinct = encoded.dictionary.to_pylist()
        results = self.lookup(distinct)
        # The result table: fixed invalid entries first, then one per distinct string.
        entries = [self._invalid(error) for error in _INVALID_ERRORS] + results
        row_index = reason.copy()
        row_index[readable] = len(_INVALID_ERRORS) + encoded.indices.to_numpy(zero_copy_only=False)
        take = pa.array(row_index)
        for position, field in enumerate(parquet.added_fields(self._full_attention)):
            values = pa.array([entry[position] for entry in entries], field.type)
            table = table.append_column(field, values.take(take))
        return table

    def lookup(self, distinct: List[str]) -> List[Result]:
        """Results for distinct strings: from the cache, or from the model."""
        found, missing = {}, []
        for text in distinct:
            result = self._cache.get(text)
            if result is None:
                missing.append(text)
            else:
                self._cache.move_to_end(text)
                found[text] = result
        found.update(self._infer(missing))
        return [found[text] for text in distinct]

    def _infer(self, texts: List[str]) -> Dict[str, Result]:
        """Runs the model on `texts`; caches and returns their results."""
        # Phrases of similar length share a model batch, so the LSTMs run
        # over fewer padding steps.
        ordered = sorted(texts, key=len)
        results = {}
        for start in range(0, len(ordered), _MODEL_BATCH_SIZE):
            batch = ordered[start:start + _MODEL_BATCH_SIZE]
            results.update(zip(batch, self._results(batch, self._model(batch))))
        self._cache.update(results)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return results

    def _results(self, texts: List[str], outputs: Dict[str, np.ndarray]) -> List[Result]:
        times = [t.decode() if isinstance(t, bytes) else t
                 for t in outputs[features.OUTPUT_TIME_KEY]]
        rejected = outputs[features.OUTPUT_REJECTED_KEY]
        confidence = outputs[features.OUTPUT_CONFIDENCE_KEY].astype(float)
        too_long = outputs[features.OUTPUT_LENGTH_KEY] > features.MAX_INPUT_LEN
        spans = attention_spans(
            texts, [features.REJECT_LABEL if r else t for t, r in zip(times, rejected)],
            outputs[features.OUTPUT_ATTENTION_KEY], outputs[features.OUTPUT_OFFSETS_KEY],
            self._full_attention)
        results = []
        for row in range(len(texts)):
            if too_long[row]:
                results.append(self._invalid(parquet.ERROR_TOO_LONG))
                continue
            time, status, error = times[row], parquet.STATUS_OK, None
            if rejected[row]:
                status, error, time = parquet.STATUS_REJECTED, parquet.ERROR_NOT_A_TIME, None
            elif confidence[row] < self._min_confidence:
                status, error, time = parquet.STATUS_REJECTED, parquet.ERROR_LOW_CONFIDENCE, None
            row_spans, full = spans[row]
            results.append((time, status, float(confidence[row]), error, row_spans,
                            full)[:self._width])
        return results

    def _invalid(self, error: str) -> Result:
        return (None, parquet.STATUS_INVALID, None, error, None, None)[:self._width]
