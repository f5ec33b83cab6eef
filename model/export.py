"""Export: one hermetic SavedModel that reads raw strings.

The serving signature chains the tensorflow-transform graph (the only
tokenizer), the Keras network and a constrained decoder:

    text [b] string -> {time [b] string "HH:MM" or "", rejected [b] bool,
                        confidence [b] float32, attention [b, 5, MAX_INPUT_LEN],
                        char_offsets [b, MAX_INPUT_LEN] int64, input_length [b] int64}

Decoding only emits valid times. The decoder's five per-character
distributions are independent given the input, so the log-probability of a
whole output is the sum of its characters'; of the 1,440 valid "HH:MM"
strings and the reject label the most probable one wins. `confidence` is its
joint probability after temperature scaling (model/calibration.py): each
character's logits divided by the temperature fitted on the eval split (the
SavedModel's `temperature` variable; 1 is the uncalibrated network).

A string with no ASCII letter or digit (only punctuation, symbols,
whitespace or digits of another script) is rejected by the signature itself,
at confidence 1, whatever the network says: no time of the time language can
be written without one.

Two networks: with `--recheck_model_dir` the export holds a second network,
trained on the same data (the shipped model's is wider, with another seed).
The strings whose best answer the first network gives a joint probability
below --recheck_below go through it, and for those the two answer together
(ServingModule.recheck). The default, features.RECHECK_BELOW, is 0.999, so
an answer the first network is merely sure of (0.93-0.999) still has to get
past the other: the silent errors left on real text were of that kind
(BENCHMARKS.md, "Z3b" and "Z4r"). Above 1 both networks read every string;
lower bounds (0.95 was the default until Z3b) cost less and catch fewer.
Calibration and the threshold are fitted on what the signature then
outputs.

`python -m model.export --model_dir <train output> --data_dir <generate output>`
re-exports a trained model from its best checkpoint: it fits the temperature
and the recommended threshold on the eval split and writes
`<model_dir>/saved_model` with `assets.extra/calibration.json` (the
temperature, the threshold and how they were chosen). The threshold lives only
in that file: pipeline.infer and model.explain read it
(`model.serving.read_calibration`); the temperature is also a variable of the
SavedModel, as the graph needs it.
"""

import argparse
import json
import logging
import math
import os
import sys
from typing import List, Optional

import numpy as np
import tensorflow as tf

from model import (CALIBRATION_FILE, CHECKPOINT_FILE, INCOMPLETE_SUFFIX, REPORT_SUBDIR,
                   SAVED_MODEL_DIR, calibration, reliability)
from model.decoding import (REJECT_INDEX, answer_label, answer_of_scores, char_log_probs,
                            decode_scores, label_chars)
from schemas import features

# A string the model may read: at least one ASCII letter or digit (RE2, "."
# matching newlines too).
_READABLE_PATTERN = "(?s).*[A-Za-z0-9].*"


class ServingModule(tf.Module):
    """Raw strings in, normalized times out; owns the transform graph, the
    network(s) and the calibration temperature."""

    def __init__(self, network, transform_layer, temperature: float = 1.0,
                 recheck_network=None, recheck_below: float = features.RECHECK_BELOW):
        super().__init__()
        self.network = network
        self.transform_layer = transform_layer
        self.temperature = tf.Variable(temperature, dtype=tf.float64, trainable=False,
                                       name="temperature")
        self.recheck_network = recheck_network
        self.recheck_below = float(recheck_below)

    def read(self, text):
        """text [b] -> (transformed features, network outputs ("chars",
        "attention", "rechecked" [b] bool and "scores", decode_scores of
        "chars"), width read)."""
        transformed = self.transform_layer({features.TEXT_KEY: text})
        # The networks only run as far as the longest phrase of the batch;
        # callers that batch phrases of similar length get the most out of this.
        lengths = transformed[features.INPUT_LENGTH_KEY]
        width = tf.clip_by_value(tf.cast(tf.reduce_max(tf.concat([lengths, [1]], 0)), tf.int32),
                                 1, features.MAX_INPUT_LEN)
        char_ids = tf.cast(transformed[features.CHAR_IDS_KEY][:, :width], tf.int32)
        outputs = dict(self.network(char_ids, training=False))
        if self.recheck_network is None:
            outputs["rechecked"] = tf.zeros_like(lengths, tf.bool)
            outputs["scores"] = decode_scores(outputs["chars"])
        else:
            outputs = self.recheck(char_ids, outputs)
        return transformed, outputs, width

    def recheck(self, char_ids, outputs):
        """Two networks: the first network's outputs, where for the strings
        whose best answer it gives a joint probability below `recheck_below`
        the second network reads them too and they answer together: each
        output character's distribution is the normalized geometric mean of
        the two networks' (the mean of their log-probabilities), the attention
        the mean of the two. The second network runs on those strings only,
        and only their answers are decoded again."""
        chars, attention = outputs["chars"], outputs["attention"]
        scores = decode_scores(chars)
        first_log_probs, _, best_score = scores
        rechecked = best_score < (math.log(self.recheck_below) if self.recheck_below > 0
                                  else -math.inf)
        rows = tf.where(rechecked)  # [r, 1]

        def both():
            second = self.recheck_network(tf.gather_nd(char_ids, rows), training=False)
            mean_log_probs = (tf.gather_nd(first_log_probs, rows)
                              + char_log_probs(second["chars"])) / 2
            both_attention = (tf.gather_nd(attention, rows)
                              + tf.cast(second["attention"], attention.dtype)) / 2
            both_chars = tf.cast(tf.nn.softmax(mean_log_probs, axis=-1), chars.dtype)
            return (tf.tensor_scatter_nd_update(chars, rows, both_chars),
                    tf.tensor_scatter_nd_update(attention, rows, both_attention),
                    tuple(tf.tensor_scatter_nd_update(whole, rows, part)
                          for whole, part in zip(scores, decode_scores(both_chars))))

        # The network's LSTM cell cannot take an empty batch.
        chars, attention, scores = tf.cond(tf.size(rows) > 0, both,
                                           lambda: (chars, attention, scores))
        return {
            "chars": chars,
            "attention": attention,
            "rechecked": rechecked,
            "scores": scores,
        }

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string,
                                                name=features.SERVING_INPUT_KEY)])
    def serve(self, text):
        transformed, outputs, width = self.read(text)
        time, rejected, confidence = answer_of_scores(outputs["scores"], self.temperature)
        readable = tf.strings.regex_full_match(text, _READABLE_PATTERN)
        time = tf.where(readable, time, "")
        rejected = rejected | ~readable
        confidence = tf.where(readable, confidence, 1.0)
        attention = tf.pad(tf.cast(outputs["attention"], tf.float32),
                           [[0, 0], [0, 0], [0, features.MAX_INPUT_LEN - width]])
        return {
            features.OUTPUT_TIME_KEY: time,
            features.OUTPUT_REJECTED_KEY: rejected,
            features.OUTPUT_CONFIDENCE_KEY: confidence,
            features.OUTPUT_ATTENTION_KEY: tf.ensure_shape(
                attention, [None, features.OUTPUT_LEN, features.MAX_INPUT_LEN]),
            features.OUTPUT_OFFSETS_KEY: transformed[features.CHAR_OFFSETS_KEY],
            features.OUTPUT_LENGTH_KEY: transformed[features.INPUT_LENGTH_KEY],
        }

    def log_probs_of(self, texts: List[str]):
        """For `texts`: the per-character log-probabilities [n, 5,
        |OUTPUT_ALPHABET|] float32 the signature decodes, the decoded answer's
        index [n], which texts the signature lets the network answer at all,
        and which the second network re-checked."""
        def read(text):
            outputs = self.read(text)[1]
            log_probs, best, _ = outputs["scores"]
            return (log_probs, best, tf.strings.regex_full_match(text, _READABLE_PATTERN),
                    outputs["rechecked"])

        read = tf.function(read, input_signature=[tf.TensorSpec([None], tf.string)])
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        log_probs = np.zeros((len(texts), features.OUTPUT_LEN, len(features.OUTPUT_ALPHABET)),
                             np.float32)
        answers = np.zeros(len(texts), np.int64)
        readable = np.zeros(len(texts), bool)
        rechecked = np.zeros(len(texts), bool)
        for start in range(0, len(order), features.SERVING_BATCH_SIZE):
            rows = order[start:start + features.SERVING_BATCH_SIZE]
            parts = read(tf.constant([texts[i] for i in rows]))
            (log_probs[rows], answers[rows], readable[rows],
             rechecked[rows]) = (part.numpy() for part in parts)
        return log_probs, answers, readable, rechecked


def fit_calibration(module: ServingModule, rows) -> dict:
    """Fits the temperature and chooses the threshold on `rows` (dicts with
    text and label: the eval split); sets the module's temperature; returns
    what calibration.json records. Rows the signature rejects as unreadable
    answer at confidence 1 whatever the temperature, so they are left out."""
    log_probs, answers, readable, rechecked = module.log_probs_of(
        [row[features.TEXT_KEY] for row in rows])
    labels = [row[features.LABEL_KEY] for row, keep in zip(rows, readable) if keep]
    log_probs, answers = log_probs[readable], answers[readable]
    predicted = [answer_label(index) for index in answers]
    right = np.array([p == label for p, label in zip(predicted, labels)], bool)
    answer_chars = np.array([label_chars(p) for p in predicted], np.int64).reshape(-1, 5)
    true_chars = np.array([label_chars(label) for label in labels], np.int64).reshape(-1, 5)
    temperature = calibration.fit_temperature(log_probs, answer_chars, right)
    module.temperature.assign(temperature)
    before = calibration.confidence_at(log_probs, answer_chars, 1.0)
    after = calibration.confidence_at(log_probs, answer_chars, temperature)
    gives_time = answers != REJECT_INDEX
    holds_time = np.array([label != features.REJECT_LABEL for label in labels], bool)
    threshold = calibration.choose_threshold(after, gives_time, right, holds_time=holds_time)
    answered = gives_time & (after >= threshold)

    def ece(confidence):
        return round(reliability.expected_calibration_error(
            reliability.reliability_bins(confidence, right)), 5)

    def nll(t):
        return round(calibration.negative_log_likelihood(log_probs, true_chars, t), 5)

    share = (lambda mask: round(float(mask.mean()), 5)) if len(labels) else (lambda mask: None)
    return {
        "temperature": round(temperature, 6),
        "threshold": threshold,
        "method": calibration.METHOD,
        "threshold_rule": calibration.THRESHOLD_RULE,
        "fitted_on": features.EVAL_SPLIT,
        "eval_rows": len(labels),
        "eval_rows_unreadable": int((~readable).sum()),
        "eval_exact_match": share(right),
        "eval_nll_of_labels": {"before": nll(1.0), "after": nll(temperature)},
        "eval_ece": {"before": ece(before), "after": ece(after)},
        "eval_answered_at_threshold": share(answered),
        "eval_time_rows_answered_at_threshold": (
            share(answered[holds_time]) if holds_time.any() else None),
        "eval_silent_errors_at_threshold": share(answered & ~right),
        **({"recheck_below": module.recheck_below, "eval_rechecked": share(rechecked[readable])}
           if module.recheck_network is not None else {}),
    }


def write_calibration(export_dir: str, record: dict) -> None:
    directory = os.path.join(export_dir, REPORT_SUBDIR)
    tf.io.gfile.makedirs(directory)
    with tf.io.gfile.GFile(os.path.join(directory, CALIBRATION_FILE), "w") as handle:
        handle.write(json.dumps(record, indent=2) + "\n")


def export_saved_model(network, transform_output_dir: str, export_dir: str,
                       calibration_rows=None, recheck_network=None,
                       recheck_below: float = features.RECHECK_BELOW) -> Optional[dict]:
    """Writes the serving SavedModel (transform graph included) to `export_dir`.
    With `calibration_rows` (the eval split's text and label) it first fits
    the temperature and the threshold on them and writes calibration.json
    into the export; returns that record (None without calibration rows).
    With `recheck_network` the export holds two networks (ServingModule.recheck)."""
    import tensorflow_transform as tft

    transform_layer = tft.TFTransformOutput(transform_output_dir).transform_features_layer()
    module = ServingModule(network, transform_layer, recheck_network=recheck_network,
                           recheck_below=recheck_below)
    record = fit_calibration(module, calibration_rows) if calibration_rows is not None else None
    tf.saved_model.save(module, export_dir,
                        signatures={features.SERVING_SIGNATURE: module.serve})
    if record is not None:
        write_calibration(export_dir, record)
    return record


def serving_network(chars_model):
    """The trained chars-only model (what checkpoints/best.keras holds) with
    the decoder's attention as a second output, as model/network.py builds it."""
    import keras
    attention = keras.layers.Identity(name="attention")(chars_model.get_layer("decoder").output[1])
    return keras.Model(chars_model.input, {"chars": chars_model.output, "attention": attention},
                       name="timenorm")


def load_checkpoint(model_dir: str, data_dir: str):
    """The serving network of `<model_dir>/checkpoints/best.keras`, checked
    against the transform graph of `data_dir` it will read from."""
    import keras
    from model.train import char_vocab_size

    path = os.path.join(model_dir, CHECKPOINT_FILE)
    if not tf.io.gfile.exists(path):
        raise ValueError(f"{path}: no checkpoint; train a model into {model_dir} first")
    chars_model = keras.models.load_model(path, compile=False)
    embedding_size = chars_model.get_layer("embedding").input_dim
    vocab_size = char_vocab_size(data_dir)
    if embedding_size != vocab_size:
        raise ValueError(f"{path} reads {embedding_size} character ids, the transform graph "
                         f"of {data_dir} gives {vocab_size}: train it on that data")
    return serving_network(chars_model)


def export_model(model_dir: str, data_dir: str, export_dir: Optional[str] = None,
                 recheck_model_dir: Optional[str] = None,
                 recheck_below: float = features.RECHECK_BELOW) -> dict:
    """Exports `<model_dir>/checkpoints/best.keras`, calibrated on the eval
    split of `data_dir`, to `export_dir` (default `<model_dir>/saved_model`),
    replacing what was there; with `recheck_model_dir`, that directory's
    best checkpoint (trained on the same data) as the second network.
    Returns the calibration record."""
    from model.evaluate import read_test_split

    export_dir = export_dir or os.path.join(model_dir, SAVED_MODEL_DIR)
    transform_dir = os.path.join(data_dir, features.TRANSFORM_OUTPUT_DIR)
    network = load_checkpoint(model_dir, data_dir)
    recheck_network = (load_checkpoint(recheck_model_dir, data_dir)
                       if recheck_model_dir else None)
    eval_rows = read_test_split(data_dir, features.EVAL_SPLIT)
    if not eval_rows:
        raise ValueError(f"{data_dir}: the eval split is empty; calibration needs it")
    if tf.io.gfile.exists(export_dir):
        tf.io.gfile.rmtree(export_dir)
    return export_saved_model(network, transform_dir, export_dir, eval_rows, recheck_network,
                              recheck_below)


def run(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(
        description="Re-export a trained model from its best checkpoint, calibrated on the "
                    "eval split.",
        allow_abbrev=False, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model_dir", required=True,
                        help="Output directory of model.train (holds checkpoints/best.keras).")
    parser.add_argument("--data_dir", required=True,
                        help="Output directory of pipeline.generate (eval split, transform).")
    parser.add_argument("--export_dir", help="Default: <model_dir>/saved_model.")
    parser.add_argument("--recheck_model_dir",
                        help="Output directory of a second model.train on the same data: its "
                             "network reads the strings of --recheck_below and the two answer "
                             "together there.")
    parser.add_argument("--recheck_below", type=float, default=features.RECHECK_BELOW,
                        help="With --recheck_model_dir: the strings whose best answer the "
                             "first network gives a joint probability below this go through "
                             "both networks (0: none, above 1: all).")
    parser.add_argument("--skip_evaluation", action="store_true",
                        help="Publish without running model.evaluate.")
    args = parser.parse_args(argv)
    export_dir = args.export_dir or os.path.join(args.model_dir, SAVED_MODEL_DIR)
    # As model.train does: the new export replaces the old one only once it
    # is written and evaluated, so a failed run leaves the previous model.
    staged = export_dir + INCOMPLETE_SUFFIX
    record = export_model(args.model_dir, args.data_dir, staged, args.recheck_model_dir,
                          args.recheck_below)
    logging.info("calibration: %s", json.dumps(record))
    if not args.skip_evaluation:
        from model import evaluate
        evaluate.run(["--model_dir", staged, "--data_dir", args.data_dir,
                      "--published_as", export_dir])
    if tf.io.gfile.exists(export_dir):
        tf.io.gfile.rmtree(export_dir)
    tf.io.gfile.rename(staged, export_dir)
    return record


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    print(json.dumps(run(argv), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
