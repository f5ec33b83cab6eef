"""Constrained decoding: of the 1,440 valid times and the reject label, the
most probable answer under the network's five per-character distributions,
and its (temperature-scaled) joint probability. Runs inside the exported
serving signature (model/export.py), so an invalid time cannot come out.
"""

from typing import List

import numpy as np
import tensorflow as tf

from schemas import features

_LOG_FLOOR = 1e-12
_NUM_TIMES = features.HOURS_PER_DAY * features.MINUTES_PER_HOUR
REJECT_INDEX = _NUM_TIMES  # answers 0..1439 are the times in order, then the reject label


def _alphabet_index(char: str) -> int:
    return features.OUTPUT_ALPHABET.index(char)


def _candidate_indices():
    """Alphabet indices of each hour's and minute's two digits."""
    hours = [(_alphabet_index(f"{h:02d}"[0]), _alphabet_index(f"{h:02d}"[1]))
             for h in range(features.HOURS_PER_DAY)]
    minutes = [(_alphabet_index(f"{m:02d}"[0]), _alphabet_index(f"{m:02d}"[1]))
               for m in range(features.MINUTES_PER_HOUR)]
    return np.array(hours, np.int32), np.array(minutes, np.int32)


def char_log_probs(char_probs: tf.Tensor) -> tf.Tensor:
    """Per-character probabilities -> their logs, floored so none is -inf."""
    return tf.math.log(tf.maximum(char_probs, _LOG_FLOOR))


def decode_scores(char_probs: tf.Tensor):
    """char_probs [b, 5, |OUTPUT_ALPHABET|] -> (log_probs [b, 5, |OUTPUT_ALPHABET|]
    (char_log_probs), the index of the best answer [b] int32, its score [b]).

    A time's score is its hour's score (the first two characters) plus its
    minute's (the last two) plus the separator's, so the best of the 1,440
    times is the best hour with the best minute: 24 + 60 candidates scored,
    not 1,440. Ties go to the earlier time, and to a time over the reject
    label, as an argmax over all 1,441 answers in order would."""
    log_probs = char_log_probs(char_probs)
    hours, minutes = _candidate_indices()
    hour_scores = (tf.gather(log_probs[:, 0], hours[:, 0], axis=1)
                   + tf.gather(log_probs[:, 1], hours[:, 1], axis=1))        # [b, 24]
    minute_scores = (tf.gather(log_probs[:, 3], minutes[:, 0], axis=1)
                     + tf.gather(log_probs[:, 4], minutes[:, 1], axis=1))    # [b, 60]
    separator = log_probs[:, 2, _alphabet_index(features.TIME_SEPARATOR)]
    hour = tf.argmax(hour_scores, axis=1, output_type=tf.int32)
    minute = tf.argmax(minute_scores, axis=1, output_type=tf.int32)
    time_score = (tf.reduce_max(hour_scores, 1) + tf.reduce_max(minute_scores, 1)) + separator
    reject_ids = [_alphabet_index(c) for c in features.REJECT_LABEL]
    reject_score = tf.add_n([log_probs[:, i, reject_ids[i]] for i in range(features.OUTPUT_LEN)])
    is_time = time_score >= reject_score
    best = tf.where(is_time, hour * features.MINUTES_PER_HOUR + minute, REJECT_INDEX)
    return log_probs, best, tf.where(is_time, time_score, reject_score)


def constrained_decode(char_probs: tf.Tensor, temperature=1.0):
    """char_probs [b, 5, |OUTPUT_ALPHABET|] -> (time [b] string ("" when
    rejected), rejected [b] bool, confidence [b] float32: the answer's joint
    probability with each character's logits divided by `temperature`)."""
    return answer_of_scores(decode_scores(char_probs), temperature)


def answer_of_scores(scores, temperature=1.0):
    """constrained_decode from decode_scores' output, for callers that have it."""
    log_probs, best, best_score = scores
    # log_probs are the logits up to a constant per character, so dividing
    # them by T and normalizing again is temperature scaling of the logits.
    temperature = tf.cast(temperature, log_probs.dtype)
    log_norm = tf.reduce_sum(tf.reduce_logsumexp(log_probs / temperature, axis=2), axis=1)
    confidence = tf.exp(best_score / temperature - log_norm)
    rejected = tf.equal(best, REJECT_INDEX)
    hour, minute = best // features.MINUTES_PER_HOUR, best % features.MINUTES_PER_HOUR
    time = tf.strings.join([tf.strings.as_string(hour, width=2, fill="0"),
                            tf.strings.as_string(minute, width=2, fill="0")],
                           separator=features.TIME_SEPARATOR)
    time = tf.where(rejected, "", time)
    return time, rejected, tf.cast(confidence, tf.float32)


def label_chars(label: str) -> List[int]:
    """A label's ("HH:MM" or the reject label) five alphabet indices."""
    return [_alphabet_index(char) for char in label]


def answer_label(index: int) -> str:
    """The label of an answer index (0..1439 the times in order, then the reject label)."""
    if index == REJECT_INDEX:
        return features.REJECT_LABEL
    hour, minute = divmod(int(index), features.MINUTES_PER_HOUR)
    return f"{hour:02d}{features.TIME_SEPARATOR}{minute:02d}"
