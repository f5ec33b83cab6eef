"""Checking a model directory before it is used, and the shipped model's digests.

A SavedModel runs its own graph, so a model directory is code: only trusted
directories should be passed (as with TensorFlow Serving). What is checked
here is that a directory is what the jobs need, before any work starts: its
`saved_model.pb` parses and its serving signature takes `text` (string) and
returns every output the jobs read. The model shipped in the package
(model/default_model) is also checked file by file against the SHA-256
digests recorded when it was built (`DIGESTS_FILE`), so a damaged or altered
install fails clearly instead of answering wrongly.

    python -m model.integrity --write    # after replacing model/default_model
    python -m model.integrity            # verify
"""

import argparse
import fnmatch
import hashlib
import os
import sys
from typing import Dict, List, Optional

from model import DEFAULT_MODEL_DIR, REPORT_SUBDIR
from schemas import features

# Beside the model directory (so replacing the directory never keeps an old list).
DIGESTS_FILE = DEFAULT_MODEL_DIR + ".sha256"
SAVED_MODEL_FILE = "saved_model.pb"
# The outputs of the serving signature that the jobs read.
REQUIRED_OUTPUTS = (features.OUTPUT_TIME_KEY, features.OUTPUT_REJECTED_KEY,
                    features.OUTPUT_CONFIDENCE_KEY, features.OUTPUT_ATTENTION_KEY,
                    features.OUTPUT_OFFSETS_KEY, features.OUTPUT_LENGTH_KEY)
# What model.evaluate writes into assets.extra/: reports, not part of the model.
_REPORTS = ("eval_report.*", "attention_*.png", "reliability_*.png")
_DT_STRING = 7  # tensorflow.DataType.DT_STRING, without importing TensorFlow's enum
_CHUNK = 1 << 20


class ModelError(ValueError):
    """The model directory cannot serve the jobs; the message names it."""


def model_files(model_dir: str) -> List[str]:
    """The files that make up the model (relative, sorted): everything except
    the evaluation reports in assets.extra/, which model.evaluate rewrites
    (the calibration record there changes answers, so it is covered)."""
    found = []
    for root, _, files in os.walk(model_dir):
        found.extend(os.path.relpath(os.path.join(root, name), model_dir) for name in files)
    return sorted(path for path in (p.replace(os.sep, "/") for p in found)
                  if not any(fnmatch.fnmatch(path, f"{REPORT_SUBDIR}/{report}")
                             for report in _REPORTS))


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def compute_digests(model_dir: str) -> Dict[str, str]:
    return {name: _sha256(os.path.join(model_dir, name)) for name in model_files(model_dir)}


def write_digests(model_dir: str = DEFAULT_MODEL_DIR, path: str = DIGESTS_FILE) -> Dict[str, str]:
    """Records the digests of `model_dir`'s files in `path` (sha256sum format)."""
    digests = compute_digests(model_dir)
    with open(path, "w") as handle:
        handle.writelines(f"{digest}  {name}\n" for name, digest in digests.items())
    return digests


def verify_digests(model_dir: str = DEFAULT_MODEL_DIR, path: str = DIGESTS_FILE) -> None:
    """Raises ModelError unless `model_dir` holds exactly the files recorded in
    `path`, each with its recorded digest."""
    try:
        with open(path) as handle:
            recorded = dict(reversed(line.rstrip("\n").split("  ", 1))
                            for line in handle if line.strip())
    except OSError as error:
        raise ModelError(f"{model_dir}: the shipped model's digest list {path} cannot be read "
                         f"({error}); the installation is incomplete") from error
    actual = compute_digests(model_dir) if os.path.isdir(model_dir) else {}
    problems = [f"missing {name}" for name in sorted(set(recorded) - set(actual))]
    problems += [f"unexpected {name}" for name in sorted(set(actual) - set(recorded))]
    problems += [f"changed {name}" for name in sorted(set(recorded) & set(actual))
                 if recorded[name] != actual[name]]
    if problems:
        raise ModelError(f"{model_dir}: the shipped model does not match the digests recorded "
                         f"when it was built ({'; '.join(problems[:5])}); reinstall the "
                         "package, or run `make default-model-digests` after replacing it")


def is_default_model(model_dir: str) -> bool:
    return (os.path.exists(model_dir)
            and os.path.realpath(model_dir) == os.path.realpath(DEFAULT_MODEL_DIR))


def check_model_dir(model_dir: Optional[str]) -> str:
    """Checks that `model_dir` (None: the shipped model) is a SavedModel whose
    serving signature has the input and outputs the jobs need, without running
    it; the shipped model's files are checked against their digests too.
    Returns the directory; raises ModelError with a short message naming it."""
    import tensorflow as tf
    from tensorflow.core.protobuf import saved_model_pb2

    model_dir = model_dir or DEFAULT_MODEL_DIR
    if is_default_model(model_dir) or model_dir == DEFAULT_MODEL_DIR:
        verify_digests(model_dir)
    graph_file = os.path.join(model_dir, SAVED_MODEL_FILE)
    try:
        with tf.io.gfile.GFile(graph_file, "rb") as handle:
            saved_model = saved_model_pb2.SavedModel.FromString(handle.read())
    except tf.errors.NotFoundError:
        raise ModelError(f"{model_dir}: not a SavedModel (no {SAVED_MODEL_FILE}); pass the "
                         "saved_model/ directory that model.train exports") from None
    except Exception as error:  # a truncated or foreign file
        raise ModelError(f"{model_dir}: {SAVED_MODEL_FILE} cannot be read "
                         f"({type(error).__name__})") from None
    signatures = {name: signature for graph in saved_model.meta_graphs
                  for name, signature in graph.signature_def.items()}
    signature = signatures.get(features.SERVING_SIGNATURE)
    if signature is None:
        raise ModelError(f"{model_dir}: no {features.SERVING_SIGNATURE!r} signature (it has "
                         f"{', '.join(sorted(signatures)) or 'none'}); not a timenorm export")
    inputs = {name: info.dtype for name, info in signature.inputs.items()}
    missing = sorted(set(REQUIRED_OUTPUTS) - set(signature.outputs))
    if inputs != {features.SERVING_INPUT_KEY: _DT_STRING} or missing:
        raise ModelError(
            f"{model_dir}: its {features.SERVING_SIGNATURE!r} signature takes "
            f"{sorted(inputs)} and returns {sorted(signature.outputs)}; the jobs need a string "
            f"input {features.SERVING_INPUT_KEY!r} and the outputs {', '.join(REQUIRED_OUTPUTS)}")
    return model_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Record or verify the shipped model's digests.",
                                     allow_abbrev=False)
    parser.add_argument("--write", action="store_true",
                        help=f"Record the digests of {DEFAULT_MODEL_DIR} in {DIGESTS_FILE}.")
    args = parser.parse_args(argv)
    if args.write:
        digests = write_digests()
        print(f"{len(digests)} files of {DEFAULT_MODEL_DIR} recorded in {DIGESTS_FILE}")
        return 0
    try:
        verify_digests()
    except ModelError as error:
        print(f"model.integrity: {error}", file=sys.stderr)
        return 1
    print(f"{DEFAULT_MODEL_DIR} matches {DIGESTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
