"""The network, constrained decoding and the hermetic export (tiny models only)."""

import json
import os
import shutil

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import char_probs, run_python
from model import network
from model.decoding import (REJECT_INDEX, answer_label, constrained_decode, decode_scores,
                            label_chars)
from schemas import features

ALPHABET = features.OUTPUT_ALPHABET


def decode(probs):
    time, rejected, confidence = constrained_decode(tf.constant(probs))
    return [t.decode() for t in time.numpy()], list(rejected.numpy()), confidence.numpy()


def test_decoding_emits_only_valid_times():
    # "29:75" is the per-character argmax, but not a time; the best valid time
    # under the same probabilities must come out instead.
    probs = char_probs(["29:75"], sharpness=0.5)
    probs[0, 0, ALPHABET.index("1")] = 0.4   # second choice for the first digit
    probs[0, 3, ALPHABET.index("4")] = 0.45  # second choice for the minutes' tens
    time, rejected, confidence = decode(probs)
    assert time == ["19:45"] and rejected == [False]
    assert 0 < confidence[0] < 1


def test_decoding_rejects_the_reject_label_and_keeps_sure_times():
    time, rejected, confidence = decode(char_probs(["--:--", "07:05", "23:59"]))
    assert time == ["", "07:05", "23:59"]
    assert rejected == [True, False, False]
    np.testing.assert_allclose(confidence, 0.9 ** 5, rtol=1e-5)


def test_decoding_picks_what_scoring_all_1441_answers_would():
    # The decoder scores hours and minutes apart (model/decoding.py); on random
    # and on sharp distributions it must pick the answer, and the score, that
    # an argmax over every valid time and the reject label picks.
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.full(len(ALPHABET), 0.3), size=(512, features.OUTPUT_LEN))
    probs = np.concatenate([probs, char_probs(["--:--", "00:00", "23:59", "12:07"])])
    probs = probs.astype(np.float32)
    log_probs, best, score = (t.numpy() for t in decode_scores(tf.constant(probs)))
    answers = [answer_label(i) for i in range(REJECT_INDEX + 1)]
    chars = np.array([label_chars(a) for a in answers])                       # [1441, 5]
    every = log_probs[:, np.arange(features.OUTPUT_LEN), chars].sum(-1)       # [b, 1441]
    np.testing.assert_array_equal(best, every.argmax(1))
    np.testing.assert_allclose(score, every.max(1), rtol=1e-6, atol=1e-6)
    assert [answer_label(i) for i in best[-4:]] == ["--:--", "00:00", "23:59", "12:07"]


def test_network_shapes_and_attention_over_real_characters_only():
    model = network.build_model(network.HParams(char_vocab_size=20, embedding_dim=4,
                                                encoder_units=4, attention_units=4,
                                                decoder_units=8))
    ids = np.array([[3, 4, 5, 0, 0, 0], [6, 7, 8, 9, 10, 11]], np.int32)
    outputs = model(ids)
    assert outputs["chars"].shape == (2, features.OUTPUT_LEN, len(ALPHABET))
    attention = np.asarray(outputs["attention"])
    assert attention.shape == (2, features.OUTPUT_LEN, 6)
    np.testing.assert_allclose(attention.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(attention[0, :, 3:], 0.0, atol=1e-7)


def test_custom_layers_save_and_load_in_safe_mode(tmp_path):
    model = network.build_model(network.HParams(char_vocab_size=20, embedding_dim=4,
                                                encoder_units=4, attention_units=4,
                                                decoder_units=8))
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path, safe_mode=True)
    ids = np.array([[3, 4, 5, 0]], np.int32)
    np.testing.assert_allclose(loaded(ids)["chars"], model(ids)["chars"], rtol=1e-6)
    assert loaded.get_layer("decoder").get_config()["attention_units"] == 4


def test_export_is_hermetic_and_loads_without_tensorflow_transform(tiny_model_dir,
                                                                    generated_dir, tmp_path):
    # Copy the export away and hide the training data and transform output,
    # then prove it needs nothing else: a fresh process that never imports
    # tensorflow_transform loads it and reads raw strings.
    exported = str(tmp_path / "exported")
    shutil.copytree(tiny_model_dir, exported)
    hidden = str(tmp_path / "hidden_data")
    os.rename(generated_dir, hidden)
    try:
        result = load_in_fresh_process(exported)
    finally:
        os.rename(hidden, generated_dir)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["tft"] is False
    assert out["keys"] == sorted([features.OUTPUT_TIME_KEY, features.OUTPUT_REJECTED_KEY,
                                  features.OUTPUT_CONFIDENCE_KEY, features.OUTPUT_ATTENTION_KEY,
                                  features.OUTPUT_OFFSETS_KEY, features.OUTPUT_LENGTH_KEY])
    assert out["attention"] == [3, features.OUTPUT_LEN, features.MAX_INPUT_LEN]
    assert out["lengths"] == [7, 5, 0]
    np.testing.assert_allclose(out["sums"][:2], 1.0, rtol=1e-4)
    assert all(0 <= c <= 1 for c in out["confidence"])
    assert all(t == "" or (len(t) == 5 and t[2] == ":" and int(t[:2]) < 24 and int(t[3:]) < 60)
               for t in out["times"])


def load_in_fresh_process(exported):
    script = (
        "import json, sys, tensorflow as tf\n"
        f"m = tf.saved_model.load({exported!r})\n"
        "out = m.signatures['serving_default'](text=tf.constant(['7:05 pm', '  pizza ', '']))\n"
        "print(json.dumps({'keys': sorted(out), 'times': [t.decode() for t in out['time'].numpy()],"
        " 'attention': out['attention'].shape.as_list(),"
        " 'sums': out['attention'].numpy().sum(-1).tolist(),"
        " 'lengths': out['input_length'].numpy().tolist(),"
        " 'confidence': out['confidence'].numpy().tolist(),"
        " 'tft': 'tensorflow_transform' in sys.modules}))\n")
    return run_python(["-c", script], timeout=300)


def test_evaluate_writes_reports_and_heatmaps(tiny_model_dir, generated_dir, tmp_path):
    from model import evaluate
    external = tmp_path / "external.tsv"  # the external set's layout, our own phrases
    external.write_text("text\tlabel\tsource\n7:05 pm\t19:05\tparser_a:tests/x.txt\n"
                        "pizza\tREJECT\tparser_b:spec.json\n")
    sets = [("hand-written", evaluate.HANDWRITTEN_FILE),
            ("real columns", evaluate.DEFAULT_SETS[2][1]), ("absent", str(tmp_path / "no.tsv"))]
    report = evaluate.evaluate(tiny_model_dir, generated_dir, sets, str(tmp_path), str(external),
                               published_as="out/model/saved_model")
    assert report["model_dir"] == "out/model/saved_model"  # model.export: not its staging dir
    hand = report["sets"]["hand-written"]
    assert hand["rows"] >= 220 and hand["invalid_times_emitted"] == 0
    families = {row["family"] for row in evaluate.read_labelled_set(evaluate.HANDWRITTEN_FILE)}
    assert set(hand["exact_match_per_family"]) == families
    real = report["sets"]["real columns"]
    assert real["rows"] >= 400 and {"medical", "log", "chat"} <= set(real["rows_per_family"])
    assert "absent" not in report["sets"]
    assert report["not_found"] == {"absent": str(tmp_path / "no.tsv")}  # named, not silent
    outside = report["sets"][evaluate.EXTERNAL_SET]
    assert outside["rows_per_family"] == {"parser_a": 1, "parser_b": 1}
    assert outside["commonest_errors"] == []  # never quoted in our reports
    text = (tmp_path / "eval_report.md").read_text()
    assert text.startswith("# Evaluation of `out/model/saved_model`")
    external_part = text.split("## external")[1]
    assert "7:05 pm" not in external_part and "- not listed:" in external_part
    assert f"## Not scored: file not found\n\n- absent: `{tmp_path / 'no.tsv'}`" in text
    assert len(list(tmp_path.glob("attention_*.png"))) == len(families)


def test_explain_prints_time_status_and_heatmap(tiny_model_dir, tmp_path):
    png = str(tmp_path / "heat.png")
    result = run_python(["-m", "model.explain", "quarter past 3 pm", "--model_dir",
                         tiny_model_dir, "--png", png], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0].startswith("time: ") and "status: " in lines[0] and "confidence: " in lines[0]
    assert lines[1].strip() == "quarter past 3 pm"
    assert len(lines[2]) == len(lines[1]) and len(lines) >= 7
    assert os.path.getsize(png) > 1000


def test_labelled_sets_skip_only_the_leading_comments(tmp_path):
    from model import evaluate
    path = tmp_path / "set.tsv"
    path.write_text("# a comment\n# another\ntext\tlabel\tcategory\n7:05 pm\t19:05\tchat\n"
                    "#VALUE!\t--:--\texport\n", encoding="utf-8")
    rows = evaluate.read_labelled_set(str(path))
    assert [(r["text"], r["label"], r["family"]) for r in rows] == [
        ("7:05 pm", "19:05", "chat"), ("#VALUE!", "--:--", "export")]


def test_annealed_rate_falls_from_the_base_rate_to_a_twentieth_over_the_budget():
    from model.train import TimeLimit
    limit = TimeLimit(minutes=10, anneal=True, base_rate=0.004)
    rates = [limit.learning_rate(seconds) for seconds in (0, 150, 300, 450, 600, 900)]
    assert rates[0] == pytest.approx(0.004)
    assert rates[2] == pytest.approx(0.004 * (0.05 + 0.95 / 2))
    assert rates[4] == rates[5] == pytest.approx(0.004 / 20)
    assert all(a > b for a, b in zip(rates[:5], rates[1:5]))


def test_an_annealed_budget_ends_the_epoch_it_runs_out_in():
    from model.train import TimeLimit
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.004), loss="mse")
    limit = TimeLimit(minutes=1, anneal=True, base_rate=0.004)
    limit.set_model(model)
    limit.on_train_begin()
    limit.on_train_batch_begin(0)
    assert not model.stop_training
    limit._started -= 61  # the budget ran out during the epoch
    limit.on_train_batch_begin(19)  # between two updates: nothing yet
    assert not model.stop_training
    limit.on_train_batch_begin(20)
    assert model.stop_training
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.004 / 20)


def test_each_pass_batches_every_row_once_within_one_length_bucket():
    from model.train import _LENGTH_BOUNDARIES, batch_rows
    lengths = np.random.default_rng(0).integers(1, features.MAX_INPUT_LEN + 1, 5000)
    bucket = np.searchsorted(_LENGTH_BOUNDARIES, lengths, side="left")
    rng = np.random.default_rng(42)
    passes = [batch_rows(lengths, 64, rng) for _ in range(2)] + [batch_rows(lengths, 64, None)]
    for batches in passes:
        rows = np.concatenate(batches)
        assert sorted(rows) == list(range(5000))
        assert all(1 <= len(b) <= 64 and len(set(bucket[b])) == 1 for b in batches)
    first, second, _ = passes
    assert [list(b) for b in first] != [list(b) for b in second]  # a fresh order each pass
    again = batch_rows(lengths, 64, np.random.default_rng(42))
    assert [list(b) for b in again] == [list(b) for b in first]  # and the same for a seed


def test_a_shuffled_pass_holds_as_many_batches_as_a_plain_one(monkeypatch):
    # Windows leave a short batch per bucket each; joined, every pass has the
    # plain pass's count, so Keras is told an epoch's length, never guesses it.
    from model import train
    monkeypatch.setattr(train, "_SHUFFLE_WINDOW", 700)
    lengths = np.random.default_rng(1).integers(1, features.MAX_INPUT_LEN + 1, 5000)
    bucket = np.searchsorted(train._LENGTH_BOUNDARIES, lengths, side="left")
    plain = len(train.batch_rows(lengths, 64, None))
    rng = np.random.default_rng(3)
    for _ in range(3):
        batches = train.batch_rows(lengths, 64, rng)
        assert len(batches) == plain
        assert sorted(np.concatenate(batches)) == list(range(5000))
        assert all(1 <= len(b) <= 64 and len(set(bucket[b])) == 1 for b in batches)


def test_batches_are_as_wide_as_their_longest_phrase(generated_dir):
    from model import train
    arrays = train.load_split(generated_dir, features.EVAL_SPLIT)
    rows = len(arrays[features.INPUT_LENGTH_KEY])
    assert arrays[features.CHAR_IDS_KEY].shape == (rows, features.MAX_INPUT_LEN)
    assert arrays[features.LABEL_IDS_KEY].shape == (rows, features.OUTPUT_LEN)
    seen, batches = 0, 0
    plain_pass = train.make_dataset(generated_dir, features.EVAL_SPLIT, 16, shuffle=False, seed=0)
    for char_ids, labels in plain_pass:
        batches += 1
        assert char_ids.dtype == labels.dtype == tf.int32
        assert labels.shape[1] == features.OUTPUT_LEN
        real = tf.reduce_sum(tf.cast(char_ids != features.PAD_ID, tf.int32), axis=1)
        assert int(tf.reduce_max(real)) == char_ids.shape[1]  # no all-padding column
        seen += int(char_ids.shape[0])
    assert seen == rows
    # A pass says how long it is: Keras need not run out of data to learn it.
    assert int(plain_pass.cardinality()) == batches
    assert int(train.make_dataset(generated_dir, features.EVAL_SPLIT, 16, shuffle=True,
                                  seed=1).cardinality()) == batches
    # Shuffled, a pass still holds every row once (the same multiset of
    # labels), in another order; endless, the passes go on.
    def label_rows(dataset):
        return [tuple(row) for _, labels in dataset for row in labels.numpy()]
    shuffled = label_rows(train.make_dataset(generated_dir, features.EVAL_SPLIT, 16,
                                             shuffle=True, seed=1))
    plain = label_rows(train.make_dataset(generated_dir, features.EVAL_SPLIT, 16,
                                          shuffle=False, seed=0))
    assert sorted(shuffled) == sorted(plain) and shuffled != plain
    endless = train.make_dataset(generated_dir, features.EVAL_SPLIT, 16, shuffle=True,
                                 seed=1, endless=True)
    assert sum(int(c.shape[0]) for c, _ in endless.take(3 * (rows // 16 + 10))) > 2 * rows


def test_an_annealed_run_trains_to_its_budget_and_exports(generated_dir, tmp_path, capsys):
    from model import train
    with pytest.raises(SystemExit):
        train.parse_args(["--data_dir", "x", "--model_dir", "y", "--anneal"])
    assert "--max_minutes" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        train.parse_args(["--data_dir", "x", "--model_dir", "y", "--rows_per_epoch", "-5"])
    assert "--rows_per_epoch must be 0 or more" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        train.parse_args(["--data_dir", "x", "--model_dir", "y", "--cpu_threads", "-1"])
    assert "--cpu_threads must be 0 or more" in capsys.readouterr().err
    model_dir = tmp_path / "model"
    summary = train.run(["--data_dir", generated_dir, "--model_dir", str(model_dir),
                         "--anneal", "--max_minutes", "0.02", "--epochs", "50",
                         "--rows_per_epoch", "128", "--batch_size", "64", "--skip_evaluation",
                         "--embedding_dim", "4", "--encoder_units", "4",
                         "--attention_units", "4", "--decoder_units", "8"])
    assert 1 <= summary["epochs_run"] < 50  # the budget, not --epochs, ended it
    assert (model_dir / train.SAVED_MODEL_DIR / "saved_model.pb").exists()


def test_ema_checkpoints_the_moving_average_not_the_last_weights(generated_dir, tmp_path,
                                                                 capsys):
    """At a momentum near 1 the average of ten steps is still about the
    weights after the first, so the EMA checkpoint stays near the initial
    weights while the plain run's last weights move on."""
    from model import CHECKPOINT_FILE, train
    with pytest.raises(SystemExit):
        train.parse_args(["--data_dir", "x", "--model_dir", "y", "--ema_momentum", "1"])
    assert "--ema_momentum must be in [0, 1)" in capsys.readouterr().err
    sizes = ["--embedding_dim", "4", "--encoder_units", "4", "--attention_units", "4",
             "--decoder_units", "8"]
    keras.utils.set_random_seed(7)
    full = network.build_model(network.HParams(
        embedding_dim=4, encoder_units=4, attention_units=4, decoder_units=8,
        char_vocab_size=train.char_vocab_size(generated_dir)))
    initial = keras.Model(full.input, full.output["chars"]).get_weights()

    def moved(*extra):
        model_dir = tmp_path / ("ema" if extra else "plain")
        train.run(["--data_dir", generated_dir, "--model_dir", str(model_dir), "--epochs", "1",
                   "--rows_per_epoch", "640", "--batch_size", "64", "--seed", "7",
                   "--learning_rate", "0.01", "--skip_evaluation", *sizes, *extra])
        weights = keras.models.load_model(str(model_dir / CHECKPOINT_FILE),
                                          compile=False).get_weights()
        assert [w.shape for w in weights] == [w.shape for w in initial]
        return sum(float(np.abs(w - w0).sum()) for w, w0 in zip(weights, initial))

    plain, averaged = moved(), moved("--ema_momentum", "0.99999")
    assert 0 < averaged < plain / 3


def test_cpu_threads_apply_in_a_fresh_process_only():
    script = ("import tensorflow as tf\n"
              "from model import train\n"
              "assert train.limit_threads(1)\n"
              "assert tf.config.threading.get_intra_op_parallelism_threads() == 1\n"
              "assert tf.config.threading.get_inter_op_parallelism_threads() == 1\n"
              "tf.constant(1.0) + 1.0\n"
              "assert not train.limit_threads(2)  # ops ran: too late, said and survived\n"
              "print('ok')\n")
    result = run_python(["-c", script])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
    assert "--cpu_threads 2 not applied" in result.stderr


def test_warm_start_carries_the_embedding_over_character_by_character():
    from model.warm_start import embedding_rows
    # source ids: PAD 0, a 1, b 2, c 3, OOV 4; the target reorders them, drops c, adds d
    rows = embedding_rows([b"a", b"b", b"c"], [b"b", b"d", b"a"])
    assert rows.tolist() == [0, 2, 4, 1, 4]  # PAD, b, d (new: OOV), a, OOV


def test_a_warm_started_network_answers_as_the_exported_one_before_training(tiny_model_dir,
                                                                            generated_dir):
    """On another vocabulary (reordered, one character new) the warm-started
    network gives the exported network's outputs for the same characters."""
    from model import train, warm_start
    hparams = network.HParams(embedding_dim=8, encoder_units=16, attention_units=16,
                              decoder_units=32, char_vocab_size=train.char_vocab_size(generated_dir))
    source_vocabulary = train.char_vocabulary(generated_dir)
    source = network.build_model(hparams)
    warm_start.warm_start(source, hparams, tiny_model_dir, "network", source_vocabulary)
    target_vocabulary = [b"new"] + source_vocabulary[::-1]  # a token the source lacks first
    target = network.build_model(network.HParams(
        **{**vars(hparams),
           "char_vocab_size": features.char_embedding_rows(len(target_vocabulary))}))
    carried = warm_start.warm_start(target, hparams, tiny_model_dir, "network", target_vocabulary)
    assert carried["characters_new"] == 1
    assert carried["characters_shared"] == len(source_vocabulary)
    tokens = np.random.RandomState(0).randint(0, len(source_vocabulary), size=(6, 12))
    source_ids = tokens + 1
    target_ids = np.array([[target_vocabulary.index(source_vocabulary[t]) + 1 for t in row]
                           for row in tokens])
    source_ids[:, -3:] = target_ids[:, -3:] = features.PAD_ID  # padding maps to padding
    np.testing.assert_allclose(target(target_ids)["chars"], source(source_ids)["chars"],
                               atol=1e-6)
    # a character neither knows is read as the old out-of-vocabulary id
    source_ids[:, 0], target_ids[:, 0] = len(source_vocabulary) + 1, 1
    np.testing.assert_allclose(target(target_ids)["chars"], source(source_ids)["chars"],
                               atol=1e-6)


def test_warm_start_refuses_other_sizes_and_a_directory_that_is_no_export(
        tiny_model_dir, generated_dir, tmp_path):
    from model import train
    common = ["--data_dir", generated_dir, "--model_dir", str(tmp_path / "m"), "--epochs", "1",
              "--skip_evaluation", "--embedding_dim", "8", "--attention_units", "16",
              "--decoder_units", "32"]
    result = run_python(["-m", "model.train", *common, "--encoder_units", "12",
                         "--warm_start_from", tiny_model_dir])
    assert result.returncode == 2, result.stderr[-2000:]
    assert f"model.train: {tiny_model_dir}: its network does not fit" in result.stderr
    result = run_python(["-m", "model.train", *common, "--encoder_units", "16",
                         "--warm_start_from", str(tmp_path)])
    assert result.returncode == 2
    assert f"model.train: {tmp_path}: not an exported timenorm model" in result.stderr
    # the right sizes train on from the exported weights
    summary = train.run([*common, "--encoder_units", "16", "--rows_per_epoch", "256",
                         "--batch_size", "64", "--warm_start_from", tiny_model_dir])
    assert summary["warm_start"]["network"] == "network"
    assert summary["warm_start"]["characters_new"] == 0
