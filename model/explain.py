"""Explain one phrase: the time, its status and confidence, and where the model looked.

    python -m model.explain "quarter past 3 pm" [--model_dir DIR] [--png FILE]
        [--min_confidence 0.9]

The first line gives the verdict at the model's own threshold (or
--min_confidence), as pipeline.infer would write it, and the threshold.

The attention is printed as a heatmap: input characters across, the five
output characters down, darker blocks for more attention.
"""

import argparse
import sys
from typing import Dict, List, Optional

import numpy as np

from model import DEFAULT_MODEL_DIR
from model.serving import attention_by_character
from schemas import features
from schemas.parquet import Error, Status

_SHADES = " .:-=+*#%@"


def row_attention(text: str, outputs: Dict[str, np.ndarray], row: int = 0) -> np.ndarray:
    """The row's attention as [5, len(text)] over the characters of `text`."""
    return attention_by_character(text, outputs[features.OUTPUT_ATTENTION_KEY][row],
                                  outputs[features.OUTPUT_OFFSETS_KEY][row])


def output_characters(outputs: Dict[str, np.ndarray], row: int = 0) -> str:
    time = outputs[features.OUTPUT_TIME_KEY][row]
    return time if time else features.REJECT_LABEL


def terminal_heatmap(text: str, outputs: Dict[str, np.ndarray], row: int = 0) -> str:
    weights = row_attention(text, outputs, row)
    lines = ["    " + text.replace("\n", " ")]
    for char, line in zip(output_characters(outputs, row), weights):
        peak = line.max() or 1.0
        shades = "".join(_SHADES[min(int(w / peak * (len(_SHADES) - 1) + 0.5),
                                     len(_SHADES) - 1)] for w in line)
        lines.append(f" {char}  {shades}")
    return "\n".join(lines)


def save_heatmap(text: str, outputs: Dict[str, np.ndarray], path: str, row: int = 0,
                 title: Optional[str] = None) -> None:
    """Writes the attention of one row as a PNG (needs matplotlib)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weights = row_attention(text, outputs, row)
    figure, axes = plt.subplots(figsize=(max(4, 0.32 * len(text) + 1.5), 2.6))
    axes.imshow(weights, cmap="viridis", aspect="auto", vmin=0, vmax=1)
    axes.set_xticks(range(len(text)), list(text))
    axes.set_yticks(range(features.OUTPUT_LEN), list(output_characters(outputs, row)))
    axes.set_title(title or f"{text!r} -> {output_characters(outputs, row)}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def describe(text: str, outputs: Dict[str, np.ndarray], row: int = 0,
             threshold: float = 0.0, threshold_source: str = "") -> str:
    """One line: the time, the verdict at `threshold` (what pipeline.infer
    would write: ok, rejected, or low_confidence with the candidate time),
    the confidence and the threshold."""
    from model.normalizer import verdicts  # the infer job's own rule
    confidence = float(outputs[features.OUTPUT_CONFIDENCE_KEY][row])
    candidate = outputs[features.OUTPUT_TIME_KEY][row]
    status, error = verdicts(outputs[features.OUTPUT_REJECTED_KEY][row:row + 1],
                             np.array([confidence], np.float32), threshold)
    if error[0] == Error.LOW_CONFIDENCE:
        time, status = "-", f"{Error.LOW_CONFIDENCE.label} (candidate {candidate})"
    elif status[0] == Status.OK:
        time, status = candidate, Status.OK.label
    else:
        time, status = "-", Status(status[0]).label
    source = f" ({threshold_source})" if threshold_source else ""
    return (f"time: {time}   status: {status}   confidence: {confidence:.4f}   "
            f"threshold: {threshold:g}{source}")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False,
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("text", help="The phrase to normalize.")
    parser.add_argument("--model_dir", default=DEFAULT_MODEL_DIR, help="The exported SavedModel.")
    parser.add_argument("--png", help="Also write the heatmap to this PNG file.")
    parser.add_argument("--min_confidence", type=float, default=None,
                        help="The threshold of the verdict (default: the model's own).")
    args = parser.parse_args(argv)

    from model.serving import TimeNormalizer  # loads TensorFlow; not needed for --help
    normalizer = TimeNormalizer(args.model_dir)
    outputs = normalizer([args.text])
    if args.min_confidence is not None:
        threshold, source = args.min_confidence, "--min_confidence"
    elif normalizer.threshold is not None:
        threshold, source = normalizer.threshold, "the model's"
    else:
        threshold, source = 0.0, "the model carries none"
    print(describe(args.text, outputs, threshold=threshold, threshold_source=source))
    print(terminal_heatmap(args.text, outputs))
    if args.png:
        save_heatmap(args.text, outputs, args.png)
        print(f"heatmap written to {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
