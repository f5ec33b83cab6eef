"""The one tokenizer of timenorm: a tensorflow-transform `preprocessing_fn`.

The generator runs it over the training data (where its character vocabulary
is analyzed) and the trainer embeds the resulting transform graph in the
exported model, so inference tokenizes raw strings with this same code.

Clean-up, in order:
1. ASCII letters are lower-cased. Other characters are left as they are, so
   every character keeps its position (offsets index the input as given).
2. The text is split into Unicode characters (invalid UTF-8 becomes U+FFFD).
3. Leading and trailing whitespace (features.WHITESPACE) is dropped and each run of whitespace
   inside the text becomes one space (kept at the run's first character),
   so "  7:05 \t PM" reads as "7:05 pm". `char_offsets` keeps, for every kept character, its index
   in the original string.
4. Characters become vocabulary ids (analyzed on the training split; unseen
   characters share one out-of-vocabulary id), shifted by one so that
   `PAD_ID` (0) pads the sequence to `MAX_INPUT_LEN`; longer texts are
   truncated, and `input_length` tells how long they were.
5. The label "HH:MM" (or the reject label) becomes five indices into
   `OUTPUT_ALPHABET`.
"""

from typing import Dict

import tensorflow as tf
import tensorflow_transform as tft

from schemas import features


def clean_characters(text: tf.Tensor):
    """Lower-cases, splits and trims `text` (shape [batch]).

    Returns the kept characters and their offsets in the input, both ragged
    [batch, None].
    """
    chars = tf.strings.unicode_split(tf.strings.lower(text), "UTF-8", errors="replace")
    flat = chars.flat_values
    row_ids = chars.value_rowids()
    position = tf.range(tf.size(flat, out_type=tf.int64)) - tf.gather(chars.row_starts(), row_ids)
    is_space = tf.strings.regex_full_match(flat, features.WHITESPACE_CLASS)
    # A space survives only after a non-space character of its own row ...
    previous_is_space = tf.concat([[True], is_space], axis=0)[:-1]
    previous_is_space = tf.logical_or(previous_is_space, tf.equal(position, 0))
    keep = tf.logical_not(tf.logical_and(is_space, previous_is_space))
    # ... and only if a non-space character follows it in that row.
    last_letter = tf.math.unsorted_segment_max(
        tf.where(is_space, tf.constant(-1, tf.int64), position), row_ids, chars.nrows())
    keep = tf.logical_and(keep, position <= tf.gather(last_letter, row_ids))
    keep = chars.with_flat_values(keep)
    chars = chars.with_flat_values(tf.where(is_space, " ", flat))  # a tab reads as a space
    return (tf.ragged.boolean_mask(chars, keep),
            tf.ragged.boolean_mask(chars.with_flat_values(position), keep))


def encode_label(label: tf.Tensor) -> tf.Tensor:
    """"HH:MM" strings (shape [batch]) -> int64 ids into OUTPUT_ALPHABET [batch, 5]."""
    chars = tf.strings.bytes_split(label).to_tensor(
        default_value="", shape=[None, features.OUTPUT_LEN])
    alphabet = tf.constant(list(features.OUTPUT_ALPHABET))
    return tf.argmax(tf.cast(tf.equal(chars[..., None], alphabet), tf.int64), axis=-1)


def preprocessing_fn(inputs: Dict[str, tf.Tensor]) -> Dict[str, tf.Tensor]:
    """Raw {text, label, family} -> the features of schemas/transformed.py.

    At serving time only `text` is fed; the outputs that need `label` or
    `family` are then pruned by tensorflow-transform.
    """
    chars, offsets = clean_characters(inputs[features.TEXT_KEY])
    ids = tft.compute_and_apply_vocabulary(
        chars.flat_values,
        num_oov_buckets=features.NUM_OOV_BUCKETS,
        vocab_filename=features.CHAR_VOCAB_NAME) + 1  # make room for PAD_ID
    shape = [None, features.MAX_INPUT_LEN]
    return {
        features.CHAR_IDS_KEY: chars.with_flat_values(ids).to_tensor(
            default_value=features.PAD_ID, shape=shape),
        features.CHAR_OFFSETS_KEY: offsets.to_tensor(
            default_value=features.NO_OFFSET, shape=shape),
        features.INPUT_LENGTH_KEY: chars.row_lengths(),
        features.LABEL_IDS_KEY: encode_label(inputs[features.LABEL_KEY]),
        features.TEXT_KEY: inputs[features.TEXT_KEY],
        features.LABEL_KEY: inputs[features.LABEL_KEY],
        features.FAMILY_KEY: inputs[features.FAMILY_KEY],
    }
