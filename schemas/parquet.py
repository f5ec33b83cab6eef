"""The inference contract: the columns `pipeline.infer` adds to every input row.

Every input column passes through unchanged; these are appended:

| column     | type                     | meaning |
| ---------- | ------------------------ | ------- |
| time       | string                   | "HH:MM", null unless status is "ok" |
| candidate_time | string               | the model's best guess "HH:MM" of a row rejected as |
|            |                          | "low_confidence" (for review); null for every other row |
| status     | string                   | "ok", "rejected" or "invalid" |
| confidence | float32                  | the model's calibrated probability of its answer (a time |
|            |                          | or the rejection); null for "invalid" |
| error      | string                   | why a row is not "ok" (ERRORS below); null for "ok" |
| attention  | list<struct>             | per output character, the input span it attended to most: |
|            |                          | {output, start, end, text, weight}, text == input[start:end]; null for "invalid" |
| full_attention | list<list<float32>>  | with --full_attention only: [5][len(input)] weights per input character |
"""

import enum

import pyarrow as pa

from schemas import features

TIME_COLUMN = "time"
CANDIDATE_TIME_COLUMN = "candidate_time"
STATUS_COLUMN = "status"
CONFIDENCE_COLUMN = "confidence"
ERROR_COLUMN = "error"
ATTENTION_COLUMN = "attention"
FULL_ATTENTION_COLUMN = "full_attention"
DEFAULT_TEXT_COLUMN = "text"


class Status(enum.IntEnum):
    """A row's status; its value in the `status` column is the lower-case name."""
    OK = 0
    REJECTED = 1  # not a time, or a time below the threshold
    INVALID = 2  # the value cannot be read

    @property
    def label(self) -> str:
        return self.name.lower()


class Error(enum.IntEnum):
    """Why a row is not ok; its value in the `error` column is the lower-case name."""
    # Errors of "invalid" rows: the value cannot be read.
    NULL = 0
    BLANK = 1  # empty or only whitespace (features.WHITESPACE)
    TOO_LONG = 2  # more than MAX_INPUT_LEN characters after clean-up
    NOT_A_STRING = 3  # the column is not of a string type
    NOT_UTF8 = 4  # a string or binary value that is not valid UTF-8
    # Errors of "rejected" rows: readable, but not a time ...
    NOT_A_TIME = 5
    # ... or a time below --min_confidence (by default the model's recommended
    # threshold): the time goes to candidate_time, not to time.
    LOW_CONFIDENCE = 6

    @property
    def label(self) -> str:
        return self.name.lower()


STATUSES = tuple(status.label for status in Status)  # the column's values, by code
ERRORS = tuple(error.label for error in Error)

# Values longer than this are measured after clean-up before the model is
# asked (the model measures the rest), so 2,000 spaces and "7 pm" is read
# while a column of 10 kB strings stays cheap.
MAX_RAW_CHARS = 16 * features.MAX_INPUT_LEN

ATTENTION_SPAN_TYPE = pa.struct([
    pa.field("output", pa.string()),
    pa.field("start", pa.int32()),
    pa.field("end", pa.int32()),
    pa.field("text", pa.string()),
    pa.field("weight", pa.float32()),
])
FULL_ATTENTION_TYPE = pa.list_(pa.list_(pa.float32()))  # [OUTPUT_LEN][len(input)]


def added_fields(full_attention: bool):
    fields = [
        pa.field(TIME_COLUMN, pa.string()),
        pa.field(CANDIDATE_TIME_COLUMN, pa.string()),
        pa.field(STATUS_COLUMN, pa.string()),
        pa.field(CONFIDENCE_COLUMN, pa.float32()),
        pa.field(ERROR_COLUMN, pa.string()),
        pa.field(ATTENTION_COLUMN, pa.list_(ATTENTION_SPAN_TYPE)),
    ]
    if full_attention:
        fields.append(pa.field(FULL_ATTENTION_COLUMN, FULL_ATTENTION_TYPE))
    return fields


def added_columns(full_attention: bool):
    return [field.name for field in added_fields(full_attention)]


def output_schema(input_schema: pa.Schema, full_attention: bool) -> pa.Schema:
    """The input columns, unchanged, then the added ones."""
    schema = input_schema.remove_metadata()
    for field in added_fields(full_attention):
        schema = schema.append(field)
    return schema
