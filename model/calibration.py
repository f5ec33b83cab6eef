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
by `choose_threshold` (THRESHOLD_RULE): the cut that trades answers against
silent errors at SILENT_ERROR_COST, lowered where it would leave more than
1 - MIN_TIME_ROWS_ANSWERED of the time rows unanswered, as far as the
answers it adds keep silent errors within MAX_SILENT_ERRORS of the rows. A
row is answered when the model gives a time at a confidence >= the threshold.
"""

import math
from typing import Optional

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
# Issue 10 asks that 99% of the generated test split be answered: the
# threshold is lowered until this share of the eval split's time rows is
# answered (a margin over 99%, as the test split is another draw), but never
# so far that more than MAX_SILENT_ERRORS of its rows come out ok with a
# wrong time (issue 10's bound on real text): a weak model keeps abstaining.
MIN_TIME_ROWS_ANSWERED = 0.992
MAX_SILENT_ERRORS = 0.005
THRESHOLD_RULE = (
    "on the eval split, after calibration, the threshold that maximizes right times answered "
    f"- {SILENT_ERROR_COST:g} x wrong times answered (ties: answer more), lowered if need be "
    f"until {MIN_TIME_ROWS_ANSWERED:.1%} of the rows that hold a time are answered but never so "
    f"far that more than {MAX_SILENT_ERRORS:.1%} of the rows are answered with a wrong time, "
    f"rounded down to {THRESHOLD_DECIMALS} decimals; 1.0 if answering nothing is best; a time "
    "below it is low_confidence")
# Bounds of the temperature search, and its tolerance on log T.
_MIN_TEMPERATURE, _MAX_TEMPERATURE = 0.05, 20.0
_SEARCH_TOLERANCE = 1e-4
_PROBABILITY_FLOOR = 1e-12  # keeps the log loss finite


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


def coverage_cap(confidence: np.ndarray, gives_time: np.ndarray, holds_time: np.ndarray,
                 min_answered: float = MIN_TIME_ROWS_ANSWERED) -> float:
    """The highest threshold that still answers `min_answered` of the rows
    whose label is a time (0 if the model rejects too many of them)."""
    needed = math.ceil(min_answered * int(np.sum(holds_time)) - 1e-9)
    conf, holds = _answers_by_confidence(confidence, gives_time, holds_time)
    conf = conf[holds]
    if needed <= 0:
        return 1.0
    if needed > len(conf):
        return 0.0
    return float(conf[needed - 1])


def choose_threshold(confidence: np.ndarray, gives_time: np.ndarray, right: np.ndarray,
                     cost: float = SILENT_ERROR_COST,
                     holds_time: Optional[np.ndarray] = None) -> float:
    """The threshold of the module docstring's rule, rounded down to
    THRESHOLD_DECIMALS. confidence, gives_time (the model answers a time, not
    a rejection), right (the answer is the label), holds_time (the label is a
    time; None: no coverage floor) are per row."""
    threshold = _cost_threshold(confidence, gives_time, right, cost)
    if holds_time is not None:
        floor = max(coverage_cap(confidence, gives_time, holds_time),
                    silent_error_bound(confidence, gives_time, right))
        threshold = min(threshold, floor)
    factor = 10 ** THRESHOLD_DECIMALS
    return math.floor(threshold * factor) / factor


def silent_error_bound(confidence: np.ndarray, gives_time: np.ndarray, right: np.ndarray,
                       max_silent: float = MAX_SILENT_ERRORS) -> float:
    """The lowest threshold at which at most `max_silent` of all rows are
    answered with a wrong time (a cut between two distinct confidences)."""
    conf, right = _answers_by_confidence(confidence, gives_time, right)
    wrong = ~right
    allowed = math.floor(max_silent * len(gives_time) + 1e-9)
    if wrong.sum() <= allowed:
        return 0.0
    # The first wrong answer past the allowance: the cut must stay above its
    # confidence, so just above it (the next distinct confidence up).
    first_too_many = int(np.flatnonzero(np.cumsum(wrong) > allowed)[0])
    above = conf[:first_too_many][conf[:first_too_many] > conf[first_too_many]]
    return float(above[-1]) if len(above) else 1.0


def _cost_threshold(confidence, gives_time, right, cost) -> float:
    """The cut that maximizes right - cost x wrong answers, unrounded."""
    conf, right = _answers_by_confidence(confidence, gives_time, right)
    if len(conf) == 0:
        return 0.0
    gain = np.cumsum(np.where(right, 1.0, -cost))   # answering the k most confident rows
    # Only the last row of a run of equal confidences is a reachable cut.
    last_of_run = np.append(conf[1:] != conf[:-1], True)
    gain = np.where(last_of_run, gain, -np.inf)
    best = len(gain) - 1 - int(np.argmax(gain[::-1]))  # ties: answer more
    if gain[best] <= 0:
        return 1.0  # answering nothing beats every cut
    return float(conf[best])


def _answers_by_confidence(confidence, gives_time, flags):
    """The confidences and `flags` (per row) of the rows that give a time,
    most confident first (ties in row order): answering the k first is a cut."""
    gives_time = np.asarray(gives_time, bool)
    conf = np.asarray(confidence, np.float64)[gives_time]
    order = np.argsort(-conf, kind="stable")
    return conf[order], np.asarray(flags, bool)[gives_time][order]
