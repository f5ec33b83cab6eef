"""Writing TFRecords so that the same data gives the same bytes.

Beam's own file sinks assign records to shards in an order that depends on
bundling, so two runs of the same data can differ byte for byte. Here each
record goes to the shard named by a hash of its bytes, and each shard is
written sorted, which makes the output a function of the data alone.
"""

import hashlib
import logging
import os

import apache_beam as beam
import tensorflow as tf

from schemas import features


def shard_name(prefix: str, shard: int, num_shards: int) -> str:
    return f"{prefix}-{shard:05d}-of-{num_shards:05d}{features.TFRECORD_SUFFIX}"


def shard_of(record: bytes, num_shards: int) -> int:
    return int.from_bytes(hashlib.sha256(record).digest()[:8], "big") % num_shards


class _WriteShardFn(beam.DoFn):
    """Writes one shard's records, sorted, to a temporary name, then renames it."""

    def __init__(self, prefix: str, num_shards: int):
        self._prefix = prefix
        self._num_shards = num_shards

    def process(self, shard_and_records):
        shard, records = shard_and_records
        records = sorted(record for record in records if record is not None)
        path = shard_name(self._prefix, shard, self._num_shards)
        temporary = path + ".incomplete"
        tf.io.gfile.makedirs(os.path.dirname(path))
        with tf.io.TFRecordWriter(temporary, options="GZIP") as writer:
            for record in records:
                writer.write(record)
        tf.io.gfile.rename(temporary, path, overwrite=True)
        beam.metrics.Metrics.counter("generate", "records_written").inc(len(records))
        logging.info("generate: wrote %s (%d records)", path, len(records))
        yield path


class WriteDeterministicTFRecords(beam.PTransform):
    """Serialized records -> `num_shards` GZIP TFRecord files at `prefix`.

    Every shard file is written, empty or not; the output PCollection holds
    the file names.
    """

    def __init__(self, prefix: str, num_shards: int):
        super().__init__()
        self._prefix = prefix
        self._num_shards = num_shards

    def expand(self, records):
        num_shards = self._num_shards
        keyed = records | "KeyByShard" >> beam.Map(
            lambda record: (shard_of(record, num_shards), record))
        every_shard = (records.pipeline
                       | "ListShards" >> beam.Create([(i, None) for i in range(num_shards)]))
        return ((keyed, every_shard)
                | "AddEmptyShards" >> beam.Flatten()
                | "GroupByShard" >> beam.GroupByKey()
                | "WriteShard" >> beam.ParDo(_WriteShardFn(self._prefix, num_shards)))
