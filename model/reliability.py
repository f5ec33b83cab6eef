"""How well the confidence is calibrated, and what abstaining at a threshold
gives: reliability bins, expected calibration error, the coverage/accuracy
curve, the figures at the model's threshold and their diagram (numpy, and
matplotlib for the PNG). model/evaluate.py reports them for every set.
"""

from typing import Dict, List, Optional, Sequence

import numpy as np

from model.calibration import below_threshold

RELIABILITY_BINS = 15
# Thresholds at which the report lists coverage and accuracy.
CURVE_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
_CURVE_PERCENTILES = 101  # more points of the curve where the confidences lie


def reliability_bins(confidence: np.ndarray, right: np.ndarray,
                     bins: int = RELIABILITY_BINS) -> List[Dict[str, float]]:
    """Equal-width confidence bins: rows, mean confidence and accuracy of each."""
    confidence = np.asarray(confidence, np.float64)
    right = np.asarray(right, bool)
    index = np.clip((confidence * bins).astype(int), 0, bins - 1)
    out = []
    for b in range(bins):
        members = index == b
        n = int(members.sum())
        out.append({"lower": b / bins, "upper": (b + 1) / bins, "rows": n,
                    "confidence": float(confidence[members].mean()) if n else None,
                    "accuracy": float(right[members].mean()) if n else None})
    return out


def expected_calibration_error(bins: Sequence[Dict[str, float]]) -> float:
    """ECE: the row-weighted mean |accuracy - confidence| over the bins."""
    rows = sum(b["rows"] for b in bins)
    if rows == 0:
        return 0.0
    return sum(b["rows"] * abs(b["accuracy"] - b["confidence"]) for b in bins if b["rows"]) / rows


def coverage_curve(confidence: np.ndarray, gives_time: np.ndarray, right: np.ndarray,
                   extra_thresholds: Sequence[float] = ()) -> List[Dict[str, float]]:
    """At each threshold (CURVE_THRESHOLDS, the percentiles of the times'
    confidences and `extra_thresholds`): the share of all rows answered with
    a time, and the share of those answers that are right (None when nothing
    is answered)."""
    confidence = np.asarray(confidence, np.float64)
    gives_time = np.asarray(gives_time, bool)
    right = np.asarray(right, bool)
    percentiles = (np.quantile(confidence[gives_time], np.linspace(0, 1, _CURVE_PERCENTILES))
                   if gives_time.any() else [])
    thresholds = np.unique(np.concatenate([CURVE_THRESHOLDS, percentiles,
                                           list(extra_thresholds)]))
    out = []
    for threshold in thresholds:
        answered = gives_time & ~below_threshold(~gives_time, confidence, threshold)
        n = int(answered.sum())
        out.append({"threshold": float(threshold),
                    "answered": n / max(len(confidence), 1),
                    "accuracy_of_answered": float(right[answered].mean()) if n else None})
    return out


def save_reliability_png(bins: Sequence[Dict[str, float]], curve: Sequence[Dict[str, float]],
                         threshold: float, path: str, title: str) -> None:
    """Two panels: the reliability diagram (accuracy against confidence per
    bin, the diagonal is perfect calibration) and the coverage/accuracy
    curve as the threshold moves, the model's threshold marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
    filled = [b for b in bins if b["rows"]]
    width = 1.0 / max(len(bins), 1)
    left.bar([b["lower"] for b in filled], [b["accuracy"] for b in filled], width=width,
             align="edge", edgecolor="black", label="accuracy")
    left.plot([b["confidence"] for b in filled], [b["confidence"] for b in filled], "r.",
              label="mean confidence")
    left.plot([0, 1], [0, 1], "k--", linewidth=1)
    left.set(xlim=(0, 1), ylim=(0, 1), xlabel="confidence", ylabel="accuracy",
             title="reliability")
    left.legend(loc="upper left", fontsize=8)
    points = [c for c in curve if c["accuracy_of_answered"] is not None]
    right.plot([c["answered"] for c in points], [c["accuracy_of_answered"] for c in points],
               "-", drawstyle="steps-post")
    at = [c for c in points if c["threshold"] >= threshold]
    if at:
        right.plot([at[0]["answered"]], [at[0]["accuracy_of_answered"]], "ro",
                   label=f"threshold {threshold:g}")
        right.legend(loc="lower left", fontsize=8)
    right.set(xlim=(0, 1), xlabel="share of rows answered with a time",
              ylabel="accuracy of answered", title="coverage / accuracy")
    figure.suptitle(title, fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def abstention_figures(confidence: np.ndarray, gives_time: np.ndarray, right: np.ndarray,
                       holds_time: np.ndarray, threshold: Optional[float]) -> dict:
    """The evaluation report's calibration and abstention figures of one set.

    Per row: the answer's confidence, whether the model gives a time (not a
    rejection), whether the answer is right, whether the label is a time.
    At `threshold` (None: the model carries none, so 0) a row is answered
    ("ok") when the model gives a time at a confidence >= it; a silent error
    is an answered row whose time is wrong."""
    confidence = np.asarray(confidence, np.float64)
    gives_time, right, holds_time = (np.asarray(a, bool) for a in (gives_time, right,
                                                                    holds_time))
    at = threshold or 0.0
    answered = gives_time & ~below_threshold(~gives_time, confidence, at)
    bins = reliability_bins(confidence, right)
    rows, time_rows = max(len(confidence), 1), max(int(holds_time.sum()), 1)

    def rounded(value):
        return None if value is None else round(float(value), 5)

    return {
        "threshold": threshold,
        "expected_calibration_error": rounded(expected_calibration_error(bins)),
        "answered_ok": rounded(answered.sum() / rows),
        "silent_errors": rounded((answered & ~right).sum() / rows),
        "time_rows_answered_ok": rounded((answered & holds_time).sum() / time_rows),
        "time_rows_answered_right": rounded((answered & holds_time & right).sum() / time_rows),
        "reliability": [{key: value if key == "rows" else rounded(value)
                         for key, value in b.items()} for b in bins],
        "coverage_curve": [{key: rounded(value) for key, value in point.items()}
                           for point in coverage_curve(confidence, gives_time, right, [at])],
    }


def markdown_lines(part: dict) -> List[str]:
    """The report lines of abstention_figures' part of one set."""
    threshold = part["threshold"]
    named = ("the model's threshold" if threshold is not None
             else "threshold 0 (the model carries none)")
    lines = [f"- expected calibration error: {part['expected_calibration_error']:.2%}",
             f"- at {named}{'' if threshold is None else f' {threshold:g}'}: "
             f"{part['answered_ok']:.2%} of rows answered ok, "
             f"**{part['silent_errors']:.2%} of rows ok with a wrong time**, "
             f"{part['time_rows_answered_ok']:.2%} of the rows holding a time answered ok "
             f"({part['time_rows_answered_right']:.2%} answered right)", "",
             "| threshold | rows answered with a time | accuracy of answered |",
             "| ---: | ---: | ---: |"]
    shown = set(CURVE_THRESHOLDS) | {threshold or 0.0}
    for point in part["coverage_curve"]:
        if point["threshold"] in shown:
            accuracy = point["accuracy_of_answered"]
            lines.append(f"| {point['threshold']:g} | {point['answered']:.2%} | "
                         f"{'-' if accuracy is None else f'{accuracy:.2%}'} |")
    return lines
