"""NormalizeTimes: the model-applying step of the infer job.

    (file name, Table) -> (file name, Table + the columns of schemas/parquet.py)

Each worker process loads the exported model once and normalizes each Arrow
batch with model/normalizer.py's `Normalizer`, the same code as the library
call `model.normalize`: validate, distinct values, cache, model, attention
spans, columns appended.
"""

import uuid
from typing import Callable, Optional

import apache_beam as beam
from apache_beam.utils import shared

from model import DEFAULT_MODEL_DIR
from model.normalizer import DEFAULT_CACHE_SIZE, Model, Normalizer
from model.serving import parallel_calls
from pipeline import progress

_METRICS = "infer"


class NormalizeTimes(beam.PTransform):
    """Normalizes the `text_column` of every batch with the model at `model_dir`
    (default: the shipped one). Times below `min_confidence` are rejected as
    low_confidence. `model_threads` model calls run at once per worker process
    (0: one per CPU of the worker); each worker keeps the results of
    `cache_size` distinct strings. With `total_rows`, the process logs its
    progress about every 10 s (meant for in-process runs); the Beam metrics
    infer/rows_normalized and infer/rows_total carry it on any runner.
    """

    def __init__(self, text_column: str, *, model_dir: Optional[str] = None,
                 min_confidence: float = 0.0, full_attention: bool = False,
                 cache_size: int = DEFAULT_CACHE_SIZE, model_threads: int = 0,
                 total_rows: Optional[int] = None, log_progress: bool = False):
        super().__init__()
        self._fn = NormalizeTimesFn(LoadSavedModel(model_dir), text_column, min_confidence,
                                    full_attention, cache_size, model_threads, total_rows,
                                    log_progress)

    def expand(self, batches):
        return batches | "Normalize" >> beam.ParDo(self._fn)


class NormalizeTimesFn(beam.DoFn):
    """The DoFn of NormalizeTimes. `load_model(calls)` returns the model (a
    callable from a list of strings to the serving signature's outputs as
    numpy that allows `calls` concurrent calls); it runs once per worker
    process, shared between the DoFn instances of that process."""

    def __init__(self, load_model: Callable[[int], Model], text_column: str,
                 min_confidence: float = 0.0, full_attention: bool = False,
                 cache_size: int = DEFAULT_CACHE_SIZE, model_threads: int = 0,
                 total_rows: Optional[int] = None, log_progress: bool = False):
        self._load_model = load_model
        self._text_column = text_column
        self._min_confidence = min_confidence
        self._full_attention = full_attention
        self._cache_size = cache_size
        self._model_threads = model_threads
        self._total_rows = total_rows
        self._log_progress = log_progress and total_rows is not None
        self._shared_model = shared.Shared()
        self._run_id = uuid.uuid4().hex  # the progress reporter of this run, per process
        self._rows = beam.metrics.Metrics.counter(_METRICS, "rows_normalized")
        self._normalizer: Optional[Normalizer] = None  # made in setup(), on the worker

    def setup(self):
        calls = parallel_calls(self._model_threads)  # this worker's CPUs, not the launcher's
        model = self._shared_model.acquire(lambda: self._load_model(calls))
        self._normalizer = Normalizer(model, self._min_confidence, self._full_attention,
                                      self._cache_size, calls)
        self._progress = (progress.for_run(self._run_id, self._total_rows)
                          if self._log_progress else None)
        if self._total_rows is not None:
            beam.metrics.Metrics.gauge(_METRICS, "rows_total").set(self._total_rows)

    def teardown(self):
        if self._normalizer is not None:
            self._normalizer.close()

    def process(self, named_table):
        file_name, table = named_table
        table = self._normalizer.normalize_table(table, self._text_column)
        self._rows.inc(table.num_rows)
        if self._progress is not None:
            self._progress.add(table.num_rows)
        yield file_name, table


class LoadSavedModel:
    """Picklable loader of the exported model (runs on the worker).

    Without a model_dir it loads the model shipped in the package, resolved on
    the worker: a Dataflow worker installs the package through --setup_file,
    so the launching machine's path would mean nothing there.
    """

    def __init__(self, model_dir: Optional[str]):
        self.model_dir = model_dir

    def __call__(self, calls: int) -> Model:
        from model import serving
        serving.use_parallel_calls(calls)
        return serving.TimeNormalizer(self.model_dir or DEFAULT_MODEL_DIR)
