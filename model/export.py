"""Export: one hermetic SavedModel that reads raw strings.

The serving signature chains the tensorflow-transform graph (the only
tokenizer), the Keras network and a constrained decoder:

    text [b] string -> {time [b] string "HH:MM" or "", rejected [b] bool,
                        confidence [b] float32, attention [b, 5, MAX_INPUT_LEN],
                        char_offsets [b, MAX_INPUT_LEN] int64, input_length [b] int64}

Decoding only emits valid times. The decoder's five per-character
distributions are independent given the input, so the log-probability of a
whole output is the sum of its characters'; of the 1,440 valid "HH:MM"
strings and the reject label the most probable one wins, and `confidence` is
its joint probability under the model.
"""

import numpy as np
import tensorflow as tf

from schemas import features

_LOG_FLOOR = 1e-12


def _alphabet_index(char: str) -> int:
    return features.OUTPUT_ALPHABET.index(char)


def _candidate_indices():
    """Alphabet indices of each hour's and minute's two digits."""
    hours = [(_alphabet_index(f"{h:02d}"[0]), _alphabet_index(f"{h:02d}"[1]))
             for h in range(features.HOURS_PER_DAY)]
    minutes = [(_alphabet_index(f"{m:02d}"[0]), _alphabet_index(f"{m:02d}"[1]))
               for m in range(features.MINUTES_PER_HOUR)]
    return np.array(hours, np.int32), np.array(minutes, np.int32)


def constrained_decode(char_probs: tf.Tensor):
    """char_probs [b, 5, |OUTPUT_ALPHABET|] -> (time [b] string ("" when
    rejected), rejected [b] bool, confidence [b] float32)."""
    log_probs = tf.math.log(tf.maximum(char_probs, _LOG_FLOOR))
    hours, minutes = _candidate_indices()
    hour_scores = (tf.gather(log_probs[:, 0], hours[:, 0], axis=1)
                   + tf.gather(log_probs[:, 1], hours[:, 1], axis=1))        # [b, 24]
    minute_scores = (tf.gather(log_probs[:, 3], minutes[:, 0], axis=1)
                     + tf.gather(log_probs[:, 4], minutes[:, 1], axis=1))    # [b, 60]
    separator = log_probs[:, 2, _alphabet_index(features.TIME_SEPARATOR)]
    time_scores = (hour_scores[:, :, None] + minute_scores[:, None, :]
                   + separator[:, None, None])
    reject_ids = [_alphabet_index(c) for c in features.REJECT_LABEL]
    reject_score = tf.add_n([log_probs[:, i, reject_ids[i]] for i in range(features.OUTPUT_LEN)])
    num_times = features.HOURS_PER_DAY * features.MINUTES_PER_HOUR
    scores = tf.concat([tf.reshape(time_scores, [-1, num_times]), reject_score[:, None]], axis=1)
    best = tf.argmax(scores, axis=1, output_type=tf.int32)
    confidence = tf.exp(tf.reduce_max(scores, axis=1))
    rejected = tf.equal(best, num_times)
    hour, minute = best // features.MINUTES_PER_HOUR, best % features.MINUTES_PER_HOUR
    time = tf.strings.join([tf.strings.as_string(hour, width=2, fill="0"),
                            tf.strings.as_string(minute, width=2, fill="0")],
                           separator=features.TIME_SEPARATOR)
    time = tf.where(rejected, "", time)
    return time, rejected, tf.cast(confidence, tf.float32)


class ServingModule(tf.Module):
    """Raw strings in, normalized times out; owns the transform graph and the model."""

    def __init__(self, network, transform_layer):
        super().__init__()
        self.network = network
        self.transform_layer = transform_layer

    @tf.function(input_signature=[tf.TensorSpec([None], tf.string,
                                                name=features.SERVING_INPUT_KEY)])
    def serve(self, text):
        transformed = self.transform_layer({features.TEXT_KEY: text})
        # The LSTMs only run as far as the longest phrase of the batch; callers
        # that batch phrases of similar length get the most out of this.
        lengths = transformed[features.INPUT_LENGTH_KEY]
        width = tf.clip_by_value(tf.cast(tf.reduce_max(tf.concat([lengths, [1]], 0)), tf.int32),
                                 1, features.MAX_INPUT_LEN)
        char_ids = tf.cast(transformed[features.CHAR_IDS_KEY][:, :width], tf.int32)
        outputs = self.network(char_ids, training=False)
        time, rejected, confidence = constrained_decode(outputs["chars"])
        attention = tf.pad(tf.cast(outputs["attention"], tf.float32),
                           [[0, 0], [0, 0], [0, features.MAX_INPUT_LEN - width]])
        return {
            features.OUTPUT_TIME_KEY: time,
            features.OUTPUT_REJECTED_KEY: rejected,
            features.OUTPUT_CONFIDENCE_KEY: confidence,
            features.OUTPUT_ATTENTION_KEY: tf.ensure_shape(
                attention, [None, features.OUTPUT_LEN, features.MAX_INPUT_LEN]),
            features.OUTPUT_OFFSETS_KEY: transformed[features.CHAR_OFFSETS_KEY],
            features.OUTPUT_LENGTH_KEY: transformed[features.INPUT_LENGTH_KEY],
        }


def export_saved_model(network, transform_output_dir: str, export_dir: str) -> None:
    """Writes the serving SavedModel (transform graph included) to `export_dir`."""
    import tensorflow_transform as tft

    transform_layer = tft.TFTransformOutput(transform_output_dir).transform_features_layer()
    module = ServingModule(network, transform_layer)
    tf.saved_model.save(module, export_dir,
                        signatures={features.SERVING_SIGNATURE: module.serve})
