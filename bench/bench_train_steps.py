"""Benchmark: training steps of the production networks, input included.

    python -m bench.bench_train_steps --data_dir out/prod/data
        [--steps 300] [--warmup_steps 50] [--network first|second] [--cpu_threads 1]

Builds one network with the sizes of the shipped model's (the first or the
second network of model/default_model, from the hparams its train summaries
in assets.extra record), feeds it model.train.make_dataset's
endless shuffled stream of the train split and prints JSON: the median and
mean milliseconds per step after the warm-up steps, and the process's user
and system CPU seconds. Run two at once, one per core, to measure the
production setting (two networks side by side). Loading the split is not
timed: it is the same for every step.
"""

import argparse
import json
import logging
import os
import resource
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data_dir", required=True)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup_steps", type=int, default=50)
    parser.add_argument("--network", choices=("first", "second"), default="first")
    parser.add_argument("--cpu_threads", type=int, default=1)
    parser.add_argument("--batch_size", type=int, default=256)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from model import DEFAULT_MODEL_DIR, network, train
    from schemas import features

    logging.getLogger().setLevel(logging.WARNING)
    if args.cpu_threads:
        train.limit_threads(args.cpu_threads)
    keras.utils.set_random_seed(42)
    summary = {"first": "train_summary.json", "second": "train_summary_recheck.json"}
    with open(os.path.join(DEFAULT_MODEL_DIR, "assets.extra", summary[args.network])) as file:
        sizes = json.load(file)["hparams"]
    sizes.pop("char_vocab_size")  # the vocabulary is the data's
    hparams = network.HParams(char_vocab_size=train.char_vocab_size(args.data_dir), **sizes)
    model = train.trainable_model(network.build_model(hparams), learning_rate=1e-3)
    dataset = train.make_dataset(args.data_dir, features.TRAIN_SPLIT, args.batch_size,
                                 shuffle=True, seed=42, endless=True)

    stamps = []

    class Clock(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            stamps.append(time.perf_counter())

    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    model.fit(dataset, steps_per_epoch=args.warmup_steps + args.steps, epochs=1,
              callbacks=[Clock()], verbose=0, shuffle=False)
    after = resource.getrusage(resource.RUSAGE_SELF)
    steps_ms = np.diff(stamps[args.warmup_steps - 1:]) * 1000
    print(json.dumps({"network": args.network, "steps": len(steps_ms),
                      "median_ms_per_step": round(float(np.median(steps_ms)), 1),
                      "mean_ms_per_step": round(float(np.mean(steps_ms)), 1),
                      "seconds": round(time.perf_counter() - started, 1),
                      "user_cpu_s": round(after.ru_utime - before.ru_utime, 1),
                      "sys_cpu_s": round(after.ru_stime - before.ru_stime, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
