"""Each family's renderer, on fixed times, against hand-checked phrases and labels."""

import random

import pytest

from pipeline import time_language as tl
from schemas import features

DRAWS = 1500


def phrases(family, hour, minute):
    """Phrases of `family` for one time over many seeds, lower-cased, with labels."""
    pairs = [tl.render_pair(family, random.Random(seed), time=(hour, minute))
             for seed in range(DRAWS)]
    return {" ".join(p.lower().split()) for p, _ in pairs}, {label for _, label in pairs}


@pytest.mark.parametrize("family,hour,minute,expected_phrases", [
    ("digital", 7, 5, {"7:05", "07:05", "7.05"}),
    ("digital", 19, 40, {"19.40", "19:40"}),
    ("digital_period", 0, 30, {"12:30 a.m.", "12:30am", "12.30 am"}),
    ("digital_period", 12, 30, {"12:30 pm", "12:30 p.m."}),
    ("digital_period", 16, 10, {"4:10 in the afternoon", "4:10pm"}),
    ("compact", 19, 10, {"1910", "1910 hrs", "1910 hours", "19h10"}),
    ("compact", 7, 0, {"7", "0700", "7am", "7 a.m."}),
    ("compact", 0, 0, {"12am", "0000"}),
    ("iso", 6, 40, {"t06:40", "06:40"}),
    ("oclock", 7, 0, {"seven o'clock", "7 o'clock"}),
    ("oclock", 19, 19, {"seven o'clock nineteen p.m.", "seven o'clock nineteen pm"}),
    ("oclock", 0, 5, {"twelve o'clock five at midnight"}),
    ("quarter_half", 15, 15, {"quarter past 3 pm", "a quarter past three pm"}),
    ("quarter_half", 11, 45, {"quarter to noon", "quarter to twelve"}),
    ("quarter_half", 23, 45, {"quarter to midnight"}),
    ("quarter_half", 15, 30, {"halfway to four pm", "half past three pm"}),
    ("minutes_past_to", 4, 10, {"ten past four", "10 past 4"}),
    ("minutes_past_to", 8, 35, {"twenty-five to nine", "twenty five to nine"}),
    ("minutes_past_to", 23, 59, {"one minute to midnight"}),
    ("minutes_past_to", 0, 50, {"ten to one am", "ten before one at midnight"}),
    ("minutes_past_to", 12, 40, {"twenty before one at noon"}),
    ("minutes_past_to", 8, 34, {"thirty four after eight before noon", "34 min after 8 a.m.",
                                "thirty-four after eight before noon", "34 past 8",
                                "thirty four after eight", "thirty-four past eight am"}),
    ("compact", 21, 0, {"nine pm", "nine p.m.", "nine p m", "nine in the evening"}),
    ("compact", 7, 0, {"seven am", "seven a m", "seven a.m.", "seven in the morning"}),
    ("spoken_digital", 7, 40, {"seven forty"}),
    ("spoken_digital", 9, 2, {"nine oh two"}),
    ("spoken_digital", 10, 7, {"ten seven"}),
    ("spoken_digital", 14, 35, {"fourteen thirty five pm", "fourteen thirty five p m",
                                "fourteen thirty five p.m."}),
    ("spoken_digital", 19, 0, {"nineteen hundred hours"}),
    ("spoken_digital", 22, 10, {"twenty-two ten", "twenty two ten"}),
    ("hours_and", 16, 12, {"four hours and twelve p.m.", "four hours and twelve pm"}),
    ("hours_and", 12, 9, {"noon hours and nine"}),
    ("noon_midnight", 12, 0, {"noon", "12 noon", "midday"}),
    ("noon_midnight", 0, 0, {"midnight", "12 midnight"}),
])
def test_renders_hand_checked_phrases(family, hour, minute, expected_phrases):
    seen, labels = phrases(family, hour, minute)
    assert labels == {f"{hour:02d}:{minute:02d}"}
    assert expected_phrases & seen, f"none of {expected_phrases} in {sorted(seen)[:40]}"


def test_an_afternoon_hour_is_never_named_bare():
    # Without a period an hour is read as written, so 12:45 ("to" 13:00) must
    # never be "quarter to one"; it needs a p.m. word or the figure 13.
    seen, _ = phrases("quarter_half", 12, 45)
    assert "quarter to one" not in seen
    pm_words = ("pm", "p.m", "p m", "afternoon", "after noon", "at noon", "13")
    assert all(any(word in p for word in pm_words) for p in seen), sorted(seen)


def test_noise_family_adds_noise_and_keeps_the_label():
    rng = random.Random(5)
    pairs = [tl.render_pair("noise", rng, time=(9, 15)) for _ in range(300)]
    assert {label for _, label in pairs} == {"09:15"}
    texts = [p for p, _ in pairs]
    assert any(p != p.strip() or "  " in p for p in texts)
    assert any(p.isupper() for p in texts)
    assert any(p.split()[0] in tl.FILLERS for p in texts if p.split())
    assert any(word in p.lower() for p in texts for word in ("quater", "qaurter", "quartr"))


def test_rejects_carry_the_reject_label_and_are_not_times():
    rng = random.Random(11)
    pairs = [tl.render_pair("reject", rng) for _ in range(500)]
    assert {label for _, label in pairs} == {features.REJECT_LABEL}
    texts = {p for p, _ in pairs}
    assert "24:00" in texts or any(p.startswith("2") and ":" in p for p in texts)
    assert any("-" in p and p[:4].isdigit() for p in texts)  # a date alone


def test_shift_wraps_over_midnight():
    assert tl.shift(23, 50, 10) == (0, 0)
    assert tl.shift(0, 5, -10) == (23, 55)


def test_parse_weights_rejects_unknown_families():
    assert tl.parse_weights("reject=2")["reject"] == 2
    with pytest.raises(ValueError, match="unknown family"):
        tl.parse_weights("sundial=1")
