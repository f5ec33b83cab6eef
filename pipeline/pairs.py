"""Composite transforms that make labelled pairs and split them cleanly.

`GeneratePairs` renders phrases in seeded shards; `DedupeAndSplit` keeps one
label per phrase and assigns each phrase to train/eval/test by a stable hash,
so a phrase never lands in two splits and the result does not depend on the
runner or the number of workers.
"""

import hashlib
import random
import re
from typing import Dict, Iterable, Sequence

import apache_beam as beam

from pipeline import time_language
from schemas import features

# Pairs rendered per generation shard. Fixed, so the shards (and their seeds)
# depend only on --num_examples and --seed, never on the runner.
PAIRS_PER_SHARD = 5000
_HASH_BUCKETS = 10_000


def shard_seed(seed: int, shard: int) -> int:
    """A seed for one shard, derived from the run's seed and the shard index."""
    digest = hashlib.sha256(f"timenorm/{seed}/{shard}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def dedupe_key(phrase: str) -> str:
    """The phrase as the tokenizer sees it (ASCII lower-case, whitespace folded).

    Only used to decide which phrases are "the same"; it must agree with
    `pipeline.preprocessing.clean_characters`, which a test checks.
    """
    lowered = "".join(c.lower() if c.isascii() else c for c in phrase)
    return " ".join(word for word in re.split(features.WHITESPACE_CLASS + "+", lowered) if word)


def split_of(key: str, fractions: Sequence[float]) -> int:
    """Index of the split a normalized phrase belongs to (stable hash)."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    point = int.from_bytes(digest[:8], "big") % _HASH_BUCKETS / _HASH_BUCKETS
    total = 0.0
    for index, fraction in enumerate(fractions):
        total += fraction
        if point < total:
            return index
    return len(fractions) - 1


def render_shard(shard: int, count: int, seed: int,
                 weights: Dict[str, float]) -> Iterable[Dict[str, str]]:
    """`count` pairs of shard `shard`: family drawn by weight, then rendered."""
    rng = random.Random(shard_seed(seed, shard))
    names = sorted(weights)
    cumulative = [weights[name] for name in names]
    for _ in range(count):
        family = rng.choices(names, weights=cumulative)[0]
        phrase, label = time_language.render_pair(family, rng)
        yield {features.TEXT_KEY: phrase, features.LABEL_KEY: label,
               features.FAMILY_KEY: family}


class GeneratePairs(beam.PTransform):
    """Renders `num_examples` labelled pairs in seeded, independent shards."""

    def __init__(self, num_examples: int, seed: int, weights: Dict[str, float]):
        super().__init__()
        self._num_examples = num_examples
        self._seed = seed
        self._weights = weights

    def expand(self, pbegin):
        shards = [(index, min(PAIRS_PER_SHARD, self._num_examples - start))
                  for index, start in enumerate(range(0, self._num_examples, PAIRS_PER_SHARD))]
        return (pbegin
                | "CreateShards" >> beam.Create(shards)
                | "SpreadShards" >> beam.Reshuffle()
                | "RenderShard" >> beam.FlatMap(
                    lambda shard, seed, weights: render_shard(shard[0], shard[1], seed, weights),
                    self._seed, self._weights))


def pick_one_label(key_and_pairs):
    """One pair per normalized phrase: the smallest (label, text, family).

    Renderers are correct by construction, so two labels for one phrase mean
    a bug or a genuinely ambiguous phrase; such keys are counted, and the
    choice is deterministic either way.
    """
    _, pairs = key_and_pairs
    pairs = list(pairs)
    if len({pair[features.LABEL_KEY] for pair in pairs}) > 1:
        beam.metrics.Metrics.counter("generate", "phrases_with_two_labels").inc()
    return min(pairs, key=lambda pair: (pair[features.LABEL_KEY], pair[features.TEXT_KEY],
                                        pair[features.FAMILY_KEY]))


class DedupeAndSplit(beam.PTransform):
    """Keeps one label per phrase, then partitions by a stable phrase hash.

    Returns a tuple of PCollections, one per fraction (train, eval, test).
    """

    def __init__(self, fractions: Sequence[float]):
        super().__init__()
        self._fractions = tuple(fractions)

    def expand(self, pairs):
        fractions = self._fractions
        unique = (pairs
                  | "KeyByPhrase" >> beam.Map(
                      lambda pair: (dedupe_key(pair[features.TEXT_KEY]), pair))
                  | "GroupByPhrase" >> beam.GroupByKey()
                  | "PickOneLabel" >> beam.Map(pick_one_label))
        return unique | "SplitByHash" >> beam.Partition(
            lambda pair, n: split_of(dedupe_key(pair[features.TEXT_KEY]), fractions),
            len(fractions))
