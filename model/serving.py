"""Calling an exported model from Python: load once, predict batches as numpy."""

import json
import logging
import os
from typing import Dict, Optional, Sequence

import numpy as np
import tensorflow as tf

from model import CALIBRATION_FILE, DEFAULT_MODEL_DIR, REPORT_SUBDIR
from model.integrity import check_model_dir
from schemas import features


def attention_by_character(text: str, attention: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """One row's attention [5, positions] over model positions as [5, len(text)]
    over the characters of `text`: each position's weight goes to the input
    character it came from (`offsets`, the signature's char_offsets row);
    characters dropped by the whitespace clean-up get 0."""
    per_char = np.zeros((attention.shape[0], len(text)), np.float32)
    valid = np.flatnonzero((offsets != features.NO_OFFSET) & (offsets < len(text)))
    np.add.at(per_char.T, offsets[valid], attention[:, valid].T)
    return per_char


def parallel_calls(requested: int = 0) -> int:
    """How many model calls a process runs at once: `requested`, or one per CPU."""
    return requested or os.cpu_count() or 1


def use_parallel_calls(calls: int) -> None:
    """Sets TensorFlow up for `calls` concurrent model calls: each op on one
    thread, up to max(calls, 2) ops at once (the encoder's two directions run
    side by side even in a single call): the LSTM steps are too small to
    split well over cores (BENCHMARKS.md has the measurements). Takes effect only
    before TensorFlow's first op; after that it logs and changes nothing."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(max(calls, 2))
    except RuntimeError as error:
        logging.warning("TensorFlow threads already set up, kept as they are: %s", error)


def read_calibration(model_dir: str) -> Optional[dict]:
    """The calibration record an export carries (model/export.py): its
    temperature and recommended `threshold`; None for a model exported
    without one."""
    path = os.path.join(model_dir, REPORT_SUBDIR, CALIBRATION_FILE)
    if not tf.io.gfile.exists(path):
        return None
    with tf.io.gfile.GFile(path) as handle:
        return json.loads(handle.read())


def recommended_threshold(model_dir: str) -> Optional[float]:
    """The model's own --min_confidence, or None if it carries none."""
    record = read_calibration(model_dir)
    return None if record is None else float(record["threshold"])


def resolve_min_confidence(flag: Optional[float], model_dir: Optional[str]) -> dict:
    """The threshold of a run and where it comes from: `flag` when given, else
    the model's recommended threshold (model/export.py), else 0 (abstention
    off) for a model that carries none."""
    if flag is not None:
        return {"value": flag, "source": "--min_confidence"}
    threshold = recommended_threshold(model_dir or DEFAULT_MODEL_DIR)
    if threshold is None:
        return {"value": 0.0, "source": "the model carries no threshold: abstention off"}
    return {"value": threshold, "source": "the model's recommended threshold"}


class TimeNormalizer:
    """The serving signature of one SavedModel, as a numpy-in, numpy-out callable."""

    def __init__(self, model_dir: str = DEFAULT_MODEL_DIR):
        self.model_dir = check_model_dir(model_dir)  # a short ModelError, never a graph dump
        self.threshold = recommended_threshold(model_dir)  # None: the model carries none
        self._loaded = tf.saved_model.load(model_dir)
        self._serve = self._loaded.signatures[features.SERVING_SIGNATURE]

    def __call__(self, texts: Sequence[str]) -> Dict[str, np.ndarray]:
        """Normalizes `texts`; returns the signature's outputs as numpy arrays
        (`time` decoded to str)."""
        parts = []
        size = features.SERVING_BATCH_SIZE
        for start in range(0, max(len(texts), 1), size):
            batch = tf.constant(list(texts[start:start + size]), dtype=tf.string)
            outputs = self._serve(**{features.SERVING_INPUT_KEY: batch})
            parts.append({key: value.numpy() for key, value in outputs.items()})
        result = {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}
        # At most 1,441 distinct answers: decode each once.
        distinct, inverse = np.unique(result[features.OUTPUT_TIME_KEY], return_inverse=True)
        result[features.OUTPUT_TIME_KEY] = np.array(
            [t.decode() for t in distinct], dtype=object)[inverse]
        return result
