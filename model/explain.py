"""Explain one phrase: the time, its status and confidence, and where the model looked.

    python -m model.explain "quarter past 3 pm" [--model_dir DIR] [--png FILE]

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


def describe(text: str, outputs: Dict[str, np.ndarray], row: int = 0) -> str:
    status = "rejected" if outputs[features.OUTPUT_REJECTED_KEY][row] else "ok"
    time = outputs[features.OUTPUT_TIME_KEY][row] or "-"
    confidence = float(outputs[features.OUTPUT_CONFIDENCE_KEY][row])
    return f"time: {time}   status: {status}   confidence: {confidence:.4f}"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], allow_abbrev=False)
    parser.add_argument("text", help="The phrase to normalize.")
    parser.add_argument("--model_dir", default=DEFAULT_MODEL_DIR)
    parser.add_argument("--png", help="Also write the heatmap to this PNG file.")
    args = parser.parse_args(argv)

    from model.serving import TimeNormalizer  # loads TensorFlow; not needed for --help
    outputs = TimeNormalizer(args.model_dir)([args.text])
    print(describe(args.text, outputs))
    print(terminal_heatmap(args.text, outputs))
    if args.png:
        save_heatmap(args.text, outputs, args.png)
        print(f"heatmap written to {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
