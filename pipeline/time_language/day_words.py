"""Family 15: a day word beside the time (TIME_LANGUAGE.md).

A day word with a period ("tonight", "this morning") is applied by the
table's rule to a core written without one; a day word with no period
("tomorrow", "on Friday") leaves the core its own reading.
"""

import random
from typing import Tuple

from pipeline.time_language import cores
from pipeline.time_language.dates import _weekday
from pipeline.time_language.periods import _AM_MARKS, _PM_MARKS, join_period, period_hour

Time = Tuple[int, int]

# Day words with a period in them, each with the hours (24-hour) it can name
# unambiguously (TIME_LANGUAGE.md: morning a.m.; afternoon and evening p.m.;
# tonight and "in the night" p.m. for 6-11 only).
_MORNING = ("this morning", "tomorrow morning", "early morning", "yesterday morning",
            "{weekday} morning", "in the morning", "tmrw morning", "this am", "morning")
_AFTERNOON = ("this afternoon", "tomorrow afternoon", "{weekday} afternoon",
              "in the afternoon", "yesterday afternoon", "this arvo", "afternoon")
_EVENING = ("this evening", "tomorrow evening", "{weekday} evening", "in the evening",
            "yesterday evening", "this eve", "evening")
_NIGHT = ("tonight", "tonite", "in the night", "tomorrow night", "{weekday} night",
          "last night", "2nite", "this night")
_LUNCH = ("lunchtime", "at lunchtime", "lunch")
_PERIOD_WORDS = (
    (_MORNING, tuple(range(1, 12))),
    (_AFTERNOON, (12, 13, 14, 15, 16, 17)),
    (_EVENING, (17, 18, 19, 20, 21, 22, 23)),
    (_NIGHT, (18, 19, 20, 21, 22, 23)),
    (_LUNCH, (11, 12)),  # no period: "lunch 11:45" is read as written
)
_NEUTRAL_DAYS = ("today", "tomorrow", "yesterday", "{weekday}", "on {weekday}",
                 "next {weekday}", "this {weekday}", "tmrw", "tomorrow", "today", "tdy")


def _day_word(words, rng: random.Random) -> str:
    return rng.choice(words).replace("{weekday}", _weekday(rng))


def render_day_words(rng: random.Random) -> Tuple[str, Time]:
    """Family 15: a day word before or after the time, its period applied by the rule."""
    if rng.random() < 0.35:  # a day with no period: the core keeps its own reading
        text, time = cores.core_phrase(rng, strong=rng.random() < 0.5)
        day = _day_word(_NEUTRAL_DAYS, rng)
        if rng.random() < 0.5:
            return day + rng.choice((" ", " at ", " @ ", ", ", " by ")) + text, time
        return text + rng.choice((" ", " ", ", ")) + day, time
    if rng.random() < 0.03:  # "at night" is a period for 6-11 only: "2 at night" is read as written
        hour, minute = rng.randrange(1, 5), rng.choice((0, 0, 0, 15, 30, rng.randrange(60)))
        return f"{cores.period_free_phrase(hour, minute, rng)} at night", (hour, minute)
    words, hours = rng.choice(_PERIOD_WORDS)
    hour = rng.choice(hours)
    minute = rng.randrange(60) if rng.random() < 0.55 else rng.choice((0, 15, 30, 45))
    if rng.random() < 0.2:  # the time says its own period: "this morning 7am", "tonite 3am"
        if words is _NIGHT and rng.random() < 0.5:
            hour = rng.randrange(0, 6)  # after midnight, said so: "tonite at 4 am"
        marks = _PM_MARKS if hour >= 12 else _AM_MARKS
        text = join_period(f"{period_hour(hour)}" + (f":{minute:02d}" if minute else ""),
                           rng.choice(marks), rng)
        day = _day_word(words, rng)
        phrase = (f"{day} at {text}" if rng.random() < 0.6 else f"{text} {day}")
        return phrase, (hour, minute)
    return day_word_phrase(_day_word(words, rng), hour, minute, rng), (hour, minute)


def period_day_core(rng: random.Random, time_first: bool = False) -> Tuple[str, Time]:
    """Family 15 as the time inside another family's text: a time written
    without a period beside a day word that gives it one ("7 tomorrow
    evening", "this morning about 6"); `time_first` puts the time first."""
    words, hours = rng.choice(_PERIOD_WORDS[:4])  # lunch gives no period
    hour = rng.choice(hours)
    minute = rng.randrange(60) if rng.random() < 0.5 else rng.choice((0, 0, 15, 30, 45))
    return day_word_phrase(_day_word(words, rng), hour, minute, rng, time_first), (hour, minute)


def day_word_phrase(day: str, hour: int, minute: int, rng: random.Random,
                    time_first: bool = False) -> str:
    """`day`, a day word with a period, beside (hour, minute) written without
    one: "this morning at 6", "9 tonight". `hour` must be one the word names;
    `time_first` always puts the time before the day word."""
    if rng.random() < 0.15 and hour >= 13:  # a 24-hour figure agrees with the word
        text = rng.choice((f"{hour}:{minute:02d}", f"{hour:02d}{minute:02d}"))
    else:
        text = cores.period_free_phrase(period_hour(hour), minute, rng)
    if not time_first and rng.random() < 0.5:
        return day + rng.choice((" at ", " at ", " ", ", ", " around ", " about ", " @ ")) + text
    return text + rng.choice((" ", " ", ", ")) + day
