"""Makes Parquet inputs for the infer job: the shipped sample and benchmark files.

    python -m bench.make_parquet sample tests/data/sample_times.parquet
    python -m bench.make_parquet bench out/bench/distinct.parquet --rows 1000000 --distinct 1.0

`sample`: a few thousand realistic rows: the hand-written phrases of every
family and the hand-typed real-column strings, repeated, plus nulls, blanks, non-times and one too-long string.
`bench`: rows rendered by the generator's families (a seed of its own), half
from families 1-11 and half from 12-16 at their real lengths, with the given
fraction of distinct values (as far as the language has that many).
"""

import argparse
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

from model.evaluate import DEFAULT_SETS, HANDWRITTEN_FILE, read_handwritten
from pipeline import time_language
from schemas import features

SAMPLE_ROWS = 3000
REAL_COLUMNS_FILE = dict(DEFAULT_SETS)["real columns"]


def sample_texts(seed: int = 7):
    rng = random.Random(seed)
    phrases = [row[features.TEXT_KEY] for path in (HANDWRITTEN_FILE, REAL_COLUMNS_FILE)
               for row in read_handwritten(path)]
    specials = [None, None, "", "   ", "\t", "call me maybe", "asap", "x" * 300 + " 7pm",
                "7:61", "ça va", "10 kB: " + "0123456789" * 1000]
    texts = [rng.choice(phrases) for _ in range(SAMPLE_ROWS - 200)]
    texts += [rng.choice(specials) for _ in range(200)]
    rng.shuffle(texts)
    return texts


def bench_mix():
    """Families and weights of the benchmark mix: half the rows from families
    1-11 and half from families 12-16 (the time inside real text), each half
    in the generator's default proportions; no rejects."""
    in_text = set(time_language.IN_TEXT_FAMILIES) | {time_language.SHORT_FORMS_FAMILY}
    weights = {name: w for name, w in time_language.DEFAULT_WEIGHTS.items()
               if name != features.REJECT_FAMILY}
    halves = [{n: w for n, w in weights.items() if (n in in_text) == side} for side in (False, True)]
    mix = {n: 0.5 * w / sum(half.values()) for half in halves for n, w in half.items()}
    names = sorted(mix)
    return names, [mix[name] for name in names]


def bench_texts(rows: int, distinct: float, seed: int = 2024):
    rng = random.Random(seed)
    names, weights = bench_mix()
    pool_size = max(1, int(rows * distinct))
    pool, seen = [], set()
    for _ in range(20 * pool_size):  # the language is finite: stop drawing eventually
        phrase = time_language.render_pair(rng.choices(names, weights)[0], rng)[0]
        if phrase not in seen:
            seen.add(phrase)
            pool.append(phrase)
            if len(pool) == pool_size:
                break
    if len(pool) == rows:
        return pool
    return pool + [pool[rng.randrange(len(pool))] for _ in range(rows - len(pool))]


def write(texts, path: str, row_group_size: int = 100_000) -> None:
    table = pa.table({"id": pa.array(range(len(texts)), pa.int64()),
                      "text": pa.array(texts, pa.string()),
                      "source": pa.array(["bench"] * len(texts), pa.string())})
    pq.write_table(table, path, row_group_size=row_group_size)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("sample", "bench"))
    parser.add_argument("path")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=float, default=1.0)
    args = parser.parse_args(argv)
    texts = sample_texts() if args.kind == "sample" else bench_texts(args.rows, args.distinct)
    write(texts, args.path)
    print(f"wrote {len(texts)} rows to {args.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
