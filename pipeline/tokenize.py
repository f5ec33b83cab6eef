"""TokenizeAndWrite: one split's raw record batches -> the transform graph's
features, written as deterministic TFRecords, plus that split's counts.
"""

import apache_beam as beam
import numpy as np
import pyarrow as pa

from pipeline.tfrecords import WriteDeterministicTFRecords
from schemas import features


def _flat(batch: pa.RecordBatch, name: str) -> np.ndarray:
    column = batch.column(batch.schema.get_field_index(name))
    if pa.types.is_list(column.type) or pa.types.is_large_list(column.type):
        column = column.flatten()
    return column.to_numpy(zero_copy_only=False)


def split_counts(split: str, batch: pa.RecordBatch):
    """(key, value) pairs of one transformed batch of `split`: counts to sum
    (rows, rejects, phrases longer than MAX_INPUT_LEN, rows per family) and
    the batch's longest phrase, (length, text), to take the max of."""
    families = _flat(batch, features.FAMILY_KEY)
    labels = _flat(batch, features.LABEL_KEY)
    lengths = _flat(batch, features.INPUT_LENGTH_KEY)
    yield (split, "rows"), batch.num_rows
    yield (split, "rejects"), int(np.sum(labels == features.REJECT_LABEL.encode()))
    yield (split, "longer_than_max_input_len"), int(np.sum(lengths > features.MAX_INPUT_LEN))
    for name, count in zip(*np.unique(families, return_counts=True)):
        yield (split, "family", name.decode()), int(count)
    if batch.num_rows:
        longest = int(np.argmax(lengths))
        yield (split, "longest"), (int(lengths[longest]),
                                   _flat(batch, features.TEXT_KEY)[longest].decode())


def deterministic_bytes(serialized_example: bytes) -> bytes:
    """The Example re-serialized with its feature map in key order: the
    encoder's map order varies between processes, so equal Examples could
    otherwise differ in bytes."""
    from tensorflow.core.example import example_pb2
    return example_pb2.Example.FromString(serialized_example).SerializeToString(
        deterministic=True)


class TokenizeAndWrite(beam.PTransform):
    """Raw record batches of one split -> tokenized by the transform graph,
    written as TFRecords; returns that split's (key, value) counts (split_counts)."""

    def __init__(self, split: str, output_dir: str, num_shards: int, transform_fn,
                 tensor_adapter_config):
        super().__init__()
        self._split = split
        self._output_dir = output_dir
        self._num_shards = num_shards
        self._transform_fn = transform_fn
        self._tensor_adapter_config = tensor_adapter_config

    def expand(self, raw_batches):
        import tensorflow_transform.beam as tft_beam
        transformed = (((raw_batches, self._tensor_adapter_config), self._transform_fn)
                       | "Transform" >> tft_beam.TransformDataset(output_record_batches=True))
        (transformed
         | "EncodeExamples" >> tft_beam.EncodeTransformedDataset()
         | "Deterministic" >> beam.Map(deterministic_bytes)
         | "WriteTFRecords" >> WriteDeterministicTFRecords(
             features.tfrecord_prefix(self._output_dir, self._split), self._num_shards))
        return (transformed[0]
                | "CountRows" >> beam.FlatMap(lambda pair, split: split_counts(split, pair[0]),
                                              self._split))
