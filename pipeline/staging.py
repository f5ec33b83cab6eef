"""Output that appears whole or not at all, for both jobs.

A run writes into a staging directory of its own beside its output
(`_staging-<name>-<run id>/`, Beam's own `beam-temp-*` folder inside it).
Only once the run has succeeded does it replace exactly the previous run's
files with its own, writing the file that vouches for the output (the summary)
last; a failed run removes its staging directory, and one left by a killed run
is removed by the next run to the same output. Two runs to the same output at
the same time are not supported.

Paths may be local or on any Beam filesystem (gs://); a local directory is
renamed in one step.
"""

import glob
import os
import re
import shutil
import uuid
from typing import List

from apache_beam.io.filesystems import FileSystems

from pipeline.parquet_io import literal_pattern

STAGING_PREFIX = "_staging-"
BEAM_TEMP_PREFIX = "beam-temp-"  # FileBasedSink's folder, beside its prefix


def _is_local(path: str) -> bool:
    return "://" not in path


def _safe_name(name: str) -> str:
    """`name` with only characters that no filesystem or glob reads specially."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name) or "output"


def remove_tree(path: str) -> None:
    """Removes a file or a directory and everything under it, if it exists."""
    if _is_local(path):
        if os.path.isdir(path):
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)
    elif FileSystems.exists(path):
        FileSystems.delete([path])
    elif FileSystems.match([literal_pattern(path.rstrip("/")) + "/**"])[0].metadata_list:
        FileSystems.delete([path.rstrip("/") + "/"])  # an object-store "directory"


def remove_starting_with(parent: str, prefix: str) -> List[str]:
    """Removes every entry of `parent` whose name starts with `prefix`; returns them."""
    if _is_local(parent):
        found = glob.glob(os.path.join(glob.escape(parent), glob.escape(prefix) + "*"))
    else:
        pattern = FileSystems.join(literal_pattern(parent), literal_pattern(prefix)) + "**"
        found = [m.path for m in FileSystems.match([pattern])[0].metadata_list]
    for path in found:
        remove_tree(path)
    return found


class StagedRun:
    """A context for one run: `dir` is its staging directory beside the output.

    Entering removes what killed earlier runs to the same output left behind
    (their staging directories, Beam's beam-temp-<name>-* folders); leaving
    removes this run's staging directory, committed or not.
    """

    def __init__(self, parent: str, name: str):
        self.parent = parent or "."
        self.name = name
        self.dir = FileSystems.join(self.parent,
                                    f"{STAGING_PREFIX}{_safe_name(name)}-{uuid.uuid4().hex}")

    def __enter__(self) -> "StagedRun":
        remove_starting_with(self.parent, f"{STAGING_PREFIX}{_safe_name(self.name)}-")
        remove_starting_with(self.parent, f"{BEAM_TEMP_PREFIX}{self.name}-")
        if not FileSystems.exists(self.dir):
            FileSystems.mkdirs(self.dir)
        return self

    def __exit__(self, *exc_info) -> None:
        remove_tree(self.dir)

    def path(self, *names: str) -> str:
        return FileSystems.join(self.dir, *names)


def move(source: str, destination: str) -> None:
    """Renames a file, or a directory with everything under it."""
    if _is_local(source):
        os.makedirs(os.path.dirname(destination) or ".", exist_ok=True)
        os.rename(source, destination)
        return
    if FileSystems.exists(source):
        FileSystems.rename([source], [destination])
        return
    files = [m.path for m in FileSystems.match([literal_pattern(source) + "/**"])[0].metadata_list]
    FileSystems.rename(files, [destination + path[len(source):] for path in files])


def write_text(path: str, text: str) -> None:
    with FileSystems.create(path) as handle:
        handle.write(text.encode("utf-8"))


def read_text(path: str) -> str:
    with FileSystems.open(path) as handle:
        return handle.read().decode("utf-8")
