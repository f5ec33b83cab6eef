"""The time language of ../shared/TIME_LANGUAGE.md, as renderers: every rule in one package.

Plain Python, no Beam. Each family draws a time it can express and writes one
phrase for it; the label is computed from the time the renderer was given,
never parsed back from the phrase, so every pair is right by construction.

    periods       number words, a.m. and p.m. periods, named hours: shared by all
    clock         families 1-10: a clock time on its own
    noise         family 11: fillers, misspellings, case, spaces, typing slips
    in_text       families 12-15 together, over:
      cores         the clock phrase inside text, and whether it is strong
      dates         family 12: written dates and whole timestamps
      context       family 13: labels, verbs, notes and numbers of a domain
      zones         family 14: time zones
      day_words     family 15: day words and the period they apply
    short_forms   family 16: one-letter periods, 845am, "half four", -ish, ...
    rejects       text that holds no one time of day (its word lists in reject_words)

All randomness comes from the `random.Random` passed in, so a shard seeded the
same way renders the same phrases on any machine.
"""

import dataclasses
import random
from typing import Callable, Dict, Optional, Tuple

from pipeline.time_language import in_text, short_forms
from pipeline.time_language.clock import (
    Time, noon_or_midnight, not_on_the_hour, on_the_hour_often, quarter_time, render_compact,
    render_digital, render_digital_period, render_hours_and, render_iso, render_minutes_past_to,
    render_noon_midnight, render_oclock, render_quarter_half, render_spoken_digital, uniform_time)
from pipeline.time_language.noise import FILLERS, add_noise, light_noise
from pipeline.time_language.periods import label, shift
from pipeline.time_language.rejects import render_reject
from schemas import features

__all__ = ["FAMILIES", "DEFAULT_WEIGHTS", "NOISE_FAMILY", "FILLERS", "render_pair",
           "parse_weights", "shift", "label"]


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
SHORT_FORMS_FAMILY = "short_forms"  # family 16
IN_TEXT_FAMILIES = tuple(name for name, _ in in_text.RENDERERS)  # families 12-15
FAMILIES: Dict[str, Family] = {f.name: f for f in _BASE_FAMILIES + (_REJECT,)}

# Default mix, as relative weights. Families 1-11 keep their old balance (the
# families a rule-based parser finds hardest, words, "to" arithmetic and
# noise, above the digital forms; noon/midnight has few distinct phrases, but
# each must be seen often). Families 12-16, the time inside real text, get
# about as much again in all, context and dates most since their variety is
# largest (context a little more since bare figures among other numbers and
# "in 9:15" joined it); the reject family grew with the reject list (near misses in
# context, durations, ranges, numbers that are not times) to about 1 in 7.
DEFAULT_WEIGHTS: Dict[str, float] = {
    "digital": 0.8, "digital_period": 1.0, "compact": 1.0, "iso": 0.9, "oclock": 1.0,
    "quarter_half": 0.9, "minutes_past_to": 1.6, "spoken_digital": 1.3, "hours_and": 0.8,
    "noon_midnight": 0.6, "noise": 1.6,
    "dates": 3.2, "context": 4.6, "zones": 1.6, "day_words": 2.2, "short_forms": 2.0,
    "reject": 4.2,
}
assert set(DEFAULT_WEIGHTS) == set(features.FAMILIES) == (
    set(FAMILIES) | {NOISE_FAMILY, SHORT_FORMS_FAMILY} | set(IN_TEXT_FAMILIES))


def render_pair(family: str, rng: random.Random,
                time: Optional[Time] = None) -> Tuple[str, str]:
    """One (phrase, label) pair of `family`; `time` fixes the time rendered
    (families 1-11 and 16; families 12-15 draw the time their wrapper allows)."""
    if family == NOISE_FAMILY:
        base = rng.choice(_BASE_FAMILIES + (None,))
        if base is None:  # a short form with slips: "845am", "1o:45p"
            hour, minute, form = short_forms.sample_short_time(rng)
            if time:
                (hour, minute), form = time, None
            phrase = short_forms.render_short_form(hour, minute, rng, form)
        else:
            hour, minute = time or base.sample_time(rng)
            phrase = base.render(hour, minute, rng)
        return add_noise(phrase, rng), label(hour, minute)
    if family == SHORT_FORMS_FAMILY:
        if time:
            hour, minute = time
            phrase = short_forms.render_short_form(hour, minute, rng)
        else:
            hour, minute, form = short_forms.sample_short_time(rng)
            phrase = short_forms.render_short_form(hour, minute, rng, form)
        return light_noise(phrase, rng), label(hour, minute)
    if family in IN_TEXT_FAMILIES:
        if time is not None:
            raise ValueError(f"family {family} draws its own time")
        phrase, (hour, minute) = in_text.render_in_text(family, rng)
        return phrase, label(hour, minute)
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
