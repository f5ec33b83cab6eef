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

if __name__ == "__main__":  # the command: the same as `timenorm generate` (pipeline/cli.py)
    import sys
    from pipeline import cli
    sys.exit(cli.main(["generate"] + sys.argv[1:]))

import argparse
import copy
import json
import logging
import math
import os
import time
from typing import Dict, List, Optional

import apache_beam as beam
import pyarrow as pa
from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions

from pipeline import flags, pairs, staging, time_language
from pipeline.preprocessing import preprocessing_fn
from pipeline.tokenize import TokenizeAndWrite
from schemas import features, raw

# TFRecord shards are sized so a split of the default 200k examples makes a
# handful of files that Dataflow and tf.data can read in parallel.
ROWS_PER_TFRECORD_SHARD = 25_000
RAW_BATCH_SIZE = 1000
_STATS_FILE = "split_stats.json"  # written by versions before the summary moved in the pipeline
_TEMP_DIR = "tmp"  # tensorflow-transform's scratch space, removed after a run
# What a run leaves in --output_dir, replaced as a whole by the next run
# (the summary last); _STATS_FILE and _TEMP_DIR only in case an older version
# of this job left them.
_OUTPUTS = (features.TFRECORD_DIR, features.TRANSFORM_OUTPUT_DIR)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--output_dir", required=True,
                        help="Directory (local or gs://) for TFRecords, transform graph, summary.")
    parser.add_argument("--num_examples", type=int, default=200_000,
                        help="Pairs rendered before de-duplication.")
    parser.add_argument("--seed", type=int, default=42, help="Seed of the whole run.")
    parser.add_argument("--eval_fraction", type=float, default=0.1,
                        help="Share of the de-duplicated phrases in the eval split.")
    parser.add_argument("--test_fraction", type=float, default=0.1,
                        help="Share of the de-duplicated phrases in the test split.")
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


def build_pipeline(pipeline: beam.Pipeline, args, temp_dir: str) -> None:
    """Adds the generate stages to `pipeline`; the last writes summary.json."""
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
        transform_written = transform_fn | "WriteTransformFn" >> tft_beam.WriteTransformFn(
            os.path.join(args.output_dir, features.TRANSFORM_OUTPUT_DIR))

        counts = []
        for split, fraction in zip(features.SPLITS, fractions):
            num_shards = max(1, math.ceil(args.num_examples * fraction / ROWS_PER_TFRECORD_SHARD))
            counts.append(raw_batches[split]
                          | f"TokenizeAndWrite[{split}]" >> TokenizeAndWrite(
                              split, args.output_dir, num_shards, transform_fn,
                              tensor_adapter_config))
        counts = counts | "FlattenCounts" >> beam.Flatten()
        sums = (counts
                | "CountsOnly" >> beam.Filter(lambda pair: pair[0][1] != "longest")
                | "SumCounts" >> beam.CombinePerKey(sum))
        longest = (counts
                   | "LongestOnly" >> beam.Filter(lambda pair: pair[0][1] == "longest")
                   | "LongestPerSplit" >> beam.CombinePerKey(max))
        _ = ((sums, longest)
             | "FlattenStats" >> beam.Flatten()
             | "GatherStats" >> beam.combiners.ToDict()
             | "WriteSummary" >> beam.Map(write_summary, args,
                                          beam.pvalue.AsSingleton(transform_written)))


def write_summary(stats: dict, args, _transform_written=None) -> dict:
    """Writes summary.json from the gathered stats ({(split, name): value}) and
    the vocabulary of the written transform graph; returns the summary."""
    import tensorflow as tf
    import tensorflow_transform as tft

    def per_split(name):
        return {split: stats.get((split, name), 0) for split in features.SPLITS}

    families = {split: {} for split in features.SPLITS}
    for key, count in sorted(stats.items()):
        if key[1] == "family":
            families[key[0]][key[2]] = count
    longest = max((stats[(split, "longest")] for split in features.SPLITS
                   if (split, "longest") in stats), default=(0, ""))
    transform_output = tft.TFTransformOutput(
        os.path.join(args.output_dir, features.TRANSFORM_OUTPUT_DIR))
    summary = {
        "num_examples_rendered": args.num_examples,
        "rows": sum(per_split("rows").values()),
        "rows_per_split": per_split("rows"),
        "rows_per_family": families,
        "rejects_per_split": per_split("rejects"),
        "longest_phrase": {"length": longest[0], "text": longest[1]},
        "max_input_len": features.MAX_INPUT_LEN,
        "longer_than_max_input_len": sum(per_split("longer_than_max_input_len").values()),
        "char_vocabulary_size": transform_output.vocabulary_size_by_name(
            features.CHAR_VOCAB_NAME),
        "seed": args.seed,
        "family_weights": args.weights,
    }
    with tf.io.gfile.GFile(os.path.join(args.output_dir, features.SUMMARY_FILE), "w") as handle:
        handle.write(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    logging.info("generate: summary written: %s rows, %s per split", summary["rows"],
                 summary["rows_per_split"])
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
        logging.info("generate: rendering %s pairs (seed %s), then de-duplicate, split, analyze "
                     "the train split, tokenize and write, in %s", f"{args.num_examples:,}",
                     args.seed, stage.dir)
        started = time.monotonic()
        with beam.Pipeline(options=options) as pipeline:
            build_pipeline(pipeline, staged_args, os.path.join(stage.dir, _TEMP_DIR))
        if options.get_all_options().get("dry_run"):
            return {}
        logging.info("generate: pipeline done in %.1f s", time.monotonic() - started)
        staging.remove_tree(os.path.join(stage.dir, _TEMP_DIR))
        summary = read_summary(stage.dir)
        commit(stage.dir, args.output_dir)
    logging.info("generate: %s now holds this run's tfrecords/, transform/ and %s",
                 args.output_dir, features.SUMMARY_FILE)
    if empty_splits(summary):
        logging.warning("the %s split(s) are empty: model.train will refuse this data; "
                        "generate more examples", ", ".join(empty_splits(summary)))
    return summary


def read_summary(data_dir: str) -> dict:
    return json.loads(staging.read_text(os.path.join(data_dir, features.SUMMARY_FILE)))


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    summary = run(argv)
    print(json.dumps(summary, indent=2, sort_keys=True))
    return 0

