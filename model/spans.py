"""Attention spans: for each output character, the input span it attended to most.

A span is a run of ASCII digits, a run of letters, or one other character, so
"06" of a timestamp or "quarter" of a phrase is one span; whitespace
(features.WHITESPACE) belongs to none. The model attends to positions; the
spans map them back to the text as given.
"""

import dataclasses
import sys
from typing import Sequence

import numpy as np

from schemas import features

SPACE, DIGIT, LETTER, OTHER = range(4)


def _char_class(char: str) -> int:
    """A character's class in the span rule; the same sets as the regular
    expression r"[0-9]+|[^\\W\\d_]+|[^\\t\\n\\f\\r ]" (the tests check the two agree)."""
    if char in features.WHITESPACE:
        return SPACE
    if "0" <= char <= "9":
        return DIGIT
    if char.isalnum() and not char.isdecimal():
        return LETTER
    return OTHER


_ASCII_CLASSES = np.array([_char_class(chr(code)) for code in range(128)], np.int8)


def _char_classes(codes: np.ndarray) -> np.ndarray:
    classes = np.empty(len(codes), np.int8)
    ascii_ = codes < 128
    classes[ascii_] = _ASCII_CLASSES[codes[ascii_]]
    if not ascii_.all():
        unique, inverse = np.unique(codes[~ascii_], return_inverse=True)
        classes[~ascii_] = np.array([_char_class(chr(code)) for code in unique], np.int8)[inverse]
    return classes


@dataclasses.dataclass
class Spans:
    """The spans of a list of texts, flat over the texts' concatenation."""
    text_start: np.ndarray  # [texts] where each text starts
    of_char: np.ndarray  # [chars] the span of each character, -1 for whitespace
    start: np.ndarray  # [spans] first character
    end: np.ndarray  # [spans] one past the last character
    first: np.ndarray  # [texts + 1] each text's first span


def split_spans(texts: Sequence[str]) -> Spans:
    """Splits each (non-empty) text into spans: runs of digits, runs of letters
    and single other characters, so "06" of a timestamp or "quarter" of a
    phrase is one span; a text of whitespace only is one span."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    if (lengths == 0).any():
        raise ValueError("split_spans needs non-empty texts")
    text_start = np.concatenate([[0], np.cumsum(lengths)])
    codes = np.frombuffer("".join(texts).encode("utf-32-le"), np.uint32)
    classes = _char_classes(codes)
    spaces = np.concatenate([[0], np.cumsum(classes == SPACE)])
    all_space = spaces[text_start[1:]] - spaces[text_start[:-1]] == lengths
    if all_space.any():
        classes[np.repeat(all_space, lengths)] = LETTER
    begins = classes != SPACE
    begins[1:] &= (classes[1:] == OTHER) | (classes[1:] != classes[:-1])
    begins[text_start[:-1]] = classes[text_start[:-1]] != SPACE
    spans_so_far = np.cumsum(begins)
    of_char = np.where(classes == SPACE, -1, spans_so_far - 1)
    in_span = np.flatnonzero(of_char >= 0)
    last = in_span[np.append(of_char[in_span][1:] != of_char[in_span][:-1], True)]
    first = np.concatenate([[0], spans_so_far[text_start[1:] - 1]])
    return Spans(text_start[:-1], of_char, np.flatnonzero(begins), last + 1, first)


def attention_spans(texts: Sequence[str], attention: np.ndarray, offsets: np.ndarray):
    """For each text and output step, the span with the most attention.

    attention [n, steps, MAX_INPUT_LEN] is over model positions; offsets [n,
    MAX_INPUT_LEN] maps each position to its character in the text (NO_OFFSET
    for padding). Returns (start, end, weight), each [n, steps]: the span's
    character offsets into the text as given and the attention it got. Ties
    go to the earlier span.
    """
    rows, steps, _ = attention.shape
    spans = split_spans(texts)
    lengths = np.diff(np.append(spans.text_start, len(spans.of_char)))
    valid = (offsets != features.NO_OFFSET) & (offsets < lengths[:, None])
    chars = spans.text_start[:, None] + np.where(valid, offsets, 0)
    span = np.where(valid, spans.of_char[chars], -1)                    # [n, positions]
    attended = span >= 0
    weights = np.stack([np.bincount(span[attended], attention[:, step][attended],
                                    minlength=len(spans.start))
                        for step in range(steps)])                      # [steps, spans]
    row_best = np.maximum.reduceat(weights, spans.first[:-1], axis=1)   # [steps, n]
    span_row = np.repeat(np.arange(rows), np.diff(spans.first))
    is_best = weights >= row_best[:, span_row]
    best = np.stack([np.flatnonzero(is_best[step])[
        np.searchsorted(np.flatnonzero(is_best[step]), spans.first[:-1])]
        for step in range(steps)], axis=1)                              # [n, steps]
    base = spans.text_start[:, None]
    return ((spans.start[best] - base).astype(np.int32), (spans.end[best] - base).astype(np.int32),
            row_best.T.astype(np.float32))


def span_texts(texts: Sequence[str], start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """texts[i][start[i, j]:end[i, j]] as an object array shaped like `start`,
    each distinct span sliced once and interned: equal span texts ("pm",
    "quarter") share one str, so cached results stay small."""
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    base = np.concatenate([[0], np.cumsum(lengths)[:-1]])[:, None]
    width = int(lengths.sum()) + 1
    keys = ((start + base) * width + (end + base)).ravel()
    distinct, inverse = np.unique(keys, return_inverse=True)
    joined = "".join(texts)
    pieces = np.array([sys.intern(joined[key // width:key % width]) for key in distinct.tolist()],
                      object)
    return pieces[inverse].reshape(np.shape(start))
