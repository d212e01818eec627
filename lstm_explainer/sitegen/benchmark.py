"""Measure what the site costs: training, builds, tests, page weight; keep the last run.

    python -m lstm_explainer.sitegen.benchmark              # everything, medians of 3 runs
    python -m lstm_explainer.sitegen.benchmark training     # one section
    python -m lstm_explainer.sitegen.benchmark --runs 1 training

Run by hand (``scripts/benchmark``), never as a timed test: it prints each measurement and
its budget, and writes the numbers to ``benchmarks/last-run.json``, from which the site's
pages quote them (a build never times itself, so two builds stay byte-identical).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORD = ROOT / "benchmarks" / "last-run.json"
PYTHON = ROOT / ".venv" / "bin" / "python"
BUDGET_TRAINING = 60.0  # seconds, cold, every experiment


def site_env(**extra: str) -> dict[str, str]:
    """The environment of ``scripts/site-env`` (what every build uses), plus ``extra``."""
    out = subprocess.run(
        ["bash", "-c", ". scripts/site-env && env -0"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    env = dict(item.split("=", 1) for item in out.split("\0") if "=" in item)
    return env | extra


def timed(command: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    """Run ``command`` in the checkout; fail loudly if it fails; return (seconds, process)."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"benchmark: {' '.join(command)} failed:\n{done.stderr[-2000:]}")
    return seconds, done


def computed_jobs(stderr: str) -> int:
    """How many experiment jobs ran (the cache prints ``[i/n] job ...: s`` for each)."""
    return len(re.findall(r"^\[\d+/\d+\] ", stderr, flags=re.M))


def training(runs: int) -> dict:
    """Every experiment from an empty cache (each timed), then again warm: it must train nothing."""
    cold, warm, jobs = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            env = site_env(LSTM_EXPLAINER_CACHE=cache)
            _, done = timed([str(PYTHON), "-m", "lstm_explainer.experiments"], env)
            cold.append(dict(re.findall(r"^(\S+)\s+([\d.]+) s$", done.stdout, flags=re.M)))
            seconds, again = timed([str(PYTHON), "-m", "lstm_explainer.experiments"], env)
            warm.append(seconds)
            jobs.append((computed_jobs(done.stderr), computed_jobs(again.stderr)))
    names = [name for name in cold[0] if name != "all"]
    result = {
        "cold_seconds": {name: statistics.median(float(run[name]) for run in cold) for name in names},
        "warm_seconds": statistics.median(warm),
        "jobs_cold": jobs[0][0],
        "jobs_warm": max(warm_jobs for _, warm_jobs in jobs),
        "budget_seconds": BUDGET_TRAINING,
    }
    result["cold_seconds_all"] = sum(result["cold_seconds"].values())
    return result


def report_training(result: dict) -> None:
    for name, seconds in result["cold_seconds"].items():
        print(f"  training {name:<24} {seconds:7.1f} s")
    total, budget = result["cold_seconds_all"], result["budget_seconds"]
    print(f"  training, all, cold             {total:7.1f} s   budget {budget:.0f} s   {'ok' if total <= budget else 'OVER'}")
    print(f"  training, warm: {result['jobs_warm']} of {result['jobs_cold']} jobs ran again, {result['warm_seconds']:.1f} s")


SECTIONS = {"training": (training, report_training)}


def machine() -> dict:
    import torch

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__.split("+")[0],
        "system": f"{platform.system()} {platform.machine()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lstm_explainer.sitegen.benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", metavar="section",
                        help=f"what to measure (default: all of {', '.join(SECTIONS)})")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are kept (default 3)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.exit(2, f"error: unknown section {unknown[0]!r}; the sections are: {', '.join(SECTIONS)}.\n")
    if args.runs < 1:
        parser.exit(2, "error: --runs must be at least 1.\n")
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    record["machine"] = machine()
    for name in args.sections or SECTIONS:
        measure, report = SECTIONS[name]
        print(f"{name} (median of {args.runs}):", flush=True)
        record[name] = measure(args.runs) | {"runs": args.runs}
        report(record[name])
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    print(f"written: {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
