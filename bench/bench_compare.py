"""Side by side with dateparser on the hand-written set: accuracy and phrases/s.

    pip install -e '.[compare]'; python -m bench.bench_compare [--model_dir DIR] [--runs 3]

A dateparser answer counts as right when its HH:MM equals the label; for a
non-time, when it returns nothing. dateparser fills a missing time with
00:00, so a date alone is a wrong answer there, as it would be in a column.
"""

import argparse
import json
import sys
import time

from bench import measure
from model import DEFAULT_MODEL_DIR
from model.evaluate import HANDWRITTEN_FILE, read_handwritten
from schemas import features


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


def timenorm_answers(texts, model_dir):
    from model.serving import TimeNormalizer
    normalizer = TimeNormalizer(model_dir)
    return lambda: [t or features.REJECT_LABEL for t in normalizer(texts)["time"]]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model_dir", default=DEFAULT_MODEL_DIR)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    rows = read_handwritten(HANDWRITTEN_FILE)
    texts = [row[features.TEXT_KEY] for row in rows]
    labels = [row[features.LABEL_KEY] for row in rows]
    contenders = {"timenorm": timenorm_answers(texts, args.model_dir),
                  "dateparser": lambda: dateparser_answers(texts)}
    report = {"machine": measure.machine(), "phrases": len(texts), "results": {}}
    for name, answer in contenders.items():
        answer()  # warm up
        timings, answers = [], None
        for _ in range(args.runs):
            started = time.monotonic()
            answers = answer()
            timings.append(time.monotonic() - started)
        right = sum(a == l for a, l in zip(answers, labels))
        report["results"][name] = {
            "accuracy": round(right / len(labels), 4),
            "phrases_per_second": round(len(texts) / measure.median(timings)),
        }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
