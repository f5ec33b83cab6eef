"""Infer: normalize the free-form times of large Parquet files.

    python -m pipeline.infer --input 'data/*.parquet' --output out/normalized
        [--text_column text] [--model_dir DIR] [--min_confidence 0.5]
        [--full_attention] [--num_shards 0] [any Beam flag]

A row's path: Parquet batch -> NormalizeTimes (validate, distinct values,
model, attention spans; pipeline/normalize.py) -> Parquet batch with the
columns of schemas/parquet.py appended. Every input row comes out once, and
is counted (pipeline/summary.py).

The run writes into a staging directory beside the output (pipeline/staging.py).
Only when it succeeded and rows in = rows out for every file does it replace
the previous run's `<output>-NNNNN-of-NNNNN.parquet` shards and summary with
its own, `<output>-summary.json` (rows in and out per file, counts per status
and per error) last: the summary's presence means the output is whole. A
failed run leaves the previous output as it was and exits non-zero, saying why.
"""

if __name__ == "__main__":  # the command: the same as `timenorm infer` (pipeline/cli.py)
    import sys
    from pipeline import cli
    sys.exit(cli.main(["infer"] + sys.argv[1:]))

import argparse
import json
import logging
import os
import re
import sys
from typing import List, Optional

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import (DirectOptions, PipelineOptions, SetupOptions,
                                                  StandardOptions)

from model.integrity import ModelError, check_model_dir
from model.normalizer import DEFAULT_CACHE_SIZE
from model.serving import resolve_min_confidence
from pipeline import flags, staging
from pipeline.normalize import NormalizeTimes
from pipeline.parquet_io import (InputError, ReadParquetBatches, WriteParquetBatches,
                                 check_inputs, literal_pattern, local_path)
from pipeline.summary import CountRows, WriteSummary
from schemas import parquet

SUMMARY_SUFFIX = "-summary.json"
_STAGED_SHARDS = "part"  # prefix of the shards inside the staging directory
_STAGED_SUMMARY = "summary.json"
# Runners that run the whole pipeline inside the launching process.
_IN_PROCESS_RUNNERS = (None, "DirectRunner", "FnApiRunner", "BundleBasedDirectRunner",
                       "SwitchingDirectRunner")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--input", required=True, help="File pattern of the Parquet inputs.")
    parser.add_argument("--output", required=True, help="Prefix of the output Parquet shards.")
    parser.add_argument("--text_column", default=parquet.DEFAULT_TEXT_COLUMN,
                        help="The input column holding the times to normalize.")
    parser.add_argument("--model_dir", default=None,
                        help="Exported SavedModel (local or gs://); None: the shipped model.")
    parser.add_argument("--min_confidence", type=float, default=None,
                        help="Times below this confidence are rejected as low_confidence "
                             "(their time kept in candidate_time). Default: the model's own "
                             "recommended threshold; 0 turns abstention off.")
    parser.add_argument("--full_attention", action="store_true",
                        help="Also write the full attention matrix per row.")
    parser.add_argument("--num_shards", type=int, default=0,
                        help="Output shards (0: let the runner decide).")
    parser.add_argument("--cache_size", type=int, default=DEFAULT_CACHE_SIZE,
                        help="Distinct strings whose results each worker keeps "
                             "(about 0.5 kB each).")
    parser.add_argument("--model_threads", type=int, default=0,
                        help="Model calls each worker process runs at once (0: one per CPU).")
    known, pipeline_args = parser.parse_known_args(argv)
    flags.refuse_unknown(parser, pipeline_args)
    if known.min_confidence is not None and not 0 <= known.min_confidence <= 1:
        parser.error("--min_confidence must be within [0, 1]")
    if known.model_threads < 0 or known.cache_size < 0 or known.num_shards < 0:
        parser.error("--model_threads, --cache_size and --num_shards must be >= 0")
    known.output = local_path(known.output)
    if "://" not in known.output:  # local: absolute, so earlier shards are found by name
        known.output = os.path.abspath(known.output)
    return known, pipeline_args


def build_pipeline(pipeline: beam.Pipeline, args, inputs, shard_prefix: str,
                   summary_path: str, log_progress: bool = False) -> None:
    """Adds the infer stages: shards go to `shard_prefix`, the summary to
    `summary_path`; with `log_progress` NormalizeTimes logs its progress."""
    normalized = (pipeline
                  | "ReadParquet" >> ReadParquetBatches(inputs)
                  | "NormalizeTimes" >> NormalizeTimes(
                      args.text_column, model_dir=args.model_dir,
                      min_confidence=args.min_confidence, full_attention=args.full_attention,
                      cache_size=args.cache_size, model_threads=args.model_threads,
                      total_rows=sum(inputs.rows.values()), log_progress=log_progress))
    written = normalized | "WriteParquet" >> WriteParquetBatches(
        shard_prefix, parquet.output_schema(inputs.schema, args.full_attention), args.num_shards)
    counts = normalized | "CountRows" >> CountRows()
    _ = written | "WriteSummary" >> WriteSummary(summary_path, inputs.rows, counts,
                                                 {"min_confidence": args.min_confidence_used})


def runs_in_process(options: PipelineOptions) -> bool:
    """Whether the pipeline runs in this process, whose log then shows progress."""
    runner = options.view_as(StandardOptions).runner
    mode = options.view_as(DirectOptions).direct_running_mode
    return runner in _IN_PROCESS_RUNNERS and mode in (None, "in_memory")


def previous_output(output: str) -> List[str]:
    """The files of an earlier run to `output`: its shards and summary."""
    shard = re.compile(re.escape(output) + r"-\d{5}-of-\d{5}\.parquet")
    pattern = literal_pattern(output) + "-*"
    return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list
                  if shard.fullmatch(m.path) or m.path == output + SUMMARY_SUFFIX)


def commit(summary: dict, shard_prefix: str, output: str) -> dict:
    """Replaces the previous run's files with this run's staged shards, then
    writes the summary (naming the final files) last."""
    old = previous_output(output)
    if output + SUMMARY_SUFFIX in old:  # first: nothing may vouch for a mixed set
        FileSystems.delete([output + SUMMARY_SUFFIX])
    if old:
        FileSystems.delete([path for path in old if path != output + SUMMARY_SUFFIX])
    final = {path: output + path[len(shard_prefix):] for path in summary["files_written"]}
    if final:
        FileSystems.rename(list(final), list(final.values()))
    summary = dict(summary, files_written=sorted(final.values()))
    staging.write_text(output + SUMMARY_SUFFIX, json.dumps(summary, indent=2) + "\n")
    return summary


def run(argv: Optional[List[str]] = None, save_main_session: bool = True) -> dict:
    """Runs the infer pipeline; returns the summary. Raises InputError on bad
    input and ModelError on a bad --model_dir (both before any work),
    ReadError naming the file a read failed in, and RuntimeError if rows in !=
    rows out; a failed run leaves the previous output untouched."""
    args, pipeline_args = parse_args(argv)
    inputs = check_inputs(args.input, args.text_column, args.full_attention)
    args.min_confidence_used = resolve_min_confidence(args.min_confidence, args.model_dir)
    args.min_confidence = args.min_confidence_used["value"]
    logging.info("min_confidence %g: %s", args.min_confidence,
                 args.min_confidence_used["source"])
    check_model_dir(args.model_dir)
    options = PipelineOptions(pipeline_args)
    options.view_as(SetupOptions).save_main_session = save_main_session
    parent, name = FileSystems.split(args.output)
    with staging.StagedRun(parent, name) as stage:
        shard_prefix = stage.path(_STAGED_SHARDS)
        with beam.Pipeline(options=options) as pipeline:
            build_pipeline(pipeline, args, inputs, shard_prefix, stage.path(_STAGED_SUMMARY),
                           runs_in_process(options))
        if options.get_all_options().get("dry_run"):
            return {}
        summary = json.loads(staging.read_text(stage.path(_STAGED_SUMMARY)))
        if not summary["balanced"]:
            unequal = {path: counts for path, counts in summary["rows_per_file"].items()
                       if counts["in"] != counts["out"]}
            raise RuntimeError(f"rows in ({summary['rows_in']}) != rows out "
                               f"({summary['rows_out']}): {json.dumps(unequal)}; nothing was "
                               f"written to {args.output}")
        return commit(summary, shard_prefix, args.output)


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    try:
        summary = run(argv)
    except (InputError, ModelError) as error:
        print(f"pipeline.infer: {error}", file=sys.stderr)
        return 2
    print(json.dumps(summary, indent=2))
    return 0

