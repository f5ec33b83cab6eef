"""Calibrated confidence and the model's own threshold (numpy only).

The network gives five independent per-character distributions; the
constrained decoder (model/export.py) answers with the most probable of the
1,440 times and the reject label, and its confidence is the answer's joint
probability, the product of its five characters' probabilities.

Calibration is temperature scaling of the network's logits: each character's
log-probabilities (the logits up to a constant) are divided by T and
normalized again, and the confidence is the answer's joint probability under
these tempered distributions. T > 1 softens an over-confident model, T < 1
sharpens an under-confident one; the answer (the argmax) never changes, and
T = 1 is the uncalibrated model. The invalid outputs keep their share of the
probability, so a network unsure what to write stays unsure.

T is fitted on the generated eval split to what is reported: it minimizes the
log loss of the confidence against "the answer is right" (a golden-section
search on log T). The report also gives the negative log-likelihood of the
labels before and after.

The recommended threshold is chosen on the same split, after calibration,
by `choose_threshold` (THRESHOLD_RULE). A row is answered when the model
gives a time at a confidence >= the threshold.
"""

import math
from typing import Dict, List, Optional, Sequence

import numpy as np

METHOD = ("temperature scaling of the per-character logits, fitted by the log loss of the "
          "reported confidence against right/wrong on the eval split")
# A silent error (a wrong time reported "ok") costs as much as this many
# abstentions: issue 10's goals allow 5% of time rows unanswered against
# 0.5% of rows silently wrong. For a calibrated confidence the rule then
# answers what is right with probability about COST / (1 + COST).
SILENT_ERROR_COST = 10.0
# Thresholds are rounded down to this many decimals, so a row whose
# confidence equals the chosen threshold stays answered whatever float
# rounding a different batch brings.
THRESHOLD_DECIMALS = 4
THRESHOLD_RULE = (
    "on the eval split, after calibration, the threshold that maximizes right times answered "
    f"- {SILENT_ERROR_COST:g} x wrong times answered (ties: answer more), rounded down to "
    f"{THRESHOLD_DECIMALS} decimals; 1.0 if answering nothing is best; a time below it is "
    "low_confidence")
# Bounds of the temperature search, and its tolerance on log T.
_MIN_TEMPERATURE, _MAX_TEMPERATURE = 0.05, 20.0
_SEARCH_TOLERANCE = 1e-4
_PROBABILITY_FLOOR = 1e-12  # keeps the log loss finite
RELIABILITY_BINS = 15
# Thresholds at which the report lists coverage and accuracy.
CURVE_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999)
_CURVE_PERCENTILES = 101  # more points of the curve where the confidences lie


def _log_softmax(logits: np.ndarray) -> np.ndarray:
    """Over the last axis."""
    top = logits.max(axis=-1, keepdims=True)
    return logits - top - np.log(np.exp(logits - top).sum(axis=-1, keepdims=True))


def _tempered_log_probs(log_probs: np.ndarray, chars: np.ndarray,
                        temperature: float) -> np.ndarray:
    """log_probs [n, 5, |alphabet|], chars [n, 5] -> [n, 5] the chars'
    log-probabilities at `temperature`."""
    tempered = _log_softmax(np.asarray(log_probs, np.float64) / temperature)
    return np.take_along_axis(tempered, np.asarray(chars)[..., None], axis=2)[..., 0]


def confidence_at(log_probs: np.ndarray, chars: np.ndarray, temperature: float) -> np.ndarray:
    """The joint probability of the outputs `chars` at `temperature` (the
    serving graph's formula)."""
    return np.exp(_tempered_log_probs(log_probs, chars, temperature).sum(axis=1))


def negative_log_likelihood(log_probs: np.ndarray, true_chars: np.ndarray,
                            temperature: float) -> float:
    """Mean negative log-likelihood of the labels' five characters."""
    if len(log_probs) == 0:
        return 0.0
    return float(-_tempered_log_probs(log_probs, true_chars, temperature).sum(axis=1).mean())


def log_loss(confidence: np.ndarray, right: np.ndarray) -> float:
    """Mean binary log loss of `confidence` as the probability of `right`."""
    p = np.clip(np.asarray(confidence, np.float64), _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)
    return float(-np.mean(np.where(right, np.log(p), np.log1p(-p))))


def fit_temperature(log_probs: np.ndarray, answer_chars: np.ndarray, right: np.ndarray) -> float:
    """The temperature whose confidences best predict which answers are
    right (least log loss), within [0.05, 20]."""
    if len(log_probs) == 0:
        return 1.0
    low, high = math.log(_MIN_TEMPERATURE), math.log(_MAX_TEMPERATURE)
    ratio = (math.sqrt(5) - 1) / 2

    def loss(log_temperature):
        return log_loss(confidence_at(log_probs, answer_chars, math.exp(log_temperature)), right)

    a, b = high - ratio * (high - low), low + ratio * (high - low)
    loss_a, loss_b = loss(a), loss(b)
    while high - low > _SEARCH_TOLERANCE:
        if loss_a < loss_b:
            high, b, loss_b = b, a, loss_a
            a = high - ratio * (high - low)
            loss_a = loss(a)
        else:
            low, a, loss_a = a, b, loss_b
            b = low + ratio * (high - low)
            loss_b = loss(b)
    return float(math.exp((low + high) / 2))


def below_threshold(rejected: np.ndarray, confidence: np.ndarray, threshold: float) -> np.ndarray:
    """Rows whose time is not reported: a time answered below the threshold.
    (A rejection is already an abstention; it is never "low confidence".)"""
    return ~np.asarray(rejected, bool) & (np.asarray(confidence) < threshold)


def choose_threshold(confidence: np.ndarray, gives_time: np.ndarray, right: np.ndarray,
                     cost: float = SILENT_ERROR_COST) -> float:
    """The threshold of the module docstring's rule, rounded down to
    THRESHOLD_DECIMALS. confidence, gives_time (the model answers a time, not
    a rejection), right (the answer is the label) are per row."""
    gives_time = np.asarray(gives_time, bool)
    conf = np.asarray(confidence, np.float64)[gives_time]
    right = np.asarray(right, bool)[gives_time]
    if len(conf) == 0:
        return 0.0
    order = np.argsort(-conf, kind="stable")
    conf, right = conf[order], right[order]
    gain = np.cumsum(np.where(right, 1.0, -cost))   # answering the k most confident rows
    # Only the last row of a run of equal confidences is a reachable cut.
    last_of_run = np.append(conf[1:] != conf[:-1], True)
    gain = np.where(last_of_run, gain, -np.inf)
    best = len(gain) - 1 - int(np.argmax(gain[::-1]))  # ties: answer more
    if gain[best] <= 0:
        return 1.0  # answering nothing beats every cut
    factor = 10 ** THRESHOLD_DECIMALS
    return math.floor(conf[best] * factor) / factor


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
