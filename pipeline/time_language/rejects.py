"""The reject family: text that holds no one time of day (TIME_LANGUAGE.md).

Words and placeholders, dates alone in every form of family 12, ordinals
and relative days, holidays and months with their year, day periods with
no clock time, durations and frequencies, numbers that count or name
things, impossible times, ranges and two times (alone, after a label's
words, or each after its own label), readings with a unit, money and
hours counted in decimals, garbage, and near misses in context: the same
labels, ids, dates and day words that surround real times (families
12-15), with no clock time among them. All are labelled with the reject
label.
"""

import random
import string

from pipeline.time_language import context, cores, dates
from pipeline.time_language.clock import uniform_time
from pipeline.time_language.periods import (
    _AM_MARKS, _PM_MARKS, join_period, number, number_words, period_hour)
from pipeline.time_language.reject_words import (
    _LEADS, _NUMBERED_THINGS, _WORDS, COUNTED, DAY_PERIODS, HOLIDAYS, NON_TIME_WORDS, ONE_LEADS,
    PLACEHOLDERS, RELATIVE_DAYS, UNITS_OF_TIME)


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


def _number_in_context(rng: random.Random) -> str:
    """A number that is not a time: it counts or names a thing."""
    thing = rng.choice(_NUMBERED_THINGS)
    count = rng.choice((rng.randrange(1, 25), rng.randrange(1, 100), rng.randrange(100, 10000)))
    shown = number(count, rng, 0.2) if count < 60 else str(count)
    if rng.random() < 0.3:
        thing = thing.title()
    phrase = rng.choice((f"{thing} {shown}", f"{thing} #{shown}", f"{shown} {thing}s",
                         f"{thing} {shown}{rng.choice('abc')}",
                         f"{thing} {rng.choice(('no.', 'No.', 'no', 'nr.', 'num'))} {shown}"))
    return f"{rng.choice(_LEADS)} {phrase}".strip()


def _gibberish(rng: random.Random) -> str:
    letters = string.ascii_lowercase + "  "
    return "".join(rng.choice(letters) for _ in range(rng.randrange(1, 24))).strip() or "zz"


def _duration(rng: random.Random) -> str:
    """Durations and frequencies: "2 hours", "2 hrs 15 mins", "every 6 hours", "q4h"."""
    hours, minutes = rng.randrange(1, 13), rng.randrange(1, 60)
    h_unit, m_unit = rng.choice(UNITS_OF_TIME[0][1:]), rng.choice(UNITS_OF_TIME[1][1:])
    return rng.choice((
        f"{number(hours, rng, 0.3)} {h_unit}", f"{hours} {h_unit} {minutes} {m_unit}",
        f"{minutes} {m_unit}", f"{number(minutes, rng, 0.4)} minutes",
        f"every {hours} {h_unit}", f"q{rng.choice((2, 4, 6, 8, 12))}h",
        f"for {hours} {h_unit}", f"in {minutes} {m_unit}", f"{minutes} {m_unit} ago",
        f"{hours}.{rng.randrange(1, 10)} hrs", f"{hours}.{rng.choice(('25', '50', '75'))} {h_unit}",
        f"{rng.choice((1, 2, 3, 4))}x daily", "bd", "tds",
        f"took {rng.randrange(1, 9999)} ms", "half an hour", "an hour", "quarter of an hour",
        f"{rng.randrange(1, 4)} days",
        f"every {number_words(minutes, rng)} minutes", f"{hours}:{minutes:02d} hrs long",
        f"duration {hours}h {minutes}m", f"{rng.randrange(1, 40)} min walk",
        f"{hours}h {minutes}m", f"{hours}h {minutes:02d}min", f"{number(hours, rng, 0.6)} hourly",
        f"{hours}-hourly", "hourly", f"{hours} hrly", f"fasting {hours} hrs",
        f"journey time {hours}h {minutes}m", f"every {number_words(hours, rng)} hours",
        f"{hours} hours {minutes} minutes", f"{hours} hr {minutes} min", f"{minutes}-{minutes + 5} mins",
        f"in {number(hours, rng, 0.6)} {rng.choice(('days', 'weeks', 'months', 'hours'))}",
        f"{number(hours, rng, 0.6)} {rng.choice(('days', 'weeks', 'months'))} ago",
    ))


def _not_a_time_number(rng: random.Random) -> str:
    """Numbers that are not times: percentages, money, versions, phones, scores, ids."""
    a, b = rng.randrange(1, 24), rng.randrange(0, 60)
    return rng.choice((
        f"{a}.{rng.randrange(10)}%", f"${a}.{b:02d}", f"£{a}.{b:02d}", f"€{a},{b:02d}",
        f"v{rng.randrange(1, 10)}.{rng.randrange(0, 30)}", f"version {a}.{b}.{rng.randrange(9)}",
        f"ext. {rng.randrange(1000, 9999)}", f"x{rng.randrange(100, 9999)}",
        f"0{rng.randrange(1000, 9999)} {rng.randrange(100000, 999999)}",
        f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        f"0{rng.randrange(100, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
        f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
        f"+1 {rng.randrange(200, 999)} {rng.randrange(200, 999)} {rng.randrange(1000, 9999)}",
        f"{rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}", f"{rng.randrange(100, 999)}ml",
        f"+{rng.randrange(1, 99)} {rng.randrange(10, 99)} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
        f"room {a}", f"{rng.randrange(0, 9)}-{rng.randrange(0, 9)}", f"score {rng.randrange(0, 9)}:{rng.randrange(0, 9)} FT",
        f"{rng.randrange(10, 999)} points", f"{rng.randrange(10 ** 5, 10 ** 8)}", f"{a}.{b} kg",
        f"{a} x {b}", f"{a}/{b}", f"{rng.randrange(90, 180)}/{rng.randrange(50, 110)}",
        f"{a}.{b:02d} miles", f"{rng.randrange(35, 41)}.{rng.randrange(10)}C", f"ratio {a}:{rng.randrange(1, 10)}",
        f"{a}.{b:02d}.{rng.randrange(10, 99)}.{rng.randrange(1, 255)}", f"size {a}",
        f"{a}{rng.choice(('st', 'nd', 'rd', 'th'))} place", f"{a} of {a + b}", f"#{a}{b:02d}",
        f"aisle {a}", f"{a} items", f"£{a}", f"{rng.randrange(1, 9)}{b:02d} calories",
    ))


def _ordinal_day(rng: random.Random) -> str:
    year, month, day = dates.random_date(rng)
    return rng.choice((
        f"{dates._ordinal(day)} {dates._month(month, rng)}",
        f"{dates._weekday(rng)} {dates._ordinal(day)}", f"{day} {dates._month(month, rng)}",
        f"{year}.{month:02d}.{day:02d}", f"the {dates._ordinal(day)}",
        f"{dates._month(month, rng)} {dates._ordinal(day)}", f"{dates._ordinal(day)} of {MONTHS_LOWER[month - 1]}",
        f"{day} {dates._month(month, rng)}", f"{dates._month(month, rng)} {year}",
    ))


MONTHS_LOWER = [m.lower() for m in dates.MONTHS]


def _dated_holiday(rng: random.Random) -> str:
    """A holiday, season or month with its year: "easter 2021", "christmas '19"."""
    year = rng.randrange(1950, 2036)
    holiday = rng.choice(HOLIDAYS).replace("{month}", rng.choice(MONTHS_LOWER))
    shown = rng.choice((str(year), str(year), f"'{year % 100:02d}", dates.year_words(year, rng)))
    text = rng.choice((f"{holiday} {shown}", f"{holiday}, {shown}", f"{holiday} of {shown}"))
    return f"{rng.choice(('', '', 'last', 'next', 'since', 'until', 'by'))} {text}".strip()


def _one_or_count(rng: random.Random) -> str:
    """"one" as a pronoun and small head counts, not an hour: "the other one",
    "1 adult", "party of four", "table for two"."""
    count = rng.randrange(1, 13)
    thing = rng.choice(COUNTED)
    plural = thing if count == 1 or thing in ("people", "pax") else thing + "s"
    shown = number(count, rng, 0.5)
    return rng.choice((
        f"{rng.choice(ONE_LEADS)} one", f"{rng.choice(ONE_LEADS)} one", f"{shown} {plural}",
        f"{rng.choice(ONE_LEADS)} one please", f"{shown} {plural}, {number(rng.randrange(1, 6), rng)} "
        f"{rng.choice(COUNTED)}s", f"party of {shown}", f"table for {shown}",
        f"{rng.choice(('no', 'some', 'any', 'every'))}one", f"one of {rng.choice(('them', 'us', 'those', 'these'))}",
        f"{rng.choice(_WORDS)} {rng.choice(ONE_LEADS)} one", f"one {thing}", f"x{count} {plural}",
    ))


def _impossible(rng: random.Random) -> str:
    hour, minute = uniform_time(rng)
    return rng.choice((
        f"{period_hour(hour)}:{rng.randrange(60, 100)} {rng.choice(_AM_MARKS + _PM_MARKS)}",
        f"{rng.randrange(24, 40)}:{minute:02d}", f"{number_words(period_hour(hour), rng)} "
        f"{rng.choice(('sixty', 'seventy', 'eighty', 'ninety'))} {rng.choice(('p m', 'am', 'pm'))}",
        f"{rng.randrange(25, 99)} o'clock", f"{hour}:{rng.randrange(60, 100)}",
        f"quarter past {rng.randrange(25, 60)}", f"{rng.randrange(24, 30)}{minute:02d} hrs",
        dates.timestamp(hour, rng.randrange(60, 100), rng),  # "2022-05-06T16:75:00Z"
    ))


def _vague_day_period(rng: random.Random) -> str:
    """A day period with no clock time, said loosely: "this evening sometime",
    "around lunchtime", "mornings, any time"."""
    period = rng.choice(DAY_PERIODS)
    return rng.choice((period, f"{period} sometime", f"sometime {period}", f"{period}, any time",
                       f"around {period}", f"{period}-ish", f"{period} if poss",
                       f"{period} tbc", f"any time {period}", f"{period} whenever",
                       f"about {period}", f"{period} probably"))


def _clock_text(rng: random.Random) -> str:
    """A short clock phrase for ranges and pairs of times."""
    hour, minute = uniform_time(rng)
    return rng.choice((f"{hour}:{minute:02d}", f"{period_hour(hour)}", f"{hour:02d}:{minute:02d}",
                       join_period(f"{period_hour(hour)}:{minute:02d}",
                                   rng.choice(_AM_MARKS + _PM_MARKS), rng),
                       join_period(str(period_hour(hour)), rng.choice(_AM_MARKS + _PM_MARKS), rng),
                       f"{hour:02d}{minute:02d}", f"{period_hour(hour)}:{minute:02d}",
                       number_words(period_hour(hour), rng), "noon", "midnight"))


def _range_or_two(rng: random.Random) -> str:
    """More than one time, or a range: not one time of day."""
    a, b = _clock_text(rng), _clock_text(rng)
    if b in ("noon", "midnight") and not any(c in a for c in ":mM"):
        b = _clock_text(rng).replace("noon", "11pm").replace("midnight", "10am")  # "ten to noon" is a time
    h1, h2 = rng.randrange(1, 13), rng.randrange(1, 13)
    # two clocks written as one time's clock is ("12:10-12:50", "0900-1300h"),
    # the twin of families 13-15's one clock
    c, d = cores.written_clock(rng)[0], cores.written_clock(rng)[0]
    if a.isalpha() and a not in ("noon", "midnight"):  # "ten to 7pm", "ten till nine" are
        a = str(h1)                                     # times (families 7, 16): a range takes figures
    return rng.choice((
        f"{h1}-{h2}", f"{a}-{b}", f"{a} - {b}", f"{a} to {b}", f"from {a} to {b}",
        f"between {a} and {b}", f"{a} or {b}", f"{a}/{b}", f"{a} & {b}", f"{a}–{b}",
        f"{h1} to {h2}{rng.choice(('pm', 'am', ' pm'))}", f"{h1} or {h2}",
        f"shift {a}-{b}", f"Mon-Fri {h1}-{h2}", f"open {a} till {b}", f"{a}, {b}",
        f"{a} then {b}", f"either {a} or {b}", f"{a} and again at {b}",
        f"{h1}{rng.choice(('am', 'pm'))}-{h2}{rng.choice(('am', 'pm'))}",
        f"{c}-{d}", f"{c}-{d}", f"{c}–{d}", f"{c} - {d}", f"{c} to {d}", f"{c}/{d}",
    ))


def _range_after_label(rng: random.Random) -> str:
    """A range or two times after a label's words ("Maintenance window
    22:00-23:30", "Mon-Sat 06:00-23:30", "Lunch 12:10-12:50"), notes after
    it sometimes: not one time of day."""
    roll = rng.random()
    if roll < 0.5:
        label = rng.choice(("window", "Maintenance window", "Opening hours", "open", "Hours",
                            "shift", "Visiting", "Office hours", "Slot", "Backup window",
                            "Quiet hours", "Clinic", "Surgery", "Service", "Mon-Sat", "Weekdays",
                            "Sat", "Cover"))
    elif roll < 0.8:  # "Lunch 12:10-12:50"
        label = rng.choice(context.ACTIVITIES)
    else:  # "walk the dog 6-7pm"
        label = rng.choice(context.ERRANDS)
    text = f"{label} {_range_or_two(rng)}"
    return text + context.trailer(rng) if rng.random() < 0.4 else text


def _measurement(rng: random.Random) -> str:
    """A reading whose value looks like a clock (context.reading: "Glucose
    5.45 mmol/L", "Paid $12.40", "OT 2.25 hrs"), a date after it sometimes:
    not a time. With a time beside it, it is that time
    (family 13's "reading" domain), so the reading alone never decides."""
    shown = context.reading(rng)
    if rng.random() < 0.2:
        shown += f" ({dates.written_date(rng)})"
    return shown + context.trailer(rng) if rng.random() < 0.2 else shown


def _two_labelled_times(rng: random.Random) -> str:
    """A pair of labels, each with its own time ("Arr 14:05 Dep 14:20",
    "Incident opened at 6:02 am, ack 6:04 am"), each written as a clock
    (cores.written_clock, as the one time of family 13's pairs): two times,
    not one; or with no time at all ("Dep --, Arr tbc"). One time in such
    a pair is a time (family 13's "paired" domain), so the pair's words
    alone never decide."""
    if rng.random() < 0.2:
        first, second = context._fill("{other}", rng), context._fill("{other}", rng)
        return context._fill(context.paired(first, second, rng), rng)
    (first, _), (second, _) = cores.written_clock(rng), cores.written_clock(rng)
    text = context._fill(context.paired(first, second, rng), rng)
    return text + context.trailer(rng) if rng.random() < 0.2 else text


def _garbage(rng: random.Random) -> str:
    """Punctuation and symbols only, or digits of another script."""
    if rng.random() < 0.5:
        symbols = string.punctuation + "  ·•…–—°§¶"
        return "".join(rng.choice(symbols) for _ in range(rng.randrange(1, 10))).strip() or "?!"
    digits = rng.choice(("٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "০১২৩৪৫৬৭৮৯", "๐๑๒๓๔๕๖๗๘๙"))
    hour, minute = uniform_time(rng)
    shown = "".join(digits[int(c)] for c in f"{hour:02d}{minute:02d}")
    return shown[:2] + rng.choice((":", ".", "")) + shown[2:]


def _words_only(rng: random.Random) -> str:
    """A note of plain words: "buy milk", "patient settled, no change"."""
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 7)))


def _log_without_time(rng: random.Random) -> str:
    """A log line or an export value that carries no clock time."""
    year, month, day = dates.random_date(rng)
    message = rng.choice(dates.LOG_MESSAGES)(rng)
    return rng.choice((
        message, f"{dates.MONTHS[month - 1][:3]} {day:>2} {rng.choice(dates.HOSTS)} {message}",
        f"{year}-{month:02d}-{day:02d} {rng.choice(dates.LEVELS)} {message}",
        f"{year}-{month:02d}-{day:02d} {rng.randrange(24, 40)}:{rng.randrange(60):02d}:00",
        f"{year}-{month:02d}-{day:02d}T{rng.randrange(10)}{rng.randrange(10)}:{rng.randrange(60, 99)}",
        f"{dates.written_date(rng)} {_impossible(rng)}",
    ))


def _phone_in_context(rng: random.Random) -> str:
    """A phone number where a form or a note has one: "Tel: 0113 496 0321"."""
    label = rng.choice(("Phone:", "Tel:", "tel", "Call", "call dentist on", "mob", "Mobile -",
                        "ring", "contact no.", "ph", "fax", "text me on", "ext"))
    return f"{label} {_not_a_time_number(rng) if rng.random() < 0.2 else _phone(rng)}"


def _phone(rng: random.Random) -> str:
    return rng.choice((
        f"0{rng.randrange(100, 999)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
        f"0{rng.randrange(10, 99)} {rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}",
        f"07{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
        f"({rng.randrange(200, 999)}) {rng.randrange(200, 999)}-{rng.randrange(1000, 9999)}",
        f"+{rng.randrange(1, 99)} {rng.randrange(10, 999)} {rng.randrange(100, 9999)} {rng.randrange(1000, 9999)}",
        f"{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}",
        f"{rng.randrange(1000, 9999)} {rng.randrange(1000, 9999)}"))


def _near_miss_in_context(rng: random.Random) -> str:
    """The words around real times, with no clock time: a dated note, an id
    beside a day word, a duration in a ticket, a label with its value blank."""
    filler = rng.choice((
        dates.written_date(rng), dates.written_date(rng), _duration(rng), _duration(rng),
        _impossible(rng), _out_of_range(rng), _words_only(rng), _range_or_two(rng),
        _vague_day_period(rng), rng.choice(PLACEHOLDERS), _not_a_time_number(rng),
        f"{dates.written_date(rng)} {rng.choice(DAY_PERIODS)}", _range_or_two(rng),
        f"{rng.choice(('order', 'room', 'bed', 'gate', 'ticket'))} {rng.randrange(1, 9999)} "
        f"{rng.choice(DAY_PERIODS + RELATIVE_DAYS)}",
    ))
    template = rng.choice(context.CONTEXTS[rng.choice(sorted(context.CONTEXTS))])
    text = context._fill(template, rng).replace("{t}", filler)
    return text + context.trailer(rng) if rng.random() < 0.3 else text


def render_reject(hour: int, minute: int, rng: random.Random) -> str:
    del hour, minute  # a non-time has no time
    kinds = (
        (0.10, lambda: rng.choice(NON_TIME_WORDS)), (0.06, lambda: rng.choice(PLACEHOLDERS)),
        (0.09, lambda: dates.written_date(rng)), (0.05, lambda: _ordinal_day(rng)),
        (0.04, lambda: rng.choice(RELATIVE_DAYS)), (0.05, lambda: _vague_day_period(rng)),
        (0.07, lambda: _duration(rng)), (0.08, lambda: _not_a_time_number(rng)),
        (0.08, lambda: _out_of_range(rng)), (0.04, lambda: _impossible(rng)),
        (0.09, lambda: _range_or_two(rng)), (0.05, lambda: _number_in_context(rng)),
        (0.04, lambda: _gibberish(rng)), (0.04, lambda: _garbage(rng)),
        (0.16, lambda: _near_miss_in_context(rng)), (0.05, lambda: _words_only(rng)),
        (0.04, lambda: _log_without_time(rng)), (0.04, lambda: _phone_in_context(rng)),
        (0.03, lambda: _dated_holiday(rng)), (0.03, lambda: _one_or_count(rng)),
        (0.03, lambda: _range_after_label(rng)), (0.03, lambda: _two_labelled_times(rng)),
        (0.03, lambda: _measurement(rng)),
    )
    roll, total = rng.random() * sum(w for w, _ in kinds), 0.0
    for weight, make in kinds:
        total += weight
        if roll < total:
            return make()
    return kinds[-1][1]()
