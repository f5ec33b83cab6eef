"""Family 12: dates and timestamps around a time (TIME_LANGUAGE.md).

A date in one of the common written forms before or after a clock phrase,
or a whole machine timestamp. A date's numbers are drawn independently of
the time, so they never feed the label.
"""

import random
from typing import Tuple

from pipeline.time_language import clock, cores
from pipeline.time_language.periods import number_words, period_hour

Time = Tuple[int, int]

MONTHS = ("January February March April May June July August September October "
          "November December").split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


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
    if rest < 10:
        return f"{head} {rng.choice(('oh', 'oh', 'zero', 'o'))} {number_words(rest, rng)}"
    return f"{head} {number_words(rest, rng)}"


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
    # A year in words is often historic (a birthday, a record): whole decades
    # back, so the year keeps its last figure ("nineteen oh five").
    spelled_year = year - 10 * rng.choice((0, 0, 2, 4, 6, 8, 10))
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
        f"{_month(month, rng)} {day}, {year_words(spelled_year, rng)}",
        f"{day} {MONTHS[month - 1]} {year_words(spelled_year, rng)}",
        f"{_ordinal(day)} {_month(month, rng)} {year_words(spelled_year, rng)}",
        f"{_month(month, rng)} {ordinal_words(day, rng)} {year_words(spelled_year, rng)}",
        f"{day}. {_month(month, rng)}", f"{day}. {_month(month, rng)} {year}", f"{day}.{month}.",
        f"{day:02d}.{month:02d}.", f"{day:02d}{MONTHS[month - 1][:3].upper()}", f"{day:02d}{MONTHS[month - 1][:3]}{yy}",
        f"{_weekday(rng)}, {day}.{month}.", f"{MONTHS[month - 1][:3]}/{day}({_weekday(rng)[:3]})",
        f"{year} {MONTHS[month - 1]} {day}", f"{day} of {_month(month, rng)}", f"on {day}",
        f"{_month(month, rng)} {day} {year}", f"{_month(month, rng)} {_ordinal(day)} {year}",
        f"{day}{MONTHS[month - 1][:3]}", f"{day}{MONTHS[month - 1][:3].lower()}",
    )
    return rng.choice(forms)


PATHS = ("index.html", "api/v2/orders/1234", "login", "static/app.js", "health", "img/7.png")
HOSTS = ("web01", "db-2", "ip-10-0-3-7", "mail", "node7", "srv12", "gw")
LEVELS = ("INFO", "WARN", "ERROR", "DEBUG", "[INFO]", "[main] INFO", "INFO  [pool-2-thread-1]")

# What a log line says of a numbered thing, built from parts ("pid 4121
# exited with code 137", "worker 7 restarted", "Event ID 4625 logged"): ids,
# exit codes, counts and sizes that are never the time.
_PROCESSES = ("pid", "PID", "process", "worker", "job", "task", "thread", "request", "session",
              "build", "container", "node", "shard", "Event ID", "event", "txn", "batch", "conn",
              "client", "port", "instance", "pod", "run", "step", "attempt")
_PROCESS_EVENTS = ("exited with code {c}", "exited with status {c}", "killed (signal {c})",
                   "started", "restarted", "failed", "completed", "timed out after {c}s",
                   "returned {status}", "queued", "retried {c} times", "logged", "closed",
                   "opened", "dropped {c} packets", "used {c}MB", "took {c} ms",
                   "ended, {c} rows", "exit code {c}", "status={status}", "error {c}",
                   "OOM killed", "scheduled", "stopped", "rc={c}", "-> {status}")


def process_message(rng: random.Random) -> str:
    """A log message about a numbered thing, with no time in it."""
    name = rng.choice(_PROCESSES)
    ident = rng.choice((rng.randrange(1, 100), rng.randrange(100, 100000),
                        rng.randrange(1000, 10 ** 7)))
    event = (rng.choice(_PROCESS_EVENTS).replace("{c}", str(rng.choice((
        rng.randrange(0, 256), rng.randrange(1, 60), rng.randrange(100, 10000)))))
        .replace("{status}", str(rng.choice((200, 201, 204, 301, 400, 403, 404, 500, 502, 503)))))
    return rng.choice((f"{name} {ident} {event}", f"{name}={ident} {event}",
                       f"[{name} {ident}] {event}", f"{name} #{ident} {event}",
                       f"{name} {ident}: {event}"))


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
) + (process_message,) * 6  # and, 6 draws in 17, a message built from parts


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


def day_and_month(rng: random.Random) -> str:
    """A day and month with no year, the form a compact time follows in
    rosters and timetables: "12 Dec", "02NOV", "2mar", "Thu 2 Nov"."""
    _, month, day = random_date(rng)
    mon = MONTHS[month - 1][:3]
    return rng.choice((
        f"{day} {_month(month, rng)}", f"{day:02d} {_month(month, rng)}", f"{day:02d}{mon.upper()}",
        f"{day}{mon}", f"{day}{mon.lower()}", f"{_weekday(rng)} {day} {_month(month, rng)}",
        f"{_month(month, rng)} {day}", f"{_month(month, rng)} {_ordinal(day)}"))


def _year_like(text: str) -> bool:
    """A 4-figure time that also reads as a year (19:50-20:35): after a date
    it would be the date's year, so it never follows a date bare."""
    return len(text) == 4 and text.isdigit() and 1950 <= int(text) <= 2035


_DATE_JOINS = (" ", " ", " at ", ", ", " @ ", " - ", ", at ", " ", "-", ".", ":", " for ")
_TIME_DATE_JOINS = (" on ", " ", ", ", " on ", " - ")


def render_dates(rng: random.Random) -> Tuple[str, Time]:
    """Family 12: a date before or after a clock phrase, or a whole timestamp."""
    if rng.random() < 0.35:
        hour, minute = clock.uniform_time(rng)
        return timestamp(hour, minute, rng), (hour, minute)
    if rng.random() < 0.08:  # a day and month, then a 4-figure time: "14 Feb 1125"
        hour, minute = clock.uniform_time(rng)
        text = f"{hour:02d}{minute:02d}"
        join = " at " if _year_like(text) else rng.choice((" ", " ", ", ", " at "))
        return day_and_month(rng) + join + text, (hour, minute)
    text, time = cores.core_phrase(rng, strong=rng.random() < 0.7)
    date = written_date(rng)
    if rng.random() < 0.65:
        join = rng.choice(_DATE_JOINS)
        if join in ("-", ".", ":") and not text[:1].isdigit():
            join = " "  # glued joins only between figures: "2021.03.09-07:45"
        military = (len(text) == 4 and text.isdigit() and not _year_like(text)
                    and rng.random() < 0.6)  # "9 Feb 1620"
        if not cores._is_strong(text) and not military and join.strip() not in ("at", "@", ", at"):
            join = rng.choice((" at ", " @ "))
        return date + join + text, time
    join = rng.choice(_TIME_DATE_JOINS) if cores._is_strong(text) else " on "
    return text + join + date, time
