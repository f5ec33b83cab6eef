"""Families 12-15: a time inside real text (TIME_LANGUAGE.md).

A clock phrase of families 1-11 or 16 (the "core", whose label is known) is
put among the things real columns hold around a time: a date or a whole
timestamp (12), labels, verbs, notes and numbers of a real domain (13), a
time zone (14), a day word (15). None of these feeds the label: a date's or
an id's numbers are drawn independently of the time, a zone is never
converted, and a day word's period is applied by the table's rule to a core
written without one. So every pair stays right by construction.
"""

import random
from typing import Callable, Tuple

from pipeline.time_language import cores
from pipeline.time_language.context import CONTEXTS, context_phrase, render_context
from pipeline.time_language.dates import render_dates, timestamp, written_date
from pipeline.time_language.day_words import day_word_phrase, render_day_words
from pipeline.time_language.noise import light_noise
from pipeline.time_language.zones import render_zones, zone

__all__ = ["RENDERERS", "render_in_text", "render_dates", "timestamp", "written_date",
           "render_context", "context_phrase", "render_zones", "zone", "render_day_words",
           "day_word_phrase"]

Time = Tuple[int, int]

RENDERERS: Tuple[Tuple[str, Callable[[random.Random], Tuple[str, Time]]], ...] = (
    ("dates", render_dates), ("context", render_context), ("zones", render_zones),
    ("day_words", render_day_words),
)


def render_in_text(family: str, rng: random.Random) -> Tuple[str, Time]:
    """One phrase of families 12-15 and its time, with the noise every family sees."""
    text, time = dict(RENDERERS)[family](rng)
    if rng.random() < 0.2:  # a second wrapper: a dated note, a zone after a day word ...
        other = rng.choice(("date", "zone", "context"))
        if other == "date" and family != "dates":
            text = f"{written_date(rng)} {text}" if rng.random() < 0.6 else f"{text} {written_date(rng)}"
        elif other == "zone" and family not in ("zones", "dates") and cores._ends_with_clock(text):
            text = f"{text} {zone(rng)}"
        elif other == "context" and family != "context":
            text = context_phrase(rng.choice(CONTEXTS[rng.choice(sorted(CONTEXTS))]), text, rng)
    return light_noise(text, rng), time
