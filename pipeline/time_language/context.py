"""Family 13: labels, verbs, notes and numbers of a real domain around a time
(TIME_LANGUAGE.md).

Templates of forms, tickets, notes, errands, rosters, timetables, chats and logs;
their other fields (ids, doses, names, places, dates) and the notes after
the time are drawn independently of it, so they never feed the label.
"""

import random
import re
from typing import Tuple

from pipeline.time_language import clock, cores
from pipeline.time_language.dates import process_message, written_date
from pipeline.time_language.day_words import _NEUTRAL_DAYS, _day_word, period_day_core
from pipeline.time_language.noise import FILLERS
from pipeline.time_language.periods import period_hour
from pipeline.time_language.zones import zone

Time = Tuple[int, int]


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


def reading(rng: random.Random) -> str:
    """A value drawn like a clock that is not a time: a reading with its unit
    ("Glucose 5.45 mmol/L", "batt 3.72V", "wt: 12.30 kg"), an amount of
    money ("Paid $12.40", "Total 7.15 EUR") or hours counted in decimals
    ("OT 2.25 hrs", "Worked: 7.75 hours")."""
    hour, minute = clock.uniform_time(rng)
    value = rng.choice((f"{period_hour(hour)}.{minute:02d}", f"{hour}.{minute:02d}",
                        f"{hour}.{minute // 10}", f"{hour:02d}.{minute:02d}"))
    roll = rng.random()
    if roll < 0.55:
        text, leads = value + rng.choice(("", " ")) + rng.choice(UNITS), MEASURED
    elif roll < 0.8:
        text, leads = rng.choice(MONEY).format(value), AMOUNTS
    else:
        hours = f"{rng.randrange(0, 13)}.{rng.choice(('25', '5', '50', '75', '1', '33', '4'))}"
        text, leads = hours + rng.choice(HOUR_UNITS), HOURS_COUNTED
    return rng.choice((f"{rng.choice(leads)} {text}", f"{rng.choice(leads)}: {text}",
                       f"{rng.choice(leads)} = {text}", text))


def _fill(template: str, rng: random.Random) -> str:
    """`template`'s fields, each drawn only when the template has it."""
    for field, draw in _FIELDS:
        if field in template:
            template = template.replace(field, draw(rng))
    return template


def _cased(word: str, rng: random.Random) -> str:
    return word.capitalize() if rng.random() < 0.5 else word


# One bound before the time: "the time it names" (TIME_LANGUAGE.md).
_BOUND_TEMPLATES = ("until {t}", "by {t}", "no later than {t}", "not before {t}",
                    "from {t} onwards", "after {t}", "before {t}")
# Arriving "in" at a time (rosters, chat): a time only when the phrase is
# written as a clock time ("in 9:15", "gets in 5pm", _CLOCK_WRITTEN); "in 10"
# and "in 2 hours" are durations.
_ROSTER_IN = ("{name} in {t}", "in {t}", "clocked in {t}", "signed in {t}", "{name} - in {t}",
              "gets in {t}")
_CHAT_IN = ("train gets in {t}", "got in {t}", "we get in {t}", "flight gets in {t}", "in by {t}")
_IN_TEMPLATES = _ROSTER_IN + _CHAT_IN
_CLOCK_WRITTEN = re.compile(r"\d[:.]\d\d|\d\s?[ap]\.?\s?m\b", re.IGNORECASE)  # "9:15", "7 a.m."


NAMES = ("Dr Patel", "Sam", "J. Smith", "Maria", "Ops", "nurse K", "Tom", "the client", "Mum",
         "Alex", "reception", "Dr. O'Neill", "Priya", "driver", "Li Wei", "Jo")
PLACES = ("Leeds", "Paddington", "JFK", "Terminal 2", "Ward 7", "Bay 3", "Dock 4", "Main St",
          "Platform 9", "Gate B22", "Room 18", "Zurich HB", "Berlin Hbf", "Stand 41", "A&E", "ICU",
          "Resus", "Recovery", "OT 2", "ED", "HDU", "CT", "X-ray", "Ward 4B", "St Mary's", "R&D")
# Everyday notes ("errand" below), built from parts so that the words
# around a time are many more than any list of whole templates: a chore or
# an appointment, or someone who comes, with what they do.
ERRANDS = ("walk the dog", "feed the cat", "water the plants", "collect parcel", "post the letter",
           "pay the bills", "ring the bank", "book a taxi", "charge the car", "drop off keys",
           "pick up prescription", "return library books", "put washing on", "defrost chicken",
           "start dinner", "put the oven on", "lock up", "move the car", "top up the meter",
           "wake the kids", "swim lesson", "piano practice", "football training", "check emails",
           "send invoice", "submit timesheet", "back up files", "print tickets", "get petrol",
           "haircut", "vet appointment", "eye test", "yoga class", "cook rice", "mow the lawn",
           "buy bread", "grocery shop", "collect dry cleaning", "boiler service", "open the shop",
           "count the till", "restock shelves", "unload the van", "load dishwasher",
           "team sync", "call with the bank", "clean the kitchen", "pack lunches",
           "hoover upstairs", "car service", "MOT", "parents evening", "pick up Sam",
           "collect Maria", "walk to school", "bike to work", "catch the bus", "leave for work")
VISITORS = ("plumber", "electrician", "courier", "postman", "cleaner", "babysitter", "gardener",
            "builder", "engineer", "technician", "the vet", "landlord", "estate agent", "taxi",
            "delivery", "grocery delivery", "the guests", "visitors", "inspector", "tutor",
            "physio", "carer", "candidate", "contractor", "van driver", "Dad", "my sister",
            "Customer", "Client", "Supplier", "Engineer", "Driver", "Courier")
COMING = ("coming", "arriving", "due", "expected", "booked", "here", "available", "back",
          "on site", "finishing", "leaving", "free", "booked in", "turning up", "calling",
          "dropping by", "collecting", "can come", "can do", "will ring")
MEMO_LEADS = ("Reminder", "note to self", "todo", "To do", "NB", "don't forget", "memo", "Task",
              "Remember", "pls")
# What a reading is of, and its unit: a value like "5.45" among them is a
# measurement, never a time ("Glucose 5.45 mmol/L", "battery 3.72V"); a
# time beside it is the time ("Glucose 5.45 mmol/L at 07:20").
MEASURED = ("Glucose", "glucose", "BM", "Weight", "wt", "Temp", "temp", "Battery", "batt",
            "pH", "Hb", "K+", "Na", "INR", "Creatinine", "Height", "Voltage", "CO2", "Humidity",
            "Pressure", "Lactate", "Hba1c", "Dose", "Volume", "Distance", "Speed", "Level",
            "Reading", "Result", "Sample", "Value", "Flow", "Load", "Current")
UNITS = ("mmol/L", "mmol/l", "kg", "V", "v", "°C", "C", "ppm", "mg/dL", "g/L", "g/dL", "%",
         "m", "cm", "kPa", "bar", "lbs", "mL", "ml", "mg", "A", "kWh", "km", "mph", "mm", "L/min",
         "units", "s", "ms", "Hz", "psi", "in")
# Amounts of money and hours counted in decimals, and what they are ("Paid
# $12.40", "OT 2.25 hrs"): like a reading, never a time.
MONEY = ("${}", "£{}", "€{}", "{} EUR", "USD {}", "{} GBP", "{} USD", "£ {}", "$ {}", "{}€")
AMOUNTS = ("Paid", "paid", "Total", "Fee", "Balance", "Charged", "Fare", "Tariff", "Amount",
           "Tip", "Refund", "Due", "Subtotal", "Price", "Cost", "Deposit", "Parking fee", "Fine")
HOUR_UNITS = (" hrs", "hrs", " hours", "h", " h", " hr")
HOURS_COUNTED = ("OT", "Overtime", "Worked", "worked", "Hours", "Total hrs", "Billable",
                 "Shift length", "Duration", "Flight time", "Labour", "Time on task", "Logged",
                 "Hrs", "Standby", "Break taken")
# What takes a time up ("Lunch 12:40", "Gym 6am"): with one time it is that
# time; with a range ("Lunch 12:10-12:50", rejects._range_after_label) it is not.
ACTIVITIES = ("Lunch", "lunch", "Break", "break", "Meeting", "meeting", "Class", "class", "Gym",
              "gym", "Lecture", "Standup", "Training", "training", "Visit", "Appointment", "appt",
              "Swim", "Yoga", "Exam", "Lab", "Dinner", "Breakfast", "Delivery", "delivery",
              "Interview", "Rehearsal", "Practice", "Session", "Workshop", "Tutorial", "Parking",
              "Happy hour", "Office", "Drop-in", "Call", "Shift", "Nap", "Study", "Quiet time",
              "Pool", "Clinic slot")
# The days opening hours hold ("Opens 10am Sundays"): one time on each.
OPEN_DAYS = ("Sundays", "Saturdays", "weekdays", "Mon-Fri", "weekends", "daily", "Sun",
             "Mon–Sat", "Mondays", "every day", "Sat & Sun", "on Sundays", "(weekdays)")
# Words a bound follows ("no departures before 6am", "deliver before 10am"):
# one bound, and the time it names.
BOUND_LEADS = ("deliver", "no departures", "no calls", "no entry", "no deliveries", "arrive",
               "check-out", "return keys", "don't call", "no visitors", "finish", "submit",
               "leave", "be back", "cancel free", "reply", "no noise", "collect", "no work",
               "pick up", "parking free", "no access", "gates locked", "stay", "call back")
# Numbered things that lead a time ("shift 2: 1:30pm") and what they belong to.
NUMBERED_LABELS = ("shift", "lecture", "session", "round", "step", "lesson", "period", "class",
                   "line", "visit", "dose", "slot", "heat", "match", "game", "race", "stage",
                   "part", "week", "day", "module", "task", "item", "batch", "run", "job",
                   "phase", "leg", "interview", "test", "exam", "wave", "seminar", "workshop",
                   "tutorial", "lab", "route", "service", "train", "bus", "team", "crew",
                   "patient", "case", "call", "ward round", "obs round", "sitting", "act")
LABEL_PLACES = ("Warehouse", "Kitchen", "Site", "Night", "Depot", "Ward", "Weekend",
                "Late", "Early", "Bank", "Agency", "Main", "Year 9", "Paeds", "Store")
# Who a number counts in a note after the time ("7.05pm by 3 users").
PEOPLE = ("users", "people", "staff", "guests", "pax", "patients", "customers", "callers",
          "visitors", "kids", "adults", "drivers", "members", "tickets", "sites", "stores")
EMOJI = ("🙏", "👍", "😅", "🙂", "🔥", "⏰", "✅", "😬", "🚆", "☕", "!!", "??", ":)", ":-)", "xx")
# What stands after a pair's other label when that holds no time ("Dep --").
PAIR_OTHERS = ("--", "-", "tbc", "TBC", "n/a", "N/A", "?", "pending", "late", "delayed",
               "cancelled", "on time", "not yet", "unknown", "none", "no show", "(est)", "sched",
               "{n} min late", "+{n}", "plat {n}", "stop {n}", "gate {n}", "bay {n}", "{n} pax",
               "x{n}", "{id}", "ref {id}", "{dose}", "{vitals}", "{place}", "{name}",
               "#{n}", "bed {n}", "room {n}", "block {n}", "row {n}", "code {n}", "ID {id}",
               "{n} mins", "{n}%")
# Two labels that each take a time on a timetable, a ticket, a chart or a
# shift log ("Arr 14:05 Dep 14:20", "opened 6:02 am, ack 6:04 am"). With a
# time after both they hold two times, a reject (rejects._two_labelled_times);
# with a time after one and a status, a number or a name after the other
# they hold one time, and that is the time (the "paired" domain below).
LABEL_PAIRS = (
    ("Arr", "Dep"), ("arr", "dep"), ("Dep", "Arr"), ("dep", "arr"), ("ETA", "ETD"),
    ("in", "out"), ("In", "Out"), ("Time in:", "Time out:"), ("start", "end"),
    ("Start", "Finish"), ("started", "finished"), ("opened", "closed"), ("opened at", "ack"),
    ("reported", "resolved"), ("Sched", "Actual"), ("scheduled", "actual"), ("planned", "actual"),
    ("STD", "ATD"), ("STA", "ATA"), ("booked", "arrived"), ("called", "called back"),
    ("on", "off"), ("due", "given"), ("last dose", "next due"), ("check-in", "check-out"),
    ("alarm", "cleared"), ("down", "up"), ("clock in", "clock out"), ("pickup", "dropoff"),
    ("departs", "arrives"), ("kickoff", "full time"), ("doors", "curtain"), ("first", "last"),
    ("fed", "next feed"), ("seen", "discharged"), ("triage", "seen"), ("sent", "delivered"))
PAIR_SEPARATORS = (" ", ", ", "; ", " - ", " / ", " | ", ". ", "  ")
# Who the second label is about, sometimes before it ("..., pager ack 6:04 am").
PAIR_QUALIFIERS = ("pager", "customer", "engineer", "driver", "crew", "nurse", "system", "auto",
                   "client", "team", "train", "bus", "actual")
# Whose times a pair gives, before it ("Incident opened at ...", "Train 2C14 arr ...").
PAIR_LEADS = ("", "", "", "Incident ", "Train {id} ", "Pt ", "{name} ", "Job {n} ",
              "Flight {flight} ", "Bus {n} ", "Shift: ", "{id} ", "Ticket {id}: ", "{date} ")


def paired(first: str, second: str, rng: random.Random) -> str:
    """A label pair with `first` after its first label and `second` after its other."""
    one, other = rng.choice(LABEL_PAIRS)
    if rng.random() < 0.3:
        one, other = one.upper(), other.upper()
    if rng.random() < 0.2:
        other = f"{rng.choice(PAIR_QUALIFIERS)} {other}"
    return (rng.choice(PAIR_LEADS) + f"{one} {first}" + rng.choice(PAIR_SEPARATORS)
            + f"{other} {second}")


def paired_template(rng: random.Random) -> str:
    """A template of the "paired" domain: one of a pair's labels takes the
    time, the other a status, a count or a name, or stands alone ("Arr {t}")."""
    roll = rng.random()
    if roll < 0.45:
        return paired("{t}", "{other}", rng)
    if roll < 0.65:
        return paired("{other}", "{t}", rng)
    label = rng.choice(rng.choice(LABEL_PAIRS))
    return rng.choice(PAIR_LEADS) + (label.upper() if rng.random() < 0.3 else label) + " {t}"


_FIELDS = (
    ("{other}", lambda rng: rng.choice(PAIR_OTHERS)), ("{id}", _id), ("{n}", _small),
    ("{flight}", _flight), ("{dose}", _dose), ("{vitals}", _vitals),
    ("{name}", lambda rng: rng.choice(NAMES)), ("{place}", lambda rng: rng.choice(PLACES)),
    ("{date}", written_date), ("{emoji}", lambda rng: rng.choice(EMOJI)),
    ("{errand}", lambda rng: rng.choice(ERRANDS)), ("{who}", lambda rng: rng.choice(VISITORS)),
    ("{coming}", lambda rng: rng.choice(COMING)), ("{memo}", lambda rng: rng.choice(MEMO_LEADS)),
    ("{label}", lambda rng: _cased(rng.choice(NUMBERED_LABELS), rng)),
    ("{where}", lambda rng: rng.choice(LABEL_PLACES)), ("{people}", lambda rng: rng.choice(PEOPLE)),
    ("{process}", process_message), ("{reading}", reading),
    ("{activity}", lambda rng: rng.choice(ACTIVITIES)),
    ("{days}", lambda rng: rng.choice(OPEN_DAYS)))

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
        "Ticket {id} opened {t}", "{id} resolved at {t}", "Caller rang at {t}",
        "Outage began ~{t}", "Reported by {name} at {t}", "{t} - customer called back",
        "Escalated to L2 {t}", "SLA breach at {t}", "Engineer on site {t}",
        "Case {id}: follow-up {t}", "Closed {t}", "Status changed {t} by {name}",
        "Priority {n} raised {t}", "Next update due {t}", "{t} user reports error {n}",
    ),
    "medical": (
        "insulin given @ {t}", "seen by GP {t}", "Bed {n} obs @ {t}", "{dose} given {t}",
        "{vitals} taken {t}", "Meds due {t}", "Pt admitted {t}", "Last meal {t}",
        "Obs {t}: {vitals}", "Dose {n} of {dose} at {t}", "{t} {vitals}, settled",
        "Reviewed by {name} {t}", "Theatre {n} start {t}", "Fasting from {t}", "TOD {t}",
        "Bloods taken at {t}", "{t} - pain score {n}/10", "Transferred from {place} {t}",
        "Arrived {place} {t}", "Seen in {place} at {t}", "To {place} {t}", "Back from {place} {t}",
    ),
    "roster": (
        "Early shift {t}", "Shift start: {t}", "Staff #{n} in at {t}", "Clock-in {t}",
        "Start {t}", "{name} on from {t}", "Break at {t}", "Cover from {t}",
        "Report to {place} by {t}", "Briefing {t}", "Handover {t} sharp", "{name} - {t}",
        "Crew {n} call time {t}",
    ) + _ROSTER_IN,
    "timetable": (
        "last train {t}", "Gate {n} departs {t}", "Flight {flight} dep {t}", "Bus {n} arr {t}",
        "Dep {place} {t}", "{t} to {place}", "Platform {n} - {t}", "Arrives {t}",
        "Flight {flight} arr {t}", "Next departure {t}", "First bus {t}", "Boarding {t}",
        "{flight} ETA {t}", "Ferry leaves {t}", "{t} {place} (platform {n})",
        "Check-in closes {t}",
    ),
    "chat": (
        "{t} pls", "{t} sharp", "{t} kickoff", "omw, there @ {t}", "{t}?? {emoji}",
        "see u at {t}", "can we do {t} instead?", "running late, there by {t}",
        "ok {t} works {emoji}", "{t} then {emoji}", "lol ok {t}", "{t}!!", "meet at {t}?",
        "call me at {t} {emoji}", "dinner at {t}?", "{t} good for u?", "ill be there {t}",
        "{t} (after standup)", "let's say {t}", "{t} works for me", "how about {t}",
        "{name} said {t}",
    ) + _CHAT_IN,
    "log": (
        "[{t}] {name} joined", "{t} backup done", "{t} INFO job {n} started",
        "at {t}: error {n}", "[{t}] ERROR code {id}", "{t} - server {n} restarted",
        "last sync {t}", "cron ran at {t}", "{t} WARN disk {n}%", "Updated {t}", "Modified: {t}",
        "Last login {t} from 10.0.{n}.7", "{process} at {t}", "[{t}] {process}",
        "{t} {process}", "{process}, logged {t}", "{process} {t}",
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
    "errand": (
        "{who} {coming} {t}", "{who} {coming} at {t}", "{who} {coming} from {t}",
        "{who} {coming} around {t}", "{who} {coming} by {t}", "{errand} {t}", "{t} {errand}",
        "{errand} at {t}", "{errand} by {t}", "{errand} before {t}", "{memo}: {errand} {t}",
        "{memo} - {errand} at {t}", "{memo}: {who} {coming} {t}", "{t} - {errand}",
        "{errand} from {t}", "free from {t}", "available after {t}",
    ),
    # A numbered label before the time ("Shift 2: 1:30pm", "Lecture 3 - 11am"):
    # its number is never the hour; the time is written as a time (a strong core).
    "numbered": (
        "{label} {n}: {t}", "{label} {n} - {t}", "{label} {n} {t}", "{label} #{n}: {t}",
        "{label} {n}, {t}", "{label} {n} at {t}", "{label} {n} starts {t}", "{label} {n}: from {t}",
        "{where} {label} {n}: {t}", "{where} {label} {n} - {t}",
    ),
    # One time beside a reading whose value looks like a clock: the twin of
    # rejects._measurement ("Glucose 5.45 mmol/L at 07:20").
    "reading": (
        "{reading} at {t}", "{reading} @ {t}", "{t} {reading}", "{t}: {reading}",
        "{t} - {reading}", "{reading}, taken {t}", "{reading} ({t})", "{reading} recorded {t}",
        "{reading} logged at {t}", "[{t}] {reading}", "{reading} {t}", "{reading}; time {t}",
    ),
    # What takes one time up: the twin of a range after it ("Lunch 12:40" is
    # 12:40, "Lunch 12:10-12:50" a reject).
    "activity": (
        "{activity} {t}", "{activity}: {t}", "{activity} at {t}", "{activity} @ {t}",
        "{activity} - {t}", "{activity} starts {t}", "{activity} from {t}", "{activity} {t} sharp",
    ),
    # Orders, tills and opening times: an order's number is never the time.
    "order": (
        "Order {id} ready {t}", "Order #{n} pickup {t}", "Order placed {t}", "Order pickup {t}",
        "Order {id} collected at {t}", "order entered at {t}", "Click & collect ready from {t}",
        "Receipt {id} {t}", "Till {n} closed {t}", "Opens {t} {days}", "{days} open {t}",
        "Closes {t} {days}", "Store opens at {t}", "Last orders {t}", "Kitchen closes {t}",
        "Order for {n} at {t}", "Order {id} dispatched {t}", "Order #{n} - {t}",
    ),
    "note": (
        "bins out by {t}", "gym {t}", "take tablets {t}", "{t} dentist", "pick up kids {t}",
        "remind me {t}", "parcel came {t}", "alarm {t}", "{t} call {name}", "school run {t}",
        "{t} - {name} visit",
    ) + _BOUND_TEMPLATES,
}


# Notes after the time, numbers in them included ("Exam 09:00 sharp, Hall 2").
TRAILERS = (", {thing} {n}", " ({thing} {n})", ", {dose}", " - {vitals}", ", ticket {n} of {m}",
            " {day}", ", {day}", " {day} {thing} {n}", ", every {n} min", " via {place}",
            " voie {n}", " stop {n}", ", {n} stops", " {name}", " {word} {n}",
            " {thing} {n}", ", {id}", " daily", " start", " sharp", " lol", " pls", " re {word}",
            ", weight {n}.{m}kg", " {place}", ", {n}00ml", " till close", " {emoji}", " x{n}",
            " ref {id}", ", seat {n}{letter}", ", {n} pax", " -> {place}", " (was {id})",
            " x", " xx", " then", " k", " it is", " ok?", " {thing} {n}{letter}",
            ", {place} {n}", " ({n} {thing}s)", " by {n} {people}", " for {n} {people}",
            " with {n} {people}", ", {n} {people}", " - {n} {people}", ", {thing} {N}",
            " {thing} {N}", " ({thing} {N})", " - {thing} {N}{letter}", ", ext. {ext}",
            " ext {ext}", " (x{ext})", ", {words}", " - {words}", " ({words})", ". {words}",
            "; {words}")
_TRAILER_WORDS = ("quote", "invoice", "meds", "kids", "parcel", "car", "booking", "visit")


def trailer(rng: random.Random) -> str:
    text = rng.choice(TRAILERS)
    text = (text.replace("{thing}", rng.choice(NUMBERED_THINGS))
            .replace("{day}", _day_word(_NEUTRAL_DAYS, rng))
            .replace("{m}", str(rng.randrange(1, 99))).replace("{N}", str(rng.randrange(60, 1000)))
            .replace("{word}", rng.choice(_TRAILER_WORDS)).replace("{letter}", rng.choice("ABCDEF"))
            .replace("{ext}", str(rng.randrange(1000, 10000)))
            .replace("{words}", " ".join(rng.choice(NOTE_WORDS) for _ in range(rng.randrange(1, 5)))))
    return _fill(text, rng)


# Words of a short note after the time (", mobile off after", "- then lunch").
NOTE_WORDS = ("mobile", "off", "after", "then", "lunch", "back", "later", "asap", "pls", "ok",
              "call", "first", "if", "poss", "not", "sure", "confirmed", "tbc", "again", "latest",
              "running", "late", "done", "left", "msg", "me", "before", "that", "thx", "cheers",
              "no", "answer", "voicemail", "out", "of", "office", "all", "day", "meeting", "and",
              "bring", "forms", "ID", "keys", "parking", "at", "rear", "ring", "bell", "urgent")
NUMBERED_THINGS = ("room", "Room", "Hall", "bed", "Bed", "gate", "Gate", "block", "Block",
                   "platform", "Gleis", "depot", "bay", "Bay", "stand", "desk", "zone", "ward",
                   "row", "seat", "unit", "level", "door", "track", "lane", "pod", "cell")
# A template whose words just before the time end so takes no bound word too.
_BOUND_BEFORE = ("at", "@", "by", "from", "until", "before", "after", "around", " to", "for",
                 "till", "since")
_POINTERS = ("for", "since", "on", "is", "was", "=", "->", "as of", "from", "starting")
_BOUND_WORDS = ("before", "by", "until", "till", "no later than", "not before", "from", "after",
                "not after", "latest", "earliest", "no earlier than")


# Openings of a chat message before its template ("k, 7pm then").
_CHAT_LEADS = ("k, ", "ok so ", "yep ", "sure, ", "np ", "right, ", "fine - ", "hmm ")
# Openings of a request or a note ("Please submit by 4pm", "FYI closes at 6").
_REQUEST_LEADS = ("Please ", "please ", "Kindly ", "Pls ", "FYI ", "Reminder: ", "Note: ",
                  "Could you ", "Can you ", "Just a reminder, ", "PLEASE ", "Remember to ",
                  "Don't forget, ", "As discussed, ", "Heads up: ", "Team - ")
_REQUEST_DOMAINS = ("change", "errand", "note", "speech")


# The domains of CONTEXTS and two more whose templates are drawn whole:
# "paired", one time in a pair of labels, the other label's value not a
# time ("Arr 14:05, Dep --", "opened tbc, closed 6:04 am"; `paired_template`),
# and "bound", one bound after its words ("no departures before 6am";
# `bound_template`).
DOMAINS = tuple(sorted(CONTEXTS)) + ("paired", "bound")


def bound_template(rng: random.Random) -> Tuple[str, str]:
    """A template of the "bound" domain and its bound word: what a bound
    follows, then one bound ("no departures before {t}", "deliver by {t}")."""
    bound = rng.choice(("before", "before", "after", "after") + _BOUND_WORDS)
    return _cased(rng.choice(BOUND_LEADS), rng) + f" {bound} {{t}}", bound


def render_context(rng: random.Random) -> Tuple[str, Time]:
    """Family 13: labels, verbs, notes and unrelated numbers around the time."""
    domain = rng.choice(DOMAINS)
    bound = None
    if domain == "paired":
        template = paired_template(rng)
    elif domain == "bound":
        template, bound = bound_template(rng)
    else:
        template = rng.choice(CONTEXTS[domain])
    in_rule = template in _IN_TEMPLATES
    bound_rule = template in _BOUND_TEMPLATES or bound is not None
    own_rule = in_rule or bound_rule  # "in 9:15", "until 10am"
    template = _fill(template, rng)  # its words, as they read before the time
    head = template.split("{t}")[0].rstrip()  # ("courier dropping by")
    # "Shift 2: 1:30pm", "Arr 14:05, Dep --": the time is written as a time
    numbered = domain in ("numbered", "paired", "reading", "activity")
    military = not numbered and rng.random() < 0.12  # "Dep 1030, Terminal 2": a bare figure
    day_core = not (own_rule or military or numbered) and rng.random() < 0.12
    if day_core:  # a day word gives the period (family 15): "Stocktake 7 tomorrow evening"
        text, time = period_day_core(rng, time_first=head.endswith(_BOUND_BEFORE))
    else:
        text, time = cores.core_phrase(rng, strong=numbered or rng.random() < 0.7,
                                       figure=military)
    # the clocks of the two-times rejects and of ranges and readings
    if domain in ("paired", "reading", "activity") and rng.random() < 0.7:
        text, time = cores.written_clock(rng)
    if in_rule:
        if not _CLOCK_WRITTEN.search(text):
            text, time = cores._plain_digital(rng)
    elif bound_rule and not _bound_safe(text, bound or template.split()[0]):
        text, time = cores._plain_digital(rng)
    if not own_rule and not head.endswith(_BOUND_BEFORE):
        roll = rng.random()
        if roll < 0.2:  # one bound: "submit by 10am", "not before 0930" (never "at by 10am")
            bound = rng.choice(_BOUND_WORDS)
            if _bound_safe(text, bound):
                text = f"{bound} {text}"
        elif roll < 0.32:  # a filler of family 11: "Outage began approx 14:10"
            text = f"{rng.choice(FILLERS)} {text}"
        elif roll < 0.38:  # a word that only points at it: "requested for 4pm", "since 7ish"
            text = f"{rng.choice(_POINTERS)} {text}"
    date_lead = None
    if not day_core and rng.random() < 0.2:  # a date or a zone comes along
        where = rng.random()
        if where < 0.35:  # "06.05.2022 16:40"
            text = written_date(rng) + " " + text
        elif where < 0.55:  # "6pm Fri", "7pm on the 21st"
            date = written_date(rng)
            text = text + rng.choice((" ", ", ") + (() if date.startswith("on ") else (" on ",))) + date
        elif where < 0.75:  # "Thu - finish 11pm", "12/03: gym 6pm"
            date_lead = written_date(rng) + rng.choice((" - ", ": ", ", ", " ", " | "))
        else:
            text = text + " " + zone(rng)
    phrase = context_phrase(template, text, rng)
    if domain == "chat" and rng.random() < 0.2:
        phrase = rng.choice(_CHAT_LEADS) + phrase
    elif domain in _REQUEST_DOMAINS and rng.random() < 0.15:
        phrase = rng.choice(_REQUEST_LEADS) + phrase
    if date_lead:
        phrase = date_lead + phrase
    if not day_core and rng.random() < (0.6 if military else 0.35):
        phrase += trailer(rng)  # (a trailer may hold a day word of its own)
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
    elif not cores._is_strong(time_text) and (head and not head.endswith(_CUES)):
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
