"""The Beam jobs: generate (time language -> TFRecords) and infer (Parquet -> Parquet).

Both job modules begin and end the same way when run as commands
(`python -m pipeline.generate`, `python -m pipeline.infer`): CPython's cycle
collector is off while they import Beam, TensorFlow and pyarrow, and then
`gc.freeze()` tells it to leave those objects (about 450,000, alive until
exit) alone before it is switched back on. Otherwise it scans them again and
again while they are imported, in every full collection of the run (about
0.2 s each) and in the extra full collections at interpreter exit: about 2 s
of a 1M-row infer run and 1.5 s of a 100k-pair generate run (BENCHMARKS.md).
Objects made later are collected as usual, and a frozen object is still
freed when its last reference goes. Importing the modules as a library
leaves the collector alone.
"""
