"""Family 11, noise: what people and data entry do to any phrase.

Fillers, misspellings, case, stray spaces, trailing punctuation, and the
typing slips of real data entry (TIME_LANGUAGE.md, family 11): `;` or `,`
for `:`, letter `o` for zero, split words, missing or doubled spaces.
Every operation keeps the phrase's meaning, so the label never changes.
"""

import random
import re

FILLERS = ("at", "around", "about", "approx.", "approx", "~", "approximately", "roughly",
           "by", "circa", "ca.", "at about", "at around", "time:", "say", "@", "like",
           "sometime around", "exactly", "right at")

MISSPELLINGS = {
    "quarter": ("quater", "qaurter", "quartr"),
    "o'clock": ("oclock", "o clock", "oclok", "o'clok"),
    "minutes": ("minuts", "mintues", "minuites"), "minute": ("minut", "minite"),
    "twelve": ("twelv", "twleve"), "forty": ("fourty",), "past": ("pas", "passed"),
    "eight": ("eigth",), "fifteen": ("fiveteen", "fiften"), "midnight": ("midnite",),
    "thirty": ("thirthy", "thrity"), "before": ("befor", "b4"), "evening": ("evning",),
    "morning": ("mornin", "morming"), "afternoon": ("afternon",), "hours": ("hrs", "hous"),
    "twenty": ("tweny", "twenty"), "nineteen": ("ninteen",), "half": ("haf", "halfe", "hlaf"),
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


def slip_separator(text: str, rng: random.Random) -> str:
    """`;` or `,` typed for the `:` between hour and minutes: "10;20pm"."""
    return re.sub(r"(?<=\d):(?=\d\d)", rng.choice((";", ",", ";")), text, count=1)


def o_for_zero(text: str, rng: random.Random) -> str:
    """Letter o typed for a zero inside a clock figure: "1o:45", "o7:30"."""
    spots = [m.start() for m in re.finditer(r"0(?=\d?[:.;h]\d)|(?<=[:.]\d)0|(?<=[:.])0", text)]
    if not spots:
        return text
    spot = rng.choice(spots)
    return text[:spot] + rng.choice("oO") + text[spot + 1:]


_SPLITS = {"midnight": ("mid night", "mid nite", "mid-nite"), "o'clock": ("o clock",),
           "oclock": ("o clock",), "midday": ("mid day",), "afternoon": ("after noon",),
           "minutes": ("min utes",)}


def split_word(text: str, rng: random.Random) -> str:
    """A word typed in two: "mid nite", "o clock"."""
    words = [w for w in _SPLITS if w in text]
    if not words:
        return text
    word = rng.choice(words)
    return text.replace(word, rng.choice(_SPLITS[word]), 1)


def slip_spaces(text: str, rng: random.Random) -> str:
    """A space lost or added: "8:45 am" -> "8:45am", "6:10" -> "6 : 10"."""
    if rng.random() < 0.5 and re.search(r"\d [ap]\.?m\b", text, re.I):
        return re.sub(r"(\d) ([ap]\.?m)\b", r"\1\2", text, count=1, flags=re.I)
    return re.sub(r"(?<=\d)([:.])(?=\d\d)", rng.choice((r" \1 ", r" \1", r"\1 ")), text, count=1)


_NOISE_OPS = (add_filler, misspell, misspell, recase, respace, punctuate,
              slip_separator, o_for_zero, split_word, slip_spaces)
_SLIPS = (slip_separator, o_for_zero, split_word, slip_spaces)


def add_noise(text: str, rng: random.Random) -> str:
    """One to three kinds of noise a person adds to any phrase."""
    for op in rng.sample(_NOISE_OPS, rng.randrange(1, 4)):
        text = op(text, rng)
    return text


def light_noise(text: str, rng: random.Random) -> str:
    """The noise every family sees now and then: case, a filler, a full stop, a slip."""
    if rng.random() < 0.3:
        text = recase(text, rng)
    if rng.random() < 0.08:
        text = add_filler(text, rng)
    if rng.random() < 0.05:
        text = punctuate(text, rng)
    if rng.random() < 0.04:
        text = rng.choice(_SLIPS)(text, rng)
    return text
