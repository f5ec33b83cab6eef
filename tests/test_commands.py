"""The `timenorm` command (pipeline/cli.py): its subcommands, their --help, and
what a command does to the process's cycle collector."""

import re

import pytest

from conftest import run_python
from pipeline import cli

PROBE = """
import gc, runpy, sys
import {job}
print("library", gc.isenabled(), gc.get_freeze_count())
sys.argv = ["{job}", "--help"]
try:
    runpy.run_module("{job}", run_name="__main__", alter_sys=True)
except SystemExit as exit:
    assert exit.code == 0, exit.code
print("command", gc.isenabled())
"""


@pytest.mark.parametrize("job", ["pipeline.generate", "pipeline.infer"])
def test_a_library_import_leaves_the_collector_alone_and_a_command_restores_it(job):
    result = run_python(["-c", PROBE.format(job=job)], timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines()
                 if line.startswith(("library", "command")))
    assert lines["library"] == "True 0"
    assert lines["command"] == "True"
    assert f"usage: timenorm {job.split('.')[1]}" in result.stdout


def option_blocks(help_text):
    """{--flag: its help text} of an argparse --help page."""
    blocks, current = {}, None
    for line in help_text.splitlines():
        match = re.match(r"\s{2}(--\w+)", line)
        if match:
            current = match.group(1)
            blocks[current] = line
        elif current and line.startswith("    "):
            blocks[current] += " " + line.strip()
        else:
            current = None
    return blocks


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_every_flag_of_every_command_shows_its_default(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: timenorm {command}")
    blocks = option_blocks(out)
    assert len(blocks) >= 2
    for flag, text in blocks.items():
        if flag != "--help":
            assert "(default:" in text, (command, flag, text)


def test_the_command_lists_its_subcommands_and_refuses_others(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert all(command in out for command in cli.COMMANDS)
    with pytest.raises(SystemExit) as exit_:
        cli.main(["normalise"])
    assert exit_.value.code == 2 and "invalid choice: 'normalise'" in capsys.readouterr().err


def test_a_subcommand_is_its_python_m_form(tmp_path):
    by_command = run_python(["-m", "pipeline.cli", "infer", "--input",
                             str(tmp_path / "none*.parquet"), "--output", str(tmp_path / "o"),
                             "--runner", "FnApiRunner"], timeout=300)
    by_module = run_python(["-m", "pipeline.infer", "--input", str(tmp_path / "none*.parquet"),
                            "--output", str(tmp_path / "o"), "--runner", "FnApiRunner"],
                           timeout=300)
    assert by_command.returncode == by_module.returncode == 2
    assert "no files match" in by_command.stderr and "no files match" in by_module.stderr
