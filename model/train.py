"""Train: the attention network from the generate stage's TFRecords.

    python -m model.train --data_dir out/data --model_dir out/model
        [--epochs 30] [--batch_size 256] [--learning_rate 3e-3] [--seed 42]
        [--max_minutes 0 [--anneal]] [--rows_per_epoch 0] [--ema_momentum 0]
        [--embedding_dim 32 --encoder_units 32 --attention_units 64 --decoder_units 128]
        [--warm_start_from SAVED_MODEL_DIR [--warm_start_network recheck_network]]

Refuses (exit 2, naming the directory) a --data_dir that is not the output of a
finished pipeline.generate run or that has an empty split, before any work.

Writes under --model_dir:
    saved_model/        the serving SavedModel (see model/export.py), evaluated;
                        exported as saved_model.incomplete/ and renamed only when
                        training, export and evaluation all succeeded
    checkpoints/best.keras   the best epoch by eval exact match (with
                        --ema_momentum: of the averaged weights, which are also
                        the ones scored on the eval split)
    logs/               TensorBoard logs
    train_summary.json  epochs, best eval exact match, seconds
and then evaluates it (model/evaluate.py) unless --skip_evaluation.
"""

import argparse
import collections
import dataclasses
import json
import logging
import math
import os
import sys
import time
from typing import List, Optional

import keras
import numpy as np
import tensorflow as tf

from model import CHECKPOINT_FILE, INCOMPLETE_SUFFIX, SAVED_MODEL_DIR, network, warm_start
from schemas import features
from schemas.transformed import TRANSFORMED_FEATURE_SPEC

# Batches are grouped by phrase length so short phrases are not padded to
# MAX_INPUT_LEN: the encoder then runs over far fewer positions.
_LENGTH_BOUNDARIES = (12, 18, 24, 32, 44, 60, 80, 110)
# Training rows are shuffled, then bucketed by length in windows of this many.
_SHUFFLE_WINDOW = 50_000
_PARSE_BATCH = 4096  # TFRecords parsed per call when a split is loaded


class DataError(ValueError):
    """--data_dir cannot be trained on; raised before any work, naming it."""


def check_data_dir(data_dir: str) -> dict:
    """The generate summary of `data_dir`; DataError unless generate finished
    there and every split has rows (training needs eval rows to pick an epoch)."""
    path = os.path.join(data_dir, features.SUMMARY_FILE)
    if not tf.io.gfile.exists(path):
        raise DataError(f"{data_dir}: no {features.SUMMARY_FILE}, so not the output of a "
                        "finished pipeline.generate run")
    with tf.io.gfile.GFile(path) as handle:
        summary = json.loads(handle.read())
    rows = summary.get("rows_per_split", {})
    empty = [split for split in features.SPLITS if not rows.get(split)]
    if empty:
        raise DataError(f"{data_dir}: the {', '.join(empty)} split(s) are empty (rows per "
                        f"split: {json.dumps(rows)}); generate more examples (--num_examples)")
    return summary


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--data_dir", required=True, help="Output directory of pipeline.generate.")
    parser.add_argument("--model_dir", required=True, help="Where the export goes.")
    parser.add_argument("--epochs", type=int, default=30, help="Most epochs to train.")
    parser.add_argument("--batch_size", type=int, default=256, help="Examples per batch.")
    parser.add_argument("--learning_rate", type=float, default=3e-3,
                        help="Adam's learning rate.")
    parser.add_argument("--lr_decay", type=float, default=1.0,
                        help="If < 1: the learning rate is multiplied by this after every "
                             "epoch from the second on (a schedule for a fixed time budget); "
                             "1: halve it when the eval loss stops falling.")
    parser.add_argument("--anneal", action="store_true",
                        help="Cosine-anneal the learning rate from --learning_rate to a 20th "
                             "of it over the --max_minutes of wall-clock time, updated as "
                             "batches run (a schedule for a fixed time budget; replaces "
                             "--lr_decay, and the budget, not --patience, ends training).")
    parser.add_argument("--rows_per_epoch", type=int, default=0,
                        help="Training rows between two evaluations on the eval split, "
                             "which pick the best checkpoint (0: one pass over the train split).")
    parser.add_argument("--patience", type=int, default=4,
                        help="Epochs without a better eval exact match before stopping.")
    parser.add_argument("--seed", type=int, default=42, help="Seed of weights and shuffling.")
    parser.add_argument("--ema_momentum", type=float, default=0.0,
                        help="Keep an exponential moving average of the weights with this "
                             "momentum (e.g. 0.999) and score, checkpoint and export the "
                             "average instead of the last weights; 0: off.")
    parser.add_argument("--max_minutes", type=float, default=0,
                        help="Stop after the epoch that crosses this many minutes (with "
                             "--anneal: at the batch that does; 0: no limit).")
    parser.add_argument("--skip_evaluation", action="store_true",
                        help="Export without running model.evaluate.")
    parser.add_argument("--warm_start_from", metavar="SAVED_MODEL_DIR",
                        help="Start from the weights of this exported model's network instead "
                             "of random ones (model/warm_start.py); the network sizes must be "
                             "the same, the character vocabularies may differ.")
    parser.add_argument("--warm_start_network", choices=warm_start.NETWORKS,
                        default=warm_start.NETWORKS[0],
                        help="Which network of --warm_start_from: the first, or the second "
                             "of a two-network export.")
    parser.add_argument("--cpu_threads", type=int, default=0,
                        help="Threads TensorFlow runs each op and ops at once with (0: one per "
                             "CPU); 1 lets two networks train side by side, one per core.")
    defaults = network.HParams()
    for field in dataclasses.fields(network.HParams):
        if field.name == "encoder":
            parser.add_argument("--encoder", choices=network.ENCODERS, default=defaults.encoder,
                                help="The encoder of the network.")
        elif field.name != "char_vocab_size":
            parser.add_argument(f"--{field.name}", type=int, default=getattr(defaults, field.name),
                                help="A size of the network (model/network.py).")
    args = parser.parse_args(argv)
    if args.anneal and not args.max_minutes:
        parser.error("--anneal anneals over the time budget: give --max_minutes too")
    if args.rows_per_epoch < 0:
        parser.error(f"--rows_per_epoch must be 0 or more, got {args.rows_per_epoch}")
    if not 0 <= args.ema_momentum < 1:
        parser.error(f"--ema_momentum must be in [0, 1), got {args.ema_momentum}")
    if args.cpu_threads < 0:
        parser.error(f"--cpu_threads must be 0 or more, got {args.cpu_threads}")
    return args


def tfrecord_files(data_dir: str, split: str) -> List[str]:
    pattern = features.tfrecord_pattern(data_dir, split)
    files = sorted(tf.io.gfile.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no TFRecords match {pattern}; run pipeline.generate first")
    return files


def load_split(data_dir: str, split: str) -> dict:
    """Every row of one split, parsed once into compact NumPy arrays:
    {CHAR_IDS_KEY: [n, MAX_INPUT_LEN] (the smallest unsigned type that holds
    every id of the vocabulary), INPUT_LENGTH_KEY: [n] int32 (at most MAX_INPUT_LEN),
    LABEL_IDS_KEY: [n, OUTPUT_LEN] uint8}, in the files' order."""
    dataset = tf.data.TFRecordDataset(tfrecord_files(data_dir, split), compression_type="GZIP")
    dataset = dataset.batch(_PARSE_BATCH).map(
        lambda records: tf.io.parse_example(records, TRANSFORMED_FEATURE_SPEC),
        num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    types = {features.CHAR_IDS_KEY: np.min_scalar_type(char_vocab_size(data_dir) - 1),
             features.INPUT_LENGTH_KEY: np.int32,
             features.LABEL_IDS_KEY: np.uint8}
    parts = {key: [] for key in types}
    for batch in dataset.as_numpy_iterator():
        batch[features.INPUT_LENGTH_KEY] = np.minimum(batch[features.INPUT_LENGTH_KEY],
                                                      features.MAX_INPUT_LEN)
        for key, values in parts.items():
            values.append(batch[key].astype(types[key]))
    return {key: np.concatenate(values) for key, values in parts.items()}


def batch_rows(lengths: np.ndarray, batch_size: int,
               rng: Optional[np.random.Generator]) -> List[np.ndarray]:
    """One pass over the rows as batches of row indices, each batch inside one
    length bucket (_LENGTH_BOUNDARIES) so short phrases are not padded to long
    ones. With `rng`: a fresh permutation, bucketed window by window
    (_SHUFFLE_WINDOW rows) and the batches in random order; a bucket's short
    last batches of its windows are joined, so every pass holds as many
    batches as one without `rng`. Without: the rows bucket by bucket."""
    buckets = np.searchsorted(np.asarray(_LENGTH_BOUNDARIES), lengths, side="left")
    if rng is None:
        windows = [np.arange(len(lengths))]
    else:
        order = rng.permutation(len(lengths))
        windows = [order[start:start + _SHUFFLE_WINDOW]
                   for start in range(0, len(order), _SHUFFLE_WINDOW)]
    batches, short = [], collections.defaultdict(list)
    for window in windows:
        window = window[np.argsort(buckets[window], kind="stable")]
        edges = np.flatnonzero(np.diff(buckets[window])) + 1
        for run in np.split(window, edges):
            split = np.split(run, range(batch_size, len(run), batch_size))
            if len(windows) > 1 and len(split[-1]) < batch_size:
                short[int(buckets[run[0]])].append(split.pop())
            batches.extend(split)
    for bucket in sorted(short):
        rest = np.concatenate(short[bucket])
        batches.extend(np.split(rest, range(batch_size, len(rest), batch_size)))
    if rng is not None:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


def make_dataset(data_dir: str, split: str, batch_size: int, shuffle: bool,
                 seed: int, endless: bool = False) -> tf.data.Dataset:
    """(char_ids [b, t], label_ids [b, 5]) int32 batches of one split, each
    batch as wide as its longest phrase (t <= MAX_INPUT_LEN); with `shuffle`,
    in a fresh order each pass, and with `endless` too, pass after pass.

    The split is parsed once and held as constant tensors; each pass, one
    NumPy call draws the batches' row indices (batch_rows) and tf.data gathers
    the rows. Parsing and bucketing every row in tf.data on every pass took
    about a fifth of the CPU of training, and yielding the batches from a
    Python generator cost a quarter of it again in page faults
    (BENCHMARKS.md, "Training input")."""
    arrays = load_split(data_dir, split)
    lengths = arrays[features.INPUT_LENGTH_KEY]
    rng = np.random.default_rng(seed) if shuffle else None
    char_ids = tf.constant(arrays[features.CHAR_IDS_KEY])
    row_lengths = tf.constant(lengths)
    labels = tf.constant(arrays[features.LABEL_IDS_KEY])

    def one_pass():
        batches = batch_rows(lengths, batch_size, rng)
        splits = np.cumsum([0] + [len(rows) for rows in batches], dtype=np.int64)
        return np.concatenate(batches).astype(np.int64), splits

    def pass_batches(_):
        rows, splits = tf.numpy_function(one_pass, [], (tf.int64, tf.int64), stateful=True)
        rows.set_shape([None])
        splits.set_shape([None])
        return tf.data.Dataset.from_tensor_slices(
            tf.RaggedTensor.from_row_splits(rows, splits, validate=False))

    def gather(rows):
        width = tf.maximum(tf.reduce_max(tf.gather(row_lengths, rows)), 1)
        return (tf.cast(tf.gather(char_ids, rows)[:, :width], tf.int32),
                tf.cast(tf.gather(labels, rows), tf.int32))

    passes = tf.data.Dataset.range(1)
    if shuffle and endless:
        passes = passes.repeat()
    dataset = passes.flat_map(pass_batches).map(gather)
    if not (shuffle and endless):  # every pass holds as many batches: Keras need not run out
        dataset = dataset.apply(tf.data.experimental.assert_cardinality(
            len(batch_rows(lengths, batch_size, None))))
    return dataset.prefetch(2)


def char_vocabulary(data_dir: str) -> List[bytes]:
    """The character vocabulary tensorflow-transform analyzed on the train split."""
    import tensorflow_transform as tft
    output = tft.TFTransformOutput(os.path.join(data_dir, features.TRANSFORM_OUTPUT_DIR))
    return warm_start.read_vocabulary(output.vocabulary_file_by_name(features.CHAR_VOCAB_NAME))


def char_vocab_size(data_dir: str) -> int:
    """Embedding rows: vocabulary + out-of-vocabulary bucket + padding."""
    return features.char_embedding_rows(len(char_vocabulary(data_dir)))


class TimeLimit(keras.callbacks.Callback):
    """Stops training after the epoch that crosses a wall-clock budget and,
    with `anneal`, cosine-anneals the learning rate over that budget from
    `base_rate` to a 20th of it (every 20 batches) and ends the epoch in
    which the budget runs out there and then (it is still scored on the eval
    split and may still be the best checkpoint)."""

    _FLOOR = 0.05
    _EVERY = 20

    def __init__(self, minutes: float, anneal: bool = False, base_rate: float = 0.0):
        super().__init__()
        self._seconds = minutes * 60
        self._anneal = anneal
        self._base_rate = base_rate
        self._started = time.monotonic()

    def on_train_begin(self, logs=None):
        self._started = time.monotonic()

    def learning_rate(self, elapsed: float) -> float:
        """The annealed rate `elapsed` seconds into the budget."""
        done = min(1.0, elapsed / self._seconds)
        return self._base_rate * (self._FLOOR + (1 - self._FLOOR) * 0.5
                                  * (1 + math.cos(math.pi * done)))

    def on_train_batch_begin(self, batch, logs=None):
        if self._anneal and batch % self._EVERY == 0:
            elapsed = time.monotonic() - self._started
            self.model.optimizer.learning_rate.assign(self.learning_rate(elapsed))
            if elapsed > self._seconds and not self.model.stop_training:
                logging.info("time limit reached at batch %d: this epoch ends here", batch)
                self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self._anneal and logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate.numpy())
        if time.monotonic() - self._started > self._seconds:
            logging.info("time limit reached after epoch %d", epoch + 1)
            self.model.stop_training = True


def limit_threads(threads: int) -> bool:
    """Runs TensorFlow's ops on `threads` threads; False (and a warning) when
    TensorFlow already ran ops in this process and can no longer change."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(threads)
    except RuntimeError as error:
        logging.warning("--cpu_threads %d not applied: %s", threads, error)
        return False
    return True


def trainable_model(full_model: keras.Model, learning_rate: float,
                    ema_momentum: float = 0.0) -> keras.Model:
    """The character output of `full_model` as a model compiled for training:
    Adam (with weight averaging at `ema_momentum`, if not 0), per-character
    cross-entropy, scored by whole-answer exact match."""
    trainable = keras.Model(full_model.input, full_model.output["chars"], name="timenorm_chars")
    ema = {"use_ema": True, "ema_momentum": ema_momentum} if ema_momentum else {}
    trainable.compile(optimizer=keras.optimizers.Adam(learning_rate, **ema),
                      loss="sparse_categorical_crossentropy",
                      metrics=[network.exact_match])
    return trainable


def train(args) -> dict:
    """Trains, exports, evaluates (unless args.skip_evaluation) and returns a
    summary of the run; the export appears under its final name last."""
    check_data_dir(args.data_dir)
    if args.cpu_threads:
        limit_threads(args.cpu_threads)
    keras.utils.set_random_seed(args.seed)
    started = time.monotonic()
    vocabulary = char_vocabulary(args.data_dir)
    hparams = network.HParams(**{f.name: getattr(args, f.name)
                                 for f in dataclasses.fields(network.HParams)
                                 if f.name != "char_vocab_size"},
                              char_vocab_size=features.char_embedding_rows(len(vocabulary)))
    full_model = network.build_model(hparams)
    warm_started = None
    if args.warm_start_from:
        warm_started = warm_start.warm_start(full_model, hparams, args.warm_start_from,
                                             args.warm_start_network, vocabulary)
    trainable = trainable_model(full_model, args.learning_rate, args.ema_momentum)
    full_model.summary(print_fn=logging.info)

    checkpoint = os.path.join(args.model_dir, CHECKPOINT_FILE)
    tf.io.gfile.makedirs(os.path.dirname(checkpoint))
    monitor = "val_exact_match"
    # With EMA the averaged weights are swapped in for scoring and stay in
    # from each epoch's end to the next epoch's start, so the checkpoint
    # (after the swap in this list) holds them.
    callbacks = [keras.callbacks.SwapEMAWeights(swap_on_epoch=True)] if args.ema_momentum else []
    callbacks += [
        keras.callbacks.ModelCheckpoint(checkpoint, monitor=monitor, mode="max",
                                        save_best_only=True),
        keras.callbacks.TensorBoard(os.path.join(args.model_dir, "logs")),
    ]
    if not args.anneal:  # an annealed run ends with its budget (TimeLimit)
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor=monitor, mode="max", patience=args.patience, restore_best_weights=True))
        if args.lr_decay < 1:
            base, decay = args.learning_rate, args.lr_decay
            callbacks.append(keras.callbacks.LearningRateScheduler(
                lambda epoch: base * decay ** max(0, epoch - 1)))
        else:
            callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5,
                                                               patience=2))
    if args.max_minutes:
        callbacks.append(TimeLimit(args.max_minutes, args.anneal, args.learning_rate))
    # An epoch is one pass over the train split unless --rows_per_epoch cuts
    # an endless stream into epochs of that many rows.
    history = trainable.fit(
        make_dataset(args.data_dir, features.TRAIN_SPLIT, args.batch_size, True, args.seed,
                     endless=bool(args.rows_per_epoch)),
        steps_per_epoch=math.ceil(args.rows_per_epoch / args.batch_size) or None,
        validation_data=make_dataset(args.data_dir, features.EVAL_SPLIT, args.batch_size,
                                     False, args.seed),
        epochs=args.epochs, callbacks=callbacks, verbose=2,
        shuffle=False)  # make_dataset shuffles; Keras cannot shuffle a tf.data input

    # The same export as `python -m model.export`: the best checkpoint,
    # calibrated on the eval split.
    from model.export import export_model
    if monitor not in history.history:
        raise RuntimeError(f"training on {args.data_dir} gave no {monitor}; nothing exported")
    export_dir = os.path.join(args.model_dir, SAVED_MODEL_DIR)
    staged_export = export_dir + INCOMPLETE_SUFFIX
    if tf.io.gfile.exists(staged_export):
        tf.io.gfile.rmtree(staged_export)  # left by a failed run
    calibration = export_model(args.model_dir, args.data_dir, staged_export)
    summary = {
        "epochs_run": len(history.history["loss"]),
        "best_eval_exact_match": max(history.history[monitor]),
        "train_seconds": round(time.monotonic() - started, 1),
        "hparams": dataclasses.asdict(hparams),
        "warm_start": warm_started,
        "calibration": calibration,
        "args": {k: v for k, v in vars(args).items()},
    }
    if not args.skip_evaluation:
        from model import evaluate
        evaluate.run(["--model_dir", staged_export, "--data_dir", args.data_dir,
                      "--published_as", export_dir])
    summary_path = os.path.join(args.model_dir, "train_summary.json")
    for previous in (summary_path, export_dir):  # the old summary first
        if tf.io.gfile.exists(previous):
            (tf.io.gfile.rmtree if tf.io.gfile.isdir(previous) else tf.io.gfile.remove)(previous)
    tf.io.gfile.rename(staged_export, export_dir)
    with tf.io.gfile.GFile(summary_path, "w") as handle:
        handle.write(json.dumps(summary, indent=2) + "\n")
    return summary


def run(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    summary = train(args)
    logging.info("train summary: %s", json.dumps(summary))
    return summary


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    try:
        summary = run(argv)
    except (DataError, warm_start.WarmStartError) as error:
        print(f"model.train: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
