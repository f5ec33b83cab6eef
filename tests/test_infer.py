"""The infer job: the DoFn on in-memory rows with a fake model, bad inputs end
to end with a real tiny model, and the runners (multi-processing, portable,
Dataflow graph)."""

import gc
import glob
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import LOCAL_RUNNER, ROOT, run_python
from pipeline import infer
from model.normalizer import Normalizer
from model.spans import attention_spans, span_texts, split_spans
from pipeline.normalize import LoadSavedModel, NormalizeTimesFn
from pipeline.parquet_io import InputError, ParquetSink
from schemas import features, parquet

FAKE_TIMES = {"7 pm": "19:00", "noon": "12:00", "quarter past 3 pm": "15:15"}
TOO_LONG = "x" * (features.MAX_INPUT_LEN + 6)  # the model says so (its input_length)


class FakeModel:
    """Knows three phrases; rejects the rest. Attends to the first character
    for the hours and the last for the minutes. Counts the strings it sees."""

    def __init__(self):
        self.seen = []

    def __call__(self, texts):
        self.seen.extend(texts)
        n = len(texts)
        attention = np.zeros((n, features.OUTPUT_LEN, features.MAX_INPUT_LEN), np.float32)
        offsets = np.full((n, features.MAX_INPUT_LEN), features.NO_OFFSET, np.int64)
        for row, text in enumerate(texts):
            length = min(len(text), features.MAX_INPUT_LEN)
            offsets[row, :length] = np.arange(length)
            attention[row, :2, 0] = 1.0
            attention[row, 2:, length - 1] = 1.0
        times = [FAKE_TIMES.get(text, "") for text in texts]
        return {
            features.OUTPUT_TIME_KEY: np.array(times, object),
            features.OUTPUT_REJECTED_KEY: np.array([t == "" for t in times]),
            features.OUTPUT_CONFIDENCE_KEY: np.array(
                [0.3 if t == "12:00" else 0.9 for t in times], np.float32),
            features.OUTPUT_ATTENTION_KEY: attention,
            features.OUTPUT_OFFSETS_KEY: offsets,
            features.OUTPUT_LENGTH_KEY: np.array([len(t) for t in texts], np.int64),
        }


class make_fn:
    """The infer job's normalizer over `model`: tables in, tables out."""

    def __init__(self, model, model_threads=0, **kwargs):
        self._normalizer = Normalizer(model, calls=model_threads, **kwargs)

    def normalize(self, table):
        return self._normalizer.normalize_table(table, "text")


def test_normalize_gives_exact_rows_for_every_status():
    model = FakeModel()
    table = pa.table({"id": [1, 2, 3, 4, 5, 6, 7], "text": [
        "7 pm", None, "   ", "pizza", "noon", "7 pm", TOO_LONG]})
    out = make_fn(model, min_confidence=0.5).normalize(table)
    rows = out.to_pylist()
    assert out.column_names == ["id", "text", "time", "candidate_time", "status", "confidence",
                                "error", "attention"]
    assert [(r["time"], r["status"], r["error"]) for r in rows] == [
        ("19:00", "ok", None),
        (None, "invalid", "null"),
        (None, "invalid", "blank"),
        (None, "rejected", "not_a_time"),
        (None, "rejected", "low_confidence"),
        ("19:00", "ok", None),
        (None, "invalid", "too_long"),
    ]
    confidences = [r["confidence"] for r in rows]
    assert [c is None for c in confidences] == [False, True, True, False, False, False, True]
    assert [confidences[i] for i in (0, 3, 4, 5)] == pytest.approx([0.9, 0.9, 0.3, 0.9])
    assert rows[0]["attention"] == [
        {"output": "1", "start": 0, "end": 1, "text": "7", "weight": 1.0},
        {"output": "9", "start": 0, "end": 1, "text": "7", "weight": 1.0},
        {"output": ":", "start": 2, "end": 4, "text": "pm", "weight": 1.0},
        {"output": "0", "start": 2, "end": 4, "text": "pm", "weight": 1.0},
        {"output": "0", "start": 2, "end": 4, "text": "pm", "weight": 1.0},
    ]
    assert rows[1]["attention"] is None
    # Only the low_confidence row keeps its time, for review, as a candidate.
    assert [r["candidate_time"] for r in rows] == [None, None, None, None, "12:00", None, None]
    # Each distinct readable string reached the model once.
    assert sorted(model.seen) == sorted(["7 pm", "pizza", "noon", TOO_LONG])


def test_cache_spans_batches_and_stays_bounded():
    model = FakeModel()
    fn = make_fn(model, cache_size=2)
    fn.normalize(pa.table({"text": ["7 pm", "noon"]}))
    fn.normalize(pa.table({"text": ["7 pm", "noon", "7 pm"]}))
    assert model.seen == ["7 pm", "noon"]
    fn.normalize(pa.table({"text": ["pizza", "a", "b"]}))  # more than it holds: keeps the last two
    fn.normalize(pa.table({"text": ["a", "b"]}))
    assert model.seen[2:] == ["a", "b", "pizza"]  # by length; "a" and "b" stay cached
    fn.normalize(pa.table({"text": ["7 pm", "pizza"]}))  # both were evicted
    assert model.seen[5:] == ["7 pm", "pizza"]


def test_evicting_cache_gives_the_same_rows_as_no_cache():
    batches = [["7 pm", "noon", "a", "b"], ["c", "7 pm", "d", "e", "f"], ["noon", "a", "g"],
               ["b", "c", "7 pm", "h", "i", "j", "k"]]
    outputs = {}
    for size in (0, 3, 5, 100):
        fn = make_fn(FakeModel(), cache_size=size)
        outputs[size] = [fn.normalize(pa.table({"text": b})).to_pylist() for b in batches]
    assert outputs[3] == outputs[0] and outputs[5] == outputs[0] and outputs[100] == outputs[0]
    assert outputs[0][3][2]["time"] == "19:00"


def test_the_dofn_pickles_small_whatever_the_cache_size():
    import pickle
    sizes = [len(pickle.dumps(NormalizeTimesFn(LoadSavedModel(None), "text",
                                               cache_size=size)))
             for size in (10, 1_000_000)]
    assert max(sizes) < 5_000  # the cache is made in setup(), on the worker


def test_parallel_model_calls_keep_every_row_in_place():
    texts = [f"pizza {i}" if i % 7 else "7 pm" for i in range(3000)] + ["noon"] * 10
    table = pa.table({"text": texts})
    one, three = (make_fn(FakeModel(), model_threads=threads, cache_size=0).normalize(table)
                  for threads in (1, 3))
    assert one.equals(three)
    rows = three.to_pylist()
    assert [r["text"] for r in rows] == texts
    assert rows[0]["time"] == "19:00" and rows[1]["error"] == "not_a_time"
    assert rows[1]["attention"][4]["text"] == "1"  # the last character of "pizza 1"


@pytest.mark.parametrize("flags", [["--min_confidence", "2"], ["--model_threads", "-1"],
                                   ["--cache_size", "-5"]])
def test_bad_flags_are_refused(flags):
    with pytest.raises(SystemExit) as exit_:
        infer.parse_args(["--input", "x", "--output", "y"] + flags)
    assert exit_.value.code == 2


def test_wrong_column_types_are_invalid_rows():
    fn = make_fn(FakeModel())
    numbers = fn.normalize(pa.table({"text": pa.array([7, None], pa.int64())})).to_pylist()
    assert [(r["status"], r["error"]) for r in numbers] == [("invalid", "not_a_string"),
                                                            ("invalid", "null")]
    binary = fn.normalize(pa.table({"text": pa.array([b"7 pm", b"\xff\xfe"], pa.binary())}))
    assert [(r["time"], r["error"]) for r in binary.to_pylist()] == [("19:00", None),
                                                                     (None, "not_utf8")]


def test_attention_spans_index_the_original_string():
    text = "  Quarter past 3 PM "
    attention = np.zeros((features.OUTPUT_LEN, features.MAX_INPUT_LEN), np.float32)
    offsets = np.full(features.MAX_INPUT_LEN, features.NO_OFFSET)
    kept = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]
    offsets[:len(kept)] = kept
    attention[0, 13] = 1.0  # position 13 is input offset 15: "3"
    attention[1:, 0] = 0.5  # position 0 is offset 2: the "Q" of "Quarter"
    attention[1:, 1] = 0.25  # offset 3, the "u" of the same span
    other = "7 pm"
    other_attention = np.zeros_like(attention)
    other_attention[:, 2] = 1.0  # the "p" of "pm"
    other_offsets = np.full(features.MAX_INPUT_LEN, features.NO_OFFSET)
    other_offsets[:4] = np.arange(4)
    start, end, weight = attention_spans([text, other], np.stack([attention, other_attention]),
                                         np.stack([offsets, other_offsets]))
    assert (start[0, 0], end[0, 0]) == (15, 16) and text[15:16] == "3"
    assert (start[0, 1], end[0, 1]) == (2, 9) and text[2:9] == "Quarter"
    assert weight[0].tolist() == [1.0, 0.75, 0.75, 0.75, 0.75]
    assert start[1].tolist() == [2] * 5 and end[1].tolist() == [4] * 5


def test_span_texts_slice_each_row_and_share_equal_spans():
    texts = ["à 15h30 pm", "7 pm", "x"]
    start = np.array([[2, 2, 4, 5, 8], [2, 2, 2, 0, 0], [0] * 5], np.int32)
    end = np.array([[4, 4, 5, 7, 10], [4, 4, 4, 1, 1], [1] * 5], np.int32)
    got = span_texts(texts, start, end)
    assert got.tolist() == [["15", "15", "h", "30", "pm"], ["pm", "pm", "pm", "7", "7"],
                            ["x"] * 5]
    assert got[0, 4] is got[1, 0]  # one str object for equal spans, across rows
    assert span_texts([], np.zeros((0, 5), np.int32), np.zeros((0, 5), np.int32)).shape == (0, 5)


# The span rule, written as the regular expression it implements.
_SPAN = re.compile(r"[0-9]+|[^\W\d_]+|[^\t\n\f\r ]")


@pytest.mark.parametrize("texts", [
    ["quarter past 3 PM", "  t23.11 ", "1910 hrs", "x", "12:05:59Z", "a_b--c"],
    ["ça va ?", "à 15h30", "١٢:٣٠ مساءً", "½ past 3", "naïve\tcafé\u00a0noon", "日本 3時"],
    [" ", "\t\t", "a", " b "],  # whitespace-only texts are one span
])
def test_split_spans_follows_the_span_rule(texts):
    spans = split_spans(texts)
    for row, text in enumerate(texts):
        got = [(spans.start[i] - spans.text_start[row], spans.end[i] - spans.text_start[row])
               for i in range(spans.first[row], spans.first[row + 1])]
        expected = [m.span() for m in _SPAN.finditer(text)] or [(0, len(text))]
        assert got == expected, text


def test_parquet_sink_writes_batches_in_order_and_reports_failures(tmp_path, monkeypatch):
    schema = pa.schema([("id", pa.int64())])
    sink = ParquetSink(str(tmp_path / "out"), schema, "snappy", 1)
    writer = sink.open(str(tmp_path / "good.parquet"))
    for start in range(0, 50, 10):
        sink.write_record(writer, pa.table({"id": list(range(start, start + 10))}, schema))
    sink.close(writer)
    assert pq.read_table(tmp_path / "good.parquet").column("id").to_pylist() == list(range(50))
    writer = sink.open(str(tmp_path / "bad.parquet"))
    sink.write_record(writer, pa.table({"other": ["x"]}))  # fails on the writer's thread
    with pytest.raises(ValueError, match="schema"):
        sink.close(writer)
    # The failed file's writer is closed too: nothing is left to fail at collection.
    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    del writer
    gc.collect()
    assert not unraisable, [str(u.exc_value) for u in unraisable]


# ---------------------------------------------------------------- end to end

@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bad_inputs")
    texts = ["quarter past 3 pm", None, "", "   ", "x" * 10_000, "ça va ?", "pizza",
             "7:05", "7:05", "1910 hrs"]
    pq.write_table(pa.table({"id": list(range(len(texts))), "text": texts}),
                   directory / "good.parquet")
    pq.write_table(pa.table({"id": pa.array([], pa.int64()), "text": pa.array([], pa.string())}),
                   directory / "zero_rows.parquet")
    return directory


def run_infer(args):
    return infer.run(args + LOCAL_RUNNER)


def test_end_to_end_rows_balance_and_statuses(bad_inputs, tiny_model_dir, tmp_path):
    output = str(tmp_path / "out")
    summary = run_infer(["--input", str(bad_inputs / "*.parquet"), "--output", output,
                         "--model_dir", tiny_model_dir, "--full_attention"])
    assert summary["balanced"] and summary["rows_in"] == summary["rows_out"] == 10
    assert summary["files_read"] == 2
    assert summary["error"]["null"] == 1 and summary["error"]["blank"] == 2
    assert summary["error"]["too_long"] == 1
    table = pq.read_table(sorted(glob.glob(output + "-*.parquet")))
    assert table.num_rows == 10
    assert table.schema.names[:2] == ["id", "text"]
    assert set(parquet.added_columns(True)) <= set(table.schema.names)
    for row in table.to_pylist():
        assert row["status"] in parquet.STATUSES
        if row["status"] == "invalid":
            assert row["confidence"] is None and row["time"] is None
        else:
            assert all(row["text"][s["start"]:s["end"]] == s["text"] for s in row["attention"])
            assert len(row["full_attention"]) == features.OUTPUT_LEN
    written = json.load(open(output + infer.SUMMARY_SUFFIX))
    assert written == summary


def test_a_column_of_the_wrong_type_gives_invalid_rows(tmp_path, tiny_model_dir):
    pq.write_table(pa.table({"text": pa.array([1910, None, 7], pa.int64())}),
                   tmp_path / "numbers.parquet")
    summary = run_infer(["--input", str(tmp_path / "numbers.parquet"),
                         "--output", str(tmp_path / "out"), "--model_dir", tiny_model_dir])
    assert summary["balanced"] and summary["rows_out"] == 3
    assert summary["status"] == {"ok": 0, "rejected": 0, "invalid": 3}
    assert summary["error"] == {"not_a_string": 2, "null": 1}


@pytest.mark.parametrize("make_input,message", [
    (lambda d: None, "no files match"),
    (lambda d: pq.write_table(pa.table({"other": ["7 pm"], "note": ["x"]}), d / "f.parquet"),
     "no column 'text'; its columns are other, note"),
    (lambda d: (d / "f.parquet").write_bytes(b"PAR1 this is not parquet"), "not a readable"),
    (lambda d: (d / "f.parquet").write_bytes(b""), "not a readable"),
    (lambda d: pq.write_table(pa.table({"text": ["7 pm"], "status": ["x"]}), d / "f.parquet"),
     "would be overwritten"),
])
def test_bad_files_fail_before_any_work(make_input, message, tmp_path, tiny_model_dir):
    inputs = tmp_path / "in"
    inputs.mkdir()
    make_input(inputs)
    with pytest.raises(InputError, match=message) as error:
        run_infer(["--input", str(inputs / "*.parquet"), "--output", str(tmp_path / "out"),
                   "--model_dir", tiny_model_dir])
    if "no files" not in message:
        assert str(inputs / "f.parquet") in str(error.value)
    assert not glob.glob(str(tmp_path / "out*"))


def test_command_reports_bad_input_with_exit_code(tmp_path):
    result = run_python(["-m", "pipeline.infer", "--input", str(tmp_path / "none*.parquet"),
                         "--output", str(tmp_path / "out")] + LOCAL_RUNNER, timeout=300)
    assert result.returncode == 2 and "no files match" in result.stderr


def read_sorted(prefix):
    return sorted(pq.read_table(sorted(glob.glob(prefix + "-*.parquet"))).to_pylist(),
                  key=lambda r: r["id"])


def test_multi_processing_runner_matches_in_process(bad_inputs, tiny_model_dir, tmp_path):
    common = ["--input", str(bad_inputs / "good.parquet"), "--model_dir", tiny_model_dir]
    infer.run(common + ["--output", str(tmp_path / "a")] + LOCAL_RUNNER)
    infer.run(common + ["--output", str(tmp_path / "b"), "--direct_num_workers", "2",
                        "--direct_running_mode", "multi_processing"])
    assert read_sorted(str(tmp_path / "a")) == read_sorted(str(tmp_path / "b"))


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


def wait_for_port(port, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("localhost", port)) == 0:
                return
        time.sleep(0.5)
    raise TimeoutError(f"nothing listening on {port}")


def test_portable_runner_with_external_workers_matches(bad_inputs, tiny_model_dir, tmp_path):
    job_port, pool_port = free_port(), free_port()
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"],
               TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=ROOT)
    services = [subprocess.Popen([sys.executable, "-m", module, flag, str(port)], env=env,
                                 cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
                for module, flag, port in (
                    ("apache_beam.runners.worker.worker_pool_main", "--service_port", pool_port),
                    ("apache_beam.runners.portability.local_job_service_main", "--port",
                     job_port))]
    try:
        wait_for_port(pool_port)
        wait_for_port(job_port)
        common = ["--input", str(bad_inputs / "good.parquet"), "--model_dir", tiny_model_dir]
        infer.run(common + ["--output", str(tmp_path / "local")] + LOCAL_RUNNER)
        infer.run(common + ["--output", str(tmp_path / "portable"), "--runner", "PortableRunner",
                            "--job_endpoint", f"localhost:{job_port}",
                            "--environment_type", "EXTERNAL",
                            "--environment_config", f"localhost:{pool_port}"])
        assert read_sorted(str(tmp_path / "local")) == read_sorted(str(tmp_path / "portable"))
    finally:
        for service in services:
            os.killpg(service.pid, signal.SIGTERM)
            service.wait(timeout=30)


DATAFLOW = ["--runner", "DataflowRunner", "--dry_run=True", "--project=my-project-123",
            "--region=us-central1", "--temp_location=gs://my-bucket/tmp",
            "--setup_file", os.path.join(ROOT, "setup.py")]


def test_dataflow_graphs_build_offline(bad_inputs, tmp_path, monkeypatch):
    from apache_beam.runners.dataflow import dataflow_runner
    captured = []
    original = dataflow_runner.DataflowRunner.run_pipeline

    def capture(self, pipeline, options):
        captured.append({t.full_label for t in pipeline.transforms_stack[0].parts})
        captured[-1] |= {p.full_label for t in pipeline.transforms_stack[0].parts
                         for p in t.parts}
        return original(self, pipeline, options)

    monkeypatch.setattr(dataflow_runner.DataflowRunner, "run_pipeline", capture)
    from pipeline import generate
    # Local paths: tensorflow-transform traces its graph into the output
    # directory while the pipeline is built, which on gs:// needs the network.
    generate.run(["--output_dir", str(tmp_path / "data"), "--num_examples", "100"] + DATAFLOW)
    infer.run(["--input", str(bad_inputs / "good.parquet"),
               "--output", str(tmp_path / "out")] + DATAFLOW)
    generate_steps, infer_steps = captured
    assert {"GeneratePairs", "DedupeAndSplit", "AnalyzeTrainSplit", "WriteTransformFn",
            "TokenizeAndWrite[train]", "TokenizeAndWrite[test]"} <= generate_steps
    assert {"ReadParquet", "NormalizeTimes", "WriteParquet", "WriteSummary"} <= infer_steps
