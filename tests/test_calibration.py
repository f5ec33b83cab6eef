"""Calibrated confidence, the model's own threshold and the garbage rule."""

import glob
import json
import os
import re
import shutil

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import tensorflow as tf

from conftest import LOCAL_RUNNER, char_probs
from model import CALIBRATION_FILE, REPORT_SUBDIR, calibration, reliability
from model.decoding import constrained_decode, decode_scores, label_chars
from pipeline import infer
from schemas import features

VALID_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
ALPHABET = features.OUTPUT_ALPHABET


def test_temperature_moves_confidence_and_never_the_answer():
    probs = tf.constant(char_probs(["07:05", "--:--", "23:59"], 0.9))
    answers = {}
    for temperature in (0.5, 1.0, 2.0):
        time, rejected, confidence = constrained_decode(probs, temperature)
        answers[temperature] = ([t.decode() for t in time.numpy()], confidence.numpy())
    assert all(times == ["07:05", "", "23:59"] for times, _ in answers.values())
    # At temperature 1 the confidence is the joint probability of the answer.
    np.testing.assert_allclose(answers[1.0][1], 0.9 ** 5, rtol=1e-5)
    assert np.all(answers[2.0][1] < answers[1.0][1])   # softer
    assert np.all(answers[0.5][1] > answers[1.0][1])   # sharper


def test_fit_softens_an_over_confident_model_and_sharpens_an_under_confident_one():
    rng = np.random.default_rng(0)
    labels = [f"{h:02d}:{m:02d}" for h, m in zip(rng.integers(0, 24, 90),
                                                  rng.integers(0, 60, 90))]
    labels_chars = np.array([label_chars(label) for label in labels])
    # Over-confident: every answer at 0.99 per character, but a third are
    # wrong (the model says 00:00). Under-confident: 0.6 per character, right
    # nine times in ten.
    said = [label if i % 3 else "00:00" for i, label in enumerate(labels)]
    said_chars = np.array([label_chars(s) for s in said])
    over = np.log(char_probs(said, 0.99))
    over_right = np.array([s == label for s, label in zip(said, labels)])
    under = np.log(char_probs(labels, 0.6))
    under_right = np.arange(len(labels)) % 10 != 0
    t_over = calibration.fit_temperature(over, said_chars, over_right)
    t_under = calibration.fit_temperature(under, labels_chars, under_right)
    assert t_over > 1.2 and t_under < 0.8
    raw = calibration.confidence_at(over, said_chars, 1.0)
    fitted = calibration.confidence_at(over, said_chars, t_over)
    assert raw.mean() > 0.94 and abs(fitted.mean() - over_right.mean()) < 0.05
    np.testing.assert_allclose(
        calibration.confidence_at(under, labels_chars, t_under).mean(), 0.9, atol=0.05)
    ece = [reliability.expected_calibration_error(reliability.reliability_bins(c, over_right))
           for c in (raw, fitted)]
    assert ece[1] < ece[0] / 2
    # The graph computes the same confidence as the fit.
    _, _, graph = constrained_decode(tf.constant(char_probs(said, 0.99)), t_over)
    np.testing.assert_allclose(graph.numpy(), fitted, rtol=1e-4)


def test_threshold_rule_trades_answers_against_silent_errors():
    confidence = np.array([0.99, 0.98, 0.97, 0.95, 0.90, 0.80, 0.60, 0.50, 0.3])
    gives_time = np.array([True] * 8 + [False])
    right = np.array([True, True, True, True, True, False, True, False, False])
    # The wrong answer at 0.80 costs 10; the one right answer below it cannot
    # pay for it: answer down to 0.90.
    assert calibration.choose_threshold(confidence, gives_time, right, cost=10) == 0.9
    # At a cost of 0.5, each right answer pays for the wrong one above it.
    assert calibration.choose_threshold(confidence, gives_time, right, cost=0.5) == 0.6
    # All right: answer everything the model gives a time for.
    assert calibration.choose_threshold(confidence, gives_time, gives_time, cost=10) == 0.5
    # Issue 10's floor: the eval split's time rows stay answered. Eight of the
    # nine rows hold a time; answering 7/8 of them lowers the cut to 0.6.
    holds_time = np.array([True] * 7 + [False, True])
    assert calibration.coverage_cap(confidence, gives_time, holds_time, 0.85) == 0.6
    # 99.2% of them would mean every time the model gives, down to 0.0; but
    # the wrong answer at 0.80 would make 1 row in 9 silently wrong (> 0.5%).
    assert calibration.coverage_cap(confidence, gives_time, holds_time) == 0.0
    assert calibration.silent_error_bound(confidence, gives_time, right) == 0.9
    assert calibration.choose_threshold(confidence, gives_time, right, cost=10,
                                        holds_time=holds_time) == 0.9
    # Allowing one wrong answer in nine: down to 0.6, above the second one.
    assert calibration.silent_error_bound(confidence, gives_time, right, 0.12) == 0.6
    assert calibration.silent_error_bound(confidence, gives_time, gives_time) == 0.0
    assert calibration.coverage_cap(confidence, gives_time, holds_time, 0.5) == 0.95
    # The model rejects the ninth: all eight can never be answered.
    assert calibration.coverage_cap(confidence, gives_time, holds_time, 1.0) == 0.0
    curve = {c["threshold"]: c for c in reliability.coverage_curve(confidence, gives_time,
                                                                   right)}
    assert curve[0.9]["answered"] == pytest.approx(5 / 9)
    assert curve[0.9]["accuracy_of_answered"] == 1.0
    assert curve[0.0]["accuracy_of_answered"] == pytest.approx(6 / 8)


def test_export_carries_temperature_and_threshold_and_rejects_garbage(tiny_model_dir):
    with open(os.path.join(tiny_model_dir, REPORT_SUBDIR, CALIBRATION_FILE)) as handle:
        record = json.load(handle)
    assert 0 <= record["threshold"] <= 1 and record["fitted_on"] == features.EVAL_SPLIT
    assert record["eval_rows"] > 0 and record["eval_ece"]["after"] >= 0
    loaded = tf.saved_model.load(tiny_model_dir)
    assert loaded.temperature.numpy() == pytest.approx(record["temperature"], rel=1e-5)
    garbage = ["?!.,;:", "١٢:٣٠", "—…", " \t", "\u00bd"]
    out = loaded.signatures[features.SERVING_SIGNATURE](
        text=tf.constant(garbage + ["7:05 pm"]))
    assert out[features.OUTPUT_REJECTED_KEY].numpy()[:len(garbage)].all()
    assert [t.decode() for t in out[features.OUTPUT_TIME_KEY].numpy()[:len(garbage)]] == \
        [""] * len(garbage)
    np.testing.assert_allclose(out[features.OUTPUT_CONFIDENCE_KEY].numpy()[:len(garbage)], 1.0)


# ------------------------------------------------- the threshold in pipeline.infer

@pytest.fixture(scope="module")
def strict_model_dir(tiny_model_dir, tmp_path_factory):
    """The tiny model with a recommended threshold of 1: every time it gives
    is below it."""
    model_dir = str(tmp_path_factory.mktemp("strict") / "saved_model")
    shutil.copytree(tiny_model_dir, model_dir)
    path = os.path.join(model_dir, REPORT_SUBDIR, CALIBRATION_FILE)
    with open(path) as handle:
        record = json.load(handle)
    with open(path, "w") as handle:
        json.dump(dict(record, threshold=1.0), handle)
    return model_dir


@pytest.fixture(scope="module")
def phrases(tmp_path_factory):
    path = tmp_path_factory.mktemp("phrases") / "phrases.parquet"
    texts = ["quarter past 3 pm", "7:05", "1910 hrs", "noon", "t23.11", "?!.,;:"]
    pq.write_table(pa.table({"id": list(range(len(texts))), "text": texts}), path)
    return str(path)


def infer_rows(phrases, model_dir, output, flags=()):
    summary = infer.run(["--input", phrases, "--output", output, "--model_dir", model_dir,
                         *flags] + LOCAL_RUNNER)
    table = pq.read_table(sorted(glob.glob(output + "-*.parquet")))
    return summary, sorted(table.to_pylist(), key=lambda row: row["id"])


def test_infer_runs_at_the_models_threshold_unless_told_otherwise(strict_model_dir, phrases,
                                                                  tmp_path):
    summary, rows = infer_rows(phrases, strict_model_dir, str(tmp_path / "default"))
    assert summary["min_confidence"] == {"value": 1.0,
                                         "source": "the model's recommended threshold"}
    given_times = [row for row in rows if row["candidate_time"] is not None]
    assert given_times, "the tiny model gave no time at all"
    for row in rows:
        assert row["status"] != "ok" and row["time"] is None
        if row["candidate_time"] is not None:
            assert (row["status"], row["error"]) == ("rejected", "low_confidence")
            assert VALID_TIME.match(row["candidate_time"]) and row["confidence"] < 1
    assert rows[-1]["error"] == "not_a_time" and rows[-1]["confidence"] == 1.0  # "?!.,;:"

    # --min_confidence 0 turns abstention off: the same candidates, now answers.
    summary, off = infer_rows(phrases, strict_model_dir, str(tmp_path / "off"),
                              ["--min_confidence", "0"])
    assert summary["min_confidence"] == {"value": 0.0, "source": "--min_confidence"}
    assert [(row["time"], row["status"], row["candidate_time"]) for row in off] == [
        (row["candidate_time"], "ok", None) if row["candidate_time"] else
        (None, row["status"], None) for row in rows]

    # An explicit value overrides the model's: rows split at that confidence.
    middle = float(np.median([row["confidence"] for row in given_times]))
    summary, explicit = infer_rows(phrases, strict_model_dir, str(tmp_path / "explicit"),
                                   ["--min_confidence", str(middle)])
    assert summary["min_confidence"]["value"] == middle
    for row, base in zip(explicit, off):
        if base["status"] == "ok":
            assert (row["status"] == "ok") == (base["confidence"] >= middle)
            assert (row["time"] or row["candidate_time"]) == base["time"]


def test_explain_prints_the_threshold_and_the_verdict(strict_model_dir, capsys):
    from model import explain
    assert explain.main(["quarter past 3 pm", "--model_dir", strict_model_dir]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "threshold: 1 (the model's)" in first
    assert re.search(r"status: (low_confidence \(candidate \d\d:\d\d\)|rejected)", first)
    explain.main(["quarter past 3 pm", "--model_dir", strict_model_dir, "--min_confidence", "0"])
    first = capsys.readouterr().out.splitlines()[0]
    assert "threshold: 0 (--min_confidence)" in first and "low_confidence" not in first


def test_describe_gives_the_verdict_at_the_threshold():
    from model.explain import describe
    outputs = {features.OUTPUT_TIME_KEY: np.array(["15:15", ""], object),
               features.OUTPUT_REJECTED_KEY: np.array([False, True]),
               features.OUTPUT_CONFIDENCE_KEY: np.array([0.8, 0.99], np.float32)}
    assert describe("x", outputs, 0, 0.9, "the model's").startswith(
        "time: -   status: low_confidence (candidate 15:15)   confidence: 0.8000   "
        "threshold: 0.9 (the model's)")
    assert describe("x", outputs, 0, 0.5).startswith("time: 15:15   status: ok")
    assert describe("x", outputs, 1, 0.999).startswith("time: -   status: rejected")


def test_every_scored_set_gets_calibration_and_abstention_figures(tiny_model_dir,
                                                                  generated_dir, tmp_path):
    from model import evaluate
    report = evaluate.run(["--model_dir", tiny_model_dir, "--data_dir", generated_dir,
                           "--report_dir", str(tmp_path)])
    threshold = tf.io.gfile.GFile(os.path.join(tiny_model_dir, REPORT_SUBDIR,
                                               CALIBRATION_FILE)).read()
    assert len(report["sets"]) >= 2
    for name, part in report["sets"].items():
        assert part["threshold"] == json.loads(threshold)["threshold"]
        assert 0 <= part["expected_calibration_error"] <= 1
        assert 0 <= part["silent_errors"] <= part["answered_ok"] <= 1
        assert 0 <= part["time_rows_answered_right"] <= part["time_rows_answered_ok"] <= 1
        assert sum(b["rows"] for b in part["reliability"]) == part["rows"]
        shares = [point["answered"] for point in part["coverage_curve"]]
        assert shares == sorted(shares, reverse=True)  # the higher the threshold, the fewer
        assert os.path.getsize(tmp_path / report["reliability_diagrams"][name]) > 1000
    markdown = (tmp_path / "eval_report.md").read_text()
    assert "expected calibration error" in markdown and "ok with a wrong time" in markdown


def test_reexport_from_the_checkpoint_replaces_the_export(tiny_model_dir, generated_dir,
                                                          tmp_path):
    from model import export
    train_dir = tmp_path / "train"
    shutil.copytree(os.path.join(os.path.dirname(tiny_model_dir), "checkpoints"),
                    train_dir / "checkpoints")
    (train_dir / "saved_model").mkdir()
    (train_dir / "saved_model" / "stale").write_text("from an earlier export")
    record = export.run(["--model_dir", str(train_dir), "--data_dir", generated_dir,
                         "--skip_evaluation"])
    exported = train_dir / "saved_model"
    assert not (exported / "stale").exists() and not glob.glob(str(exported) + ".*")
    with open(exported / REPORT_SUBDIR / CALIBRATION_FILE) as handle:
        assert json.load(handle) == record
    with open(os.path.join(tiny_model_dir, REPORT_SUBDIR, CALIBRATION_FILE)) as handle:
        assert json.load(handle)["temperature"] == pytest.approx(record["temperature"])
    loaded = tf.saved_model.load(str(exported))
    out = loaded.signatures[features.SERVING_SIGNATURE](text=tf.constant(["7:05 pm"]))
    assert 0 < out[features.OUTPUT_CONFIDENCE_KEY].numpy()[0] <= 1


# ---------------------------------------------------------------- two networks

def test_second_network_rereads_only_the_strings_the_first_is_unsure_of():
    from model import network
    from model.export import ServingModule

    width = 6
    first_chars = char_probs(["07:05", "12:30", "--:--"], sharpness=0.999)
    first_chars[1] = char_probs(["12:30"], sharpness=0.6)[0]  # unsure: 0.6 ** 5 < 0.99
    first = {"chars": tf.constant(first_chars),
             "attention": tf.fill([3, features.OUTPUT_LEN, width], 1.0 / width)}
    second_chars = char_probs(["13:30"], sharpness=0.9)
    seen = []

    def second_network(char_ids, training=False):
        seen.append(char_ids.numpy())
        return {"chars": tf.constant(second_chars),
                "attention": tf.one_hot(tf.zeros([1, features.OUTPUT_LEN], tf.int32), width)}

    module = ServingModule(network=None, transform_layer=None, recheck_network=second_network,
                           recheck_below=0.95)
    char_ids = tf.constant([[1] * width, [2] * width, [3] * width])
    out = module.recheck(char_ids, first)
    np.testing.assert_array_equal(seen[0], [[2] * width])  # the unsure row only
    np.testing.assert_array_equal(out["rechecked"].numpy(), [False, True, False])
    chars = out["chars"].numpy()
    np.testing.assert_allclose(chars[[0, 2]], first_chars[[0, 2]], rtol=1e-6)
    mean = np.sqrt(first_chars[1] * second_chars[0])
    np.testing.assert_allclose(chars[1], mean / mean.sum(-1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(chars.sum(-1), 1.0, rtol=1e-5)
    # The hour's second digit: 2 at 0.6 (first) against 3 at 0.9 (second).
    assert ALPHABET[chars[1, 1].argmax()] == "3" and ALPHABET[chars[1, 4].argmax()] == "0"
    attention = out["attention"].numpy()
    np.testing.assert_allclose(attention[1, :, 0], (1 / width + 1) / 2, rtol=1e-6)
    np.testing.assert_allclose(attention[1].sum(-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(attention[0], 1.0 / width, rtol=1e-6)
    # Only the re-read row is decoded again, yet every row's scores are those
    # of its final characters.
    for got, want in zip(out["scores"], decode_scores(out["chars"])):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)

    # A batch the first network is sure of never runs the second (a real,
    # tiny network: it must take an empty batch).
    tiny = network.build_model(network.HParams(embedding_dim=4, encoder_units=4,
                                               attention_units=4, decoder_units=8,
                                               char_vocab_size=8))
    module = ServingModule(network=None, transform_layer=None, recheck_network=tiny,
                           recheck_below=0.95)
    sure = {"chars": tf.constant(char_probs(["07:05"], sharpness=0.9999)),
            "attention": tf.fill([1, features.OUTPUT_LEN, width], 1.0 / width)}
    out = module.recheck(char_ids[:1], sure)
    assert not out["rechecked"].numpy().any()
    np.testing.assert_allclose(out["chars"].numpy(), sure["chars"].numpy())

    # A bound above 1 sends even that string through both networks, and they
    # answer together.
    module = ServingModule(network=None, transform_layer=None, recheck_network=tiny,
                           recheck_below=1.01)
    out = module.recheck(char_ids[:1], sure)
    assert out["rechecked"].numpy().all()
    second = tiny(char_ids[:1], training=False)["chars"].numpy()
    mean = np.sqrt(sure["chars"].numpy() * second)
    np.testing.assert_allclose(out["chars"].numpy(), mean / mean.sum(-1, keepdims=True),
                               rtol=1e-4)


def test_export_with_a_second_network_serves_and_calibrates_through_both(
        tiny_model_dir, generated_dir, tmp_path):
    from model import export
    train_dir = os.path.dirname(tiny_model_dir)
    export_dir = str(tmp_path / "two")
    record = export.run(["--model_dir", train_dir, "--recheck_model_dir", train_dir,
                         "--data_dir", generated_dir, "--export_dir", export_dir,
                         "--skip_evaluation"])
    assert record["recheck_below"] == features.RECHECK_BELOW
    assert 0 < record["eval_rechecked"] <= 1  # a tiny model is unsure of many strings
    two = tf.saved_model.load(export_dir)
    one = tf.saved_model.load(tiny_model_dir)
    assert two.recheck_network is not None
    # The same network twice: its geometric mean is itself, so the export
    # answers as the single one does, row for row, whichever rows went twice.
    texts = tf.constant(["quarter past 3 pm", "7:05", "pizza", "1910 hrs", "?!", "t23.11"])
    out_two = two.signatures[features.SERVING_SIGNATURE](text=texts)
    out_one = one.signatures[features.SERVING_SIGNATURE](text=texts)
    np.testing.assert_array_equal(out_two[features.OUTPUT_TIME_KEY].numpy(),
                                  out_one[features.OUTPUT_TIME_KEY].numpy())
    np.testing.assert_allclose(out_two[features.OUTPUT_ATTENTION_KEY].numpy(),
                               out_one[features.OUTPUT_ATTENTION_KEY].numpy(), atol=1e-5)
    assert record["temperature"] == pytest.approx(float(one.temperature.numpy()), rel=1e-3)
