"""Evaluate an exported model on the generated test split and the hand-written set.

    python -m model.evaluate --model_dir out/model/saved_model [--data_dir out/data]
        [--handwritten tests/data/handwritten.tsv] [--report_dir DIR]

Writes eval_report.json, eval_report.md, one attention heatmap per family
and, for every scored set, reliability_<set>.png (reliability diagram and
coverage/accuracy curve) to --report_dir (default: the model's
assets.extra/). Every set gets its expected calibration error and, at the
model's own threshold, the share of rows answered ok, of rows ok with a wrong
time (silent errors) and of the rows holding a time answered ok. The hand-written set is
the honest measure: its phrases were typed by a person, not rendered.
"""

import argparse
import collections
import csv
import itertools
import json
import logging
import os
import re
import sys
from typing import Dict, List, Optional

import numpy as np
import tensorflow as tf

from model import REPORT_SUBDIR, explain, reliability
from model.serving import TimeNormalizer
from schemas import features

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_DATA = os.path.join(_ROOT, "tests", "data")
HANDWRITTEN_FILE = os.path.join(_DATA, "handwritten.tsv")
# The hand-typed sets scored by default (name, file); each file's third column
# (family, category or source) is what the report breaks the set down by.
DEFAULT_SETS = (
    ("hand-written", HANDWRITTEN_FILE),
    ("hand-written blind", os.path.join(_DATA, "handwritten_blind.tsv")),
    ("real columns", os.path.join(_DATA, "real_columns.tsv")),
    ("real columns blind", os.path.join(_DATA, "real_columns_blind.tsv")),
)
# Phrases from other time parsers' test suites (../shared/eval/README.md):
# scored when present, never committed, trained on or quoted, so its report
# part lists no phrases.
EXTERNAL_FILE = os.path.join(os.path.dirname(_ROOT), "shared", "eval", "external.tsv")
EXTERNAL_SET = "external"
_EXTERNAL_REJECT = "REJECT"
_VALID_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_CONFIDENCE_QUANTILES = (0.01, 0.05, 0.25, 0.5)
_COMMON_ERRORS = 15


def read_handwritten(path: str) -> List[Dict[str, str]]:
    """A labelled TSV: `#` comment lines, then a header and the rows. Only the
    leading comments are skipped, so a row may start with `#` (`#VALUE!`)."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = itertools.dropwhile(lambda line: line.startswith("#"), handle)
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_labelled_set(path: str) -> List[Dict[str, str]]:
    """A hand-typed or external TSV (text, label, group) as rows of text,
    label and family, the third column (family / category / source) as the
    family; an external `REJECT` becomes the reject label and a source
    `project:path` its project."""
    rows = []
    for row in read_handwritten(path):
        text, label, group = (row[key] for key in list(row)[:3])
        label = features.REJECT_LABEL if label == _EXTERNAL_REJECT else label
        rows.append({features.TEXT_KEY: text, features.LABEL_KEY: label,
                     features.FAMILY_KEY: (group or "").split(":")[0]})
    return rows


def read_test_split(data_dir: str, split: str = features.TEST_SPLIT) -> List[Dict[str, str]]:
    """A generated split's (by default the test split's) text, label and
    family (no model inputs)."""
    pattern = features.tfrecord_pattern(data_dir, split)
    spec = {key: tf.io.FixedLenFeature([], tf.string)
            for key in (features.TEXT_KEY, features.LABEL_KEY, features.FAMILY_KEY)}
    dataset = tf.data.TFRecordDataset(sorted(tf.io.gfile.glob(pattern)), compression_type="GZIP")
    rows = []
    for batch in dataset.batch(4096).map(lambda r: tf.io.parse_example(r, spec)):
        for i in range(len(batch[features.TEXT_KEY])):
            rows.append({key: batch[key][i].numpy().decode() for key in spec})
    return rows


def score(rows: List[Dict[str, str]], outputs: Dict[str, np.ndarray],
          threshold: Optional[float] = None) -> dict:
    """Exact match per family and overall, reject precision/recall, errors,
    confidence; calibration (expected calibration error, reliability bins) and,
    at `threshold` (the model's; None if it carries none), the rows answered
    ok, the silent errors and the coverage/accuracy curve."""
    predicted = [time or features.REJECT_LABEL for time in outputs[features.OUTPUT_TIME_KEY]]
    expected = [row[features.LABEL_KEY] for row in rows]
    right = np.array([p == e for p, e in zip(predicted, expected)])
    confidence = outputs[features.OUTPUT_CONFIDENCE_KEY]
    per_family = collections.defaultdict(list)
    for row, ok in zip(rows, right):
        per_family[row[features.FAMILY_KEY]].append(ok)
    is_reject = np.array([e == features.REJECT_LABEL for e in expected])
    said_reject = np.array([p == features.REJECT_LABEL for p in predicted])
    true_rejects = int(np.sum(is_reject & said_reject))
    errors = collections.Counter(
        (row[features.TEXT_KEY], row[features.LABEL_KEY], p)
        for row, p, ok in zip(rows, predicted, right) if not ok)

    def quantiles(values):
        if len(values) == 0:
            return {}
        return {f"p{int(q * 100)}": round(float(np.quantile(values, q)), 4)
                for q in _CONFIDENCE_QUANTILES} | {"mean": round(float(np.mean(values)), 4)}

    return {
        "rows": len(rows),
        "exact_match": round(float(np.mean(right)), 5) if len(rows) else None,
        "exact_match_per_family": {family: round(float(np.mean(oks)), 5)
                                   for family, oks in sorted(per_family.items())},
        "rows_per_family": {family: len(oks) for family, oks in sorted(per_family.items())},
        "reject_precision": round(true_rejects / max(int(said_reject.sum()), 1), 5),
        "reject_recall": round(true_rejects / max(int(is_reject.sum()), 1), 5),
        "non_times_rejected": f"{true_rejects}/{int(is_reject.sum())}",
        "invalid_times_emitted": sum(1 for p in predicted
                                     if p != features.REJECT_LABEL and not _VALID_TIME.match(p)),
        "commonest_errors": [{"text": t, "expected": e, "predicted": p, "count": n}
                             for (t, e, p), n in errors.most_common(_COMMON_ERRORS)],
        "confidence_right": quantiles(confidence[right]),
        "confidence_wrong": quantiles(confidence[~right]),
        **reliability.abstention_figures(confidence, ~said_reject, right, ~is_reject, threshold),
    }


def markdown(report: dict) -> str:
    lines = [f"# Evaluation of `{report['model_dir']}`", ""]
    for name, part in report["sets"].items():
        lines += [f"## {name} ({part['rows']} phrases)", "",
                  f"- exact match: **{part['exact_match']:.2%}**",
                  f"- non-times rejected: {part['non_times_rejected']} "
                  f"(reject precision {part['reject_precision']:.2%}, "
                  f"recall {part['reject_recall']:.2%})",
                  f"- invalid times emitted: {part['invalid_times_emitted']}",
                  f"- confidence of right answers: {part['confidence_right']}",
                  f"- confidence of wrong answers: {part['confidence_wrong']}"]
        lines += reliability.markdown_lines(part)
        if name in report.get("reliability_diagrams", {}):
            lines += ["", f"![reliability and coverage]({report['reliability_diagrams'][name]})"]
        lines += ["", "| family | rows | exact match |", "| --- | ---: | ---: |"]
        lines += [f"| {family} | {part['rows_per_family'][family]} | {value:.2%} |"
                  for family, value in part["exact_match_per_family"].items()]
        lines += ["", "Commonest errors:", ""]
        if part.get("commonest_errors_withheld"):
            lines.append(f"- not listed: {part['commonest_errors_withheld']}")
        else:
            lines += [f"- `{e['text']}` expected {e['expected']}, got {e['predicted']}"
                      for e in part["commonest_errors"]] or ["- none"]
        lines.append("")
    if report.get("not_found"):
        lines += ["## Not scored: file not found", ""]
        lines += [f"- {name}: `{path}`" for name, path in report["not_found"].items()]
        lines.append("")
    return "\n".join(lines)


def write_reliability_diagrams(report: dict, report_dir: str) -> Dict[str, str]:
    """One PNG per scored set: its reliability diagram and coverage/accuracy
    curve (model/reliability.py). Returns set name -> file name."""
    written = {}
    for name, part in report["sets"].items():
        file_name = "reliability_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") + ".png"
        reliability.save_reliability_png(
            part["reliability"], part["coverage_curve"], part["threshold"] or 0.0,
            os.path.join(report_dir, file_name),
            f"{name}: ECE {part['expected_calibration_error']:.2%}")
        written[name] = file_name
    return written


def write_heatmaps(rows, outputs, report_dir: str) -> List[str]:
    """One attention heatmap per family, from the first hand-written phrase of each."""
    written, seen = [], set()
    for index, row in enumerate(rows):
        family = row[features.FAMILY_KEY]
        if family in seen:
            continue
        seen.add(family)
        path = os.path.join(report_dir, f"attention_{family}.png")
        explain.save_heatmap(row[features.TEXT_KEY], outputs, path, row=index,
                             title=f"{family}: {row[features.TEXT_KEY]!r}")
        written.append(os.path.basename(path))
    return written


def evaluate(model_dir: str, data_dir: Optional[str], sets, report_dir: Optional[str],
             external: Optional[str] = None, published_as: Optional[str] = None) -> dict:
    """Scores the generated test split (with `data_dir`), each (name, path) of
    `sets` that exists, and `external` when it exists; writes the report,
    which names every set not scored because its file is missing, and names
    the model `published_as` (default `model_dir`)."""
    normalizer = TimeNormalizer(model_dir)
    report_dir = report_dir or os.path.join(model_dir, REPORT_SUBDIR)
    os.makedirs(report_dir, exist_ok=True)
    report = {"model_dir": published_as or model_dir, "sets": {}}

    def scored(name, rows):
        outputs = normalizer([row[features.TEXT_KEY] for row in rows])
        report["sets"][name] = score(rows, outputs, normalizer.threshold)
        return outputs

    if data_dir:
        scored("generated test split", read_test_split(data_dir))
    # A set whose file is missing is named in the report, so that a report
    # scored from another directory does not look complete.
    report["not_found"] = {}
    for index, (name, path) in enumerate(sets + ([(EXTERNAL_SET, external)] if external else [])):
        if not os.path.exists(path):
            logging.warning("%s: %s not found, not scored", name, path)
            report["not_found"][name] = path
            continue
        rows = read_labelled_set(path)
        outputs = scored(name, rows)
        if index == 0 and sets:  # the first of `sets`, never the external set
            report["heatmaps"] = write_heatmaps(rows, outputs, report_dir)
    if EXTERNAL_SET in report["sets"]:
        report["sets"][EXTERNAL_SET].update(
            commonest_errors=[],
            commonest_errors_withheld="other projects' phrases stay out of this repository")
    report["reliability_diagrams"] = write_reliability_diagrams(report, report_dir)
    with open(os.path.join(report_dir, "eval_report.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    with open(os.path.join(report_dir, "eval_report.md"), "w") as handle:
        handle.write(markdown(report))
    return report


def _named_set(text: str):
    name, sep, path = text.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {text!r}")
    return name, path


def run(argv: Optional[List[str]] = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--model_dir", required=True, help="The exported SavedModel.")
    parser.add_argument("--data_dir", help="Generate output, for the test split (optional).")
    parser.add_argument("--handwritten", default=HANDWRITTEN_FILE,
                        help="The first hand-typed set (its heatmaps go in the report). The "
                             "default sets are a checkout's tests/data files, each scored when "
                             "present; an installed package scores the sets given here and "
                             "by --set.")
    parser.add_argument("--set", action="append", type=_named_set, default=[], dest="sets",
                        metavar="NAME=PATH", help="Score another labelled TSV (repeatable).")
    parser.add_argument("--only_given_sets", action="store_true",
                        help="Score --handwritten and --set only, not the other default sets.")
    parser.add_argument("--external", default=EXTERNAL_FILE,
                        help="Other parsers' test phrases, scored when the file exists.")
    parser.add_argument("--report_dir", help="Default: <model_dir>/assets.extra")
    parser.add_argument("--published_as",
                        help="The model directory the report names (default: --model_dir); "
                             "model.export scores its staging directory and names the one it "
                             "publishes to.")
    args = parser.parse_args(argv)
    sets = [(DEFAULT_SETS[0][0], args.handwritten)]
    if not args.only_given_sets:
        sets += list(DEFAULT_SETS[1:])
    sets += args.sets
    report = evaluate(args.model_dir, args.data_dir, sets, args.report_dir, args.external,
                      args.published_as)
    print(markdown(report))
    return report


def main(argv=None) -> int:
    logging.getLogger().setLevel(logging.INFO)
    run(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
