"""Renderers of the time language (../shared/TIME_LANGUAGE.md).

Plain Python, no Beam: each family is a `Family` whose `sample_time` draws an
(hour, minute) it can express and whose `render` writes one phrase for it.
The label is computed from the time the renderer was given, never parsed back
from the phrase, so every pair is right by construction.

All randomness comes from the `random.Random` passed in, so a shard seeded the
same way renders the same phrases on any machine.
"""

import dataclasses
import random
import re
import string
from typing import Callable, Dict, Optional, Tuple

from schemas import features

Time = Tuple[int, int]

# ---------------------------------------------------------------- numbers

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve "
         "thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}


def number_words(n: int, rng: random.Random) -> str:
    """`n` (0-59) in words, tens and ones joined by a hyphen or a space."""
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


# ---------------------------------------------------------------- families

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
    if minute == 0:
        forms += [
            lambda: join_period(str(period_hour(hour)),
                                rng.choice(_PM_MARKS if hour >= 12 else _AM_MARKS), rng),
            lambda: str(hour),
            lambda: f"{hour}h",
        ] * 2
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
    if rng.random() < 0.4:
        clock += _random_zone(rng)
    roll = rng.random()
    if roll < 0.35:
        return rng.choice("Tt") + clock
    if roll < 0.75:
        return _random_date(rng) + rng.choice(("T", "T", " ", "t")) + clock
    if ":" not in clock[2:]:
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


def _minutes_text(count: int, rng: random.Random) -> str:
    shown = number(count, rng, words=0.65)
    unit = rng.choice(("", "", " minutes", " min", " mins")) if count != 1 else \
        rng.choice(("", " minute", " min"))
    return shown + unit


def render_minutes_past_to(hour: int, minute: int, rng: random.Random) -> str:
    to_form = minute > 30 if rng.random() < 0.6 else rng.random() < 0.5
    if to_form:
        target = shift(hour, minute, 60 - minute)[0]
        connector = rng.choice(("to", "to", "before", "till", "of"))
        return f"{_minutes_text(60 - minute, rng)} {connector} {named_hour(target, rng)}"
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
    if minute == 0:
        text = shown + " hundred" + rng.choice(("", " hours", " hours", " hrs"))
    elif minute < 10:
        text = f"{shown} {rng.choice(('oh', 'oh', 'zero', 'o'))} {_ONES[minute]}"
    else:
        text = f"{shown} {number_words(minute, rng)}"
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


# ---------------------------------------------------------------- noise

FILLERS = ("at", "around", "about", "approx.", "approx", "~", "approximately", "roughly",
           "by", "circa", "ca.", "at about", "at around", "time:", "say", "@", "like",
           "sometime around", "exactly", "right at")

MISSPELLINGS = {
    "quarter": ("quater", "qaurter", "quartr"),
    "o'clock": ("oclock", "o clock", "oclok", "o'clok"),
    "minutes": ("minuts", "mintues", "minuites"),
    "minute": ("minut", "minite"),
    "twelve": ("twelv", "twleve"),
    "forty": ("fourty",),
    "past": ("pas", "passed"),
    "eight": ("eigth",),
    "fifteen": ("fiveteen", "fiften"),
    "midnight": ("midnite",),
    "thirty": ("thirthy", "thrity"),
    "before": ("befor", "b4"),
    "evening": ("evning",),
    "morning": ("mornin", "morming"),
    "afternoon": ("afternon",),
    "hours": ("hrs", "hous"),
    "twenty": ("tweny", "twenty"),
    "nineteen": ("ninteen",),
    "half": ("haf",),
    "seven": ("sevn",),
}


def add_filler(text: str, rng: random.Random) -> str:
    return f"{rng.choice(FILLERS)} {text}"


def misspell(text: str, rng: random.Random) -> str:
    words = [w for w in MISSPELLINGS if re.search(rf"\b{re.escape(w)}\b", text)]
    if not words:
        return text
    word = rng.choice(words)
    return re.sub(rf"\b{re.escape(word)}\b", rng.choice(MISSPELLINGS[word]), text, count=1)


def recase(text: str, rng: random.Random) -> str:
    return rng.choice((str.upper, str.title, str.capitalize, str.lower))(text)


def respace(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    if len(words) > 1 and rng.random() < 0.5:
        i = rng.randrange(1, len(words))
        words[i] = " " * rng.randrange(1, 3) + words[i]
    return " " * rng.randrange(0, 3) + " ".join(words) + " " * rng.randrange(0, 3)


def punctuate(text: str, rng: random.Random) -> str:
    return text + rng.choice((".", ".", "!", ",", "?", ";"))


_NOISE_OPS = (add_filler, misspell, misspell, recase, respace, punctuate)


def add_noise(text: str, rng: random.Random) -> str:
    """One to three kinds of noise a person adds to any phrase."""
    for op in rng.sample(_NOISE_OPS, rng.randrange(1, 4)):
        text = op(text, rng)
    return text


def light_noise(text: str, rng: random.Random) -> str:
    """The noise every family sees now and then: case, a filler, a full stop."""
    if rng.random() < 0.3:
        text = recase(text, rng)
    if rng.random() < 0.08:
        text = add_filler(text, rng)
    if rng.random() < 0.05:
        text = punctuate(text, rng)
    return text


# ---------------------------------------------------------------- rejects

NON_TIME_WORDS = (
    "pizza", "next tuesday", "tomorrow", "yesterday", "asap", "n/a", "none", "null", "unknown",
    "tbd", "later", "soon", "hello", "meeting room 4", "see notes", "call me", "whenever",
    "no idea", "not sure", "today", "this weekend", "monday", "friday night", "last week",
    "in a while", "banana bread", "the quick brown fox", "order #4471", "flight ba117",
    "room 101", "gate b22", "version 2.1.3", "3.14159", "100%", "$12.50", "42 kg", "7 km",
    "555-0199", "+44 20 7946 0958", "page 12 of 40", "chapter eleven", "a quarter of the cake",
    "half price", "minutes of the meeting", "forty winks", "seven dwarfs", "twelve angry men",
    "ocean's eleven", "catch-22", "nine to five job", "the eleventh hour", "noon-ish lunch menu",
    "hours of fun", "o'clock", "quarter", "half", "am", "pm", "-", "--", "?", "...", "", " ",
    "date", "time", "tbc", "xx:xx", "hh:mm", "--:--", "sunrise", "sometime", "never",
)

MONTHS = ("january february march april may june july august september october "
          "november december").split()


def _date_alone(rng: random.Random) -> str:
    year, month, day = rng.randrange(1990, 2040), rng.randrange(1, 13), rng.randrange(1, 29)
    return rng.choice((
        f"{year}-{month:02d}-{day:02d}", f"{day:02d}/{month:02d}/{year}",
        f"{month}/{day}/{str(year)[2:]}", f"{MONTHS[month - 1]} {day}",
        f"{day} {MONTHS[month - 1]} {year}", f"{MONTHS[month - 1]} {year}",
        f"{year}", f"q{rng.randrange(1, 5)} {year}", f"{day}.{month:02d}.{year}",
    ))


def _out_of_range(rng: random.Random) -> str:
    bad_hour = rng.randrange(24, 100)
    bad_minute = rng.randrange(60, 100)
    hour, minute = uniform_time(rng)
    clock = rng.choice((f"{bad_hour}:{minute:02d}", f"{hour}:{bad_minute}",
                        f"{bad_hour}:{bad_minute}", f"{bad_hour}.{minute:02d}", "24:00",
                        f"{bad_hour:02d}{minute:02d} hrs", f"{hour:02d}{bad_minute}",
                        f"T{bad_hour}:{minute:02d}", f"{bad_hour}h{minute:02d}"))
    return rng.choice((
        clock, clock,
        f"{number_words(rng.randrange(24, 60), rng)} o'clock",
        f"{rng.randrange(13, 60)} {rng.choice(_AM_MARKS)}",
        f"{rng.randrange(25, 60)} o'clock",
        f"quarter past {number_words(rng.randrange(25, 60), rng)}",
        f"half past {rng.randrange(25, 100)}",
    ))


_NUMBERED_THINGS = ("room", "table", "gate", "bus", "platform", "aisle", "floor", "building",
                    "seat", "order", "invoice", "ticket", "chapter", "page", "step", "level",
                    "unit", "suite", "lot", "box", "item", "row", "section", "line", "track",
                    "exit", "route", "zone", "apartment", "locker", "desk", "bay", "channel")
_LEADS = ("", "", "see", "go to", "meet at", "the meeting is in", "check", "ask about",
          "deliver to", "call about", "it is in", "we are at", "parked in", "moved to")


def _number_in_context(rng: random.Random) -> str:
    """A number that is not a time: it counts or names a thing."""
    thing = rng.choice(_NUMBERED_THINGS)
    count = rng.choice((rng.randrange(1, 25), rng.randrange(1, 100), rng.randrange(100, 10000)))
    shown = number(count, rng, 0.2) if count < 60 else str(count)
    phrase = rng.choice((f"{thing} {shown}", f"{thing} #{shown}", f"{shown} {thing}s",
                         f"{thing} {shown}{rng.choice('abc')}"))
    return f"{rng.choice(_LEADS)} {phrase}".strip()


def _gibberish(rng: random.Random) -> str:
    letters = string.ascii_lowercase + "  "
    return "".join(rng.choice(letters) for _ in range(rng.randrange(1, 24))).strip() or "zz"


def render_reject(hour: int, minute: int, rng: random.Random) -> str:
    del hour, minute  # a non-time has no time
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(NON_TIME_WORDS)
    if roll < 0.42:
        return _date_alone(rng)
    if roll < 0.65:
        return _out_of_range(rng)
    if roll < 0.85:
        return _number_in_context(rng)
    return _gibberish(rng)


# ---------------------------------------------------------------- registry

@dataclasses.dataclass(frozen=True)
class Family:
    name: str
    render: Callable[[int, int, random.Random], str]
    sample_time: Callable[[random.Random], Time] = uniform_time
    is_reject: bool = False


_BASE_FAMILIES = (
    Family("digital", render_digital),
    Family("digital_period", render_digital_period),
    Family("compact", render_compact, on_the_hour_often),
    Family("iso", render_iso),
    Family("oclock", render_oclock, on_the_hour_often),
    Family("quarter_half", render_quarter_half, quarter_time),
    Family("minutes_past_to", render_minutes_past_to, not_on_the_hour),
    Family("spoken_digital", render_spoken_digital, on_the_hour_often),
    Family("hours_and", render_hours_and, not_on_the_hour),
    Family("noon_midnight", render_noon_midnight, noon_or_midnight),
)
_REJECT = Family(features.REJECT_FAMILY, render_reject, is_reject=True)
NOISE_FAMILY = "noise"  # any base family's phrase with heavy noise added
FAMILIES: Dict[str, Family] = {f.name: f for f in _BASE_FAMILIES + (_REJECT,)}

# Default mix, as relative weights. The families a rule-based parser finds
# hardest (words, "to" arithmetic, noise) get more weight than the digital
# forms, which the model learns quickly; noon/midnight has few distinct
# phrases, but each must be seen often enough to be learnt.
DEFAULT_WEIGHTS: Dict[str, float] = {
    "digital": 0.8, "digital_period": 1.0, "compact": 1.0, "iso": 0.9, "oclock": 1.0,
    "quarter_half": 0.9, "minutes_past_to": 1.6, "spoken_digital": 1.1, "hours_and": 0.8,
    "noon_midnight": 0.6, "noise": 1.6, "reject": 1.0,
}
assert set(DEFAULT_WEIGHTS) == set(features.FAMILIES) == set(FAMILIES) | {NOISE_FAMILY}


def render_pair(family: str, rng: random.Random,
                time: Optional[Time] = None) -> Tuple[str, str]:
    """One (phrase, label) pair of `family`; `time` fixes the time rendered."""
    if family == NOISE_FAMILY:
        base = rng.choice(_BASE_FAMILIES)
        hour, minute = time or base.sample_time(rng)
        return add_noise(base.render(hour, minute, rng), rng), label(hour, minute)
    spec = FAMILIES[family]
    hour, minute = time or spec.sample_time(rng)
    phrase = spec.render(hour, minute, rng)
    if spec.is_reject:
        return phrase, features.REJECT_LABEL
    return light_noise(phrase, rng), label(hour, minute)


def parse_weights(text: str) -> Dict[str, float]:
    """Parses "digital=2,reject=0.5" over the defaults; unknown names fail."""
    weights = dict(DEFAULT_WEIGHTS)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        if name not in weights:
            raise ValueError(f"unknown family {name!r}; families: {', '.join(weights)}")
        weights[name] = float(value)
        if weights[name] < 0:
            raise ValueError(f"weight of {name} must be >= 0, got {value}")
    if not any(weights.values()):
        raise ValueError("at least one family needs a positive weight")
    return weights
