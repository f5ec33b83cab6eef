"""The raw-data contract: what the generator produces and tokenizes."""

import tensorflow as tf
from tensorflow_metadata.proto.v0 import schema_pb2

from schemas import features

# One phrase per example: the text, its "HH:MM" label (or the reject label)
# and the family that rendered it (kept for per-family evaluation).
RAW_FEATURE_SPEC = {
    features.TEXT_KEY: tf.io.FixedLenFeature([], tf.string),
    features.LABEL_KEY: tf.io.FixedLenFeature([], tf.string),
    features.FAMILY_KEY: tf.io.FixedLenFeature([], tf.string),
}


def raw_schema() -> schema_pb2.Schema:
    """The raw feature spec as a tf.metadata Schema (what TFXIO needs)."""
    from tensorflow_transform.tf_metadata import schema_utils
    return schema_utils.schema_from_feature_spec(RAW_FEATURE_SPEC)
