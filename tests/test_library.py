"""`from model import normalize`: the infer job's rows, for a list or a pandas Series."""

import glob

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import LOCAL_RUNNER
from model import normalize
from pipeline import infer
from schemas import parquet

TEXTS = ["quarter past 3 pm", "pizza", None, "   ", "7:05", "pizza", "x" * 200, "1910 hrs"]


def test_normalize_gives_the_infer_jobs_rows(tiny_model_dir, tmp_path):
    records = normalize(TEXTS, model_dir=tiny_model_dir)
    pq.write_table(pa.table({"text": TEXTS}), tmp_path / "in.parquet")
    infer.run(["--input", str(tmp_path / "in.parquet"), "--output", str(tmp_path / "out"),
               "--model_dir", tiny_model_dir, "--num_shards", "1"] + LOCAL_RUNNER)
    rows = pq.read_table(glob.glob(str(tmp_path / "out-*.parquet"))).to_pylist()
    assert records == rows
    assert list(records[0]) == ["text"] + parquet.added_columns(False)
    assert [(r["status"], r["error"]) for r in records[2:4]] == [("invalid", "null"),
                                                                  ("invalid", "blank")]


def test_normalize_takes_a_series_and_keeps_its_index(tiny_model_dir):
    series = pd.Series(TEXTS[:3], index=[10, 20, 30], name="when")
    frame = normalize(series, model_dir=tiny_model_dir, min_confidence=0)
    assert list(frame.index) == [10, 20, 30]
    assert list(frame.columns) == ["text"] + parquet.added_columns(False)
    records = normalize(TEXTS[:3], model_dir=tiny_model_dir, min_confidence=0)
    assert frame["status"].tolist() == [r["status"] for r in records]
    # a missing time is pandas' missing value in the frame (NaN in a str column), None in records
    assert [None if pd.isna(t) else t for t in frame["time"]] == [r["time"] for r in records]


def test_normalize_refuses_what_is_not_text(tiny_model_dir):
    with pytest.raises(TypeError, match="strings"):
        normalize(["7 pm", 7], model_dir=tiny_model_dir)
