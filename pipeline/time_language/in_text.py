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

from pipeline.time_language import clock, short_forms
from pipeline.time_language.clock import join_period, number, number_words, period_hour
from pipeline.time_language.noise import light_noise

Time = Tuple[int, int]

MONTHS = ("January February March April May June July August September October "
          "November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


# ---------------------------------------------------------------- cores

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


def core_phrase(rng: random.Random, strong: bool = False) -> Tuple[str, Time]:
    """A clock phrase of families 1-11 or 16 and its time."""
    from pipeline.time_language import FAMILIES  # the registry imports this module
    name = rng.choice(_STRONG_CORES + (() if strong else _WEAK_CORES))
    if name == "short":
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


def period_free_phrase(h12: int, minute: int, rng: random.Random) -> str:
    """(1-12, minute) written without a period, for a day word to supply one."""
    forms = [lambda: f"{h12}:{minute:02d}", lambda: f"{h12}.{minute:02d}",
             lambda: f"{h12}:{minute:02d}"]
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


# ---------------------------------------------------------------- family 12: dates

def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
                  "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
                  "nineteenth twentieth").split()


def ordinal_words(day: int, rng: random.Random) -> str:
    """A day of the month as an ordinal in words: "twenty-seventh", "fifteenth"."""
    if day <= 20:
        return _ORDINAL_WORDS[day - 1]
    tens, ones = divmod(day, 10)
    head = {2: "twenty", 3: "thirty"}[tens]
    if ones == 0:
        return head[:-1] + "ieth"
    return head + rng.choice(("-", " ")) + _ORDINAL_WORDS[ones - 1]


def year_words(year: int, rng: random.Random) -> str:
    """"nineteen seventy two", "two thousand and thirty two"."""
    century, rest = divmod(year, 100)
    if century == 20 and (rest < 10 or rng.random() < 0.5):
        tail = f" {rng.choice(('and ', ''))}{number_words(rest, rng)}" if rest else ""
        return "two thousand" + tail
    head = number_words(century, rng)
    if rest == 0:
        return head + " hundred"
    return f"{head} {'oh ' + number_words(rest, rng) if rest < 10 else number_words(rest, rng)}"


def _month(month: int, rng: random.Random) -> str:
    name = MONTHS[month - 1]
    return rng.choice((name, name[:3], name[:3], name[:3] + ".", name.lower(), name[:3].upper()))


def _weekday(rng: random.Random) -> str:
    name = rng.choice(WEEKDAYS)
    return rng.choice((name, name[:3], name[:3], name.lower(), name[:3] + ".", name.upper()))


def random_date(rng: random.Random) -> Tuple[int, int, int]:
    return rng.randrange(1995, 2036), rng.randrange(1, 13), rng.randrange(1, 29)


def written_date(rng: random.Random) -> str:
    """A date alone, in one of the common written forms (never with a time)."""
    year, month, day = random_date(rng)
    yy = f"{year % 100:02d}"
    sep = rng.choice("/-.")
    forms = (
        f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}-{day:02d}", f"{year}/{month:02d}/{day:02d}",
        f"{year}.{month:02d}.{day:02d}", f"{month:02d}/{day:02d}/{year}", f"{month}/{day}/{year}",
        f"{month}/{day}/{yy}", f"{day:02d}.{month:02d}.{year}", f"{day}.{month}.{yy}",
        f"{day:02d}/{month:02d}/{year}", f"{day}{sep}{month}{sep}{year}", f"{year}{month:02d}{day:02d}",
        f"{_month(month, rng)} {_ordinal(day)}, {year}", f"{_month(month, rng)} {day}, {year}",
        f"{day} {_month(month, rng)} {year}", f"{_ordinal(day)} {_month(month, rng)}",
        f"{_month(month, rng)} {day}", f"{_month(month, rng)} {_ordinal(day)}",
        f"{_weekday(rng)}, {_month(month, rng)} {day}", f"{_weekday(rng)} {day:02d} {_month(month, rng)}",
        f"{day:02d}-{_month(month, rng)}-{year}", f"{day}-{_month(month, rng)}-{yy}",
        f"{_month(month, rng)}.{day}", f"the {_ordinal(day)}", f"{_weekday(rng)} the {_ordinal(day)}",
        f"{_weekday(rng)}, {day:02d} {_month(month, rng)} {year}", f"{_weekday(rng)} {day}/{month}",
        f"{day} {_month(month, rng)}", f"{_weekday(rng)}",
        f"the {_ordinal(day)} of {MONTHS[month - 1]}", f"{_ordinal(day)} of {_month(month, rng)}",
        f"{_month(month, rng)} the {_ordinal(day)}", f"on the {_ordinal(day)}",
        f"{_month(month, rng)} {_ordinal(day)} {year}", f"{_weekday(rng)} {_month(month, rng)} {day}",
        f"{_weekday(rng)} the {ordinal_words(day, rng)}", f"{_month(month, rng)} {ordinal_words(day, rng)}",
        f"the {ordinal_words(day, rng)} of {MONTHS[month - 1]}", f"{ordinal_words(day, rng)} of {MONTHS[month - 1]}",
        f"{_month(month, rng)} {number_words(day, rng) if day < 60 else day}",
        f"{_weekday(rng)} {_month(month, rng)} {ordinal_words(day, rng)}",
        f"{_month(month, rng)} {day}, {year_words(year, rng)}", f"{day} {MONTHS[month - 1]} {year_words(year, rng)}",
        f"{day}. {_month(month, rng)}", f"{day}. {_month(month, rng)} {year}", f"{day}.{month}.",
        f"{day:02d}.{month:02d}.", f"{day:02d}{MONTHS[month - 1][:3].upper()}", f"{day:02d}{MONTHS[month - 1][:3]}{yy}",
        f"{_weekday(rng)}, {day}.{month}.", f"{MONTHS[month - 1][:3]}/{day}({_weekday(rng)[:3]})",
        f"{year} {MONTHS[month - 1]} {day}", f"{day} of {_month(month, rng)}", f"on {day}",
    )
    return rng.choice(forms)


def _seconds(rng: random.Random) -> str:
    return f"{rng.randrange(60):02d}"


def _offset(rng: random.Random, colon: bool = False) -> str:
    hours = rng.choice((0, 0, 1, 2, 3, 5, 7, 8, 9, 10, 4, 6, 11, 12))
    minutes = rng.choice(("00", "00", "00", "30", "45"))
    return f"{rng.choice('+-')}{hours:02d}{':' if colon else ''}{minutes}"


def _log_message(rng: random.Random) -> str:
    return rng.choice(LOG_MESSAGES)(rng)


def timestamp(hour: int, minute: int, rng: random.Random) -> str:
    """A whole machine timestamp holding (hour, minute): the formats of
    family 12 that only exist as a whole (RFC 2822, ctime, web server log,
    syslog, application log, compact ISO, spreadsheet export)."""
    year, month, day = random_date(rng)
    mon = MONTHS[month - 1][:3]
    wday = WEEKDAYS[rng.randrange(7)][:3]
    hh, mm, ss = f"{hour:02d}", f"{minute:02d}", _seconds(rng)
    h12, ampm = period_hour(hour), ("PM" if hour >= 12 else "AM")
    forms = (
        lambda: f"{wday}, {day:02d} {mon} {year} {hh}:{mm}:{ss} {rng.choice((_offset(rng), 'GMT', 'UT', '+0000'))}",
        lambda: f"{wday} {mon} {day:>2} {hh}:{mm}:{ss} {year}",
        lambda: f"[{day:02d}/{mon}/{year}:{hh}:{mm}:{ss} {_offset(rng)}]",
        lambda: f'{rng.randrange(1, 255)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)} - - '
                f'[{day:02d}/{mon}/{year}:{hh}:{mm}:{ss} {_offset(rng)}] "GET /{rng.choice(PATHS)} HTTP/1.1" '
                f'{rng.choice((200, 200, 304, 404, 500))} {rng.randrange(100, 99999)}',
        lambda: f"{mon} {day:>2} {hh}:{mm}:{ss}",
        lambda: f"{mon} {day:>2} {hh}:{mm}:{ss} {rng.choice(HOSTS)} {_log_message(rng)}",
        lambda: f"{year}-{month:02d}-{day:02d} {hh}:{mm}:{ss},{rng.randrange(1000):03d}",
        lambda: f"{year}-{month:02d}-{day:02d} {hh}:{mm}:{ss},{rng.randrange(1000):03d} "
                f"{rng.choice(LEVELS)} {_log_message(rng)}",
        lambda: f"{year}-{month:02d}-{day:02d} {hh}:{mm}:{ss}.{rng.randrange(10 ** 6):06d}",
        lambda: f"{year}{month:02d}{day:02d}T{hh}{mm}{ss}Z",
        lambda: f"{year}{month:02d}{day:02d}T{hh}{mm}{ss}",
        lambda: f"{month}/{day}/{year} {h12}:{mm}:{ss} {ampm}",
        lambda: f"{month:02d}/{day:02d}/{year} {h12:02d}:{mm}:{ss} {ampm}",
        lambda: f"{month:02d}/{day:02d}/{year} {h12:02d}:{mm}:{ss} {ampm} {_log_message(rng)}",
        lambda: f"{year}{month:02d}{day:02d}T{hh}{mm}{ss} {_log_message(rng)}",
        lambda: f"[{year}-{month:02d}-{day:02d} {hh}:{mm}:{ss}] {rng.choice(LEVELS)} {_log_message(rng)}",
        lambda: f"{month}/{day}/{year} {h12}:{mm} {ampm}",
        lambda: f"{day:02d}/{month:02d}/{year} {hh}:{mm}:{ss}",
        lambda: f"{year}-{month:02d}-{day:02d}T{hh}:{mm}:{ss}{rng.choice(('Z', _offset(rng, True), ''))}",
        lambda: f"{year}-{month:02d}-{day:02d} {hh}:{mm}:{ss} {rng.choice(('UTC', '+00:00', 'GMT'))}",
        lambda: f"{day:02d}-{mon}-{year} {hh}:{mm}:{ss}",
        lambda: f"{day:02d}-{mon.upper()}-{year % 100:02d} {h12:02d}.{mm}.{ss}.{rng.randrange(10 ** 6):06d} {ampm}",
    )
    return rng.choice(forms)()


_DATE_JOINS = (" ", " ", " at ", ", ", " @ ", " - ", ", at ", " ", "-", ".", ":", " for ")
_TIME_DATE_JOINS = (" on ", " ", ", ", " on ", " - ")


def render_dates(rng: random.Random) -> Tuple[str, Time]:
    """Family 12: a date before or after a clock phrase, or a whole timestamp."""
    if rng.random() < 0.35:
        hour, minute = clock.uniform_time(rng)
        return timestamp(hour, minute, rng), (hour, minute)
    text, time = core_phrase(rng, strong=rng.random() < 0.7)
    date = written_date(rng)
    if rng.random() < 0.65:
        join = rng.choice(_DATE_JOINS)
        if join in ("-", ".", ":") and not text[:1].isdigit():
            join = " "  # glued joins only between figures: "2021.03.09-07:45"
        military = len(text) == 4 and text.isdigit() and rng.random() < 0.6  # "9 Feb 1620"
        if not _is_strong(text) and not military and join.strip() not in ("at", "@", ", at"):
            join = rng.choice((" at ", " @ "))
        return date + join + text, time
    join = rng.choice(_TIME_DATE_JOINS) if _is_strong(text) else " on "
    return text + join + date, time


def _is_strong(text: str) -> bool:
    """False for phrases that are a time only when nothing competes: a bare
    figure ("0745", "16 54") or one or two number words ("seven forty")."""
    stripped = text.replace(" ", "")
    return not (stripped.isdigit() or stripped.isalpha() and len(text.split()) <= 2)


# ---------------------------------------------------------------- family 14: zones

ZONES = ("UTC", "UTC", "GMT", "Z", "Zulu", "EST", "EDT", "PST", "PDT", "CST", "CDT", "MST",
         "MDT", "CET", "CEST", "BST", "IST", "JST", "AEST", "AEDT", "NZST", "SGT", "HKT",
         "EET", "WET", "MSK", "AKST", "HST", "ET", "PT", "CT", "MT", "Eastern", "Pacific",
         "Central", "Mountain", "Eastern Time", "Pacific Time", "Central Time", "local time",
         "local", "(local)", "London time", "NY time", "Europe/Berlin", "America/New_York",
         "Asia/Kolkata", "Australia/Sydney", "UK time", "CET/CEST", "ET (New York)",
         "CDG", "LHR", "JFK", "FRA", "local (LHR)", "Paris time", "Tokyo time")


def zone(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(ZONES)
    if roll < 0.75:
        return _offset(rng, colon=rng.random() < 0.5)
    base = rng.choice(("GMT", "UTC"))
    sign, hours = rng.choice("+-"), rng.randrange(0, 13)
    shown = rng.choice((f"{sign}{hours}", f"{sign}{hours:02d}:00", f"{sign}{hours:02d}:30"))
    return f"({base}{shown})" if rng.random() < 0.4 else f"{base}{shown}"


def render_zones(rng: random.Random) -> Tuple[str, Time]:
    """Family 14: any clock phrase followed by a time zone, never converted."""
    if rng.random() < 0.2:  # "0800Z", "14:00Z": glued to a figure
        hour, minute = clock.uniform_time(rng)
        figure = rng.choice((f"{hour:02d}{minute:02d}", f"{hour:02d}:{minute:02d}",
                             f"{hour:02d}:{minute:02d}:{_seconds(rng)}"))
        return figure + rng.choice(("Z", "Z", "z", " Z", "UTC", " UTC")), (hour, minute)
    text, time = core_phrase(rng, strong=rng.random() < 0.8)
    return text + rng.choice((" ", " ", ", ", " ")) + zone(rng), time


# ---------------------------------------------------------------- family 15: day words

# Day words with a period in them, each with the hours (24-hour) it can name
# unambiguously (TIME_LANGUAGE.md: morning a.m.; afternoon and evening p.m.;
# tonight and "in the night" p.m. for 6-11 only).
_MORNING = ("this morning", "tomorrow morning", "early morning", "yesterday morning",
            "{weekday} morning", "in the morning", "tmrw morning", "this am")
_AFTERNOON = ("this afternoon", "tomorrow afternoon", "{weekday} afternoon",
              "in the afternoon", "yesterday afternoon", "this arvo")
_EVENING = ("this evening", "tomorrow evening", "{weekday} evening", "in the evening",
            "yesterday evening", "this eve")
_NIGHT = ("tonight", "tonite", "in the night", "tomorrow night", "{weekday} night",
          "last night", "2nite", "this night")
_LUNCH = ("lunchtime", "at lunchtime", "lunch")
_PERIOD_WORDS = (
    (_MORNING, tuple(range(1, 12))),
    (_AFTERNOON, (12, 13, 14, 15, 16, 17)),
    (_EVENING, (17, 18, 19, 20, 21, 22, 23)),
    (_NIGHT, (18, 19, 20, 21, 22, 23)),
    (_LUNCH, (12,)),
)
_NEUTRAL_DAYS = ("today", "tomorrow", "yesterday", "{weekday}", "on {weekday}",
                 "next {weekday}", "this {weekday}", "tmrw", "tomorrow", "today", "tdy")


def _day_word(words, rng: random.Random) -> str:
    return rng.choice(words).replace("{weekday}", _weekday(rng))


def render_day_words(rng: random.Random) -> Tuple[str, Time]:
    """Family 15: a day word before or after the time, its period applied by the rule."""
    if rng.random() < 0.35:  # a day with no period: the core keeps its own reading
        text, time = core_phrase(rng, strong=rng.random() < 0.5)
        day = _day_word(_NEUTRAL_DAYS, rng)
        if rng.random() < 0.5:
            return day + rng.choice((" ", " at ", " @ ", ", ", " by ")) + text, time
        return text + rng.choice((" ", " ", ", ")) + day, time
    words, hours = rng.choice(_PERIOD_WORDS)
    hour = rng.choice(hours)
    minute = rng.randrange(60) if rng.random() < 0.55 else rng.choice((0, 15, 30, 45))
    if rng.random() < 0.2:  # the time says its own period: "this morning 7am", "tonite 3am"
        if words is _NIGHT and rng.random() < 0.5:
            hour = rng.randrange(0, 6)  # after midnight, said so: "tonite at 4 am"
        marks = clock._PM_MARKS if hour >= 12 else clock._AM_MARKS
        text = join_period(f"{period_hour(hour)}" + (f":{minute:02d}" if minute else ""),
                           rng.choice(marks), rng)
        day = _day_word(words, rng)
        phrase = (f"{day} at {text}" if rng.random() < 0.6 else f"{text} {day}")
        return phrase, (hour, minute)
    return day_word_phrase(_day_word(words, rng), hour, minute, rng), (hour, minute)


def day_word_phrase(day: str, hour: int, minute: int, rng: random.Random) -> str:
    """`day`, a day word with a period, beside (hour, minute) written without
    one: "this morning at 6", "9 tonight". `hour` must be one the word names."""
    if rng.random() < 0.15 and hour >= 13:  # a 24-hour figure agrees with the word
        text = rng.choice((f"{hour}:{minute:02d}", f"{hour:02d}{minute:02d}"))
    else:
        text = period_free_phrase(period_hour(hour), minute, rng)
    if rng.random() < 0.5:
        return day + rng.choice((" at ", " at ", " ", ", ", " around ", " about ", " @ ")) + text
    return text + rng.choice((" ", " ", ", ")) + day


# ---------------------------------------------------------------- family 13: context

def _id(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.randrange(2, 4)))
    digit, letter = rng.randrange(1, 10), rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
    return rng.choice((f"#{rng.randrange(100, 99999)}", f"{letters}-{rng.randrange(10, 9999)}",
                       f"{digit}{letter}{rng.randrange(10, 99)}", f"{letter}{rng.randrange(1, 999)}",
                       f"{letters[:2]} {rng.randrange(1, 999)}", f"{letter}{digit}",
                       f"INC{rng.randrange(10 ** 6, 10 ** 7)}", f"{letters}{rng.randrange(100, 9999)}",
                       f"{rng.randrange(10 ** 5, 10 ** 8)}"))


def _small(rng: random.Random) -> str:
    return str(rng.randrange(1, 60))


def _flight(rng: random.Random) -> str:
    return rng.choice(("LH", "BA", "UA", "AF", "KL", "DL", "EZY", "FR", "QF")) + \
        str(rng.randrange(1, 9999))


def _dose(rng: random.Random) -> str:
    return rng.choice((f"{rng.choice((250, 500, 1000, 5, 10, 20))}mg", f"{rng.randrange(1, 30)} units",
                       f"{rng.randrange(1, 3)} tabs", f"{rng.randrange(1, 10)}0 ml",
                       f"{rng.choice((2.5, 5, 7.5, 0.5))} mg"))


def _vitals(rng: random.Random) -> str:
    return rng.choice((f"BP {rng.randrange(90, 180)}/{rng.randrange(50, 110)}",
                       f"HR {rng.randrange(50, 130)}", f"T {rng.randrange(355, 400) / 10}",
                       f"SpO2 {rng.randrange(88, 100)}%", f"BM {rng.randrange(30, 200) / 10}",
                       f"RR {rng.randrange(10, 30)}"))


def _fill(template: str, rng: random.Random) -> str:
    return (template.replace("{id}", _id(rng)).replace("{n}", _small(rng))
            .replace("{flight}", _flight(rng)).replace("{dose}", _dose(rng))
            .replace("{vitals}", _vitals(rng)).replace("{name}", rng.choice(NAMES))
            .replace("{place}", rng.choice(PLACES)).replace("{date}", written_date(rng))
            .replace("{emoji}", rng.choice(EMOJI)))


NAMES = ("Dr Patel", "Sam", "J. Smith", "Maria", "Ops", "nurse K", "Tom", "the client", "Mum",
         "Alex", "reception", "Dr. O'Neill", "Priya", "driver", "Li Wei", "Jo")
PLACES = ("Leeds", "Paddington", "JFK", "Terminal 2", "Ward 7", "Bay 3", "Dock 4", "Main St",
          "Platform 9", "Gate B22", "Room 18", "Zurich HB", "Berlin Hbf", "Stand 41")
EMOJI = ("🙏", "👍", "😅", "🙂", "🔥", "⏰", "✅", "😬", "🚆", "☕", "!!", "??", ":)", ":-)", "xx")
PATHS = ("index.html", "api/v2/orders/1234", "login", "static/app.js", "health", "img/7.png")
HOSTS = ("web01", "db-2", "ip-10-0-3-7", "mail", "node7", "srv12", "gw")
LEVELS = ("INFO", "WARN", "ERROR", "DEBUG", "[INFO]", "[main] INFO", "INFO  [pool-2-thread-1]")
LOG_MESSAGES = (
    lambda rng: f"sshd[{rng.randrange(100, 99999)}]: Accepted publickey for deploy from "
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)} port {rng.randrange(1024, 65535)}",
    lambda rng: f"CRON[{rng.randrange(100, 99999)}]: (root) CMD (run-parts /etc/cron.hourly)",
    lambda rng: f"kernel: eth0: link up, {rng.choice((100, 1000))} Mbps",
    lambda rng: f"c.e.OrderService - order {rng.randrange(10 ** 5, 10 ** 7)} saved in {rng.randrange(1, 999)} ms",
    lambda rng: f"job {rng.randrange(1, 999)} finished, {rng.randrange(1, 9999)} rows, exit 0",
    lambda rng: f"GET /api/v{rng.randrange(1, 4)}/items?page={rng.randrange(1, 50)} 200",
    lambda rng: f"retry {rng.randrange(1, 5)}/5 after {rng.randrange(1, 60)}s",
    lambda rng: f"disk /dev/sda1 at {rng.randrange(50, 100)}%",
    lambda rng: "backup completed",
    lambda rng: f"user {rng.randrange(1000, 99999)} logged in",
    lambda rng: f"heap {rng.randrange(100, 4000)}MB of {rng.choice((2048, 4096, 8192))}MB",
)

# (domain, templates). `{t}` is where the time goes; the other fields are
# filled with things that are not the time. No template carries a day period
# or a second time of its own.
CONTEXTS = {
    "form": (
        "Preferred contact time: {t}", "Best time to call - {t}", "Appointment time: {t}",
        "Pickup: {t}", "Delivery window start {t}", "Time of incident: {t}", "Start time {t}",
        "time in: {t}", "Arrival time = {t}", "Callback requested {t}", "Q7. Usual bedtime: {t}",
        "Time: {t}", "{t} (preferred)", "Dropoff @ {t}", "When? {t}", "{t} - best for me",
        "Reservation for {n} at {t}", "Table {n}, {t}", "Opening hours start {t}",
    ),
    "ticket": (
        "Ticket {id} opened {t}", "{id} resolved at {t}", "Caller rang at {t}", "Outage began ~{t}",
        "Reported by {name} at {t}", "{t} - customer called back", "Escalated to L2 {t}",
        "SLA breach at {t}", "Engineer on site {t}", "Case {id}: follow-up {t}",
        "Closed {t}", "Status changed {t} by {name}", "Priority {n} raised {t}",
        "Next update due {t}", "{t} user reports error {n}",
    ),
    "medical": (
        "insulin given @ {t}", "seen by GP {t}", "Bed {n} obs @ {t}", "{dose} given {t}",
        "{vitals} taken {t}", "Meds due {t}", "Pt admitted {t}", "Last meal {t}",
        "Obs {t}: {vitals}", "Dose {n} of {dose} at {t}", "{t} {vitals}, settled",
        "Reviewed by {name} {t}", "Theatre {n} start {t}", "Fasting from {t}", "TOD {t}",
        "Bloods taken at {t}", "{t} - pain score {n}/10",
    ),
    "roster": (
        "Early shift {t}", "Shift start: {t}", "Staff #{n} in at {t}", "Clock-in {t}", "Start {t}",
        "{name} on from {t}", "Break at {t}", "Cover from {t}", "Report to {place} by {t}",
        "Briefing {t}", "Handover {t} sharp", "{name} - {t}", "Crew {n} call time {t}",
    ),
    "timetable": (
        "last train {t}", "Gate {n} departs {t}", "Flight {flight} dep {t}", "Bus {n} arr {t}",
        "Dep {place} {t}", "{t} to {place}", "Platform {n} - {t}", "Arrives {t}",
        "Flight {flight} arr {t}", "Next departure {t}", "First bus {t}", "Boarding {t}",
        "{flight} ETA {t}", "Ferry leaves {t}", "{t} {place} (platform {n})", "Check-in closes {t}",
    ),
    "chat": (
        "{t} pls", "{t} sharp", "{t} kickoff", "omw, there @ {t}", "{t}?? {emoji}", "see u at {t}",
        "can we do {t} instead?", "running late, there by {t}", "ok {t} works {emoji}",
        "{t} then {emoji}", "lol ok {t}", "{t}!!", "meet at {t}?", "call me at {t} {emoji}",
        "dinner at {t}?", "{t} good for u?", "ill be there {t}", "{t} (after standup)",
        "let's say {t}", "{t} works for me", "how about {t}", "{name} said {t}",
    ),
    "log": (
        "[{t}] {name} joined", "{t} backup done", "{t} INFO job {n} started", "at {t}: error {n}",
        "[{t}] ERROR code {id}", "{t} - server {n} restarted", "last sync {t}", "cron ran at {t}",
        "{t} WARN disk {n}%", "Updated {t}", "Modified: {t}", "Last login {t} from 10.0.{n}.7",
    ),
    "change": (
        "moved to {t}", "standup moved to {t}", "changed to {t}", "rescheduled to {t}",
        "delayed to {t}", "pushed back to {t}", "brought forward to {t}", "now {t}",
        "new time: {t}", "was {id}, now {t}", "update - {t} instead", "due by {t}",
        "deadline {t}", "submit before {t}", "open until {t}", "closes at {t}",
    ),
    "speech": (
        "I'll be back {t}", "let's meet at {t}", "set an alarm for {t}", "wake me up at {t}",
        "schedule a call with {name} at {t}", "the meeting is at {t}", "it starts at {t}",
        "I'll be there around {t}", "remind me to call {name} at {t}", "we close at {t}",
        "book a table for {n} at {t}", "can you come by {t}?", "my flight leaves at {t}",
        "the store opens at {t}", "I got home at {t}", "she arrived at {t}", "see you at {t}",
        "is {t} ok with you?", "the train was due at {t} but was late", "doors open {t}",
        "I usually go to bed at {t}", "lunch is served at {t}", "he called around {t}",
    ),
    "note": (
        "bins out by {t}", "gym {t}", "take tablets {t}", "{t} dentist", "pick up kids {t}",
        "remind me {t}", "parcel came {t}", "alarm {t}", "{t} call {name}", "school run {t}",
        "{t} - {name} visit", "until {t}", "by {t}", "no later than {t}", "not before {t}",
        "from {t} onwards", "after {t}", "before {t}",
    ),
}
_BOUND_TEMPLATES = ("until {t}", "by {t}", "no later than {t}", "not before {t}",
                    "from {t} onwards", "after {t}", "before {t}")


# Notes after the time, numbers in them included ("Exam 09:00 sharp, Hall 2").
TRAILERS = (", {thing} {n}", " ({thing} {n})", ", {dose}", " - {vitals}", ", ticket {n} of {m}",
            " {day}", ", {day}", " {day} {thing} {n}", ", every {n} min", " via {place}",
            " voie {n}", " stop {n}", ", {n} stops", " {name}", " {word} {n}",
            " {thing} {n}", ", {id}", " daily", " start", " sharp", " lol", " pls", " re {word}",
            ", weight {n}.{m}kg", " {place}", ", {n}00ml", " till close", " {emoji}", " x{n}",
            " ref {id}", ", seat {n}{letter}", ", {n} pax", " -> {place}", " (was {id})")
_TRAILER_WORDS = ("quote", "invoice", "meds", "kids", "parcel", "car", "booking", "visit")


def trailer(rng: random.Random) -> str:
    text = rng.choice(TRAILERS)
    text = (text.replace("{thing}", rng.choice(NUMBERED_THINGS))
            .replace("{day}", _day_word(_NEUTRAL_DAYS, rng))
            .replace("{m}", str(rng.randrange(1, 99))).replace("{word}", rng.choice(_TRAILER_WORDS))
            .replace("{letter}", rng.choice("ABCDEF")))
    return _fill(text, rng)


NUMBERED_THINGS = ("room", "Room", "Hall", "bed", "Bed", "gate", "Gate", "block", "Block",
                   "platform", "Gleis", "depot", "bay", "Bay", "stand", "desk", "zone", "ward",
                   "row", "seat", "unit", "level", "door", "track", "lane", "pod", "cell")
_BOUND_WORDS = ("before", "by", "until", "till", "no later than", "not before", "from", "after",
                "not after", "latest", "earliest", "no earlier than")


def render_context(rng: random.Random) -> Tuple[str, Time]:
    """Family 13: labels, verbs, notes and unrelated numbers around the time."""
    domain = rng.choice(sorted(CONTEXTS))
    template = rng.choice(CONTEXTS[domain])
    text, time = core_phrase(rng, strong=rng.random() < 0.7)
    if template in _BOUND_TEMPLATES and not _bound_safe(text, template.split()[0]):
        text, time = _plain_digital(rng)
    elif rng.random() < 0.2:  # one bound: "submit by 10am", "not before 0930"
        bound = rng.choice(_BOUND_WORDS)
        if _bound_safe(text, bound):
            text = f"{bound} {text}"
    if rng.random() < 0.15:  # a date or a zone comes along
        text = written_date(rng) + " " + text if rng.random() < 0.5 else text + " " + zone(rng)
    phrase = context_phrase(template, text, rng)
    if rng.random() < 0.35:
        phrase += trailer(rng)
    return phrase, time


_CUES = ("@", "@ ", "at ", "by ", "from ", "until ", "before ", "after ", "for ", ": ", "- ")


def context_phrase(template: str, time_text: str, rng: random.Random) -> str:
    """`template` of CONTEXTS filled: `{t}` gets `time_text`, the other fields
    things that are not the time. A bare figure ("0745") gets a cue word in
    front unless the template has one: among other numbers it is the time
    only when something says so ("insulin given @ 0745")."""
    head = template.split("{t}")[0]
    military = len(time_text) == 4 and time_text.isdigit()  # "Dep 1030": a figure of its own
    if military and rng.random() < 0.7:
        pass
    elif not _is_strong(time_text) and (head and not head.endswith(_CUES)):
        time_text = rng.choice(("at ", "@ ", "@")) + time_text
    return _fill(template, rng).replace("{t}", time_text)


def _bound_safe(text: str, bound: str) -> bool:
    """Phrases that read as one time after a bound word. "before" and "after"
    take no inner "to"/"past" arithmetic ("before ten to nine" is hard to
    read) and never noon, which would make them a period ("before noon");
    the other bounds take any clock phrase ("by quarter to nine")."""
    words = set(text.lower().split())
    if "and" in words or "hours" in words:
        return False
    if bound in ("before", "after", "not before", "not after", "till"):
        return not ({"to", "past", "before", "after", "till", "of"} & words
                    or words & {"noon", "midday"})
    return True


def _plain_digital(rng: random.Random) -> Tuple[str, Time]:
    hour, minute = clock.uniform_time(rng)
    if rng.random() < 0.5:
        return f"{hour}:{minute:02d}", (hour, minute)
    return join_period(f"{period_hour(hour)}:{minute:02d}",
                       rng.choice(clock._PM_MARKS if hour >= 12 else clock._AM_MARKS), rng), \
        (hour, minute)


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
        elif other == "zone" and family not in ("zones", "dates") and _ends_with_clock(text):
            text = f"{text} {zone(rng)}"
        elif other == "context" and family != "context":
            text = context_phrase(rng.choice(CONTEXTS[rng.choice(sorted(CONTEXTS))]), text, rng)
    return light_noise(text, rng), time


def _ends_with_clock(text: str) -> bool:
    return text[-1:].isdigit() or text.lower().endswith(("am", "pm", "a.m.", "p.m."))
