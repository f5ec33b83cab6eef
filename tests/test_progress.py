"""The progress line of a long local run, on a fake clock."""

from pipeline.progress import Progress


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_progress_logs_about_every_interval_with_rate_and_time_left():
    clock, lines = FakeClock(), []
    progress = Progress(1_000_000, interval=10, clock=clock, log=lines.append)
    clock.now += 4
    assert progress.add(100_000) is None  # not due yet
    clock.now += 6
    assert progress.add(100_000) == "200,000 of 1,000,000 rows (20%), 20,000 rows/s, 40 s left"
    clock.now += 5
    assert progress.add(50_000) is None
    clock.now += 75
    progress.add(650_000)
    assert lines[-1] == "900,000 of 1,000,000 rows (90%), 10,000 rows/s, 10 s left"
    clock.now += 1
    progress.add(100_000)  # the last rows are always reported
    assert lines[-1] == "1,000,000 of 1,000,000 rows (100%), 10,989 rows/s, 0 s left"
    assert len(lines) == 3


def test_long_runs_give_minutes_and_hours():
    clock, lines = FakeClock(), []
    progress = Progress(10_000_000, interval=10, clock=clock, log=lines.append)
    clock.now += 60
    progress.add(100_000)
    assert lines[-1].endswith("1,667 rows/s, 1 h 39 min left")
    clock.now += 3540
    progress.add(8_000_000)
    assert lines[-1].endswith("2,250 rows/s, 14 min 04 s left")
