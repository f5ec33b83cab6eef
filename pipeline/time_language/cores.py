"""The clock phrase inside text (the "core") of families 12-15.

A phrase of families 1-11 or 16 and its time, drawn whole; a phrase written
without a period, for a day word to supply one; and the test of whether a
phrase stays a time beside other numbers ("strong") or only on its own.
"""

import random
from typing import Tuple

from pipeline.time_language import clock, short_forms
from pipeline.time_language.periods import (
    _AM_MARKS, _PM_MARKS, join_period, number, number_words, period_hour)

Time = Tuple[int, int]

# Families whose phrase stays a time beside other numbers ("strong") and those
# that are a time only when nothing else competes ("weak": a bare figure).
_STRONG_CORES = ("digital", "digital_period", "iso_clock", "oclock", "quarter_half",
                 "minutes_past_to", "hours_and", "noon_midnight", "short", "compact_marked")
_WEAK_CORES = ("compact", "spoken_digital")


def _iso_clock(hour: int, minute: int, rng: random.Random) -> str:
    text = f"{hour:02d}:{minute:02d}"
    if rng.random() < 0.5:
        text += f":{rng.randrange(60):02d}"
        if rng.random() < 0.3:
            text += "." + str(rng.randrange(1000)).rjust(3, "0")
    return text


def _compact_marked(hour: int, minute: int, rng: random.Random) -> str:
    """A military figure with a unit: "1910 hrs", "19h10", "0745h"."""
    return rng.choice((f"{hour:02d}{minute:02d}" + rng.choice(("h", " hrs", " hours", "hrs", "H")),
                       f"{hour}h{minute:02d}"))


def core_phrase(rng: random.Random, strong: bool = False,
                figure: bool = False) -> Tuple[str, Time]:
    """A clock phrase of families 1-11 or 16 and its time; `figure`: a bare
    military figure ("1030")."""
    from pipeline.time_language import FAMILIES  # the registry imports this module
    name = "figure" if figure else rng.choice(_STRONG_CORES + (() if strong else _WEAK_CORES))
    if name == "figure":
        hour, minute = clock.uniform_time(rng)
        text = f"{hour:02d}{minute:02d}"
    elif name == "short":
        hour, minute, form = short_forms.sample_short_time(rng)
        text = short_forms.render_short_form(hour, minute, rng, form)
        if strong and not _is_strong(text.replace("at ", "").replace("@ ", "")):
            return core_phrase(rng, strong)  # "16 54", "eleven": a time only on their own
    elif name == "iso_clock":
        hour, minute = clock.uniform_time(rng)
        text = _iso_clock(hour, minute, rng)
    elif name == "compact_marked":
        hour, minute = clock.uniform_time(rng)
        text = _compact_marked(hour, minute, rng)
    else:
        family = FAMILIES[name]
        hour, minute = family.sample_time(rng)
        text = family.render(hour, minute, rng)
    return text, (hour, minute)


def written_clock(rng: random.Random) -> Tuple[str, Time]:
    """A time written as a clock, as timetables, logs and labels write one,
    which no count or id looks like: "14:05", "6:52p", "7:40 pm", "06:10:22", "7pm",
    "1415Z"."""
    hour, minute = clock.uniform_time(rng)
    marks, letter = (_PM_MARKS, "p") if hour >= 12 else (_AM_MARKS, "a")
    forms = [f"{hour}:{minute:02d}", f"{hour:02d}:{minute:02d}",
             f"{hour:02d}:{minute:02d}:{rng.randrange(60):02d}",
             f"{period_hour(hour)}:{minute:02d}{letter}",
             join_period(f"{period_hour(hour)}:{minute:02d}", rng.choice(marks), rng),
             f"{hour:02d}{minute:02d}" + rng.choice(("Z", "z", "h", " hrs"))]
    if minute == 0:  # "7pm", "9p"
        forms += [join_period(str(period_hour(hour)), rng.choice(marks), rng),
                  f"{period_hour(hour)}{letter}"]
    return rng.choice(forms), (hour, minute)


def period_free_phrase(h12: int, minute: int, rng: random.Random) -> str:
    """(1-12, minute) written without a period, for a day word to supply one."""
    forms = [lambda: f"{h12}:{minute:02d}", lambda: f"{h12}.{minute:02d}",
             lambda: f"{h12}:{minute:02d}", lambda: f"{h12}:{minute:02d}:{rng.randrange(60):02d}"]
    if minute == 0:
        forms += [lambda: str(h12), lambda: str(h12), lambda: number_words(h12, rng),
                  lambda: f"{number(h12, rng)} {rng.choice(clock._OCLOCK)}"]
    elif minute < 10:
        forms += [lambda: f"{number_words(h12, rng)} oh {number_words(minute, rng)}"]
    else:
        forms += [lambda: f"{number_words(h12, rng)} {number_words(minute, rng)}",
                  lambda: f"{h12} {minute}"]
    after = h12 % 12 + 1
    if minute == 15:
        forms += [lambda: f"quarter past {number(h12, rng)}"]
    if minute == 30:
        forms += [lambda: f"half past {number(h12, rng)}", lambda: f"half {number(h12, rng)}"]
    if minute == 45 and after != 12:
        forms += [lambda: f"quarter to {number(after, rng)}"]
    if 0 < minute < 30 and minute != 15:
        forms += [lambda: f"{number(minute, rng, 0.7)} past {number(h12, rng)}"]
    if 30 < minute and minute != 45 and after != 12:
        forms += [lambda: f"{number_words(60 - minute, rng)} to {number(after, rng)}"]
    return rng.choice(forms)()


def _is_strong(text: str) -> bool:
    """False for phrases that are a time only when nothing competes: a bare
    figure ("0745", "16 54") or one or two number words ("seven forty")."""
    stripped = text.replace(" ", "")
    return not (stripped.isdigit() or stripped.isalpha() and len(text.split()) <= 2)


def _plain_digital(rng: random.Random) -> Tuple[str, Time]:
    hour, minute = clock.uniform_time(rng)
    if rng.random() < 0.5:
        return f"{hour}:{minute:02d}", (hour, minute)
    return join_period(f"{period_hour(hour)}:{minute:02d}",
                       rng.choice(_PM_MARKS if hour >= 12 else _AM_MARKS), rng), \
        (hour, minute)


def _ends_with_clock(text: str) -> bool:
    return text[-1:].isdigit() or text.lower().endswith(("am", "pm", "a.m.", "p.m."))
