"""Side by side with dateparser and ctparse on the hand-typed sets and the
external set: accuracy, wrong times given as answers, phrases/s.

    pip install -e '.[compare]'; python -m bench.bench_compare [--model_dir DIR] [--runs 3]

Scored the same way for every tool: an answer is right when its HH:MM equals
the label; for a non-time, when the tool gives no time. A "silent error" is a
time given that is not the label (a wrong time, or a time for a non-time), as
a share of all rows: what would flow on unnoticed in a column. dateparser
fills a missing time with 00:00, so a date alone is a wrong answer there, as
it would be in a column; ctparse answers only when it resolves a clock time.
The external set (../shared/eval/external.tsv) is read when present and only
its figures are printed, never its phrases.
"""

import argparse
import collections
import datetime
import json
import os
import sys
import time

from bench import measure
from model import DEFAULT_MODEL_DIR
from model.evaluate import DEFAULT_SETS, EXTERNAL_FILE, EXTERNAL_SET, read_labelled_set
from schemas import features

_REFERENCE_TIME = datetime.datetime(2026, 11, 27, 9, 0)


def dateparser_answers(texts):
    import dateparser
    settings = {"PREFER_DATES_FROM": "current_period", "RETURN_AS_TIMEZONE_AWARE": False}
    answers = []
    for text in texts:
        try:
            parsed = dateparser.parse(text, settings=settings)
        except Exception:  # dateparser raises on some malformed input; count as no answer
            parsed = None
        answers.append(parsed.strftime("%H:%M") if parsed else features.REJECT_LABEL)
    return answers


def ctparse_answers(texts):
    from ctparse import ctparse
    answers = []
    for text in texts:
        try:
            parsed = ctparse(text, ts=_REFERENCE_TIME, timeout=1)
        except Exception:  # count a crash as no answer, as for dateparser
            parsed = None
        resolution = getattr(parsed, "resolution", None)
        hour = getattr(resolution, "hour", None)
        minute = getattr(resolution, "minute", None) or 0
        answers.append(f"{hour:02d}:{minute:02d}" if hour is not None
                       else features.REJECT_LABEL)
    return answers


def timenorm_answers(model_dir):
    from model.serving import TimeNormalizer
    normalizer = TimeNormalizer(model_dir)
    return lambda texts: [t or features.REJECT_LABEL for t in normalizer(texts)["time"]]


def figures(rows, answers) -> dict:
    labels = [row[features.LABEL_KEY] for row in rows]
    right = [a == l for a, l in zip(answers, labels)]
    silent = [a != l and a != features.REJECT_LABEL for a, l in zip(answers, labels)]
    per_group = collections.defaultdict(list)
    for row, ok in zip(rows, right):
        per_group[row[features.FAMILY_KEY]].append(ok)
    return {
        "accuracy": round(sum(right) / len(rows), 4),
        "silent_errors": round(sum(silent) / len(rows), 4),
        "per_group": {g: round(sum(v) / len(v), 4) for g, v in sorted(per_group.items())},
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--model_dir", default=DEFAULT_MODEL_DIR)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--external", default=EXTERNAL_FILE)
    parser.add_argument("--tools", default="timenorm,dateparser,ctparse")
    args = parser.parse_args(argv)
    sets = {name: read_labelled_set(path) for name, path in DEFAULT_SETS if os.path.exists(path)}
    if os.path.exists(args.external):
        sets[EXTERNAL_SET] = read_labelled_set(args.external)
    tools = {"timenorm": lambda: timenorm_answers(args.model_dir),
             "dateparser": lambda: dateparser_answers, "ctparse": lambda: ctparse_answers}
    report = {"machine": measure.machine(), "results": {}}
    for name in args.tools.split(","):
        answer = tools[name]()
        for set_name, rows in sets.items():
            texts = [row[features.TEXT_KEY] for row in rows]
            answer(texts[:50])  # warm up
            timings, answers = [], None
            for _ in range(args.runs):
                started = time.monotonic()
                answers = answer(texts)
                timings.append(time.monotonic() - started)
            result = figures(rows, answers)
            result["phrases"] = len(rows)
            result["phrases_per_second"] = round(len(texts) / measure.median(timings))
            report["results"].setdefault(name, {})[set_name] = result
            print(name, set_name, json.dumps(result), file=sys.stderr)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
