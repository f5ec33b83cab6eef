"""Issue 11: odd but legal inputs, failed runs and reruns never lose, duplicate
or mix rows; mistakes in flags and model directories are refused before any
work. Every case is reproduced with small files written here."""

import glob
import json
import os
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import LOCAL_RUNNER
from model import DEFAULT_MODEL_DIR, integrity
from model.normalizer import Normalizer
from model.text_column import READABLE, read_text_column
from pipeline import infer
from pipeline.parquet_io import InputError
from schemas import features

MULTI_PROCESSING = ["--direct_running_mode", "multi_processing", "--direct_num_workers", "2"]


def run_infer(args, runner=LOCAL_RUNNER):
    return infer.run(args + runner)


def write(path, texts, ids=None, **columns):
    ids = list(range(len(texts))) if ids is None else ids
    pq.write_table(pa.table({"id": ids, "text": texts, **columns}), path)


def outputs(prefix):
    """The Parquet shards and summary under `prefix`, as names."""
    return sorted(os.path.basename(p) for p in glob.glob(glob.escape(prefix) + "-*"))


def leftovers(directory):
    return sorted(name for name in os.listdir(directory)
                  if name.startswith(("_staging-", "beam-temp-")))


def read_rows(prefix):
    return pq.read_table(sorted(glob.glob(glob.escape(prefix) + "-*.parquet"))).to_pylist()


# -------------------------------------------------------------- input files

def test_glob_characters_in_file_names_are_names_and_file_urls_work(tmp_path, tiny_model_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    write(inputs / "x[1].parquet", ["7 pm", "noon"], ids=[1, 2])
    write(inputs / "a*.parquet", ["7 pm", "pizza"], ids=[3, 4])
    write(inputs / "ab.parquet", ["1910 hrs"], ids=[5])
    output = str(tmp_path / "out")
    summary = run_infer(["--input", "file://" + str(inputs / "*.parquet"), "--output", output,
                         "--model_dir", tiny_model_dir])
    assert summary["balanced"] and summary["rows_in"] == summary["rows_out"] == 5
    assert {os.path.basename(p): c["out"] for p, c in summary["rows_per_file"].items()} == {
        "x[1].parquet": 2, "a*.parquet": 2, "ab.parquet": 1}
    assert sorted(row["id"] for row in read_rows(output)) == [1, 2, 3, 4, 5]


def test_invalid_utf8_inside_a_string_column_gives_not_utf8_rows(tmp_path, tiny_model_dir):
    raw = pa.array([b"7 pm", b"caf\xe9 \xff", None, b"noon"], pa.binary())
    write(tmp_path / "bad.parquet", raw.view(pa.string()))  # legal on disk
    output = str(tmp_path / "out")
    summary = run_infer(["--input", str(tmp_path / "bad.parquet"), "--output", output,
                         "--model_dir", tiny_model_dir])
    assert summary["balanced"] and summary["error"]["not_utf8"] == 1
    # The input column passes through unchanged, invalid bytes and all.
    table = pq.read_table(glob.glob(output + "-*.parquet")).sort_by("id")
    assert table.column("text").chunk(0).view(pa.binary()).to_pylist() == raw.to_pylist()
    rows = table.drop_columns(["text"]).to_pylist()
    assert [(r["status"], r["error"]) for r in rows][1:3] == [("invalid", "not_utf8"),
                                                              ("invalid", "null")]
    assert rows[0]["status"] != "invalid" and rows[3]["status"] != "invalid"


def test_a_string_view_column_is_read_as_text(tmp_path, tiny_model_dir):
    texts = ["7:05 pm", "noon", "quarter past 3 pm", None, "pizza", "1910 hrs", "t23.11", "x"]
    write(tmp_path / "view.parquet", pa.array(texts, pa.string_view()))
    output = str(tmp_path / "out")
    summary = run_infer(["--input", str(tmp_path / "view.parquet"), "--output", output,
                         "--model_dir", tiny_model_dir])
    assert summary["balanced"] and summary["rows_out"] == 8
    rows = sorted(read_rows(output), key=lambda r: r["id"])
    assert [r["text"] for r in rows] == texts  # passed through unchanged
    assert [r["error"] for r in rows if r["status"] == "invalid"] == ["null"]


def test_duplicate_text_columns_are_refused_naming_the_file(tmp_path):
    table = pa.Table.from_arrays([pa.array(["7 pm"]), pa.array(["noon"])], names=["text", "text"])
    pq.write_table(table, tmp_path / "dup.parquet")
    with pytest.raises(InputError, match="2 columns are named 'text'") as error:
        run_infer(["--input", str(tmp_path / "dup.parquet"), "--output", str(tmp_path / "out")])
    assert str(tmp_path / "dup.parquet") in str(error.value)


def corrupt_first_page(path):
    """Garbles the first data page's header; the footer stays readable."""
    data = bytearray(path.read_bytes())
    data[4:40] = b"\xff" * 36
    path.write_bytes(bytes(data))


def test_a_file_that_fails_while_read_is_named_and_nothing_is_left(tmp_path, tiny_model_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a", "b", "c"):
        write(inputs / f"{name}.parquet", [f"{i} pm" for i in range(1, 12)])
    corrupt_first_page(inputs / "b.parquet")
    output = tmp_path / "out" / "part"
    with pytest.raises(Exception) as error:
        run_infer(["--input", str(inputs / "*.parquet"), "--output", str(output),
                   "--model_dir", tiny_model_dir])
    assert str(inputs / "b.parquet") in str(error.value)
    assert str(inputs / "a.parquet") not in str(error.value)
    assert os.listdir(tmp_path / "out") == []  # no shard, no summary, no beam-temp-*


# ------------------------------------------------------- failed runs, reruns

def test_an_unbalanced_run_keeps_the_previous_output_and_writes_no_summary(
        tmp_path, tiny_model_dir, monkeypatch):
    write(tmp_path / "in.parquet", ["7 pm", "noon", "pizza"])
    output = str(tmp_path / "out")
    common = ["--input", str(tmp_path / "in.parquet"), "--output", output,
              "--model_dir", tiny_model_dir]
    run_infer(common)
    before = {name: (tmp_path / name).read_bytes() for name in outputs(output)}

    check_inputs = infer.check_inputs

    def footer_claims_one_row_more(*args):  # as a footer that says 4 rows for 3
        inputs = check_inputs(*args)
        inputs.rows = {path: rows + 1 for path, rows in inputs.rows.items()}
        return inputs

    monkeypatch.setattr(infer, "check_inputs", footer_claims_one_row_more)
    with pytest.raises(RuntimeError, match=r"rows in \(4\) != rows out \(3\)"):
        run_infer(common + ["--num_shards", "2"])
    assert {name: (tmp_path / name).read_bytes() for name in outputs(output)} == before
    assert leftovers(str(tmp_path)) == []


def test_a_rerun_leaves_exactly_its_own_shards_on_any_runner(tmp_path, tiny_model_dir):
    write(tmp_path / "in.parquet", ["7 pm", "noon", "pizza"] * 100)
    output = str(tmp_path / "out")
    common = ["--input", str(tmp_path / "in.parquet"), "--output", output,
              "--model_dir", tiny_model_dir]
    run_infer(common + ["--num_shards", "3"])
    assert len(outputs(output)) == 4
    # What a killed run leaves behind, and a file of the user's under the prefix.
    for stale in ("_staging-out-0123", "beam-temp-out-4567"):
        (tmp_path / stale).mkdir()
        (tmp_path / stale / "part-00000-of-00001.parquet").write_bytes(b"partial")
    (tmp_path / "out-notes.txt").write_text("mine")
    summary = run_infer(common + ["--num_shards", "2"], runner=MULTI_PROCESSING)
    assert outputs(output) == ["out-00000-of-00002.parquet", "out-00001-of-00002.parquet",
                               "out-notes.txt", "out-summary.json"]
    assert [os.path.basename(p) for p in summary["files_written"]] == outputs(output)[:2]
    assert len(read_rows(output)) == summary["rows_in"] == 300
    assert leftovers(str(tmp_path)) == []


def test_generate_into_a_used_directory_leaves_only_the_new_run(tmp_path, monkeypatch):
    from pipeline import generate
    monkeypatch.setattr(generate, "ROWS_PER_TFRECORD_SHARD", 200)  # 3 train shards, then 2
    output = str(tmp_path / "data")
    generate.run(["--output_dir", output, "--num_examples", "700", "--seed", "1"] + LOCAL_RUNNER)
    assert "train-00002-of-00003.tfrecord.gz" in os.listdir(
        os.path.join(output, features.TFRECORD_DIR))
    os.makedirs(os.path.join(output, "_staging-generate-0123"))  # a killed run's
    summary = generate.run(["--output_dir", output, "--num_examples", "300", "--seed", "2"]
                           + LOCAL_RUNNER)
    import tensorflow as tf
    files = sorted(glob.glob(os.path.join(output, features.TFRECORD_DIR, "*")))
    assert [os.path.basename(f) for f in files if "train-" in f] == [
        "train-00000-of-00002.tfrecord.gz", "train-00001-of-00002.tfrecord.gz"]
    for split in features.SPLITS:
        split_files = [f for f in files if os.path.basename(f).startswith(split + "-")]
        records = sum(1 for _ in tf.data.TFRecordDataset(split_files, compression_type="GZIP"))
        assert records == summary["rows_per_split"][split]
    assert sorted(os.listdir(output)) == sorted([features.SUMMARY_FILE, features.TFRECORD_DIR,
                                                 features.TRANSFORM_OUTPUT_DIR])
    assert json.load(open(os.path.join(output, features.SUMMARY_FILE)))["seed"] == 2


# ------------------------------------------------------------------- train

def test_train_refuses_tiny_or_missing_data_before_it_starts(tmp_path, capsys):
    from model import train
    from pipeline import generate
    data = str(tmp_path / "tiny")
    summary = generate.run(["--output_dir", data, "--num_examples", "1"] + LOCAL_RUNNER)
    assert generate.empty_splits(summary)
    model_dir = tmp_path / "model"
    assert train.main(["--data_dir", data, "--model_dir", str(model_dir)]) == 2
    assert f"{data}: the " in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert train.main(["--data_dir", str(empty), "--model_dir", str(model_dir)]) == 2
    assert f"{empty}: no summary.json" in capsys.readouterr().err
    assert not model_dir.exists()


def test_train_publishes_its_export_only_after_evaluation_succeeds(generated_dir, tmp_path,
                                                                   monkeypatch):
    from model import evaluate, train
    model_dir = tmp_path / "model"
    (model_dir / train.SAVED_MODEL_DIR).mkdir(parents=True)
    (model_dir / train.SAVED_MODEL_DIR / "previous").write_text("the last good export")

    def failing_evaluation(argv):
        assert argv[argv.index("--model_dir") + 1].endswith(train.INCOMPLETE_SUFFIX)
        raise RuntimeError("evaluation failed")

    monkeypatch.setattr(evaluate, "run", failing_evaluation)
    with pytest.raises(RuntimeError, match="evaluation failed"):
        train.run(["--data_dir", generated_dir, "--model_dir", str(model_dir), "--epochs", "1",
                   "--embedding_dim", "4", "--encoder_units", "4", "--attention_units", "4",
                   "--decoder_units", "8"])
    assert os.listdir(model_dir / train.SAVED_MODEL_DIR) == ["previous"]
    assert not (model_dir / "train_summary.json").exists()


# ------------------------------------------------------------------- flags

def refused(call, capsys):
    with pytest.raises(SystemExit) as exit_:
        call()
    return exit_.value.code, capsys.readouterr().err


@pytest.mark.parametrize("command", ["generate", "infer", "train", "evaluate", "explain"])
def test_unknown_flags_are_refused_in_every_command(command, capsys):
    from model import evaluate, explain, train
    from pipeline import generate
    calls = {
        "generate": lambda: generate.parse_args(["--output_dir", "x", "--num_exampels", "5"]),
        "infer": lambda: infer.parse_args(["--input", "x", "--output", "y",
                                           "--min_confidance", "0.99"]),
        "train": lambda: train.parse_args(["--data_dir", "x", "--model_dir", "y",
                                           "--epoch", "3"]),
        "evaluate": lambda: evaluate.run(["--model_dir", "x", "--data", "y"]),
        "explain": lambda: explain.main(["7 pm", "--model", "x"]),
    }
    code, err = refused(calls[command], capsys)
    assert code == 2
    assert {"generate": "--num_exampels", "infer": "--min_confidance", "train": "--epoch",
            "evaluate": "--data", "explain": "--model"}[command] in err


def test_beam_flags_still_pass_and_negative_shards_are_refused(capsys):
    beam_flags = ["--runner", "DataflowRunner", "--project=p", "--region", "us-central1",
                  "--temp_location", "gs://b/tmp", "--setup_file", "./setup.py",
                  "--direct_num_workers", "2", "--direct_running_mode", "multi_processing",
                  "--dry_run=True", "--experiments", "use_runner_v2"]
    args, pipeline_args = infer.parse_args(["--input", "x", "--output", "y"] + beam_flags)
    assert pipeline_args == beam_flags
    code, err = refused(lambda: infer.parse_args(["--input", "x", "--output", "y",
                                                  "--num_shards", "-1"]), capsys)
    assert code == 2 and "--num_shards" in err


# ------------------------------------------------------------ model directories

def test_model_dir_is_checked_before_any_work(generated_dir, tmp_path, capsys):
    write(tmp_path / "in.parquet", ["7 pm"])
    not_a_model = tmp_path / "empty_dir"
    not_a_model.mkdir()
    transform_fn = os.path.join(generated_dir, features.TRANSFORM_OUTPUT_DIR, "transform_fn")
    for model_dir, message in ((not_a_model, "not a SavedModel"),
                               (transform_fn, "signature")):
        code = infer.main(["--input", str(tmp_path / "in.parquet"),
                           "--output", str(tmp_path / "out"), "--model_dir", str(model_dir)]
                          + LOCAL_RUNNER)
        err = capsys.readouterr().err
        assert code == 2 and str(model_dir) in err and message in err
        assert len(err) < 1000
    assert outputs(str(tmp_path / "out")) == [] and leftovers(str(tmp_path)) == []


@pytest.mark.skipif(not os.path.isdir(DEFAULT_MODEL_DIR), reason="no shipped model")
def test_shipped_model_matches_its_digests_and_a_damaged_copy_fails(tmp_path):
    integrity.verify_digests()  # `make default-model-digests` after replacing the model
    damaged = tmp_path / "default_model"
    shutil.copytree(DEFAULT_MODEL_DIR, damaged)
    integrity.verify_digests(str(damaged))
    (damaged / integrity.REPORT_SUBDIR / "eval_report.md").write_text("reports may change")
    integrity.verify_digests(str(damaged))
    variables = damaged / "variables" / "variables.data-00000-of-00001"
    data = bytearray(variables.read_bytes())
    data[100] ^= 0xFF
    variables.write_bytes(bytes(data))
    (damaged / "fingerprint.pb").unlink()
    with pytest.raises(integrity.ModelError) as error:
        integrity.verify_digests(str(damaged))
    assert str(damaged) in str(error.value)
    assert "missing fingerprint.pb" in str(error.value)
    assert "changed variables/variables.data-00000-of-00001" in str(error.value)


# ----------------------------------------------------------------- too long

class CleanedLengthModel:
    """Rejects everything; reports the length after the whitespace clean-up,
    as the real transform graph does."""

    def __init__(self):
        self.seen = []

    def __call__(self, texts):
        self.seen.extend(texts)
        n = len(texts)
        offsets = np.full((n, features.MAX_INPUT_LEN), features.NO_OFFSET, np.int64)
        offsets[:, 0] = [len(t) - len(t.lstrip()) for t in texts]
        attention = np.zeros((n, features.OUTPUT_LEN, features.MAX_INPUT_LEN), np.float32)
        attention[:, :, 0] = 1.0
        return {
            features.OUTPUT_TIME_KEY: np.array([""] * n, object),
            features.OUTPUT_REJECTED_KEY: np.ones(n, bool),
            features.OUTPUT_CONFIDENCE_KEY: np.full(n, 0.9, np.float32),
            features.OUTPUT_ATTENTION_KEY: attention,
            features.OUTPUT_OFFSETS_KEY: offsets,
            features.OUTPUT_LENGTH_KEY: np.array([len(" ".join(t.split())) for t in texts]),
        }


def test_too_long_is_measured_after_whitespace_clean_up():
    padded = " " * 2000 + "7 pm" + "\t\n " * 1000
    long_words = "x " * 3000
    _, reason = read_text_column(pa.array([padded, long_words]))
    assert reason[0] == READABLE and reason[1] != READABLE  # too_long without the model
    model = CleanedLengthModel()
    rows = Normalizer(model).normalize_table(pa.table({"text": [padded, long_words]}),
                                             "text").to_pylist()
    assert [(r["status"], r["error"]) for r in rows] == [("rejected", "not_a_time"),
                                                         ("invalid", "too_long")]
    assert model.seen == [padded]
