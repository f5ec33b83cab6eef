"""Names and sizes shared by generate, train and infer.

The one place where a feature key, a length or a special label is spelled.
Everything else imports it from here (as TFX's taxi `features.py` does).
"""

import os

# Raw features: what the generator writes and what a person types.
TEXT_KEY = "text"
LABEL_KEY = "label"
FAMILY_KEY = "family"

# Transformed features: what the transform graph emits and the trainer reads.
CHAR_IDS_KEY = "char_ids"
CHAR_OFFSETS_KEY = "char_offsets"
INPUT_LENGTH_KEY = "input_length"
LABEL_IDS_KEY = "label_ids"

# Input side. Phrases are read character by character; after lower-casing and
# whitespace clean-up (see pipeline/preprocessing.py) a time inside real text
# (a full log line, a ticket note: families 12-16 of TIME_LANGUAGE.md) must
# be read whole up to 160 characters. Batches are grouped by length, so short
# strings never pay for this width.
MAX_INPUT_LEN = 160
# The whitespace rule, the one definition: these characters are whitespace
# (exactly RE2's \s, the syntax of TensorFlow's and Arrow's regular
# expressions). The clean-up drops them at the ends and folds inner runs to one
# space; a value of whitespace only is blank; no attention span holds one.
WHITESPACE = "\t\n\f\r "
WHITESPACE_CLASS = f"[{WHITESPACE}]"  # as a regular-expression character class
PAD_ID = 0  # character id of padding; vocabulary ids start at 1
NUM_OOV_BUCKETS = 1  # characters never seen in training share one id
CHAR_VOCAB_NAME = "chars"
NO_OFFSET = -1  # char_offsets value for padding positions


def char_embedding_rows(vocabulary_size: int) -> int:
    """Embedding rows of a network on a character vocabulary of this size:
    padding, the vocabulary, the out-of-vocabulary bucket(s)."""
    return 1 + vocabulary_size + NUM_OOV_BUCKETS


# Output side: five characters "HH:MM" from a closed alphabet.
OUTPUT_LEN = 5
OUTPUT_ALPHABET = "0123456789:-"
REJECT_LABEL = "--:--"  # the label of every phrase that is not a time of day
TIME_SEPARATOR = ":"
HOURS_PER_DAY = 24
MINUTES_PER_HOUR = 60

# Splits written by the generator, in order.
TRAIN_SPLIT = "train"
EVAL_SPLIT = "eval"
TEST_SPLIT = "test"
SPLITS = (TRAIN_SPLIT, EVAL_SPLIT, TEST_SPLIT)

# The families 1-16 of ../shared/TIME_LANGUAGE.md, plus the reject family.
FAMILIES = (
    "digital",
    "digital_period",
    "compact",
    "iso",
    "oclock",
    "quarter_half",
    "minutes_past_to",
    "spoken_digital",
    "hours_and",
    "noon_midnight",
    "noise",
    "dates",
    "context",
    "zones",
    "day_words",
    "short_forms",
    "reject",
)
REJECT_FAMILY = "reject"

# File layout of the generate output (the train stage reads it).
TRANSFORM_OUTPUT_DIR = "transform"  # holds transform_fn/ and transformed_metadata/
TFRECORD_DIR = "tfrecords"
TFRECORD_SUFFIX = ".tfrecord.gz"
SUMMARY_FILE = "summary.json"


def tfrecord_prefix(data_dir: str, split: str) -> str:
    """Where a split's TFRecord shards go: <prefix>-NNNNN-of-NNNNN.tfrecord.gz."""
    return os.path.join(data_dir, TFRECORD_DIR, split)


def tfrecord_pattern(data_dir: str, split: str) -> str:
    """The glob pattern of a split's TFRecord shards."""
    return f"{tfrecord_prefix(data_dir, split)}-*{TFRECORD_SUFFIX}"


# Serving signature of the exported model (the infer stage calls it).
SERVING_SIGNATURE = "serving_default"
SERVING_INPUT_KEY = "text"
OUTPUT_TIME_KEY = "time"
OUTPUT_CONFIDENCE_KEY = "confidence"
OUTPUT_ATTENTION_KEY = "attention"
OUTPUT_OFFSETS_KEY = "char_offsets"
OUTPUT_LENGTH_KEY = "input_length"
OUTPUT_REJECTED_KEY = "rejected"
# Strings per call of the signature: model/serving.py splits longer lists into
# calls of this size, and the infer DoFn runs that many calls in parallel.
SERVING_BATCH_SIZE = 1024
# A model exported with a second (re-check) network runs it only on the
# strings whose answer the first network gives a joint probability below
# this (model/export.py, "Two networks"); above 1 (a joint probability never
# is), every string. Just under 1, as shipped since trial Z4r (BENCHMARKS.md):
# the silent errors left on real text were strings the first network was sure
# of (0.93-1.00), so the second reads all but the surest (about 12% of the
# eval split), which keeps what reading every string gave at about half its
# cost.
RECHECK_BELOW = 0.999
