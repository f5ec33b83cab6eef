"""The model-applying step of the infer job, columnar from end to end.

One Arrow batch goes through named steps:

    read_text_column   -> which rows are invalid (null, blank, too long, not a string)
    dictionary_encode  -> each distinct readable string once
    ResultCache        -> results of strings seen in earlier batches
    NormalizeTimesFn   -> the model on the rest (sorted by length, batched)
    attention_spans    -> per output character, the input span it attended to most
    Results.to_arrow   -> one entry per distinct string (and per invalid reason)
    take               -> one result row per input row, appended to the batch

Only the distinct strings ever reach Python objects, and results are kept
as numpy columns (Results) so a cache hit costs a dict lookup; the per-row
work is Arrow/numpy.
"""

import concurrent.futures
import dataclasses
import itertools
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from model.calibration import below_threshold
from model.serving import attention_by_character, parallel_calls
from schemas import features, parquet

# Rows that never reach the model take their result from one of these fixed
# entries, in this order, at the head of the batch's result table.
_INVALID_ERRORS = (parquet.ERROR_NULL, parquet.ERROR_BLANK, parquet.ERROR_TOO_LONG,
                   parquet.ERROR_NOT_A_STRING, parquet.ERROR_NOT_UTF8)
DEFAULT_CACHE_SIZE = 500_000  # about 0.5 kB each: ~250 MB per worker when full
# Output characters as int8 codes: code point -> index into OUTPUT_ALPHABET.
_ALPHABET = pa.array(list(features.OUTPUT_ALPHABET))
_ALPHABET_INDEX = np.zeros(128, np.int8)
_ALPHABET_INDEX[[ord(char) for char in features.OUTPUT_ALPHABET]] = np.arange(
    len(features.OUTPUT_ALPHABET))
Model = Callable[[Sequence[str]], Dict[str, np.ndarray]]


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


# Text columns are read as their bytes and decoded here: invalid UTF-8 is legal
# on disk in a string column and becomes not_utf8 rather than failing the batch.
_AS_BYTES = {pa.string(): pa.binary(), pa.large_string(): pa.large_binary(),
             pa.string_view(): pa.binary_view()}


def cleaned_length(texts: pa.Array) -> np.ndarray:
    """Characters left after the whitespace clean-up of pipeline/preprocessing.py
    (ends trimmed, inner runs folded to one space); its WHITESPACE class is
    exactly RE2's \\s, the syntax of Arrow's regular expressions."""
    trimmed = pc.replace_substring_regex(texts, r"^\s+|\s+$", "")
    return pc.utf8_length(pc.replace_substring_regex(trimmed, r"\s+", " ")).to_numpy(
        zero_copy_only=False)


def read_text_column(column) -> Tuple[pa.Array, np.ndarray]:
    """The text column as a string array plus each row's invalid reason
    (index into _INVALID_ERRORS, or -1 for a readable row)."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    if column.type in _AS_BYTES:
        column = column.view(_AS_BYTES[column.type])
    if pa.types.is_binary_view(column.type):
        column = column.cast(pa.large_binary())
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
    reason[(reason == -1) & blank.to_numpy(zero_copy_only=False)] = \
        _INVALID_ERRORS.index(parquet.ERROR_BLANK)
    # Long values are measured after clean-up here (the model measures the rest).
    long_rows = np.flatnonzero((reason == -1) & pc.fill_null(pc.greater(
        pc.utf8_length(column), parquet.MAX_RAW_CHARS), False).to_numpy(zero_copy_only=False))
    if len(long_rows):
        too_long = cleaned_length(column.take(pa.array(long_rows))) > features.MAX_INPUT_LEN
        reason[long_rows[too_long]] = _INVALID_ERRORS.index(parquet.ERROR_TOO_LONG)
    return column.cast(pa.string()), reason


SPACE, DIGIT, LETTER, OTHER = range(4)


def _char_class(char: str) -> int:
    """A character's class in the span rule; the same sets as the regular
    expression r"[0-9]+|[^\\W\\d_]+|\\S" (the tests check the two agree)."""
    if char.isspace():
        return SPACE
    if "0" <= char <= "9":
        return DIGIT
    if char.isalnum() and not char.isdecimal():
        return LETTER
    return OTHER


_ASCII_CLASSES = np.array([_char_class(chr(code)) for code in range(128)], np.int8)


def _char_classes(codes: np.ndarray) -> np.ndarray:
    classes = np.empty(len(codes), np.int8)
    ascii_ = codes < 128
    classes[ascii_] = _ASCII_CLASSES[codes[ascii_]]
    if not ascii_.all():
        unique, inverse = np.unique(codes[~ascii_], return_inverse=True)
        classes[~ascii_] = np.array([_char_class(chr(code)) for code in unique], np.int8)[inverse]
    return classes


@dataclasses.dataclass
class Spans:
    """The spans of a list of texts, flat over the texts' concatenation."""
    text_start: np.ndarray  # [texts] where each text starts
    of_char: np.ndarray  # [chars] the span of each character, -1 for whitespace
    start: np.ndarray  # [spans] first character
    end: np.ndarray  # [spans] one past the last character
    first: np.ndarray  # [texts + 1] each text's first span


def split_spans(texts: Sequence[str]) -> Spans:
    """Splits each (non-empty) text into spans: runs of digits, runs of letters
    and single other characters, so "06" of a timestamp or "quarter" of a
    phrase is one span; a text of whitespace only is one span."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    if (lengths == 0).any():
        raise ValueError("split_spans needs non-empty texts")
    text_start = np.concatenate([[0], np.cumsum(lengths)])
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    classes = _char_classes(codes)
    spaces = np.concatenate([[0], np.cumsum(classes == SPACE)])
    all_space = spaces[text_start[1:]] - spaces[text_start[:-1]] == lengths
    if all_space.any():
        classes[np.repeat(all_space, lengths)] = LETTER
    begins = classes != SPACE
    begins[1:] &= (classes[1:] == OTHER) | (classes[1:] != classes[:-1])
    begins[text_start[:-1]] = classes[text_start[:-1]] != SPACE
    spans_so_far = np.cumsum(begins)
    of_char = np.where(classes == SPACE, -1, spans_so_far - 1)
    in_span = np.flatnonzero(of_char >= 0)
    last = in_span[np.append(of_char[in_span][1:] != of_char[in_span][:-1], True)]
    first = np.concatenate([[0], spans_so_far[text_start[1:] - 1]])
    return Spans(text_start[:-1], of_char, np.flatnonzero(begins), last + 1, first)


def attention_spans(texts: Sequence[str], attention: np.ndarray, offsets: np.ndarray):
    """For each text and output step, the span with the most attention.

    attention [n, steps, MAX_INPUT_LEN] is over model positions; offsets [n,
    MAX_INPUT_LEN] maps each position to its character in the text (NO_OFFSET
    for padding). Returns (start, end, weight), each [n, steps]: the span's
    character offsets into the text as given and the attention it got. Ties
    go to the earlier span.
    """
    rows, steps, _ = attention.shape
    spans = split_spans(texts)
    lengths = np.diff(np.append(spans.text_start, len(spans.of_char)))
    valid = (offsets != features.NO_OFFSET) & (offsets < lengths[:, None])
    chars = spans.text_start[:, None] + np.where(valid, offsets, 0)
    span = np.where(valid, spans.of_char[chars], -1)                    # [n, positions]
    attended = span >= 0
    weights = np.stack([np.bincount(span[attended], attention[:, step][attended],
                                    minlength=len(spans.start))
                        for step in range(steps)])                      # [steps, spans]
    row_best = np.maximum.reduceat(weights, spans.first[:-1], axis=1)   # [steps, n]
    span_row = np.repeat(np.arange(rows), np.diff(spans.first))
    is_best = weights >= row_best[:, span_row]
    best = np.stack([np.flatnonzero(is_best[step])[
        np.searchsorted(np.flatnonzero(is_best[step]), spans.first[:-1])]
        for step in range(steps)], axis=1)                              # [n, steps]
    base = spans.text_start[:, None]
    return ((spans.start[best] - base).astype(np.int32), (spans.end[best] - base).astype(np.int32),
            row_best.T.astype(np.float32))


@dataclasses.dataclass
class Results:
    """Results of strings, one entry per string, as numpy columns."""
    time: np.ndarray  # object: "HH:MM" or None
    candidate_time: np.ndarray  # object: the unreported time of a low_confidence row, or None
    status: np.ndarray  # int8 index into parquet.STATUSES
    confidence: np.ndarray  # float32, NaN for null
    error: np.ndarray  # int8 index into parquet.ERRORS, -1 for null
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
    def invalid(errors: Sequence[str], full_attention: bool) -> "Results":
        """Results of strings the model does not read, one per error."""
        n, steps = len(errors), features.OUTPUT_LEN
        return Results(
            time=np.full(n, None, object),
            candidate_time=np.full(n, None, object),
            status=np.full(n, parquet.STATUSES.index(parquet.STATUS_INVALID), np.int8),
            confidence=np.full(n, np.nan, np.float32),
            error=np.array([parquet.ERRORS.index(error) for error in errors], np.int8),
            has_attention=np.zeros(n, bool),
            span_output=np.zeros((n, steps), np.int8),
            span_start=np.zeros((n, steps), np.int32),
            span_end=np.zeros((n, steps), np.int32),
            span_text=np.full((n, steps), None, object),
            span_weight=np.zeros((n, steps), np.float32),
            full_attention=np.full(n, None, object) if full_attention else None)

    def to_arrow(self) -> List[pa.Array]:
        """The columns of parquet.added_fields, in order."""
        error = pa.array(self.error, mask=self.error < 0)
        columns = [
            pa.array(self.time, pa.string()),
            pa.array(self.candidate_time, pa.string()),
            pa.array(parquet.STATUSES).take(pa.array(self.status)),
            pa.array(self.confidence, pa.float32(), mask=np.isnan(self.confidence)),
            pa.array(parquet.ERRORS).take(error),
            self._attention(),
        ]
        if self.full_attention is not None:
            columns.append(pa.array(list(self.full_attention),
                                    parquet.added_fields(True)[-1].type))
        return columns

    def _attention(self) -> pa.Array:
        rows = np.flatnonzero(self.has_attention)
        values = pa.StructArray.from_arrays(
            [_ALPHABET.take(pa.array(self.span_output[rows].ravel())),
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


class ResultCache:
    """A bounded map from strings to their Results, stored as columns.

    When full, the least recently used tenth is evicted at once, so a
    batch's lookups and inserts stay numpy operations plus one dict access
    per string.
    """

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._slots: Dict[str, int] = {}
        self._keys = np.full(capacity, None, object)
        self._last_used = np.full(capacity, np.iinfo(np.int64).max)
        self._free = np.arange(capacity)
        self._store: Optional[Results] = None
        self._clock = 0

    def __len__(self):
        return len(self._slots)

    def lookup(self, texts: Sequence[str]) -> np.ndarray:
        """Slots of `texts` (-1 where not cached); marks the found ones used."""
        self._clock += 1
        slots = np.fromiter(map(self._slots.get, texts, itertools.repeat(-1)), np.int64,
                            len(texts))
        self._last_used[slots[slots >= 0]] = self._clock
        return slots

    def take(self, slots: np.ndarray) -> Results:
        return self._store.take(slots)

    def insert(self, texts: Sequence[str], results: Results) -> None:
        """Caches `texts` (none of them cached yet) and their results."""
        if self.capacity == 0 or not texts:
            return
        if len(texts) > self.capacity:
            texts = texts[-self.capacity:]
            results = results.take(np.arange(len(results) - self.capacity, len(results)))
        if len(texts) > len(self._free):
            occupied = self.capacity - len(self._free)
            self._evict(min(occupied, max(len(texts) - len(self._free), self.capacity // 10)))
        if self._store is None:
            self._store = results.take(np.zeros(self.capacity, np.int64))
        slots, self._free = self._free[:len(texts)], self._free[len(texts):]
        self._store.put(slots, results)
        self._keys[slots] = texts
        self._last_used[slots] = self._clock
        self._slots.update(zip(texts, slots.tolist()))

    def _evict(self, count: int) -> None:
        oldest = np.argpartition(self._last_used, count - 1)[:count]
        for key in self._keys[oldest]:
            del self._slots[key]
        self._keys[oldest] = None
        self._last_used[oldest] = np.iinfo(np.int64).max
        self._free = np.concatenate([self._free, oldest])


class NormalizeTimesFn(beam.DoFn):
    """(file name, Table) -> (file name, Table + the columns of schemas/parquet.py).

    `load_model` returns a callable from a list of strings to the serving
    signature's outputs as numpy; it runs once per worker process (shared
    between the DoFn instances of that process) and must allow concurrent
    calls: `model_threads` model batches (0: one per CPU) are in flight at
    once. A bounded per-instance cache keeps the results of strings seen in
    earlier batches.
    """

    def __init__(self, load_model: Callable[[], Model], text_column: str,
                 min_confidence: float = 0.0, full_attention: bool = False,
                 cache_size: int = DEFAULT_CACHE_SIZE, shared_handle=None,
                 model_threads: int = 0):
        self._load_model = load_model
        self._text_column = text_column
        self._min_confidence = min_confidence
        self._full_attention = full_attention
        self._cache_size = cache_size
        self._shared_handle = shared_handle
        self._model_threads = model_threads
        self._pool: Optional[concurrent.futures.ThreadPoolExecutor] = None
        self._fields = parquet.added_fields(full_attention)
        self._model: Optional[Model] = None
        self._cache: Optional[ResultCache] = None  # made in setup(): not pickled with the DoFn

    def setup(self):
        if self._shared_handle is not None:
            self._model = self._shared_handle.acquire(self._load_model)
        else:
            self._model = self._load_model()
        self._cache = ResultCache(self._cache_size)
        self._pool = concurrent.futures.ThreadPoolExecutor(
            parallel_calls(self._model_threads), thread_name_prefix="model")

    def teardown(self):
        if self._pool is not None:
            self._pool.shutdown()

    def process(self, named_table):
        file_name, table = named_table
        yield file_name, self.normalize(table)

    # -- the steps

    def normalize(self, table: pa.Table) -> pa.Table:
        texts, reason = read_text_column(table.column(self._text_column))
        readable = reason == -1
        encoded = pc.dictionary_encode(texts.filter(pa.array(readable)))
        distinct = encoded.dictionary.to_pylist()
        # The result entries: fixed invalid ones first, then one per distinct string.
        entries = Results.concat([Results.invalid(_INVALID_ERRORS, self._full_attention),
                                  self.lookup(distinct)])
        row_index = reason.copy()
        row_index[readable] = len(_INVALID_ERRORS) + encoded.indices.to_numpy(zero_copy_only=False)
        take = pa.array(row_index)
        for field, values in zip(self._fields, entries.to_arrow()):
            table = table.append_column(field, values.take(take))
        return table

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
        return self._results(texts, self._model(texts))

    def _results(self, texts: List[str], outputs: Dict[str, np.ndarray]) -> Results:
        n = len(texts)
        times = np.asarray(outputs[features.OUTPUT_TIME_KEY], object)
        rejected = np.asarray(outputs[features.OUTPUT_REJECTED_KEY], bool)
        confidence = np.asarray(outputs[features.OUTPUT_CONFIDENCE_KEY], np.float32).copy()
        too_long = np.asarray(outputs[features.OUTPUT_LENGTH_KEY]) > features.MAX_INPUT_LEN
        low = below_threshold(rejected, confidence, self._min_confidence) & ~too_long
        status = np.select([too_long, rejected | low],
                           [parquet.STATUSES.index(s) for s in (parquet.STATUS_INVALID,
                                                                parquet.STATUS_REJECTED)],
                           parquet.STATUSES.index(parquet.STATUS_OK)).astype(np.int8)
        error = np.select([too_long, rejected, low],
                          [parquet.ERRORS.index(e) for e in (parquet.ERROR_TOO_LONG,
                                                             parquet.ERROR_NOT_A_TIME,
                                                             parquet.ERROR_LOW_CONFIDENCE)],
                          -1).astype(np.int8)
        confidence[too_long] = np.nan
        ok = status == parquet.STATUSES.index(parquet.STATUS_OK)
        attention = outputs[features.OUTPUT_ATTENTION_KEY]
        offsets = outputs[features.OUTPUT_OFFSETS_KEY]
        start, end, weight = attention_spans(texts, attention, offsets)
        output = _ALPHABET_INDEX[np.where(rejected, features.REJECT_LABEL, times).astype(
            f"U{features.OUTPUT_LEN}").view(np.uint32).reshape(n, features.OUTPUT_LEN) % 128]
        # Equal span texts ("pm", "quarter") and times share one str object
        # each: cached results stay small.
        same = {}

        def shared(piece: str) -> str:
            return same.setdefault(piece, piece)

        span_text = np.array([[shared(text[s:e]) for s, e in zip(starts, ends)]
                              for text, starts, ends in zip(texts, start.tolist(),
                                                            end.tolist())],
                             object).reshape(n, features.OUTPUT_LEN)
        times = np.array([shared(time) for time in times], object)
        full = None
        if self._full_attention:
            full = np.full(n, None, object)
            for row in np.flatnonzero(~too_long):
                full[row] = attention_by_character(texts[row], attention[row],
                                                   offsets[row]).tolist()
        return Results(time=np.where(ok, times, None),
                       candidate_time=np.where(low, times, None), status=status,
                       confidence=confidence,
                       error=error, has_attention=~too_long, span_output=output,
                       span_start=start, span_end=end, span_text=span_text,
                       span_weight=weight, full_attention=full)
