"""Benchmark: generate 200k examples, in-process and multi_processing with 2 workers.

    python -m bench.bench_generate [--num_examples 200000] [--runs 3]

Goal: 200k examples in under 2 minutes on 2 cores.
"""

import argparse
import json
import shutil
import sys
import tempfile

from bench import measure

MODES = {
    "in-process (FnApiRunner)": ["--runner=FnApiRunner"],
    "multi_processing, 2 workers": ["--direct_running_mode=multi_processing",
                                    "--direct_num_workers=2"],
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--num_examples", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    results = {}
    for mode, flags in MODES.items():
        runs = []
        for _ in range(args.runs):
            output = tempfile.mkdtemp(prefix="bench_generate_")
            runs.append(measure.run([sys.executable, "-m", "pipeline.generate", "--output_dir",
                                     output, "--num_examples", str(args.num_examples)] + flags))
            shutil.rmtree(output)
        seconds = measure.median([r["seconds"] for r in runs])
        results[mode] = {"median_seconds": round(seconds, 1),
                         "pairs_per_second": round(args.num_examples / seconds),
                         "median_peak_rss_mb": round(measure.median(
                             [r["peak_rss_mb"] for r in runs])),
                         "runs_seconds": [round(r["seconds"], 1) for r in runs]}
    print(json.dumps({"machine": measure.machine(), "num_examples": args.num_examples,
                      "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
