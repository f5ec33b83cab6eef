"""The transformed-feature contract: what the trainer reads from TFRecords.

It must match what `pipeline.preprocessing.preprocessing_fn` emits; a test
checks that against the `transformed_metadata/` the generator writes.
"""

import tensorflow as tf

from schemas import features

TRANSFORMED_FEATURE_SPEC = {
    # Character ids of the cleaned phrase, PAD_ID after its end.
    features.CHAR_IDS_KEY: tf.io.FixedLenFeature([features.MAX_INPUT_LEN], tf.int64),
    # Offset of each character in the phrase as given (NO_OFFSET for padding).
    features.CHAR_OFFSETS_KEY: tf.io.FixedLenFeature([features.MAX_INPUT_LEN], tf.int64),
    # Characters after clean-up, before truncation to MAX_INPUT_LEN.
    features.INPUT_LENGTH_KEY: tf.io.FixedLenFeature([], tf.int64),
    # The five output characters as indices into OUTPUT_ALPHABET.
    features.LABEL_IDS_KEY: tf.io.FixedLenFeature([features.OUTPUT_LEN], tf.int64),
    # Passed through for evaluation reports.
    features.TEXT_KEY: tf.io.FixedLenFeature([], tf.string),
    features.LABEL_KEY: tf.io.FixedLenFeature([], tf.string),
    features.FAMILY_KEY: tf.io.FixedLenFeature([], tf.string),
}
