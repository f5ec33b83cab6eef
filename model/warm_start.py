"""Warm start: a network begins training from the weights of an exported model.

    python -m model.train ... --warm_start_from model/default_model
        [--warm_start_network network|recheck_network]

The exported SavedModel holds its networks as tracked objects of the serving
module (model/export.py: `network`, and `recheck_network` in a two-network
export), so their weights restore into a freshly built network of the same
sizes. One thing may differ between the two: the character vocabulary,
which tensorflow-transform analyzes anew on every generated data set (the ids
follow frequency). The embedding is therefore carried over character by
character: a character both vocabularies hold keeps its row, and a character
the old model never saw starts from the old out-of-vocabulary row, which is
what the old model read it as. Before its first step the warm-started network
thus answers every string exactly as the exported one did.
"""

import dataclasses
import logging
import os
from typing import List

import keras
import numpy as np
import tensorflow as tf

from model import network
from schemas import features

NETWORKS = ("network", "recheck_network")  # model/export.py's ServingModule attributes


class WarmStartError(ValueError):
    """The exported model cannot seed this network; names the directory and why."""


def read_vocabulary(path: str) -> List[bytes]:
    """A tensorflow-transform vocabulary file: one token per line, most frequent first."""
    with tf.io.gfile.GFile(path, "rb") as handle:
        lines = handle.read().split(b"\n")
    return lines[:-1] if lines and lines[-1] == b"" else lines


def embedding_rows(source: List[bytes], target: List[bytes]) -> np.ndarray:
    """For each embedding row of a network on the `target` vocabulary, the row
    of a network on the `source` vocabulary it starts from: PAD_ID -> PAD_ID,
    a shared character -> its source row, a character new to the source and
    the out-of-vocabulary bucket -> the source's out-of-vocabulary row."""
    first = features.PAD_ID + 1  # vocabulary ids are shifted by one (pipeline/preprocessing.py)
    source_oov = first + len(source)  # the one bucket (features.NUM_OOV_BUCKETS)
    index = {token: first + i for i, token in enumerate(source)}
    return np.array([features.PAD_ID] + [index.get(token, source_oov) for token in target]
                    + [source_oov] * features.NUM_OOV_BUCKETS)


def warm_start(model: keras.Model, hparams: network.HParams, saved_model_dir: str,
               attribute: str, target_vocabulary: List[bytes]) -> dict:
    """Sets every weight of `model` (built from `hparams` on
    `target_vocabulary`) from the network `attribute` of the exported model in
    `saved_model_dir`; returns what was carried over."""
    if attribute not in NETWORKS:
        raise WarmStartError(f"--warm_start_network must be one of {NETWORKS}, got {attribute!r}")
    vocabulary_path = os.path.join(saved_model_dir, "assets", features.CHAR_VOCAB_NAME)
    variables_path = os.path.join(saved_model_dir, "variables", "variables")
    for path in (vocabulary_path, variables_path + ".index"):
        if not tf.io.gfile.exists(path):
            raise WarmStartError(f"{saved_model_dir}: not an exported timenorm model "
                                 f"({path} is missing)")
    source_vocabulary = read_vocabulary(vocabulary_path)
    source_hparams = network.HParams(**{
        **vars(hparams), "char_vocab_size": features.char_embedding_rows(len(source_vocabulary))})
    source = network.build_model(source_hparams)
    try:
        tf.train.Checkpoint(**{attribute: source}).read(variables_path) \
            .assert_existing_objects_matched().expect_partial()
    except (AssertionError, ValueError, tf.errors.OpError) as error:
        raise WarmStartError(
            f"{saved_model_dir}: its {attribute} does not fit a network of these sizes "
            f"({dataclasses.asdict(hparams)}): {str(error).splitlines()[0]}") from error
    rows = embedding_rows(source_vocabulary, target_vocabulary)
    for layer in model.layers:
        weights = source.get_layer(layer.name).get_weights()
        if layer.name == "embedding":
            weights = [weights[0][rows]]
        layer.set_weights(weights)
    known = set(source_vocabulary)
    shared = sum(1 for token in target_vocabulary if token in known)
    carried = {"from": saved_model_dir, "network": attribute,
               "characters_shared": shared,
               "characters_new": len(target_vocabulary) - shared}
    logging.info("warm start: %s", carried)
    return carried
