"""Families 12-16 and the wider reject list, on fixed inputs, against
hand-checked phrases and labels (TIME_LANGUAGE.md, "A time inside real text")."""

import random
import re

import pytest

from pipeline import time_language as tl
from pipeline.time_language import context, cores, dates, in_text, rejects
from schemas import features

DRAWS = 5000


def lowered(texts):
    return {" ".join(t.lower().split()) for t in texts}


@pytest.fixture
def fixed_date(monkeypatch):
    """Every date is 6 May 2022 (or 15 Nov 2022, whose "11.15" looks like a time)."""
    def use(year, month, day):
        monkeypatch.setattr(dates, "random_date", lambda rng: (year, month, day))
    return use


@pytest.fixture
def fixed_core(monkeypatch):
    """Every clock phrase inside text is `text`, the time (hour, minute)."""
    def use(text, hour, minute):
        monkeypatch.setattr(cores, "core_phrase", lambda rng, strong=False, figure=False: (text, (hour, minute)))
        monkeypatch.setattr(cores, "written_clock", lambda rng: (text, (hour, minute)))
        monkeypatch.setattr(context, "period_day_core",
                            lambda rng, time_first=False: (text, (hour, minute)))
    return use


@pytest.mark.parametrize("hour,minute,expected", [
    (18, 52, {"6:52p"}),                      # one-letter period
    (0, 15, {"12:15a"}),
    (20, 0, {"8p", "8 p"}),
    (20, 45, {"845pm", "845 pm", "845 p.m."}),  # compact with a period
    (4, 30, {"half four", "half 4"}),         # British half
    (21, 30, {"half 9 pm", "half nine pm"}),
    (6, 45, {"three quarters past 6", "three quarters past six", "quarter of seven",
             "quarter of 7"}),
    (8, 55, {"five till nine", "five til nine"}),
    (4, 10, {"ten after four"}),
    (11, 0, {"eleven"}),                      # a bare hour in words
    (8, 0, {"8ish", "8am ish", "8 -ish", "8am-ish", "eight ish", "eightish"}),
    (0, 0, {"midnightish", "midnight-ish"}),
    (4, 20, {"4 20", "at 4 20", "4 20 am", "at 4 20am"}),  # hour and minutes split by a space
])
def test_short_forms(hour, minute, expected):
    pairs = [tl.render_pair("short_forms", random.Random(seed), time=(hour, minute))
             for seed in range(600)]
    assert {label for _, label in pairs} == {f"{hour:02d}:{minute:02d}"}
    seen = lowered(p for p, _ in pairs)
    assert expected & seen, f"none of {expected} in {sorted(seen)[:40]}"


def test_timestamps_of_every_kind_hold_the_time_and_only_it(fixed_date, monkeypatch):
    fixed_date(2022, 5, 6)
    monkeypatch.setattr(dates, "_seconds", lambda rng: "00")
    seen = {in_text.timestamp(16, 40, random.Random(seed)) for seed in range(DRAWS)}
    expected = {
        "Fri May  6 16:40:00 2022",                  # ctime: the day padded by a space
        "May  6 16:40:00",                            # syslog
        "[06/May/2022:16:40:00 +0200]",               # web server log
        "20220506T164000Z",                           # compact ISO
        "5/6/2022 4:40:00 PM",                        # spreadsheet export
        "Fri, 06 May 2022 16:40:00 +0000",            # RFC 2822 (weekday drawn)
    }
    missing = {e for e in expected if e not in seen and not e.startswith("Fri")}
    assert not missing, missing
    assert any(re.fullmatch(r"\w{3}, 06 May 2022 16:40:00 \+0000", s) for s in seen)
    assert any(re.fullmatch(r"\w{3} May  6 16:40:00 2022", s) for s in seen)
    assert any(re.fullmatch(r"2022-05-06 16:40:00,\d{3}", s) for s in seen)  # application log
    for text in seen:  # the time is there, and no other figure could be read as 16:40
        assert re.search(r"16:?40|4:40(:00)? PM|04\.40\.00", text), text


def test_a_date_whose_numbers_look_like_a_time_never_feeds_the_label(fixed_date, fixed_core):
    fixed_date(2022, 11, 15)  # "11.15", "11/15" look like times
    fixed_core("16:40", 16, 40)
    pairs = [in_text.render_dates(random.Random(seed)) for seed in range(DRAWS)]
    assert {time for _, time in pairs if "16:40" in _} == {(16, 40)}
    seen = lowered(text for text, _ in pairs)
    for expected in ("15.11.2022 16:40", "2022.11.15 16:40", "11/15/2022 at 16:40",
                     "16:40 on 15 nov 2022", "2022-11-15 16:40"):
        assert expected in seen, expected


def test_a_day_and_month_may_lead_a_compact_time_but_never_a_year_like_one(fixed_date):
    fixed_date(2022, 11, 2)
    pairs = [in_text.render_dates(random.Random(seed)) for seed in range(DRAWS)]
    bare = {text: time for text, time in pairs
            if re.fullmatch(r"(\w+ )?(\w+ \d+|\d+ ?\w+),? \d{4}", text)}
    assert any(re.fullmatch(r"\d+ ?nov \d{4}", t.lower()) for t in bare)  # "2 Nov 1030", "02NOV 0710"
    for text, (hour, minute) in bare.items():
        figure = text[-4:]
        assert figure == f"{hour:02d}{minute:02d}", text
        assert not 1950 <= int(figure) <= 2035, text  # "2 Nov 2015" would be the year


def test_a_spelled_month_date_may_carry_its_year_without_a_comma(fixed_date):
    fixed_date(2025, 1, 1)
    seen = lowered(dates.written_date(random.Random(seed)) for seed in range(DRAWS))
    assert {"jan 1 2025", "january 1 2025", "jan 1st 2025"} & seen
    assert {"1jan", "1 jan"} <= seen


def test_small_hours_at_night_are_read_as_written():
    night = [(t, time) for t, time in (in_text.render_day_words(random.Random(seed))
                                       for seed in range(DRAWS)) if t.endswith(" at night")]
    assert any(t[:1].isdigit() and time[0] < 5 for t, time in night)
    for text, (hour, _) in night:  # a period for 6-11 only; 1-4 stay a.m.
        assert hour < 5 or hour >= 18, text


def test_a_zone_is_never_converted_nor_read_as_a_period(fixed_core):
    fixed_core("8:00 AM", 8, 0)
    pairs = [in_text.render_zones(random.Random(seed)) for seed in range(DRAWS)]
    cored = [(t, time) for t, time in pairs if t.startswith("8:00 AM")]
    assert {time for _, time in cored} == {(8, 0)}
    seen = {t for t, _ in cored}
    assert {"8:00 AM PST", "8:00 AM GMT+1", "8:00 AM (UTC-05:00)"} & seen
    fixed_core("8pm", 20, 0)
    pairs = [in_text.render_zones(random.Random(seed)) for seed in range(DRAWS)]
    assert {"8pm EST", "8pm UTC"} & {t for t, time in pairs if time == (20, 0)}


@pytest.mark.parametrize("day,hour,minute,expected", [
    ("tonight", 22, 0, {"tonight at 10", "10 tonight", "tonight 10"}),
    ("tonight", 21, 0, {"9 tonight", "nine tonight"}),
    ("this morning", 6, 0, {"this morning at 6", "6 this morning"}),
    ("in the afternoon", 16, 0, {"in the afternoon at 4", "4 in the afternoon"}),
    ("tomorrow evening", 18, 0, {"6 tomorrow evening"}),
    ("in the evening", 21, 0, {"in the evening at nine"}),
    ("afternoon", 17, 5, {"afternoon 5:05", "afternoon at 5:05", "5:05 afternoon"}),
    ("lunchtime", 11, 30, {"lunchtime 11:30", "lunchtime at 11:30", "11:30 lunchtime"}),
])
def test_day_words_apply_their_period(day, hour, minute, expected):
    seen = lowered(in_text.day_word_phrase(day, hour, minute, random.Random(seed))
                   for seed in range(600))
    assert expected & seen, f"none of {expected} in {sorted(seen)[:30]}"


def test_day_word_labels_follow_the_table():
    """Over the whole family: tonight only 6-11 p.m., morning a.m., afternoon and evening p.m."""
    rules = (("tonight", range(18, 24)), ("tonite", range(18, 24)), ("2nite", range(18, 24)),
             ("in the night", range(18, 24)), ("morning", range(1, 12)),
             ("afternoon", range(12, 18)), ("evening", range(17, 24)))
    bare = set()
    for seed in range(DRAWS):
        text, (hour, _) = in_text.render_day_words(random.Random(seed))
        bare.update(re.findall(r"^(morning|afternoon|evening)\b", text.lower()))
        for word, hours in rules:
            if word in text.lower() and not re.search(r"\d ?a\.? ?m\b", text.lower()):
                # "ten to five in the evening" names 17, means 16:50; "tonight at
                # 2am" says its own period
                assert hour in hours or (hour + 1) % 24 in hours, (text, hour)
    assert bare == {"morning", "afternoon", "evening"}  # the word alone: "afternoon 4:10"


def test_an_id_next_to_the_time_is_not_the_time(fixed_core):
    rng = random.Random(3)
    text = in_text.context_phrase("Flight {flight} dep {t}", "0955", rng)
    assert re.fullmatch(r"Flight [A-Z]+\d+ dep (at |@ ?)?0955", text), text
    assert in_text.context_phrase("insulin given @ {t}", "0745", rng) == "insulin given @ 0745"
    assert re.fullmatch(r"Gate \d+ departs 14:05",
                        in_text.context_phrase("Gate {n} departs {t}", "14:05", rng))
    fixed_core("14:05", 14, 5)
    labels = {in_text.render_context(random.Random(seed))[1] for seed in range(500)}
    assert labels == {(14, 5)}


def test_a_day_word_inside_a_label_gives_the_period():
    # Family 15 inside family 13: "Stocktake 7 tomorrow evening", "see u at 7 tonight".
    periods = (("morning", range(1, 12)), ("afternoon", range(12, 18)),
               ("evening", range(17, 24)), ("tonight", range(18, 24)))
    seen = set()
    for seed in range(DRAWS):
        text, (hour, _) = context.period_day_core(random.Random(seed), time_first=seed % 2 == 0)
        for word, hours in periods:
            if word in text.lower():
                seen.add(word)
                assert hour in hours, (text, hour)
        if seed % 2 == 0:  # after a cue word the time comes first: "see u at 7 tonight"
            assert not re.match(r"(this|tomorrow|yesterday|in|tonight|tonite|2nite|morning"
                                r"|afternoon|evening)\b", text.lower()), text
    assert seen == {"morning", "afternoon", "evening", "tonight"}
    texts = [in_text.render_context(random.Random(seed))[0].lower() for seed in range(DRAWS)]
    assert any(re.search(r"\b(at|@) \d{1,2}(:\d\d)? (tonight|tomorrow evening|this morning)", t)
               for t in texts)
    assert any(re.search(r"[a-z] \d{1,2}(:\d\d)? (tonight|tomorrow \w+|this \w+)$", t)
               for t in texts)


def test_everyday_notes_are_built_from_parts_around_the_time(fixed_core, monkeypatch):
    # Family 13's notes: a chore or someone who comes, with many words around
    # the time; the label is the time alone, and no bound follows a cue word.
    fixed_core("4:10 pm", 16, 10)
    texts = set()
    for seed in range(400):
        text, label = in_text.render_context(random.Random(seed))
        assert label == (16, 10) and "{" not in text, text
        assert not re.search(r"\b(at|by|from|around) (by|until|from|before|after|till)\b", text), text
        texts.add(text)
    notes = [t for t in texts if any(part in t for part in context.ERRANDS + context.VISITORS)]
    assert len(notes) > 15
    assert any(re.search(r"\b(" + "|".join(context.COMING) + r") (at |from |by |around )?4:10 pm",
                         t) for t in notes)


def test_in_text_families_render_whole_strings_up_to_the_input_length():
    for family in ("dates", "context", "zones", "day_words"):
        for seed in range(500):
            text, label = tl.render_pair(family, random.Random(seed))
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", label)
            assert 0 < len(text) <= features.MAX_INPUT_LEN, text


def test_rejects_cover_the_real_column_kinds():
    rng = random.Random(11)
    texts = lowered(tl.render_pair("reject", rng)[0] for _ in range(3 * DRAWS))
    assert any(re.fullmatch(r"\d+ (hours|hrs|hr|h)", t) for t in texts)     # a duration
    assert any(re.fullmatch(r"every \d+ \w+", t) for t in texts)           # a frequency
    assert any(re.fullmatch(r"\d+ to \d+ ?[ap]m", t) for t in texts)         # a range
    assert any(re.fullmatch(r"\d+\.\d%", t) for t in texts)                  # a percentage
    assert any(re.fullmatch(r"\d{4}\.\d\d\.\d\d", t) for t in texts)         # a date alone
    assert any(re.fullmatch(r"[\W_]+", t) for t in texts)                     # punctuation only
    assert {"n/a", "tba", "not known"} & texts                               # placeholders
    assert any(re.fullmatch(r"(the other|this|that|the next) one", t) for t in texts)  # a pronoun
    assert any(re.fullmatch(r"(1|one) (adult|child|guest|person)", t) for t in texts)  # a count
    assert any(re.fullmatch(r"[a-z' ]+ (19|20)\d\d", t) for t in texts)        # a dated holiday
    assert any(re.search(r"nineteen (oh|zero|o) \w+$", t) for t in texts)    # a year in words
    assert any(re.fullmatch(r"[a-z ]+ (sometime|whenever|tbc|probably)", t) for t in texts)  # vague
    assert any(re.match(r"\d{4}-\d\d-\d\d[t ]\d\d:[6-9]\d\b", t) for t in texts)  # 14:61
    assert any(re.fullmatch(r"[a-z ]*(no\.|nr\.|num) \d+", t) for t in texts)  # "apartment no. 12"
    processes = r"\b(" + "|".join(dates._PROCESSES).lower() + r")[ =#]+\d+\]?:? "
    assert any(re.fullmatch(r"\[?" + processes + r"[a-z ]+\d+", t) for t in texts)  # exit code 137


def test_in_text_families_need_their_own_time():
    with pytest.raises(ValueError, match="draws its own time"):
        tl.render_pair("dates", random.Random(1), time=(7, 5))


def test_arriving_in_takes_only_a_time_written_as_a_clock(fixed_core, fixed_date, monkeypatch):
    # "Tom in 7" could be a duration; "Tom in 9:15" is not.
    monkeypatch.setattr(context, "CONTEXTS", {"roster": ("{name} in {t}",)})
    monkeypatch.setattr(context, "DOMAINS", ("roster",))
    fixed_date(2022, 5, 6)  # a trailer's year said in words never says "seven"
    fixed_core("seven", 7, 0)
    for seed in range(300):
        text, (hour, minute) = in_text.render_context(random.Random(seed))
        assert "seven" not in text, text
        h12 = hour % 12 or 12
        assert f"{hour}:{minute:02d}" in text or f"{h12}:{minute:02d}" in text, (text, hour)
    fixed_core("9:15", 9, 15)
    texts = {in_text.render_context(random.Random(seed)) for seed in range(300)}
    assert any(re.fullmatch(r"[\w.' ]+ in 9:15\W*.*", t) and label == (9, 15)
               for t, label in texts)


def test_a_bare_figure_among_other_numbers_is_the_time_it_spells():
    rng = random.Random(8)
    seen = 0
    for _ in range(DRAWS):
        text, (hour, minute) = in_text.render_context(rng)
        figure = f"{hour:02d}{minute:02d}"
        others = re.sub(rf"\b{figure}\b", "", text, count=1)
        if re.search(rf"(?<![\d:.]){figure}(?![\d:.hH]|\s?hrs?|\s?hours)", text) \
                and re.search(r"\d", others):
            seen += 1
    assert seen > DRAWS * 0.03  # "Dep 1030, Terminal 2", "Relief 0415 bay 9" are common


def test_a_numbered_label_or_a_count_around_the_time_never_feeds_the_label(fixed_core):
    # "Shift 2: 1:30pm", "Please submit by 4pm", "7.05pm by 3 users": the
    # label's number and the count after the time are drawn apart from it.
    fixed_core("1:30 pm", 13, 30)
    texts = set()
    for seed in range(DRAWS):
        text, label = in_text.render_context(random.Random(seed))
        assert label == (13, 30) and "{" not in text, text
        texts.add(text)
    numbered = r"(" + "|".join(context.NUMBERED_LABELS) + r") #?\d+(:| -|,)? "
    assert any(re.match(numbered + r"1:30 pm", t, re.IGNORECASE) for t in texts)
    assert any(re.search(r"1:30 pm.* (by|for|with) \d+ (" + "|".join(context.PEOPLE) + ")", t)
               for t in texts)
    assert any(t.startswith(context._REQUEST_LEADS) for t in texts)
    assert any(re.search(r"\b(" + "|".join(context.NUMBERED_THINGS) + r") \d{3}\b", t)
               for t in texts)
    # A log message about a numbered process beside the time ("worker 7
    # exited with code 137, logged 1:30 pm").
    processes = r"\b(" + "|".join(dates._PROCESSES) + r")[ =#]+\d+\]?:? [a-zA-Z]"
    assert any(re.search(processes, t) and "1:30 pm" in t for t in texts)


def test_a_numbered_label_takes_only_a_time_written_as_a_time():
    # After "Shift 2:" a bare "7" or "0745" would be a second number, not a time.
    for seed in range(DRAWS):
        text, _ = in_text.render_context(random.Random(seed))
        match = re.match(r"(" + "|".join(context.NUMBERED_LABELS) + r") #?\d+(:| -|,)? (\d+)$",
                         text, re.IGNORECASE)
        assert match is None, text


def test_a_ranges_to_and_till_take_figures_never_minute_words():
    # "ten to 7pm" is 18:50 (family 7) and "ten till nine" 08:50 (family 16): not ranges.
    words = r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    for seed in range(DRAWS):
        text = rejects._range_or_two(random.Random(seed)).lower()
        assert not re.search(r"(^|from |open )" + words + r" (to|till) ", text), text


def test_a_range_after_a_labels_words_is_rejected():
    # "Maintenance window 22:00-23:30", "Mon-Sat 06:00-23:30"
    clock = r"\d{1,2}(:\d\d)? ?([ap]\.? ?m\.?)?"
    texts = [rejects._range_after_label(random.Random(seed)) for seed in range(DRAWS)]
    assert any(re.match(r"[A-Za-z -]+ " + clock + r"\s*[-–/&]\s*" + clock, t) for t in texts)
    assert any(re.search(r"\b\d\d:\d\d-\d\d:\d\d\b", t) for t in texts)  # "06:00-23:30"
    rng = random.Random(5)
    mixed = [tl.render_pair("reject", rng) for _ in range(3 * DRAWS)]
    assert any(text.startswith(("Maintenance window ", "Backup window ")) for text, _ in mixed)
    assert {label for _, label in mixed} == {features.REJECT_LABEL}


def test_a_date_may_lead_the_whole_note_or_follow_the_time(fixed_core, fixed_date):
    # "Thu - finish 11pm", "On call from 6pm Fri", "game starts 7pm on the 21st",
    # "Callback requested for 4pm", "before 11am, mobile off after", "4pm, ext. 2240"
    fixed_core("11pm", 23, 0)
    fixed_date(2022, 5, 6)
    texts = set()
    for seed in range(DRAWS):
        text, label = in_text.render_context(random.Random(seed))
        assert label == (23, 0), text
        texts.add(text)
    date_words = r"(fri|friday|may|6th|sixth|the|06|6|2022|on)"
    assert any(re.match(date_words + r"\S*( \S+)*? ?(-|:|,|\|) [a-z].* 11pm", t, re.IGNORECASE)
               and not t.startswith("11pm") for t in texts)
    assert any(re.search(r"11pm(,| on)? \S*" + date_words, t, re.IGNORECASE) for t in texts)
    assert any(re.search(r"\b(for|since) 11pm", t) for t in texts)
    assert any(re.search(r"11pm.*ext\.? \d{4}", t) for t in texts)
    assert any(re.search(r"11pm[,;.] (" + "|".join(context.NOTE_WORDS) + r")\b", t) for t in texts)


def test_one_time_in_a_pair_of_labels_is_the_time(fixed_core):
    # "Arr 14:05, Dep --", "opened tbc, closed 6:04 am": the other label holds no time.
    fixed_core("14:05", 14, 5)
    pairs = r"(" + "|".join(re.escape(a) + "|" + re.escape(b) for a, b in context.LABEL_PAIRS) + r")"
    texts = set()
    for seed in range(DRAWS):
        text, label = in_text.render_context(random.Random(seed))
        assert label == (14, 5) and "{" not in text, text
        texts.add(text)
    assert any(re.search(pairs + r" 14:05[,;./| -]+" + pairs + r" \S", t, re.IGNORECASE)
               for t in texts)
    assert any(re.search(pairs + r" \S+[,;./| -]+" + pairs + r" 14:05", t, re.IGNORECASE)
               for t in texts)
    assert any(re.fullmatch(pairs + r" 14:05", t, re.IGNORECASE) for t in texts)  # "Arr 14:05"


def test_a_time_after_each_of_two_labels_is_rejected():
    # "Arr 14:05 Dep 14:20", "Incident opened at 6:02 am, ack 6:04 am": two times.
    rng = random.Random(7)
    texts = [rejects._two_labelled_times(rng) for _ in range(DRAWS)]
    clock = r"\d{1,2}[:.h]\d\d"
    pair = [(re.escape(a), re.escape(b)) for a, b in context.LABEL_PAIRS]
    two = [t for t in texts if any(re.search(f"{a} .*{clock}.*{b} .*{clock}", t, re.IGNORECASE)
                                   for a, b in pair)]
    assert len(two) > DRAWS // 10, texts[:20]
    assert all("{" not in t for t in texts)
    mixed = [tl.render_pair("reject", rng) for _ in range(3 * DRAWS)]
    assert {label for _, label in mixed} == {features.REJECT_LABEL}


@pytest.mark.parametrize("minute", [5, 40])
def test_twelve_in_the_morning_is_after_midnight(minute):
    # The a.m. period "in the morning" turns 12 into 00 as "a.m." does.
    texts = set()
    for seed in range(DRAWS):
        text = tl.FAMILIES["digital_period"].render(0, minute, random.Random(seed))
        texts.add(text)
    assert f"12:{minute:02d} in the morning" in texts


def test_a_written_clock_spells_its_minute():
    # "7pm" and "9p" only on the hour; otherwise the minute is written.
    for seed in range(DRAWS):
        text, (hour, minute) = cores.written_clock(random.Random(seed))
        assert re.search(f":{minute:02d}", text) or minute == 0 and re.fullmatch(
            r"\d{1,2} ?[ap]\.? ?m?\.?", text, re.IGNORECASE) or re.fullmatch(
            f"{hour:02d}{minute:02d}(Z|z|h| hrs)", text), text


def test_a_reading_with_its_unit_is_rejected_however_like_a_clock():
    # "Glucose 5.45 mmol/L", "batt 3.72V": a measurement, not 05:45.
    rng = random.Random(11)
    texts = [rejects._measurement(rng) for _ in range(DRAWS)]
    units = r"(" + "|".join(re.escape(u) for u in context.UNITS) + r")"
    assert all(re.search(r"\d\.\d+", t) for t in texts), texts[:5]
    assert sum(bool(re.search(r"\d\.\d+ ?" + units, t)) for t in texts) > DRAWS / 3
    assert any(re.match(r"(" + "|".join(re.escape(m) for m in context.MEASURED) + r"):? "
                        r"\d{1,2}\.\d\d ?" + units + "$", t) for t in texts)


def test_a_range_after_an_activity_is_rejected():
    # "Lunch 12:10-12:50", "walk the dog 6-7pm"
    texts = [rejects._range_after_label(random.Random(seed)) for seed in range(DRAWS)]
    assert any(t.startswith(context.ACTIVITIES) for t in texts)
    assert any(t.startswith(context.ERRANDS) for t in texts)


def _domain_draws(domain, monkeypatch):
    monkeypatch.setattr(context, "DOMAINS", (domain,))
    rng = random.Random(5)
    return [context.render_context(rng) for _ in range(DRAWS // 5)]


def test_a_time_beside_a_reading_is_that_time(monkeypatch):
    # The twin of the readings rejected above: "Glucose 5.45 mmol/L at 07:20"
    # is 07:20, written apart from the reading, whose value is never the time.
    reading = re.compile(r"\d{1,2}\.\d{1,2} ?(" + "|".join(re.escape(u) for u in context.UNITS)
                         + r")")
    draws = _domain_draws("reading", monkeypatch)
    assert all(re.search(r"\d\.\d", text) for text, _ in draws)
    assert sum(bool(reading.search(text)) for text, _ in draws) > len(draws) / 3
    written = [bool(re.search(f"{minute:02d}", reading.sub("", text))) for text, (_, minute) in draws]
    assert sum(written) > len(draws) / 2


def test_one_time_after_an_activity_is_that_time(monkeypatch):
    # The twin of the ranges after an activity: "Lunch 12:40" is 12:40.
    draws = _domain_draws("activity", monkeypatch)
    assert all(any(word in text for word in context.ACTIVITIES) for text, _ in draws)
    assert sum(bool(re.search(f"{minute:02d}", text)) for text, (_, minute) in draws) > len(draws) / 2


def test_money_and_hours_counted_are_readings_not_times():
    # "Paid $12.40", "OT 2.25 hrs": rejected alone, beside a time that time.
    rng = random.Random(8)
    texts = [context.reading(rng) for _ in range(DRAWS)]
    assert any(re.search(r"[$£€]\s?\d{1,2}\.\d", t) for t in texts)
    assert any(re.search(r"\d\.(25|5|50|75)(h| hrs| hours| h| hr|hrs)$", t) for t in texts)
    rejected = [rejects._measurement(random.Random(seed)) for seed in range(DRAWS)]
    assert any(t.startswith(context.AMOUNTS) for t in rejected)
    assert any(t.startswith(context.HOURS_COUNTED) for t in rejected)


def test_one_bound_after_its_words_names_its_time(monkeypatch):
    # "no departures before 6am" is 06:00: one bound, never "N before 6" arithmetic.
    draws = _domain_draws("bound", monkeypatch)
    assert all(re.search(r"\b(before|after|by|until|till|than|from|latest|earliest)\b", text) for text, _ in draws)
    assert any(text.lower().startswith("no departures before ") for text, _ in draws)
    for text, _ in draws:  # "before" and "after" take no arithmetic of their own
        after = re.split(r"\b(?:before|after)\b", text, maxsplit=1)
        assert len(after) == 1 or not re.search(r"\b(to|past)\b", after[1].split(",")[0]), text


def test_an_order_number_is_never_the_time(monkeypatch):
    # "Order #1842 ready 12:35", "Opens 10am Sundays"
    draws = _domain_draws("order", monkeypatch)
    assert any(text.startswith("Order #") for text, _ in draws)
    assert any(any(day in text for day in context.OPEN_DAYS) for text, _ in draws)


def test_a_clock_with_a_glued_offset_is_never_written_as_a_range():
    # "08:24-01:30" reads as a range (a reject); as a time it needs a T or
    # its seconds ("T08:24-01:30", "08:24:10-01:30").
    from pipeline.time_language import clock
    rng = random.Random(6)
    bare = re.compile(r"(?<![\dTt:;.])\d{1,2}[:.]\d\d ?[+-]\d\d")
    texts = [clock.render_iso(*clock.uniform_time(rng), rng) for _ in range(DRAWS)]
    assert not [t for t in texts if bare.search(t)]
    assert any(re.search(r"[Tt]\d\d:\d\d[+-]\d\d:\d\d$", t) for t in texts)


def test_ranges_take_the_clocks_of_one_time():
    # "12:10-12:50": two clocks written as the one-time twins write theirs
    texts = [rejects._range_or_two(random.Random(seed)) for seed in range(DRAWS)]
    assert sum(bool(re.fullmatch(r"\d{1,2}:\d\d-\d{1,2}:\d\d", t)) for t in texts) > DRAWS / 100
