"""The pieces every family builds on (TIME_LANGUAGE.md): number words, the
a.m. and p.m. periods, and how an hour is named after "past", "to", "hours and".
"""

import random
from typing import Tuple

from schemas import features

Time = Tuple[int, int]

# ---------------------------------------------------------------- numbers

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve "
         "thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty",
         9: "ninety"}


def number_words(n: int, rng: random.Random) -> str:
    """`n` (0-99) in words, tens and ones joined by a hyphen or a space."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    if ones == 0:
        return _TENS[tens]
    return _TENS[tens] + rng.choice(("-", " ", "-", " ")) + _ONES[ones]


def number(n: int, rng: random.Random, words: float = 0.5) -> str:
    """`n` in digits or, with probability `words`, in words."""
    return number_words(n, rng) if rng.random() < words else str(n)


def label(hour: int, minute: int) -> str:
    return f"{hour:02d}{features.TIME_SEPARATOR}{minute:02d}"


def shift(hour: int, minute: int, delta: int) -> Time:
    """The time `delta` minutes later, wrapping over midnight."""
    total = (hour * 60 + minute + delta) % (features.HOURS_PER_DAY * 60)
    return divmod(total, 60)


# ---------------------------------------------------------------- periods

_AM_MARKS = ("am", "a.m.", "AM", "a m", "A.M.", "a.m", "Am")
_PM_MARKS = ("pm", "p.m.", "PM", "p m", "P.M.", "p.m", "Pm")


def am_period(hour: int, rng: random.Random) -> str:
    """A spelling of the a.m. period that reads naturally after `hour` (0-11)."""
    choices = list(_AM_MARKS) * 3 + ["before noon"]
    if 1 <= hour <= 11:
        choices += ["in the morning"] * 2
    if hour == 0:  # "12:05 in the morning" is 00:05, like "12:05 a.m."
        choices += ["in the morning"]
    if hour in (0, 1):
        choices += ["at midnight"] * 2  # seed style: "ten before one at midnight"
    return rng.choice(choices)


def pm_period(hour: int, rng: random.Random) -> str:
    """A spelling of the p.m. period that reads naturally after `hour` (12-23)."""
    choices = list(_PM_MARKS) * 3 + ["after noon"]
    if 12 <= hour <= 17:
        choices += ["in the afternoon"] * 2
    if 17 <= hour <= 23:
        choices += ["in the evening"] * 2
    if 18 <= hour <= 23:
        choices += ["at night"]
    if hour in (12, 13):
        choices += ["at noon"] * 2  # seed style: "twenty before one at noon"
    return rng.choice(choices)


def period_hour(hour: int) -> int:
    """The 12-hour clock figure of a 24-hour `hour`: 0 -> 12, 13 -> 1."""
    return hour % 12 or 12


def join_period(text: str, period: str, rng: random.Random) -> str:
    """`text` followed by `period`; short marks may be glued on ("3pm")."""
    glueable = text[-1:].isdigit() and " " not in period and period[0] in "aApP"
    glue = "" if glueable and rng.random() < 0.4 else " "
    return text + glue + period


def hour_with_period(hour: int, rng: random.Random, words: float = 0.5) -> str:
    """`hour` (0-23) on the 12-hour clock followed by its period."""
    shown = number(period_hour(hour), rng, words)
    if hour >= 12:
        if hour > 12 and rng.random() < 0.08 and not shown.isalpha():
            shown = str(hour)  # seed style: "21 p.m." keeps the 24-hour figure
        return join_period(shown, pm_period(hour, rng), rng)
    return join_period(shown, am_period(hour, rng), rng)


def named_hour(hour: int, rng: random.Random, words: float = 0.5,
               noon_midnight: bool = True) -> str:
    """An hour (0-23) as a reader would name it after "past", "to", "hours and".

    Without a period the hour is read as written, so 1-12 may stand alone;
    0 and 13-23 need a period (or the words noon/midnight), except that a
    24-hour figure such as "19" is also read as written.
    """
    if noon_midnight and hour == 12 and rng.random() < 0.5:
        return rng.choice(("noon", "midday", "noon", "twelve noon"))
    if noon_midnight and hour == 0 and rng.random() < 0.6:
        return "midnight"
    if 1 <= hour <= 12 and rng.random() < 0.45:
        return number(hour, rng, words)
    if 13 <= hour <= 23 and rng.random() < 0.1:
        return str(hour)
    return hour_with_period(hour, rng, words)
