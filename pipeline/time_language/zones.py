"""Family 14: a time zone after a clock phrase, never converted (TIME_LANGUAGE.md)."""

import random
from typing import Tuple

from pipeline.time_language import clock, cores, dates

Time = Tuple[int, int]

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
        return dates._offset(rng, colon=rng.random() < 0.5)
    base = rng.choice(("GMT", "UTC"))
    sign, hours = rng.choice("+-"), rng.randrange(0, 13)
    shown = rng.choice((f"{sign}{hours}", f"{sign}{hours:02d}:00", f"{sign}{hours:02d}:30"))
    return f"({base}{shown})" if rng.random() < 0.4 else f"{base}{shown}"


def render_zones(rng: random.Random) -> Tuple[str, Time]:
    """Family 14: any clock phrase followed by a time zone, never converted."""
    if rng.random() < 0.2:  # "0800Z", "14:00Z": glued to a figure
        hour, minute = clock.uniform_time(rng)
        figure = rng.choice((f"{hour:02d}{minute:02d}", f"{hour:02d}:{minute:02d}",
                             f"{hour:02d}:{minute:02d}:{dates._seconds(rng)}"))
        return figure + rng.choice(("Z", "Z", "z", " Z", "UTC", " UTC")), (hour, minute)
    text, time = cores.core_phrase(rng, strong=rng.random() < 0.8)
    return text + rng.choice((" ", " ", ", ", " ")) + zone(rng), time
