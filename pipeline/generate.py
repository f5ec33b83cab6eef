"""Generate: labelled time phrases -> tokenized TFRecords and a transform graph.

    python -m pipeline.generate --output_dir out/data [--num_examples 200000]
        [--seed 42] [--eval_fraction 0.1] [--test_fraction 0.1]
        [--family_weights "reject=2,noise=1.5"] [any Beam flag]

Writes under --output_dir:
    tfrecords/{train,eval,test}-NNNNN-of-NNNNN.tfrecord.gz   tf.train.Example,
        features as in schemas/transformed.py
    transform/transform_fn/, transform/transformed_metadata/   the TFT graph
    summary.json   rows per split and family, rejects, longest phrase, vocabulary

The run writes into a staging directory under --output_dir
(pipeline/staging.py); only when it succeeded are the previous run's
tfrecords/, transform/ and summary.json replaced by its own, summary.json
last. A failed run leaves the directory as it was.
"""

import gc

if __name__ == "__main__":
    gc.disable()  # a command: collection waits until the imports are in (end of file)

import argparse
import copy
import json
import logging
import math
import os
import sys
from typing import Dict, List, Optional

import apache_beam as beam
import numpy as np
import pyarrow as pa
from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions

from pipeline import flags, pairs, staging, time_language
from pipeline.preprocessing import preprocessing_fn
from pipeline.tfrecords import WriteDeterministicTFRecords, split_prefix
from schemas import features, raw

# TFRecord shards are sized so a split of the default 200k examples makes a
# handful of files that Dataflow and tf.data can read in parallel.
ROWS_PER_TFRECORD_SHARD = 25_000
RAW_BATCH_SIZE = 1000
_STATS_FILE = "split_stats.json"
_TEMP_DIR = "tmp"  # tensorflow-transform's scratch space, removed after a run
# What a run leaves in --output_dir, replaced as a whole by the next run
# (the summary last); _STATS_FILE and _TEMP_DIR only in case an older version
# of this job left them.
_OUTPUTS = (features.TFRECORD_DIR, features.TRANSFORM_OUTPUT_DIR)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("--output_dir", required=True,
                        help="Directory (local or gs://) for TFRecords, transform graph, summary.")
    parser.add_argument("--num_examples", type=int, default=200_000,
                        help="Pairs rendered before de-duplication.")
    parser.add_argument("--seed", type=int, default=42, help="Seed of the whole run.")
    parser.add_argument("--eval_fraction", type=float, default=0.1)
    parser.add_argument("--test_fraction", type=float, default=0.1)
    parser.add_argument("--family_weights", default="",
                        help="Overrides of the default family mix, e.g. 'reject=2,iso=0.5'. "
                             f"Defaults: {time_language.DEFAULT_WEIGHTS}")
    known, pipeline_args = parser.parse_known_args(argv)
    flags.refuse_unknown(parser, pipeline_args)
    if known.num_examples <= 0:
        parser.error("--num_examples must be positive")
    if not (0 < known.eval_fraction and 0 < known.test_fraction
            and known.eval_fraction + known.test_fraction < 1):
        parser.error("--eval_fraction and --test_fraction must be > 0 and sum to < 1")
    try:
        known.weights = time_language.parse_weights(known.family_weights)
    except ValueError as error:
        parser.error(str(error))
    return known, pipeline_args


def _to_record_batch(rows: List[Dict[str, str]]) -> pa.RecordBatch:
    """Rows of raw features -> the Arrow layout TFXIO reads (one value per list)."""
    return pa.RecordBatch.from_arrays(
        [pa.array([[row[key].encode("utf-8")] for row in rows], pa.large_list(pa.large_binary()))
         for key in raw.RAW_FEATURE_SPEC],
        list(raw.RAW_FEATURE_SPEC))


def _flat(batch: pa.RecordBatch, name: str) -> np.ndarray:
    column = batch.column(batch.schema.get_field_index(name))
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = column.flatten()
    return column.to_numpy(zero_copy_only=False)


class SplitStatsFn(beam.CombineFn):
    """Counts per family, rejects and the longest phrase of transformed batches."""

    def create_accumulator(self):
        return {"rows": 0, "rejects": 0, "longer_than_max_input_len": 0,
                "families": {}, "longest": {"length": 0, "text": ""}}

    def add_input(self, stats, batch):
        families = _flat(batch, features.FAMILY_KEY)
        labels = _flat(batch, features.LABEL_KEY)
        lengths = _flat(batch, features.INPUT_LENGTH_KEY)
        stats["rows"] += batch.num_rows
        stats["rejects"] += int(np.sum(labels == features.REJECT_LABEL.encode()))
        stats["longer_than_max_input_len"] += int(np.sum(lengths > features.MAX_INPUT_LEN))
        names, counts = np.unique(families, return_counts=True)
        for name, count in zip(names, counts):
            name = name.decode()
            stats["families"][name] = stats["families"].get(name, 0) + int(count)
        if batch.num_rows:
            longest = int(np.argmax(lengths))
            candidate = {"length": int(lengths[longest]),
                         "text": _flat(batch, features.TEXT_KEY)[longest].decode()}
            stats["longest"] = max(stats["longest"], candidate,
                                   key=lambda s: (s["length"], s["text"]))
        return stats

    def merge_accumulators(self, accumulators):
        merged = self.create_accumulator()
        for stats in accumulators:
            for key in ("rows", "rejects", "longer_than_max_input_len"):
                merged[key] += stats[key]
            for name, count in stats["families"].items():
                merged["families"][name] = merged["families"].get(name, 0) + count
            merged["longest"] = max(merged["longest"], stats["longest"],
                                    key=lambda s: (s["length"], s["text"]))
        return merged

    def extract_output(self, stats):
        stats["families"] = dict(sorted(stats["families"].items()))
        return stats


def deterministic_bytes(serialized_example: bytes) -> bytes:
    """The Example re-serialized with its feature map in key order: the
    encoder's map order varies between processes, so equal Examples could
    otherwise differ in bytes."""
    from tensorflow.core.example import example_pb2
    return example_pb2.Example.FromString(serialized_example).SerializeToString(
        deterministic=True)


class TokenizeAndWrite(beam.PTransform):
    """Transformed record batches of one split -> TFRecords + that split's stats."""

    def __init__(self, split: str, output_dir: str, num_shards: int):
        super().__init__()
        self._split = split
        self._output_dir = output_dir
        self._num_shards = num_shards

    def expand(self, transformed_batches):
        from tfx_bsl.coders.example_coder import RecordBatchToExamples
        batches = transformed_batches | "DropPassthrough" >> beam.Map(lambda pair: pair[0])
        (batches
         | "EncodeExamples" >> beam.FlatMap(
             lambda batch: map(deterministic_bytes, RecordBatchToExamples(batch)))
         | "WriteTFRecords" >> WriteDeterministicTFRecords(
             split_prefix(self._output_dir, self._split), self._num_shards))
        split = self._split
        return (batches
                | "CountRows" >> beam.CombineGlobally(SplitStatsFn())
                | "NameSplit" >> beam.Map(lambda stats: (split, stats)))


def build_pipeline(pipeline: beam.Pipeline, args, temp_dir: str) -> None:
    """Adds the generate stages to `pipeline`."""
    import tensorflow_transform.beam as tft_beam
    from tfx_bsl.public import tfxio
    from tfx_bsl.tfxio import tensor_representation_util

    schema = raw.raw_schema()
    tensor_adapter_config = tfxio.TensorAdapterConfig(
        pa.schema([(key, pa.large_list(pa.large_binary())) for key in raw.RAW_FEATURE_SPEC]),
        tensor_representation_util.InferTensorRepresentationsFromSchema(schema))
    fractions = (1 - args.eval_fraction - args.test_fraction, args.eval_fraction,
                 args.test_fraction)

    with tft_beam.Context(temp_dir=temp_dir):
        splits = (pipeline
                  | "GeneratePairs" >> pairs.GeneratePairs(args.num_examples, args.seed,
                                                           args.weights)
                  | "DedupeAndSplit" >> pairs.DedupeAndSplit(fractions))
        raw_batches = {
            split: (rows
                    | f"Batch[{split}]" >> beam.BatchElements(
                        min_batch_size=RAW_BATCH_SIZE, max_batch_size=RAW_BATCH_SIZE)
                    | f"ToRecordBatch[{split}]" >> beam.Map(_to_record_batch))
            for split, rows in zip(features.SPLITS, splits)}

        transform_fn = ((raw_batches[features.TRAIN_SPLIT], tensor_adapter_config)
                        | "AnalyzeTrainSplit" >> tft_beam.AnalyzeDataset(preprocessing_fn))
        _ = transform_fn | "WriteTransformFn" >> tft_beam.WriteTransformFn(
            os.path.join(args.output_dir, features.TRANSFORM_OUTPUT_DIR))

        stats = []
        for split, fraction in zip(features.SPLITS, fractions):
            num_shards = max(1, math.ceil(args.num_examples * fraction / ROWS_PER_TFRECORD_SHARD))
            transformed, _ = (((raw_batches[split], tensor_adapter_config), transform_fn)
                              | f"Transform[{split}]" >> tft_beam.TransformDataset(
                                  output_record_batches=True))
            stats.append(transformed
                         | f"TokenizeAndWrite[{split}]" >> TokenizeAndWrite(
                             split, args.output_dir, num_shards))
        (stats
         | "FlattenStats" >> beam.Flatten()
         | "GatherStats" >> beam.combiners.ToDict()
         | "StatsToJson" >> beam.Map(lambda d: json.dumps(d, sort_keys=True))
         | "WriteStats" >> beam.io.WriteToText(
             os.path.join(args.output_dir, _STATS_FILE), shard_name_template=""))


def write_summary(args) -> dict:
    """Joins the per-split stats with the vocabulary size into summary.json."""
    import tensorflow as tf
    import tensorflow_transform as tft

    stats_path = os.path.join(args.output_dir, _STATS_FILE)
    with tf.io.gfile.GFile(stats_path) as handle:
        splits = json.loads(handle.read())
    transform_output = tft.TFTransformOutput(
        os.path.join(args.output_dir, features.TRANSFORM_OUTPUT_DIR))
    longest = max((s["longest"] for s in splits.values()), key=lambda s: s["length"])
    summary = {
        "num_examples_rendered": args.num_examples,
        "rows": sum(s["rows"] for s in splits.values()),
        "rows_per_split": {split: splits[split]["rows"] for split in features.SPLITS},
        "rows_per_family": {split: splits[split]["families"] for split in features.SPLITS},
        "rejects_per_split": {split: splits[split]["rejects"] for split in features.SPLITS},
        "longest_phrase": longest,
        "max_input_len": features.MAX_INPUT_LEN,
        "longer_than_max_input_len": sum(s["longer_than_max_input_len"]
                                         for s in splits.values()),
        "char_vocabulary_size": transform_output.vocabulary_size_by_name(
            features.CHAR_VOCAB_NAME),
        "seed": args.seed,
        "family_weights": args.weights,
    }
    with tf.io.gfile.GFile(os.path.join(args.output_dir, features.SUMMARY_FILE), "w") as handle:
        handle.write(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    tf.io.gfile.remove(stats_path)
    tf.io.gfile.rmtree(os.path.join(args.output_dir, _TEMP_DIR))
    return summary


def commit(staged_dir: str, output_dir: str) -> None:
    """Replaces the previous run's outputs in `output_dir` with the staged ones,
    removing the old summary first and moving the new one in last."""
    import tensorflow as tf

    summary = os.path.join(output_dir, features.SUMMARY_FILE)
    for name in (features.SUMMARY_FILE,) + _OUTPUTS + (_STATS_FILE, _TEMP_DIR):
        staging.remove_tree(os.path.join(output_dir, name))
    for name in _OUTPUTS:
        tf.io.gfile.rename(os.path.join(staged_dir, name), os.path.join(output_dir, name))
    tf.io.gfile.rename(os.path.join(staged_dir, features.SUMMARY_FILE), summary)


def empty_splits(summary: dict) -> List[str]:
    return [split for split in features.SPLITS if not summary["rows_per_split"][split]]


def run(argv: Optional[List[str]] = None, save_main_session: bool = True) -> dict:
    """Runs the generate pipeline and returns its summary."""
    args, pipeline_args = parse_args(argv)
    options = PipelineOptions(pipeline_args)
    options.view_as(SetupOptions).save_main_session = save_main_session
    with staging.StagedRun(args.output_dir, "generate") as stage:
        staged_args = copy.copy(args)
        staged_args.output_dir = stage.dir
        with beam.Pipeline(options=options) as pipeline:
            build_pipeline(pipeline, staged_args, os.path.join(stage.dir, _TEMP_DIR))
        if options.get_all_options().get("dry_run"):
            return {}
        summary = write_summary(staged_args)
        commit(stage.dir, args.output_dir)
    logging.info("generate summary: %s", json.dumps(summary))
    if empty_splits(summary):
        logging.warning("the %s split(s) are empty: model.train will refuse this data; "
                        "generate more examples", ", ".join(empty_splits(summary)))
    return summary


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    summary = run(argv)
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    gc.freeze()  # the imported modules live until exit: see pipeline/__init__.py
    gc.enable()
    sys.exit(main())
