"""The generate pipeline end to end: TFRecords, transform graph, splits, determinism."""

import glob
import hashlib
import json
import os

import tensorflow as tf
import tensorflow_transform as tft

from conftest import LOCAL_RUNNER, run_python
from pipeline import generate
from schemas import features
from schemas.transformed import TRANSFORMED_FEATURE_SPEC


def read_split(data_dir, split):
    files = sorted(glob.glob(features.tfrecord_pattern(data_dir, split)))
    assert files, f"no {split} TFRecords"
    dataset = tf.data.TFRecordDataset(files, compression_type="GZIP").map(
        lambda r: tf.io.parse_single_example(r, TRANSFORMED_FEATURE_SPEC))
    return [{k: v.numpy() for k, v in example.items()} for example in dataset]


def test_outputs_read_back_with_the_transformed_spec(generated_dir):
    summary = json.load(open(os.path.join(generated_dir, features.SUMMARY_FILE)))
    rows = {split: read_split(generated_dir, split) for split in features.SPLITS}
    assert {split: len(r) for split, r in rows.items()} == summary["rows_per_split"]
    example = rows[features.TRAIN_SPLIT][0]
    assert example[features.CHAR_IDS_KEY].shape == (features.MAX_INPUT_LEN,)
    assert example[features.LABEL_IDS_KEY].shape == (features.OUTPUT_LEN,)
    label = "".join(features.OUTPUT_ALPHABET[i] for i in example[features.LABEL_IDS_KEY])
    assert label == example[features.LABEL_KEY].decode()
    assert summary["char_vocabulary_size"] > 30
    assert summary["longest_phrase"]["length"] <= features.MAX_INPUT_LEN


def test_contract_matches_the_transform_output(generated_dir):
    output = tft.TFTransformOutput(os.path.join(generated_dir, features.TRANSFORM_OUTPUT_DIR))
    assert output.transformed_feature_spec() == TRANSFORMED_FEATURE_SPEC


def test_splits_are_disjoint_and_cover_every_family_and_rejects(generated_dir):
    phrases = {}
    for split in features.SPLITS:
        rows = read_split(generated_dir, split)
        keys = {" ".join(r[features.TEXT_KEY].decode().lower().split()) for r in rows}
        assert len(keys) == len(rows), "a phrase appears twice in one split"
        phrases[split] = keys
        assert {r[features.FAMILY_KEY].decode() for r in rows} == set(features.FAMILIES), split
        assert any(r[features.LABEL_KEY].decode() == features.REJECT_LABEL for r in rows)
    assert not phrases["train"] & phrases["eval"]
    assert not phrases["train"] & phrases["test"]
    assert not phrases["eval"] & phrases["test"]


def file_digests(directory):
    return {os.path.relpath(path, directory): hashlib.sha256(open(path, "rb").read()).hexdigest()
            for path in sorted(glob.glob(os.path.join(directory, features.TFRECORD_DIR, "*")))}


def test_same_seed_gives_identical_bytes_with_one_and_two_workers(tmp_path):
    common = ["--num_examples", "1200", "--seed", "9"] + LOCAL_RUNNER
    generate.run(["--output_dir", str(tmp_path / "one"), "--direct_num_workers", "1"] + common)
    generate.run(["--output_dir", str(tmp_path / "two"), "--direct_num_workers", "2",
                  "--direct_running_mode", "multi_threading"] + common)
    one, two = file_digests(str(tmp_path / "one")), file_digests(str(tmp_path / "two"))
    assert one and one == two


def test_command_exits_zero_on_success_and_non_zero_on_failure(tmp_path):
    ok = run_python(["-m", "pipeline.generate", "--output_dir", str(tmp_path / "ok"),
                     "--num_examples", "300"] + LOCAL_RUNNER, timeout=300)
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert json.loads(ok.stdout)["rows"] > 200
    bad = run_python(["-m", "pipeline.generate", "--output_dir", str(tmp_path / "bad"),
                      "--num_examples", "300", "--family_weights", "sundial=1"] + LOCAL_RUNNER,
                     timeout=300)
    assert bad.returncode == 2 and "unknown family" in bad.stderr
    # A failure inside the Beam job (output directory is a file) fails the command.
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory")
    failed = run_python(["-m", "pipeline.generate", "--output_dir", str(blocker),
                         "--num_examples", "300"] + LOCAL_RUNNER, timeout=300)
    assert failed.returncode not in (0, 139), failed.stderr[-2000:]
