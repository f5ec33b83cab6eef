"""The production model shipped in the package, in a fresh process."""

import json
import os
import re

import pytest

from conftest import ROOT, run_python
from model import DEFAULT_MODEL_DIR

PHRASES = {
    "quarter past 3 pm": "15:15",
    "1910 hrs": "19:10",
    "t23.11": "23:11",
    "six hours and fifty five am": "06:55",
    "ten to one in the morning": "00:50",
    "Noon": "12:00",
    "seven forty-five pm": "19:45",
    "2022-07-09T06:40:12.5+05:30": "06:40",
    "pizza": "",
    "next tuesday": "",
    # Real-column strings, typed for this test before the model's answers were seen.
    "Flight BA2490 dep 0935": "09:35",
    "Fri, 13 Jan 2023 18:05:00 +0000": "18:05",
    "ok see you tonight at 9": "21:00",
    "7:30 AM PST": "07:30",
    "Bed 7 obs @ 0330": "03:30",
    "half six": "06:30",
    "Mon 03/04/2024 2:15 pm": "14:15",
    "took 2 hours": "",
    "12/01/2024": "",
}


@pytest.mark.skipif(not os.path.isdir(DEFAULT_MODEL_DIR), reason="no shipped model")
def test_shipped_model_normalizes_hand_written_phrases():
    script = ("import json, sys\n"
              "from model.serving import TimeNormalizer\n"
              f"out = TimeNormalizer()({list(PHRASES)!r})\n"
              "print(json.dumps({'times': list(out['time']), "
              "'tft': 'tensorflow_transform' in sys.modules}))\n")
    result = run_python(["-c", script], timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert dict(zip(PHRASES, out["times"])) == PHRASES
    assert out["tft"] is False


def _joined(path):
    """A file's text with shell/make line continuations joined."""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return re.sub(r"\\\n\s*", " ", f.read())


def test_readme_recipe_is_the_makefiles():
    # The README spells out `make default-model` for readers without make:
    # the base commit and the training flags must be the Makefile's.
    makefile, readme = _joined("Makefile"), _joined("README.md")
    base = re.search(r"^BASE_MODEL_COMMIT := (\w+)$", makefile, re.M).group(1)
    assert f"shipped at commit {base}," in readme and f"git show {base}:Makefile" in readme
    assert set(re.findall(r"git archive (\w+) model/default_model", readme)) == {base}
    make_flags = re.search(r"^PROD_TRAIN := (.*)$", makefile, re.M).group(1).split()
    readme_flags = re.search(r'^TRAIN="(.*)"$', readme, re.M).group(1).split()
    assert readme_flags == make_flags
