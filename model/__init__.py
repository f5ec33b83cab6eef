"""The Keras attention network, its training, export, evaluation and explanation."""

import os

# The production model shipped inside the package (package data), so that
# inference works right after `pip install`. Trained by `make default-model`.
DEFAULT_MODEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "default_model")
# Reports and heatmaps live beside the SavedModel's own files, in the
# directory TF Serving reserves for extra files.
REPORT_SUBDIR = "assets.extra"
