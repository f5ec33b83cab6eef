"""Shared fixtures: one small generated data set and one tiny trained model
per test session (real pipeline, real training, seconds not minutes)."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# In-process runner: skips the DirectRunner's attempt to download Prism.
LOCAL_RUNNER = ["--runner", "FnApiRunner"]
SMALL_EXAMPLES = 3000
# Every family well represented, so a small run still covers each split.
EVEN_WEIGHTS = "noon_midnight=3"


@pytest.fixture(scope="session")
def generated_dir(tmp_path_factory):
    from pipeline import generate
    output = str(tmp_path_factory.mktemp("generated"))
    generate.run(["--output_dir", output, "--num_examples", str(SMALL_EXAMPLES),
                  "--seed", "3", "--family_weights", EVEN_WEIGHTS] + LOCAL_RUNNER)
    return output


@pytest.fixture(scope="session")
def tiny_model_dir(generated_dir, tmp_path_factory):
    """A SavedModel trained for two epochs on the small data set."""
    from model import train
    model_dir = str(tmp_path_factory.mktemp("model"))
    train.train(train.parse_args([
        "--data_dir", generated_dir, "--model_dir", model_dir, "--epochs", "2",
        "--batch_size", "128", "--embedding_dim", "8", "--encoder_units", "16",
        "--attention_units", "16", "--decoder_units", "32", "--seed", "1",
        "--skip_evaluation"]))
    return os.path.join(model_dir, train.SAVED_MODEL_DIR)


def run_python(args, **kwargs):
    """Runs `python args...` in a fresh interpreter from the repository root."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.run([sys.executable] + list(args), cwd=ROOT, env=env,
                          capture_output=True, text=True, **kwargs)


def char_probs(outputs, sharpness=0.9):
    """[b, 5, |alphabet|] decoder probabilities that put `sharpness` on each
    character of each given output ("07:05", "--:--")."""
    import numpy as np

    from schemas import features
    alphabet = features.OUTPUT_ALPHABET
    probs = np.full((len(outputs), features.OUTPUT_LEN, len(alphabet)),
                    (1 - sharpness) / (len(alphabet) - 1), np.float32)
    for row, text in enumerate(outputs):
        for step, char in enumerate(text):
            probs[row, step, alphabet.index(char)] = sharpness
    return probs
