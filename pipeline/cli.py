"""The `timenorm` command: one entry point for every stage.

    timenorm generate|train|export|evaluate|explain|infer [flags]
    timenorm COMMAND --help      every flag of COMMAND with its default

Each subcommand runs the same `main(argv)` as its `python -m` form
(`timenorm infer ...` is `python -m pipeline.infer ...`).

A command imports its stage with CPython's cycle collector off, then
`gc.freeze()`s what the imports made before switching the collector back
on: Beam, TensorFlow and pyarrow leave many objects alive until exit, which
every full collection would otherwise scan again (BENCHMARKS.md, "the
collector"). Objects made later are collected as usual. Importing a stage
as a library leaves the collector alone; this module is the one place that
touches it.
"""

import argparse
import gc
import importlib
import sys
from typing import List, Optional

# Subcommand -> (module whose main(argv) it runs, what it does).
COMMANDS = {
    "generate": ("pipeline.generate", "labelled phrases -> TFRecords + transform graph (Beam)"),
    "train": ("model.train", "TFRecords -> one SavedModel that reads raw strings"),
    "export": ("model.export", "re-export a trained model from its best checkpoint"),
    "evaluate": ("model.evaluate", "score an exported model on the test split and typed sets"),
    "explain": ("model.explain", "one phrase: time, status, confidence and attention"),
    "infer": ("pipeline.infer", "Parquet -> Parquet + time, status, confidence, attention (Beam)"),
}
PROG = "timenorm"


def run_command(command: str, argv: List[str]) -> int:
    """Imports `command`'s module with the collector held (see above) and
    returns its main(argv)."""
    module_name = COMMANDS[command][0]
    gc.disable()
    try:
        module = importlib.import_module(module_name)
    finally:
        gc.freeze()
        gc.enable()
    sys.argv[0] = f"{PROG} {command}"  # the subcommand's --help and errors name it
    return module.main(argv)


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(
        prog=PROG, description="Normalize free-form times of day to HH:MM.",
        formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False,
        epilog="commands:\n" + "\n".join(f"  {name:9} {about}"
                                         for name, (_, about) in COMMANDS.items())
        + f"\n\n'{PROG} COMMAND --help' lists a command's flags and their defaults.")
    parser.add_argument("command", choices=list(COMMANDS), metavar="COMMAND")
    if not argv or argv[0] not in COMMANDS:
        parser.parse_args(argv[:1])  # --help, or a usage error naming the choices
        return 2
    return run_command(argv[0], argv[1:])


if __name__ == "__main__":
    sys.exit(main())
