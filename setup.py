"""timenorm: free-form times of day -> HH:MM with a Keras attention network on Beam.

`pip install -e .` for development; Dataflow workers install the same package
through `--setup_file ./setup.py`. The requirements below are the ranges
timenorm works with; `constraints.txt` alone pins the exact set known to
install together on Python 3.11 (`pip install -c constraints.txt .`).
"""

import setuptools

REQUIRED = [
    # apache-beam needs its [gcp] extra for tensorflow-transform and Dataflow.
    "apache-beam[gcp]>=2.77,<3",
    # tensorflow-transform and tfx-bsl are released in step with tensorflow.
    "tensorflow>=2.21,<2.22",
    "tensorflow-transform>=1.21,<1.22",
    "tfx-bsl>=1.21,<1.22",
    "numpy>=1.26",
    "pandas>=2",
    "pyarrow>=14",
    # Keras TensorBoard callback; tensorflow 2.21 no longer pulls it in.
    "tensorboard>=2.21,<2.22",
]

setuptools.setup(
    name="timenorm",
    version="0.1.0",
    description="Normalize free-form times of day to HH:MM at Parquet scale on Apache Beam.",
    python_requires=">=3.11,<3.12",
    packages=setuptools.find_packages(include=["pipeline", "pipeline.*", "model", "model.*",
                                               "schemas", "schemas.*"]),
    # The shipped model and its digests: `timenorm infer` works right after install.
    package_data={"model": ["default_model/**/*", "default_model.sha256"]},
    install_requires=REQUIRED,
    entry_points={"console_scripts": ["timenorm = pipeline.cli:main"]},
    extras_require={
        # Reports, heatmaps and the test suite; not needed on Dataflow workers.
        "dev": ["pytest", "matplotlib"],
        "viz": ["matplotlib"],
        # Side-by-side benchmark against two rule-based parsers (bench/bench_compare.py).
        "compare": ["dateparser>=1.5,<2", "ctparse>=0.3.6,<0.4"],
    },
)
