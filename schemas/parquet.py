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

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"
STATUS_INVALID = "invalid"
STATUSES = (STATUS_OK, STATUS_REJECTED, STATUS_INVALID)

# Errors of "invalid" rows: the value cannot be read.
ERROR_NULL = "null"
ERROR_BLANK = "blank"  # empty or only whitespace
ERROR_TOO_LONG = "too_long"  # more than MAX_INPUT_LEN characters after clean-up
ERROR_NOT_A_STRING = "not_a_string"  # the column is not of a string type
ERROR_NOT_UTF8 = "not_utf8"  # a string or binary value that is not valid UTF-8
# Errors of "rejected" rows: readable, but not a time.
ERROR_NOT_A_TIME = "not_a_time"
# A time below --min_confidence (by default the model's recommended threshold):
# the time goes to candidate_time, not to time.
ERROR_LOW_CONFIDENCE = "low_confidence"
ERRORS = (ERROR_NULL, ERROR_BLANK, ERROR_TOO_LONG, ERROR_NOT_A_STRING, ERROR_NOT_UTF8,
          ERROR_NOT_A_TIME, ERROR_LOW_CONFIDENCE)

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
        fields.append(pa.field(FULL_ATTENTION_COLUMN, pa.list_(pa.list_(pa.float32()))))
    return fields


def added_columns(full_attention: bool):
    return [field.name for field in added_fields(full_attention)]


def output_schema(input_schema: pa.Schema, full_attention: bool) -> pa.Schema:
    """The input columns, unchanged, then the added ones."""
    schema = input_schema.remove_metadata()
    for field in added_fields(full_attention):
        schema = schema.append(field)
    return schema
