"""Flags of the Beam jobs: a job's own flags, then Beam's, and nothing else.

Beam only logs "Discarding unparseable args" for a flag it does not know, so
a misspelt `--min_confidance 0.99` would run with the default. Each job
parses its own flags, then hands the rest to `refuse_unknown`, which accepts
exactly what Beam's own option classes (every PipelineOptions subclass
imported so far: runner, Dataflow, portable, worker flags) would parse.
"""

import argparse
from typing import List

from apache_beam.options import pipeline_options


def refuse_unknown(parser: argparse.ArgumentParser, pipeline_args: List[str]) -> None:
    """Exits with status 2 through `parser.error`, naming every argument in
    `pipeline_args` that neither the job nor Beam knows."""
    beam_parser = pipeline_options._BeamArgumentParser(allow_abbrev=False)
    option_classes = {str(cls): cls for cls in pipeline_options.PipelineOptions.__subclasses__()}
    for cls in option_classes.values():
        cls._add_argparse_args(beam_parser)  # as PipelineOptions.get_all_options does
    _, unknown = beam_parser.parse_known_args(pipeline_args)
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
