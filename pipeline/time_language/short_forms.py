"""Family 16: short and regional forms (TIME_LANGUAGE.md).

One-letter periods (`9p`, `4:25p`, `12:15a`), compact figures with a period
(`845am`, `1030pm`, `415 p.m.`), hour and minutes split by a space (`4 20`,
`at 11 40 pm`), a bare hour in words (`eleven`), British `half four`,
`three quarters past 6`, `-ish`, US `quarter of six`, `five till nine`,
`ten after four`.
"""

import random

from pipeline.time_language.periods import (
    _AM_MARKS, _PM_MARKS, join_period, number, number_words, period_hour, shift)


def _period_mark(hour: int, rng: random.Random) -> str:
    return rng.choice(_PM_MARKS if hour >= 12 else _AM_MARKS)


def _one_letter(hour: int, minute: int, rng: random.Random) -> str:
    letter = ("p" if hour >= 12 else "a")
    letter = letter.upper() if rng.random() < 0.2 else letter
    clock = str(period_hour(hour))
    if minute or rng.random() < 0.3:
        clock += f":{minute:02d}"
    return clock + (" " if rng.random() < 0.1 else "") + letter


def _compact_with_period(hour: int, minute: int, rng: random.Random) -> str:
    h12 = period_hour(hour)
    figure = f"{h12}{minute:02d}" if rng.random() < 0.85 or h12 >= 10 else f"{h12:02d}{minute:02d}"
    return join_period(figure, _period_mark(hour, rng), rng)


def _split_by_space(hour: int, minute: int, rng: random.Random) -> str:
    """"4 20", "at 11 40 pm": a space for the colon (minutes 10-59 in digits)."""
    if minute < 10 or rng.random() < 0.5:
        minute_text = f"{minute:02d}"
    else:
        minute_text = str(minute)
    if rng.random() < 0.5:  # 12-hour figure: the period says which half of the day
        text = join_period(f"{period_hour(hour)} {minute_text}", _period_mark(hour, rng), rng)
    else:  # no period: the hour as written
        text = f"{hour} {minute_text}"
    return rng.choice(("at ", "at ", "", "@ ", "around ")) + text


def _hour_in_words(hour: int, minute: int, rng: random.Random) -> str:
    del minute
    return number_words(hour, rng)


def _british_half(hour: int, minute: int, rng: random.Random) -> str:
    """"half four" = 04:30, "half 9 pm" = 21:30."""
    del minute
    if 1 <= hour <= 12 and rng.random() < 0.6:
        return f"half {number(hour, rng, 0.7)}"
    return f"half {number(period_hour(hour), rng, 0.6)} {rng.choice(_period_choices(hour))}"


def _period_choices(hour: int):
    if hour >= 12:
        return _PM_MARKS + ("in the afternoon",) if hour < 18 else _PM_MARKS + ("in the evening",)
    return _AM_MARKS + ("in the morning",)  # 12 in the morning is 00 as 12 a.m. is


def _named(hour: int, rng: random.Random) -> str:
    """An hour for "quarter of six": 1-12 as written, others with a period."""
    if 1 <= hour <= 12 and rng.random() < 0.6:
        return number(hour, rng, 0.6)
    if hour == 0 and rng.random() < 0.5:
        return "midnight"
    if hour == 12:
        return rng.choice(("noon", "12", "twelve"))
    return join_period(number(period_hour(hour), rng, 0.5), _period_mark(hour, rng), rng)


def _three_quarters(hour: int, minute: int, rng: random.Random) -> str:
    del minute
    return f"three quarters {rng.choice(('past', 'after'))} {_named(hour, rng)}"


def _quarter_of(hour: int, minute: int, rng: random.Random) -> str:
    return f"{rng.choice(('quarter', 'a quarter'))} {rng.choice(('of', 'till', 'til'))} " \
           f"{_named(shift(hour, minute, 15)[0], rng)}"


def _minutes_till(hour: int, minute: int, rng: random.Random) -> str:
    count = 60 - minute
    target = shift(hour, minute, count)[0]
    shown = number_words(count, rng) if rng.random() < 0.8 else f"{count} min"
    connector = rng.choice(("till", "til", "'til", "of"))
    return f"{shown} {connector} {_named(target, rng)}"


def _minutes_after(hour: int, minute: int, rng: random.Random) -> str:
    return f"{number_words(minute, rng)} after {_named(hour, rng)}"


def _ish(hour: int, minute: int, rng: random.Random) -> str:
    if hour == 0 and minute == 0 and rng.random() < 0.5:
        return rng.choice(("midnightish", "midnight-ish", "midnight ish"))
    if hour == 12 and minute == 0 and rng.random() < 0.5:
        return rng.choice(("noonish", "noon-ish", "middayish"))
    with_period = join_period(
        str(period_hour(hour)) + (f":{minute:02d}" if minute else ""), _period_mark(hour, rng), rng)
    if rng.random() < 0.15 and minute:  # a compact figure: "845ish", "1120ish"
        core = f"{period_hour(hour) if rng.random() < 0.5 else hour}{minute:02d}"
        if hour >= 13 and not core.startswith(str(hour)):
            core = with_period
    elif hour == 0 or rng.random() < 0.5:
        core = with_period
    elif minute:
        core = f"{hour}:{minute:02d}"
    else:
        core = number_words(hour, rng) if 1 <= hour <= 12 and rng.random() < 0.3 else str(hour)
    return core + rng.choice(("ish", "ish", "-ish", " ish", " -ish"))


def sample_short_time(rng: random.Random):
    """A form first, then a time it can express: returns (hour, minute, form)."""
    form = rng.choice(_FORMS)
    return form[1](rng) + (form[0],)


def _any(rng):
    return rng.randrange(24), rng.randrange(60)


def _maybe_on_hour(rng):
    return rng.randrange(24), (0 if rng.random() < 0.4 else rng.randrange(60))


def _split_time(rng):
    return rng.randrange(24), rng.randrange(10, 60) if rng.random() < 0.8 else rng.randrange(60)


def _words_hour(rng):
    return rng.randrange(1, 13), 0


def _half(rng):
    return rng.randrange(24), 30


def _three_q(rng):
    return rng.randrange(24), 45


def _till(rng):
    return rng.randrange(24), rng.randrange(31, 60)


def _after(rng):
    return rng.randrange(24), rng.randrange(1, 30)


_FORMS = (
    (_one_letter, _maybe_on_hour), (_one_letter, _maybe_on_hour),
    (_compact_with_period, _any), (_compact_with_period, _any),
    (_split_by_space, _split_time), (_hour_in_words, _words_hour),
    (_british_half, _half), (_british_half, _half), (_three_quarters, _three_q),
    (_quarter_of, _three_q), (_minutes_till, _till), (_minutes_after, _after),
    (_ish, _maybe_on_hour),
)


def render_short_form(hour: int, minute: int, rng: random.Random, form=None) -> str:
    """A short or regional form of (hour, minute); `form` from sample_short_time,
    else any form that can express the time."""
    if form is None:
        fitting = [f for f, sampler in _FORMS if _can_express(f, hour, minute)]
        form = rng.choice(fitting) if fitting else _one_letter
    return form(hour, minute, rng)


def _can_express(form, hour: int, minute: int) -> bool:
    return {
        _hour_in_words: 1 <= hour <= 12 and minute == 0,
        _british_half: minute == 30,
        _three_quarters: minute == 45,
        _quarter_of: minute == 45,
        _minutes_till: minute > 30,
        _minutes_after: 0 < minute < 30,
    }.get(form, True)
