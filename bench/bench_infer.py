"""Benchmark: the infer job on generated Parquet, against the bare model.

    python -m bench.bench_infer [--rows 1000000] [--runs 3] [--model_dir DIR] [--modes in-process]
        [--big_rows 10000000]

For (a) all values distinct and (b) 5% distinct values: rows/s and peak RSS
of the whole process tree, in-process and multi_processing with 2 workers,
median of --runs; then the bare model's rows/s on the distinct strings (the
pipeline's overhead is the difference), and one peak-RSS run on --big_rows.
Goals on 2 cores: >= 10k rows/s all distinct, >= 100k rows/s at 5% distinct,
peak RSS <= 2 GB on 10M rows.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

import pyarrow.parquet as pq

from bench import make_parquet, measure
from model import DEFAULT_MODEL_DIR
from schemas import features

MODES = {
    "in-process": ["--runner=FnApiRunner"],
    "multi_processing x2": ["--direct_running_mode=multi_processing", "--direct_num_workers=2"],
}


def infer_runs(path, rows, runs, model_dir, flags):
    results = []
    for _ in range(runs):
        output = tempfile.mkdtemp(prefix="bench_infer_")
        result = measure.run([sys.executable, "-m", "pipeline.infer", "--input", path,
                              "--output", os.path.join(output, "out"), "--model_dir",
                              model_dir] + flags)
        shutil.rmtree(output)
        results.append(result)
    seconds = measure.median([r["seconds"] for r in results])
    return {"median_rows_per_second": round(rows / seconds),
            "median_seconds": round(seconds, 1),
            "median_peak_rss_mb": round(measure.median([r["peak_rss_mb"] for r in results])),
            "runs_seconds": [round(r["seconds"], 1) for r in results]}


def bare_model(path, model_dir, runs):
    """rows/s of the SavedModel alone on the file's distinct strings, called
    the way NormalizeTimesFn calls it (sorted by length, SERVING_BATCH_SIZE
    strings per call, one call in flight per CPU), numpy out."""
    from concurrent.futures import ThreadPoolExecutor

    from model import serving
    texts = sorted(set(pq.read_table(path, columns=["text"]).column(0).to_pylist()), key=len)
    size = features.SERVING_BATCH_SIZE
    batches = [texts[start:start + size] for start in range(0, len(texts), size)]
    calls = serving.parallel_calls()
    serving.use_parallel_calls(calls)
    normalizer = serving.TimeNormalizer(model_dir)
    normalizer(batches[0])  # warm up
    timings = []
    with ThreadPoolExecutor(calls) as pool:
        for _ in range(runs):
            started = time.monotonic()
            list(pool.map(normalizer, batches))
            timings.append(time.monotonic() - started)
    return {"distinct_strings": len(texts),
            "median_rows_per_second": round(len(texts) / measure.median(timings))}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big_rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--model_dir", default=DEFAULT_MODEL_DIR)
    parser.add_argument("--work_dir", default="out/bench")
    parser.add_argument("--modes", default=",".join(MODES),
                        help=f"Comma-separated subset of: {', '.join(MODES)}.")
    args = parser.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    report = {"machine": measure.machine(), "rows": args.rows, "results": {}}
    for name, distinct in (("all distinct", 1.0), ("5% distinct", 0.05)):
        path = os.path.join(args.work_dir, f"bench_{int(distinct * 100)}pct.parquet")
        if not os.path.exists(path):
            make_parquet.write(make_parquet.bench_texts(args.rows, distinct), path)
        entry = {mode: infer_runs(path, args.rows, args.runs, args.model_dir, MODES[mode])
                 for mode in args.modes.split(",")}
        entry["bare model"] = bare_model(path, args.model_dir, args.runs)
        report["results"][name] = entry
        print(json.dumps({name: entry}), flush=True)
    if args.big_rows:
        path = os.path.join(args.work_dir, "bench_big.parquet")
        if not os.path.exists(path):
            make_parquet.write(make_parquet.bench_texts(args.big_rows, 0.05), path)
        report["results"][f"{args.big_rows} rows, 5% distinct, in-process"] = infer_runs(
            path, args.big_rows, 1, args.model_dir, MODES["in-process"])
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
