"""timenorm: free-form times of day -> HH:MM with a Keras attention network on Beam.

`pip install -e .` for development; Dataflow workers install the same package
through `--setup_file ./setup.py`. `constraints.txt` pins the whole set that
is known to install together on Python 3.11.
"""

import setuptools

REQUIRED = [
    # apache-beam needs its [gcp] extra for tensorflow-transform and Dataflow.
    "apache-beam[gcp]==2.77.0",
    "tensorflow==2.21.0",
    "tensorflow-transform==1.21.0",
    "tfx-bsl==1.21.0",
    "numpy>=1.26",
    "pyarrow>=14",
    # Keras TensorBoard callback; tensorflow 2.21 no longer pulls it in.
    "tensorboard==2.21.0",
]

setuptools.setup(
    name="timenorm",
    version="0.1.0",
    description="Normalize free-form times of day to HH:MM at Parquet scale on Apache Beam.",
    python_requires=">=3.11,<3.12",
    packages=setuptools.find_packages(include=["pipeline", "pipeline.*", "model", "model.*",
                                               "schemas", "schemas.*"]),
    package_data={"model": ["default_model/**/*", "default_model/*", "default_model.sha256"]},
    include_package_data=True,
    install_requires=REQUIRED,
    extras_require={
        # Reports, heatmaps and the test suite; not needed on Dataflow workers.
        "dev": ["pytest", "matplotlib"],
        "viz": ["matplotlib"],
        # Side-by-side benchmark against two rule-based parsers (bench/bench_compare.py).
        "compare": ["dateparser==1.5.0", "ctparse==0.3.6"],
    },
)
