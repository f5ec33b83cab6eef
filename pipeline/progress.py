"""Progress of a long local run: rows done of a known total, the rate, the time left.

One reporter per process and run, shared by the DoFn instances of that
process; it logs at most once per interval, when rows are added. On a
distributed runner the same figures travel as Beam metrics (see
pipeline/normalize.py), which the runner's own UI shows.
"""

import logging
import threading
import time
from typing import Callable, Dict, Optional

REPORT_EVERY_SECONDS = 10.0
_REPORTERS: Dict[str, "Progress"] = {}
_REPORTERS_LOCK = threading.Lock()


class Progress:
    """Counts rows done of `total` and logs, at most every `interval` seconds
    of `clock`, how far along the run is."""

    def __init__(self, total: int, what: str = "rows", interval: float = REPORT_EVERY_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 log: Callable[[str], None] = logging.getLogger(__name__).info):
        self.total = total
        self.done = 0
        self._what = what
        self._interval = interval
        self._clock = clock
        self._log = log
        self._started = self._last = clock()
        self._lock = threading.Lock()

    def add(self, rows: int) -> Optional[str]:
        """Counts `rows` more done; returns the line logged, if one was due."""
        with self._lock:
            self.done += rows
            now = self._clock()
            if now - self._last < self._interval and self.done < self.total:
                return None
            self._last = now
            line = self.line(now - self._started)
        self._log(line)
        return line

    def line(self, elapsed: float) -> str:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        share = self.done / self.total if self.total else 1.0
        left = (self.total - self.done) / rate if rate else None
        return (f"{self.done:,} of {self.total:,} {self._what} ({share:.0%}), "
                f"{rate:,.0f} {self._what}/s, {_duration(left)} left")


def _duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "unknown time"
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


def for_run(run_id: str, total: int, what: str = "rows") -> Progress:
    """The process's reporter of run `run_id` (made on first use)."""
    with _REPORTERS_LOCK:
        if run_id not in _REPORTERS:
            _REPORTERS[run_id] = Progress(total, what)
        return _REPORTERS[run_id]
