"""The Keras attention network, its training, export, evaluation and explanation,
and `normalize`, the library call:

    >>> from model import normalize
    >>> normalize(["quarter past 3 pm", "pizza"])  # one record per string
"""

import os

# The production model shipped inside the package (package data), so that
# inference works right after `pip install`. Trained by `make default-model`.
DEFAULT_MODEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "default_model")
# Reports and heatmaps live beside the SavedModel's own files, in the
# directory TF Serving reserves for extra files.
REPORT_SUBDIR = "assets.extra"
# The exported model's temperature and recommended threshold, in REPORT_SUBDIR
# (written by model/export.py, read by model/serving.py's read_calibration).
CALIBRATION_FILE = "calibration.json"
# Under the --model_dir of model.train: the best epoch, and the export.
CHECKPOINT_FILE = os.path.join("checkpoints", "best.keras")
SAVED_MODEL_DIR = "saved_model"
INCOMPLETE_SUFFIX = ".incomplete"  # the export's name until it is evaluated


def normalize(texts, model_dir=None, min_confidence=None):
    """Normalizes a list of strings or a pandas Series with the infer job's own
    code (model/normalizer.py); see `model.normalizer.normalize`."""
    from model import normalizer  # TensorFlow loads on the first call, not on import
    return normalizer.normalize(texts, model_dir, min_confidence)
