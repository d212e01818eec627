"""Run every experiment (from the cache where it can) and print how long each took.

    python -m lstm_explainer.experiments            # what a build would do
    python -m lstm_explainer.experiments --cold     # in an empty cache: the cold training time
    python -m lstm_explainer.experiments recall     # only the named experiments
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

from . import EXPERIMENTS, experiment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lstm_explainer.experiments", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="name", help=f"experiments to run (default: all of {', '.join(EXPERIMENTS)})")
    parser.add_argument("--cold", action="store_true", help="start from an empty cache (a temporary folder)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in EXPERIMENTS]
    if unknown:
        parser.exit(2, f"error: unknown experiment {unknown[0]!r}; the experiments are: {', '.join(EXPERIMENTS)}.\n")
    with tempfile.TemporaryDirectory(prefix="lstm-explainer-cold-") as empty:
        if args.cold:
            os.environ["LSTM_EXPLAINER_CACHE"] = empty
        total = 0.0
        for name in args.names or EXPERIMENTS:
            start = time.perf_counter()
            experiment(name).results()
            seconds = time.perf_counter() - start
            total += seconds
            print(f"{name:<28} {seconds:7.2f} s", flush=True)
        print(f"{'all experiments':<28} {total:7.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
