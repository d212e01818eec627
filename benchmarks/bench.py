"""Measure what the site costs: training, builds, an edit under serve, tests, page weight.

    .venv/bin/python benchmarks/bench.py                 # everything, medians of 3 runs
    .venv/bin/python benchmarks/bench.py training        # one section
    .venv/bin/python benchmarks/bench.py --runs 1 builds serve

Run by hand (``./scripts/benchmark`` sets up ``.venv`` and runs this), never as a timed test:
it prints each measurement and its budget, and writes the numbers to
``benchmarks/last-run.json``, from which the site's pages quote them (a build never times
itself, so two builds stay byte-identical). The budgets, the record's path and what its
entries mean are in `lstm_explainer.sitegen.build_numbers`, where the site reads them.

Sections:

* ``training``: every experiment of `lstm_explainer.experiments.EXPERIMENTS` from an empty
  cache (each timed), then again: the second run must train nothing;
* ``builds``: cold builds (every cache empty) and whether two are byte-identical; a whole
  rebuild in one process with nothing changed and after a page's prose changed; the time
  each figure and notebook adds to a cold build;
* ``serve``: ``./scripts/serve`` on a free port; a sentence is added to a page, and the time
  from saving it to the served page showing it is taken (median of at least 5 edits); the
  page is always put back as it was, and the server stopped;
* ``tests``: the whole ``./scripts/test`` (but the test that reads this record);
* ``pages``: in Chromium, the bytes each page's first visit loads, and whether it reads
  without JavaScript (measured once: bytes do not vary).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from lstm_explainer.sitegen.build_numbers import (
    BUDGET_COLD_BUILD,
    BUDGET_FIGURE,
    BUDGET_PAGE,
    BUDGET_PROSE_REBUILD,
    BUDGET_SERVE_EDIT,
    BUDGET_TESTS,
    BUDGET_TRAINING,
    NOT_READABLE_WITHOUT_JS,
    RECORD,
    readable_without_js,
)

try:
    from .serve_site import HOST, serve  # python -m benchmarks.bench
except ImportError:
    from serve_site import HOST, serve  # python benchmarks/bench.py

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
CHROMIUM = "/usr/bin/chromium"
PROSE_PAGE = ROOT / "docs" / "closing.md"  # the page whose prose the rebuild and serve checks edit
SERVE_EDITS = 5  # at least this many edits under serve (the file watcher polls: times vary)


def site_env(root: Path = ROOT, **extra: str) -> dict[str, str]:
    """The environment of ``scripts/site-env`` (what every build uses), plus ``extra``."""
    out = subprocess.run(
        ["bash", "-c", ". scripts/site-env && env -0"], cwd=root, check=True, capture_output=True, text=True
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


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


# --- training ----------------------------------------------------------------------------


def computed_jobs(stderr: str) -> int:
    """How many experiment jobs ran (the cache prints ``[i/n] job ...: s`` for each)."""
    return len(re.findall(r"^\[\d+/\d+\] ", stderr, flags=re.M))


def training(runs: int) -> dict:
    """Every experiment from an empty cache (each timed), then again warm: it must train nothing."""
    from lstm_explainer.experiments import EXPERIMENTS

    cold, warm, jobs = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            env = site_env(LSTM_EXPLAINER_CACHE=cache)
            _, done = timed([str(PYTHON), "-m", "lstm_explainer.experiments"], env)
            cold.append(dict(re.findall(r"^(\S+)\s+([\d.]+) s$", done.stdout, flags=re.M)))
            seconds, again = timed([str(PYTHON), "-m", "lstm_explainer.experiments"], env)
            warm.append(seconds)
            jobs.append((computed_jobs(done.stderr), computed_jobs(again.stderr)))
    result = {
        "cold_seconds": {name: statistics.median(float(run[name]) for run in cold) for name in EXPERIMENTS},
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
    print(f"  training, all, cold             {total:7.1f} s   budget {budget:.0f} s   {verdict(total <= budget)}")
    print(f"  training, warm: {result['jobs_warm']} of {result['jobs_cold']} jobs ran again, {result['warm_seconds']:.1f} s")


# --- builds ------------------------------------------------------------------------------

# Whole rebuilds in one process, in a child: build, build again with nothing changed, then
# edit the prose of one page and build again (a new config each time, as serve makes one).
_REBUILDS = """
import json, pathlib, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
out, page, runs = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3])
def once():
    start = time.perf_counter()
    build(load_config("mkdocs.yml", site_dir=out))
    return time.perf_counter() - start
once()
unchanged = [once() for _ in range(runs)]
text = page.read_text()
edited = []
try:
    for n in range(runs):
        page.write_text(text + f"\\n\\nAn edited sentence, number {n}.\\n")
        edited.append(once())
finally:
    page.write_text(text)
print(json.dumps({"unchanged": unchanged, "edited": edited}))
"""


def cold_build(site_dir: Path) -> float:
    """One build from nothing: every cache empty (training included); return its seconds."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        seconds, _ = timed([str(MKDOCS), "build", "--strict", "--site-dir", str(site_dir)], site_env(LSTM_EXPLAINER_CACHE=cache))
    return seconds


def first_difference(a: Path, b: Path) -> str | None:
    """The first file (in name order) that differs between two site folders, or None."""
    files = sorted({p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*") if p.is_file()})
    for name in files:
        left, right = a / name, b / name
        if not (left.is_file() and right.is_file()):
            return f"{name}: only in {'the first' if left.is_file() else 'the second'} build"
        x, y = left.read_bytes(), right.read_bytes()
        if x != y:
            at = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
            return f"{name}: byte {at}: {x[max(0, at - 40):at + 40]!r} vs {y[max(0, at - 40):at + 40]!r}"
    return None


def figure_seconds() -> dict[str, float]:
    """Drawing each figure, both palettes, from kept results (what a cold build adds per figure)."""
    from lstm_explainer.figures.base import THEMES, to_svg
    from lstm_explainer.sitegen.pages import figures

    out = {}
    for name, spec in figures().items():
        start = time.perf_counter()
        for theme in THEMES.values():
            to_svg(spec.figure(theme))
        out[name] = time.perf_counter() - start
    return out


def notebook_seconds() -> dict[str, float]:
    """Executing and converting each notebook, as mkdocs-jupyter does in a cold build."""
    from mkdocs_jupyter.convert import nb2html

    out = {}
    for path in sorted((ROOT / "docs").rglob("*.ipynb")):
        start = time.perf_counter()
        nb2html(str(path), execute=True, allow_errors=False)
        out[path.relative_to(ROOT / "docs").as_posix()] = time.perf_counter() - start
    return out


def builds(runs: int) -> dict:
    """Cold builds (and that two compare equal byte for byte), warm rebuilds, the breakdown."""
    with tempfile.TemporaryDirectory(prefix="bench-sites-") as sites:
        folders = [Path(sites) / f"cold-{n}" for n in range(max(runs, 2))]
        cold = [cold_build(folder) for folder in folders]
        difference = first_difference(folders[0], folders[1])
        _, done = timed([str(PYTHON), "-c", _REBUILDS, str(Path(sites) / "serve"), str(PROSE_PAGE), str(runs)], site_env())
        rebuilds = json.loads(done.stdout.strip().splitlines()[-1])
    figures, notebooks = figure_seconds(), notebook_seconds()
    return {
        "cold_seconds": statistics.median(cold[:runs]),
        "warm_unchanged_seconds": statistics.median(rebuilds["unchanged"]),
        "warm_prose_edit_seconds": statistics.median(rebuilds["edited"]),
        "prose_page": PROSE_PAGE.relative_to(ROOT).as_posix(),
        "figure_seconds": figures,
        "notebook_seconds": notebooks,
        "reproducible": difference is None,
        "first_difference": difference,
        "budget_cold_seconds": BUDGET_COLD_BUILD,
        "budget_prose_edit_seconds": BUDGET_PROSE_REBUILD,
    }


def report_builds(result: dict) -> None:
    cold, warm, edit = result["cold_seconds"], result["warm_unchanged_seconds"], result["warm_prose_edit_seconds"]
    print(f"  build, cold (every cache empty)   {cold:7.1f} s   budget {BUDGET_COLD_BUILD:.0f} s   {verdict(cold <= BUDGET_COLD_BUILD)}")
    for name, seconds in result["figure_seconds"].items():
        print(f"    figure {name:<26} {seconds:7.2f} s")
    for name, seconds in result["notebook_seconds"].items():
        print(f"    notebook {name:<24} {seconds:7.2f} s")
    print(f"    MkDocs itself (a warm rebuild)   {warm:7.2f} s")
    print(f"  rebuild, nothing changed          {warm:7.2f} s")
    print(f"  whole rebuild, prose of {result['prose_page']} edited {edit:5.2f} s   budget {BUDGET_PROSE_REBUILD:.0f} s   {verdict(edit <= BUDGET_PROSE_REBUILD)}")
    if result["reproducible"]:
        print("  two cold builds: byte-identical")
    else:
        print(f"  two cold builds DIFFER: {result['first_difference']}")


# --- an edit under ./scripts/serve -------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The body of ``url``, or None if nothing answers there (yet)."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError):
        return None


def wait_for(url: str, wanted, server: subprocess.Popen, log: Path, timeout: float) -> float:
    """Poll ``url`` every 10 ms until ``wanted(body)``; return the seconds it took. Fails if
    the server stops or ``timeout`` seconds pass, with the end of the server's log."""
    start = time.perf_counter()
    while True:
        body = fetch(url)
        if body is not None and wanted(body):
            return time.perf_counter() - start
        if server.poll() is not None or time.perf_counter() - start > timeout:
            why = "stopped" if server.poll() is not None else f"did not serve it within {timeout:.0f} s"
            raise RuntimeError(f"./scripts/serve {why} ({url}):\n{log.read_text()[-3000:]}")
        time.sleep(0.01)


def serve_edit(runs: int, root: Path = ROOT, env: dict[str, str] | None = None) -> dict:
    """``./scripts/serve`` of the checkout at ``root``: add a sentence to `PROSE_PAGE`, time
    until the served page has it, put the page back; at least `SERVE_EDITS` times.

    The page is put back as it was whatever happens (an error, Ctrl-C, SIGTERM), and the
    server is stopped as Ctrl-C stops it (so it removes its temporary site folder).
    """
    page = root / PROSE_PAGE.relative_to(ROOT)
    original = page.read_bytes()
    sub_path = urlsplit(yaml.safe_load((root / "mkdocs.yml").read_text())["site_url"]).path
    port = free_port()
    url = f"http://{HOST}:{port}{sub_path}{PROSE_PAGE.stem}/"
    token = secrets.token_hex(4)
    pause = random.Random(0)
    seconds = []
    previous_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit(f"benchmark: stopped; {page} put back"))
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as scratch:
        log = Path(scratch) / "serve.log"
        with log.open("w") as out:
            server = subprocess.Popen([str(root / "scripts" / "serve"), "--dev-addr", f"{HOST}:{port}"], cwd=root,
                                      env=env or dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True)  # fmt: skip
        try:
            start_seconds = wait_for(url, lambda body: True, server, log, timeout=900)
            for n in range(max(runs, SERVE_EDITS)):
                sentence = f"A sentence the benchmark added, number {n} ({token})."
                page.write_bytes(original + f"\n\n{sentence}\n".encode())
                seconds.append(wait_for(url, lambda body: sentence in body, server, log, timeout=120))
                page.write_bytes(original)
                wait_for(url, lambda body: sentence not in body, server, log, timeout=120)
                # each edit starts from an idle server, at a different point of the watcher's
                # polling cycle (half a second), as a writer's saves do
                time.sleep(1.0 + pause.uniform(0, 0.5))
        finally:
            page.write_bytes(original)
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGINT)  # as Ctrl-C: the server cleans up after itself
                try:
                    server.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
            signal.signal(signal.SIGTERM, previous_term)
    return {
        "edit_seconds": statistics.median(seconds),
        "edit_seconds_each": seconds,
        "start_seconds": start_seconds,
        "page": PROSE_PAGE.relative_to(ROOT).as_posix(),
        "budget_edit_seconds": BUDGET_SERVE_EDIT,
    }


def report_serve(result: dict) -> None:
    edit, each = result["edit_seconds"], ", ".join(f"{s:.2f}" for s in result["edit_seconds_each"])
    print(f"  ./scripts/serve, first page served {result['start_seconds']:6.1f} s")
    print(f"  ./scripts/serve, {result['page']} saved -> new sentence served {edit:5.2f} s   "
          f"budget {BUDGET_SERVE_EDIT:.0f} s   {verdict(edit <= BUDGET_SERVE_EDIT)}   (each: {each})")  # fmt: skip


# --- the tests ---------------------------------------------------------------------------

# While this script runs, the record it writes is not complete, so the one test that checks
# the record is left out of the timing (it reads one file: it costs nothing).
RECORD_TEST = "tests/test_build_numbers.py"


def tests(runs: int) -> dict:
    """The README's test command, whole (but `RECORD_TEST`), with the environment set up."""
    command = [str(ROOT / "scripts" / "test"), "-q", "-p", "no:cacheprovider", "--deselect", RECORD_TEST]
    seconds = [timed(command, dict(os.environ))[0] for _ in range(runs)]
    return {"seconds": statistics.median(seconds), "budget_seconds": BUDGET_TESTS}


def report_tests(result: dict) -> None:
    seconds = result["seconds"]
    print(f"  ./scripts/test                     {seconds:7.1f} s   budget {BUDGET_TESTS:.0f} s   {verdict(seconds <= BUDGET_TESTS)}")


# --- what the pages load -----------------------------------------------------------------

_READABLE = """() => {
  const article = document.querySelector("article") || document.body;
  const images = [...article.querySelectorAll("img")].filter(i => i.getClientRects().length > 0);
  const math = article.querySelectorAll(".arithmatex").length;
  return {
    text: article.innerText.trim().length,
    math, math_rendered: article.querySelectorAll(".arithmatex .katex").length,
    raw_tex: /\\$\\$|\\\\\\(|\\\\\\[|\\\\begin\\{/.test(article.innerText),
    figures: images.length, figures_loaded: images.filter(i => i.complete && i.naturalWidth > 0).length,
  };
}"""


def read_whole_page(page, url: str) -> None:
    """Open ``url`` and scroll to its end, so every lazy figure a reader would see is fetched."""
    page.goto(url, wait_until="networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    for y in range(0, height + 450, 450):  # in steps, as a reader scrolls
        page.evaluate("y => window.scrollTo(0, y)", y)
        page.wait_for_timeout(20)
    for _ in range(200):  # then until every image shown has arrived (10 s at most)
        if page.evaluate("[...document.images].every(i => i.complete || i.getClientRects().length === 0)"):
            break
        page.wait_for_timeout(50)


def pages(runs: int = 1) -> dict:
    """For every page: the bytes of a first visit, read to the end in the light palette (all it
    loads), and whether its text, math and figures read without JavaScript."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-site-") as site:
        site_dir = Path(site)
        timed([str(MKDOCS), "build", "--strict", "--site-dir", str(site_dir)], site_env())
        sub_path = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path  # as published
        paths = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html"))
        paths = [p.removeprefix("./") for p in paths]
        figures = {p.name: p.stat().st_size for p in sorted((site_dir / "figures").glob("*.svg"))}
        out = {}
        with serve(site_dir, sub_path) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
            for path in paths:
                loaded = []
                context = browser.new_context()  # nothing cached: a first visit
                page = context.new_page()
                page.on("requestfinished", lambda request: loaded.append(request.url))
                read_whole_page(page, base + path)
                files = {url.split("#")[0].split("?")[0] for url in loaded if url.startswith(base)}
                size = sum((site_dir / (url[len(base):] or ".")).joinpath("index.html" if url.endswith("/") else "").stat().st_size for url in files)
                context.close()
                context = browser.new_context(java_script_enabled=False)
                page = context.new_page()
                read_whole_page(page, base + path)
                readable = page.evaluate(_READABLE)
                context.close()
                out[path] = {"bytes": size, "requests": len(files), "without_js": readable}
            browser.close()
    return {"pages": out, "figures": figures, "budget_page_bytes": BUDGET_PAGE, "budget_figure_bytes": BUDGET_FIGURE}


def report_pages(result: dict) -> None:
    for path, page in result["pages"].items():
        check = page["without_js"]
        js = "explorer: needs JavaScript" if path in NOT_READABLE_WITHOUT_JS else (
            f"without JS: {check['math_rendered']}/{check['math']} math, {check['figures_loaded']}/{check['figures']} figures"
        )
        ok = page["bytes"] <= BUDGET_PAGE and readable_without_js(path, check)
        print(f"  /{path:<34} {page['bytes'] / 1000:7.1f} kB in {page['requests']:>2} files   {js}   {verdict(ok)}")
    largest = max(result["figures"].items(), key=lambda item: item[1])
    print(f"  figures: {len(result['figures'])} SVG files, largest {largest[0]} {largest[1] / 1000:.1f} kB   budget {BUDGET_FIGURE / 1000:.0f} kB   {verdict(largest[1] <= BUDGET_FIGURE)}")


# --- the command -------------------------------------------------------------------------

UNTIMED = {"pages"}
SECTIONS = {
    "training": (training, report_training),
    "builds": (builds, report_builds),
    "serve": (serve_edit, report_serve),
    "pages": (pages, report_pages),
    "tests": (tests, report_tests),
}


def machine() -> dict:
    import torch

    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__.split("+")[0],
        "system": f"{platform.system()} {platform.machine()}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/benchmark", description=__doc__.splitlines()[0])
    parser.add_argument("sections", nargs="*", metavar="section",
                        help=f"what to measure (default: all of {', '.join(SECTIONS)})")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement; medians are kept (default 3)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.exit(2, f"error: unknown section {unknown[0]!r}; the sections are: {', '.join(SECTIONS)}.\n")
    if args.runs < 1:
        parser.exit(2, "error: --runs must be at least 1.\n")
    record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    record["machine"] = machine()
    record["date"] = time.strftime("%Y-%m-%d", time.gmtime())
    for name in args.sections or SECTIONS:
        measure, report = SECTIONS[name]
        runs = 1 if name in UNTIMED else args.runs  # bytes and checks are the same every run
        times = f"{max(runs, SERVE_EDITS)} edits" if name == "serve" else runs
        print(f"{name} (median of {times}):", flush=True)
        record[name] = measure(runs) | {"runs": runs}
        report(record[name])
        RECORD.parent.mkdir(exist_ok=True)
        RECORD.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")  # after each section
    print(f"written: {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
