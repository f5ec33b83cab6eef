"""Runs a command and measures wall time and the peak total RSS of its process tree."""

import os
import subprocess
import sys
import time
from typing import Dict, List

_POLL_SECONDS = 0.1


def _children(pid: int) -> List[int]:
    """Children of every thread of `pid` (a worker started from a thread is
    listed under that thread only)."""
    children = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return children
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children") as handle:
                children.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return children


def _tree_rss_bytes(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            continue
        stack.extend(_children(current))
    return total


def run(command: List[str], env: Dict[str, str] = None) -> Dict[str, float]:
    """{seconds, peak_rss_mb} of one run; raises if the command fails."""
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", **(env or {}))
    started = time.monotonic()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_bytes(process.pid))
        time.sleep(_POLL_SECONDS)
    seconds = time.monotonic() - started
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}:\n{stderr[-3000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak / 2**20}


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def machine() -> str:
    with open("/proc/cpuinfo") as handle:
        model = next((line.split(":", 1)[1].strip() for line in handle
                      if line.startswith("model name")), "unknown CPU")
    return f"{os.cpu_count()} cores, {model}, Python {sys.version.split()[0]}"
