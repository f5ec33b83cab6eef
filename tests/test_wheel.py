"""The built wheel, installed into a fresh virtual environment outside the
checkout, runs `timenorm infer` with the model it carries.

Its dependencies are not downloaded again: the fresh environment sees this
environment's site-packages through a path file (without running that
directory's own .pth files, so the editable install of the checkout stays
invisible), and timenorm itself comes only from the wheel.
"""

import json
import os
import subprocess
import sys
import sysconfig

import pyarrow as pa
import pyarrow.parquet as pq

from conftest import ROOT


def run(args, **kwargs):
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    return subprocess.run([str(arg) for arg in args], capture_output=True, text=True, env=env,
                          timeout=600, **kwargs)


def test_wheel_installs_into_a_fresh_venv_and_runs_infer(tmp_path):
    built = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "-w", tmp_path / "dist", ROOT], cwd=ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
    assert "warning" not in built.stderr.lower(), built.stderr
    (wheel,) = (tmp_path / "dist").glob("timenorm-*.whl")

    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", venv]).returncode == 0
    site = run([venv / "bin" / "python", "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    with open(os.path.join(site, "timenorm_dependencies.pth"), "w") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    installed = run([venv / "bin" / "pip", "install", "--no-deps", "--no-index", wheel])
    assert installed.returncode == 0, installed.stderr[-2000:]

    work = tmp_path / "elsewhere"
    work.mkdir()
    pq.write_table(pa.table({"text": ["quarter past 3 pm", "pizza", None, "1910 hrs"]}),
                   work / "small.parquet")
    where = run([venv / "bin" / "python", "-c", "import model; print(model.DEFAULT_MODEL_DIR)"],
                cwd=work)
    assert where.stdout.strip().startswith(site), where.stdout + where.stderr
    inferred = run([venv / "bin" / "timenorm", "infer", "--input", "small.parquet",
                    "--output", "out/normalized", "--runner", "FnApiRunner"], cwd=work)
    assert inferred.returncode == 0, inferred.stderr[-3000:]
    summary = json.loads(inferred.stdout)
    assert summary["balanced"] and summary["rows_out"] == 4
    assert summary["status"]["invalid"] == 1 and summary["error"]["null"] == 1
    assert "of 4 rows (100%)" in inferred.stderr  # the progress line of a local run
