"""Families 1-10: a clock time written on its own (TIME_LANGUAGE.md).

Number words, periods and named hours, shared by every family, are in
`periods`.
"""

import random
from typing import Tuple

from pipeline.time_language.periods import (
    _AM_MARKS, _ONES, _PM_MARKS, am_period, hour_with_period, join_period, named_hour, number,
    number_words, period_hour, pm_period, shift)
from schemas import features

Time = Tuple[int, int]


def uniform_time(rng: random.Random) -> Time:
    return rng.randrange(features.HOURS_PER_DAY), rng.randrange(features.MINUTES_PER_HOUR)


def on_the_hour_often(rng: random.Random) -> Time:
    hour, minute = uniform_time(rng)
    return (hour, 0) if rng.random() < 0.4 else (hour, minute)


def quarter_time(rng: random.Random) -> Time:
    return rng.randrange(features.HOURS_PER_DAY), rng.choice((15, 30, 45))


def not_on_the_hour(rng: random.Random) -> Time:
    return rng.randrange(features.HOURS_PER_DAY), rng.randrange(1, features.MINUTES_PER_HOUR)


def noon_or_midnight(rng: random.Random) -> Time:
    return rng.choice(((12, 0), (0, 0)))


def render_digital(hour: int, minute: int, rng: random.Random) -> str:
    shown = f"{hour:02d}" if hour < 10 and rng.random() < 0.5 else str(hour)
    return shown + rng.choice((":", ":", ".")) + f"{minute:02d}"


def render_digital_period(hour: int, minute: int, rng: random.Random) -> str:
    h12 = period_hour(hour)
    if hour > 12 and rng.random() < 0.08:
        h12 = hour  # "18:20 p.m." keeps the 24-hour figure
    shown = f"{h12:02d}" if h12 < 10 and rng.random() < 0.3 else str(h12)
    text = shown + rng.choice((":", ":", ".")) + f"{minute:02d}"
    period = pm_period(hour, rng) if hour >= 12 else am_period(hour, rng)
    return join_period(text, period, rng)


def render_compact(hour: int, minute: int, rng: random.Random) -> str:
    military = f"{hour:02d}{minute:02d}"
    forms = [
        lambda: military,
        lambda: military + rng.choice((" hrs", " hours", "hrs", " hr", "h", " h", " HRS")),
        lambda: f"{hour}{rng.choice('hH')}{minute:02d}",
        lambda: f"{hour:02d}{rng.choice('hH')}{minute:02d}",
    ]
    if hour >= 12:  # "3h25 pm", and seed style "17 pm" keeps the 24-hour figure
        forms += [lambda: join_period(f"{period_hour(hour)}{rng.choice(('h', ' h ', 'H'))}{minute:02d}",
                                      rng.choice(_PM_MARKS), rng)]
    if minute == 0:
        forms += [
            lambda: join_period(str(period_hour(hour) if rng.random() < 0.9 or hour < 13 else hour),
                                rng.choice(_PM_MARKS if hour >= 12 else _AM_MARKS), rng),
            lambda: str(hour),
            lambda: f"{hour}h",
        ] * 2
        forms += [lambda: hour_with_period(hour, rng, words=0.6)]  # "nine pm", "seven a m"
    return rng.choice(forms)()


def _random_date(rng: random.Random) -> str:
    year, month, day = rng.randrange(1990, 2040), rng.randrange(1, 13), rng.randrange(1, 29)
    return rng.choice((f"{year}-{month:02d}-{day:02d}", f"{year}/{month:02d}/{day:02d}",
                       f"{day:02d}/{month:02d}/{year}", f"{year}{month:02d}{day:02d}"))


def _random_zone(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return "Z"
    sign = rng.choice("+-")
    return f"{sign}{rng.randrange(0, 15):02d}" + rng.choice((":00", ":30", "00", ":45", ""))


def render_iso(hour: int, minute: int, rng: random.Random) -> str:
    sep = rng.choice((":", ":", ":", "."))
    hh = f"{hour:02d}" if rng.random() < 0.8 else str(hour)
    clock = f"{hh}{sep}{minute:02d}" if rng.random() < 0.9 else f"{hour:02d}{minute:02d}"
    if rng.random() < 0.6:
        clock += f"{sep}{rng.randrange(60):02d}"
        if rng.random() < 0.3:
            clock += "." + str(rng.randrange(1000)).rjust(rng.choice((1, 2, 3)), "0")
    seconds = clock.count(sep) > 1
    offset = False
    if rng.random() < 0.4:
        zone = _random_zone(rng)
        offset = zone[0] in "+-"
        clock += zone
    roll = rng.random()
    if roll < 0.35:
        return rng.choice("Tt") + clock
    # A clock with an offset glued to it ("08:24-01:30") is written as a range
    # is, and a range is no time (TIME_LANGUAGE.md): only a T or the seconds
    # ("T08:24-01:30", "08:24:10-01:30") make it a timestamp.
    bare_offset = offset and not seconds
    if roll < 0.75:
        return _random_date(rng) + rng.choice(("T", "t") if bare_offset else ("T", "T", " ", "t")) \
            + clock
    if ":" not in clock[2:] or bare_offset:
        return "T" + clock
    return clock


_OCLOCK = ("o'clock", "o'clock", "o'clock", "o\u2019clock", "o clock", "oclock")


def render_oclock(hour: int, minute: int, rng: random.Random) -> str:
    oclock = rng.choice(_OCLOCK)
    needs_period = hour == 0 or hour > 12 or rng.random() < 0.5
    shown = number(period_hour(hour), rng, words=0.7)
    if minute == 0 and not needs_period:
        return f"{shown} {oclock}"
    text = f"{shown} {oclock}"
    if minute:
        text += " " + number_words(minute, rng)  # seed style: "seven o'clock nineteen p.m."
    if needs_period:
        period = pm_period(hour, rng) if hour >= 12 else am_period(hour, rng)
        text += " " + period
    return text


def render_quarter_half(hour: int, minute: int, rng: random.Random) -> str:
    article = "a " if rng.random() < 0.25 else ""
    if minute == 15:
        return f"{article}quarter {rng.choice(('past', 'past', 'after'))} {named_hour(hour, rng)}"
    if minute == 30:
        if rng.random() < 0.3:
            return f"halfway to {named_hour(shift(hour, minute, 30)[0], rng)}"
        return f"half past {named_hour(hour, rng)}"
    target = shift(hour, minute, 15)[0]
    return f"{article}quarter {rng.choice(('to', 'to', 'before', 'till'))} {named_hour(target, rng)}"


def _minutes_text(count: int, rng: random.Random, before: bool = False) -> str:
    """`count` minutes; before an hour ("to"/"till"), bare digits always get a
    unit or become words: "2 to 3" reads as a range, never as 02:58."""
    shown = number(count, rng, words=0.65)
    unit = rng.choice(("", "", " minutes", " min", " mins")) if count != 1 else \
        rng.choice(("", " minute", " min"))
    if before and not unit and shown.isdigit():
        if rng.random() < 0.5:
            return number_words(count, rng)
        unit = " min" if count == 1 else rng.choice((" min", " mins", " minutes"))
    return shown + unit


def render_minutes_past_to(hour: int, minute: int, rng: random.Random) -> str:
    to_form = minute > 30 if rng.random() < 0.6 else rng.random() < 0.5
    if to_form:
        target = shift(hour, minute, 60 - minute)[0]
        connector = rng.choice(("to", "to", "before", "till", "of"))
        named = named_hour(target, rng)
        # Bare digits before a figure read as a range ("2 to 3"); before a
        # named hour ("20 to midnight", "5 to eight") they are minutes.
        before = any(c.isdigit() for c in named)
        return f"{_minutes_text(60 - minute, rng, before=before)} {connector} {named}"
    connector = rng.choice(("past", "past", "after"))
    return f"{_minutes_text(minute, rng)} {connector} {named_hour(hour, rng)}"


def _spoken_hour(hour: int, rng: random.Random) -> str:
    if hour == 0:
        return rng.choice(("zero", "oh", "zero zero"))
    if hour < 10 and rng.random() < 0.25:
        return rng.choice(("oh ", "zero ", "o ")) + _ONES[hour]
    return number_words(hour, rng)


def render_spoken_digital(hour: int, minute: int, rng: random.Random) -> str:
    with_period = 0 < period_hour(hour) and rng.random() < 0.35
    shown = number_words(period_hour(hour), rng) if with_period else _spoken_hour(hour, rng)
    if with_period and hour >= 13 and rng.random() < 0.2:
        shown = number_words(hour, rng)  # the 24-hour hour keeps a p.m. word: "fifteen ten pm"
    if minute == 0:
        text = shown + " hundred" + rng.choice(("", " hours", " hours", " hrs"))
    elif minute < 10:
        # "nine oh two"; a word hour may also run straight into its minutes
        # ("ten seven"), except "twenty", which would read as one number.
        nought = ('oh', 'oh', 'zero', 'o') + (('',) if shown.isalpha() and shown != "twenty" else ())
        text = f"{shown} {rng.choice(nought)} {_ONES[minute]}".replace("  ", " ")
    else:
        text = f"{shown} {number_words(minute, rng)}"
    if rng.random() < 0.12:  # hyphens for spaces: "nine-forty", "seven-oh-five"
        text = text.replace(" ", "-")
    if with_period:
        text += " " + (pm_period(hour, rng) if hour >= 12 else am_period(hour, rng))
    return text


def render_hours_and(hour: int, minute: int, rng: random.Random) -> str:
    if hour in (0, 12) and rng.random() < 0.4:
        head = "noon" if hour == 12 else "midnight"
        return f"{head} hours and {number(minute, rng, 0.8)}"
    with_period = hour == 0 or hour > 12 or rng.random() < 0.5
    shown = number(period_hour(hour) if with_period else hour, rng, words=0.75)
    hours = "hour" if shown in ("1", "one") and rng.random() < 0.5 else "hours"
    text = f"{shown} {hours} and {number(minute, rng, 0.8)}"
    if rng.random() < 0.3:
        text += " minutes" if minute != 1 else " minute"
    if with_period:
        text += " " + (pm_period(hour, rng) if hour >= 12 else am_period(hour, rng))
    return text


def render_noon_midnight(hour: int, minute: int, rng: random.Random) -> str:
    if hour == 12:
        return rng.choice(("noon", "midday", "mid-day", "12 noon", "twelve noon", "12:00 noon",
                           "noontime", "12 midday", "twelve midday", "high noon"))
    return rng.choice(("midnight", "12 midnight", "twelve midnight", "12:00 midnight",
                       "mid-night", "12 am midnight"))
