"""Prints a few rows of an infer output, one per status, for the README's demo."""

import glob
import sys

import pyarrow.parquet as pq

from schemas import parquet


def main(argv=None) -> int:
    prefix = (argv or sys.argv[1:])[0]
    table = pq.read_table(sorted(glob.glob(prefix + "-*.parquet")))
    shown = 0
    for status in parquet.STATUSES:
        rows = [r for r in table.to_pylist() if r[parquet.STATUS_COLUMN] == status][:4]
        for row in rows:
            spans = " ".join(f"{s['output']}<-{s['text']!r}" for s in row["attention"] or [])
            text = row["text"] if not isinstance(row["text"], str) or len(row["text"]) < 40 \
                else row["text"][:37] + "..."
            print(f"{text!r:42} {row['time'] or '-':6} {status:9} {row['error'] or '':15} "
                  f"{row['confidence'] if row['confidence'] is None else round(row['confidence'], 3)!s:6} "
                  f"{spans}")
            shown += 1
    print(f"({shown} of {table.num_rows} rows shown; summary in {prefix}-summary.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
