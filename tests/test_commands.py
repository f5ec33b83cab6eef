"""What the job modules do to the process when run as commands (pipeline/__init__.py)."""

import pytest

from conftest import run_python

PROBE = """
import gc, runpy, sys
import {job}
print("library", gc.isenabled(), gc.get_freeze_count())
sys.argv = ["{job}", "--help"]
try:
    runpy.run_module("{job}", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    assert exit.code == 0, exit.code
print("command", gc.isenabled(), gc.get_freeze_count())
"""


@pytest.mark.parametrize("job", ["pipeline.generate", "pipeline.infer"])
def test_command_freezes_its_imports_and_a_library_import_does_not(job):
    result = run_python(["-c", PROBE.format(job=job)], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines()
                 if line.startswith(("library", "command")))
    assert lines["library"] == "True 0"
    enabled, frozen = lines["command"].split()
    assert enabled == "True" and int(frozen) > 100_000
