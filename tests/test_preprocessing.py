"""The preprocessing_fn on a few in-memory rows, with exact expected ids."""

import tempfile

import apache_beam as beam
import pytest
import tensorflow as tf
import tensorflow_transform.beam as tft_beam
from apache_beam.testing.util import assert_that, equal_to
from tensorflow_transform.tf_metadata import dataset_metadata

from pipeline.pairs import dedupe_key
from pipeline.preprocessing import clean_characters, preprocessing_fn
from schemas import features, raw


def as_tuple(row):
    """A transformed row as plain, comparable values."""
    return (row[features.TEXT_KEY], [int(i) for i in row[features.CHAR_IDS_KEY]],
            [int(i) for i in row[features.CHAR_OFFSETS_KEY]], int(row[features.INPUT_LENGTH_KEY]),
            [int(i) for i in row[features.LABEL_IDS_KEY]])


def test_exact_ids_offsets_and_labels():
    rows = [{"text": b"  7:05 PM", "label": b"19:05", "family": b"digital_period"},
            {"text": b"7 pm", "label": b"19:00", "family": b"compact"},
            {"text": b"pizza", "label": b"--:--", "family": b"reject"}]
    # The vocabulary is sorted by frequency, then by value descending:
    # "p" 3; "z" "m" "7" " " 2 each; "i" "a" ":" "5" "0" once each.
    vocab = ["p", "z", "m", "7", " ", "i", "a", ":", "5", "0"]
    ids = {char: index + 1 for index, char in enumerate(vocab)}

    def padded(values, fill):
        return values + [fill] * (features.MAX_INPUT_LEN - len(values))

    expected = [
        (b"  7:05 PM", padded([ids[c] for c in "7:05 pm"], features.PAD_ID),
         padded([2, 3, 4, 5, 6, 7, 8], features.NO_OFFSET), 7, [1, 9, 10, 0, 5]),
        (b"7 pm", padded([ids[c] for c in "7 pm"], features.PAD_ID),
         padded([0, 1, 2, 3], features.NO_OFFSET), 4, [1, 9, 10, 0, 0]),
        (b"pizza", padded([ids[c] for c in "pizza"], features.PAD_ID),
         padded([0, 1, 2, 3, 4], features.NO_OFFSET), 5, [11, 11, 10, 11, 11]),
    ]
    metadata = dataset_metadata.DatasetMetadata(raw.raw_schema())
    with tempfile.TemporaryDirectory() as temp_dir:
        with beam.Pipeline(runner="FnApiRunner") as pipeline:
            with tft_beam.Context(temp_dir=temp_dir):
                (transformed, _), _ = ((pipeline | beam.Create(rows), metadata)
                                       | tft_beam.AnalyzeAndTransformDataset(preprocessing_fn))
                assert_that(transformed | beam.Map(as_tuple), equal_to(expected))


@pytest.mark.parametrize("text,expected,offsets", [
    ("  7:05 \t PM  ", "7:05 pm", [2, 3, 4, 5, 6, 9, 10]),
    ("Noon", "noon", [0, 1, 2, 3]),
    ("   ", "", []),
    ("ça  va", "ça va", [0, 1, 2, 4, 5]),
])
def test_clean_characters_keeps_offsets_into_the_original(text, expected, offsets):
    chars, positions = clean_characters(tf.constant([text]))
    assert "".join(c.decode() for c in chars[0].numpy()) == expected
    assert list(positions[0].numpy()) == offsets
    assert "".join(" " if text[i].isspace() else text[i].lower() for i in offsets) == expected


@pytest.mark.parametrize("a,b", [("7:05 PM", "  7:05   pm "), ("NOON", "noon"),
                                 ("ten\tto  six", "ten to six")])
def test_dedupe_key_agrees_with_the_tokenizer(a, b):
    chars, _ = clean_characters(tf.constant([a, b]))
    same_tokens = list(chars[0].numpy()) == list(chars[1].numpy())
    assert same_tokens and dedupe_key(a) == dedupe_key(b)
    assert dedupe_key(a) == b"".join(chars[0].numpy()).decode()
