"""The word lists of the reject family (TIME_LANGUAGE.md): words, placeholders,
relative days, day periods with no clock time, units of time and the things
numbers count or name. None of them holds a time of day.
"""

NON_TIME_WORDS = (
    "pizza", "next tuesday", "tomorrow", "yesterday", "asap", "n/a", "none", "null", "unknown",
    "tbd", "later", "soon", "hello", "meeting room 4", "see notes", "call me", "whenever",
    "no idea", "not sure", "today", "this weekend", "monday", "friday night", "last week",
    "in a while", "banana bread", "the quick brown fox", "order #4471", "flight ba117",
    "room 101", "gate b22", "version 2.1.3", "3.14159", "100%", "$12.50", "42 kg", "7 km",
    "555-0199", "+44 20 7946 0958", "page 12 of 40", "chapter eleven", "a quarter of the cake",
    "half price", "minutes of the meeting", "forty winks", "seven dwarfs", "twelve angry men",
    "ocean's eleven", "catch-22", "nine to five job", "the eleventh hour", "lunch menu",
    "hours of fun", "o'clock", "quarter", "half", "am", "pm", "-", "--", "?", "...", "", " ",
    "date", "time", "tbc", "xx:xx", "hh:mm", "--:--", "sunrise", "sometime", "never",
)

_NUMBERED_THINGS = ("room", "table", "gate", "bus", "platform", "aisle", "floor", "building",
                    "seat", "order", "invoice", "ticket", "chapter", "page", "step", "level",
                    "unit", "suite", "lot", "box", "item", "row", "section", "line", "track",
                    "exit", "route", "zone", "apartment", "locker", "desk", "bay", "channel")
_LEADS = ("", "", "see", "go to", "meet at", "the meeting is in", "check", "ask about",
          "deliver to", "call about", "it is in", "we are at", "parked in", "moved to")

PLACEHOLDERS = ("N/A", "n/a", "NA", "none", "None", "TBA", "TBC", "tbd", "not known", "unknown",
                "whenever", "-", "--", "?", "??", "n.a.", "nil", "no time given", "see above",
                "ask", "xx:xx", "HH:MM", "hh:mm am", "__:__", "00/00/0000", "anytime", "any time",
                "flexible", "not recorded", "declined", "pending", "off", "OFF", "leave", "sick",
                "N/K", "NK", "not stated", "#N/A", "#VALUE!", "null", "NaN", "none given")
RELATIVE_DAYS = ("the day after tomorrow", "next friday", "last fortnight", "boxing day",
                 "christmas eve", "new year's day", "next week", "last month", "in two weeks",
                 "the weekend", "easter monday", "bank holiday", "end of month", "eom",
                 "next monday", "this thursday", "a week today", "fortnight on tuesday",
                 "memorial day", "thanksgiving", "halloween", "mid-march", "early june",
                 "end of q3", "next year", "the other day", "today", "tomorrow", "yesterday",
                 "mon", "weds", "fri.", "weekdays", "weekends only", "every other tuesday")
DAY_PERIODS = ("afternoons", "late evening", "before lunch", "after lunch", "this morning",
               "tonight", "tomorrow evening", "in the morning", "at night", "early morning",
               "mornings", "evenings only", "after dinner", "end of day", "EOD", "COB",
               "close of business", "first thing", "lunchtime", "after school", "overnight",
               "late afternoon", "mid morning", "dawn", "dusk", "sunset", "night shift",
               "day shift", "am", "pm", "a.m. only", "pm please", "morning or afternoon",
               "this arvo", "tonite", "later today", "asap", "now", "right now", "in a bit")
UNITS_OF_TIME = (("hour", "hours", "hrs", "hr", "h"), ("minute", "minutes", "mins", "min", "m"),
                 ("second", "seconds", "secs", "s"))

_WORDS = ("buy", "milk", "call", "mum", "the", "report", "send", "invoice", "pick", "up", "parcel",
          "check", "email", "fix", "printer", "book", "car", "service", "pay", "rent", "bins",
          "walk", "dog", "gym", "dentist", "meeting", "notes", "follow", "with", "client", "ok",
          "thanks", "see", "you", "there", "done", "pending", "approved", "patient", "stable",
          "settled", "no", "change", "refused", "meds", "obs", "normal", "delayed", "cancelled",
          "on", "time", "boarding", "closed", "open", "shift", "swap", "cover", "needed", "lol",
          "yes", "sure", "sounds", "good", "can't", "make", "it", "running", "late", "sorry")

# Holidays and seasons that take a year ("easter 2021"): the year is not a time.
HOLIDAYS = ("christmas", "christmas day", "christmas eve", "boxing day", "new year's eve",
            "new year", "easter", "easter monday", "good friday", "bank holiday", "may day",
            "{month} bank holiday", "spring bank holiday", "labor day", "memorial day",
            "thanksgiving", "halloween", "independence day", "black friday", "valentine's day",
            "st patrick's day", "diwali", "eid", "hanukkah", "half term", "spring break",
            "summer", "winter", "autumn term", "the summer holidays", "q3", "fy", "season",
            "the {month} holidays", "{month}", "mid-{month}", "end of {month}")

# "one" and small numbers that are not the hour: a pronoun, a head count.
ONE_LEADS = ("this", "that", "the", "which", "no", "every", "any", "the other", "the last",
             "the next", "the same", "the first", "a new", "the old", "the right", "the wrong",
             "the previous", "not that", "only", "just", "the big", "a good",
             "the little", "another", "each", "someone else's", "this is the", "i want the",
             "take the red", "it's the")
COUNTED = ("adult", "child", "guest", "person", "people", "pax", "kid", "seat", "ticket",
           "bag", "room", "night", "bed", "dog", "cat", "visitor", "patient", "pill", "tablet",
           "coffee", "slice", "egg", "player", "car", "bike")
