"""Measure what the site costs: training, builds, an edit under serve, tests, page weight, vitals.

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
  without JavaScript (measured once: bytes do not vary);
* ``vitals``: in Chromium, each page's first visit on a desktop and on a throttled phone
  (`PROFILES`): its cumulative layout shift and when its largest content was painted;
* ``chars``: in Chromium, the page "Any text" (``chars/``): reading and colouring a paste of
  2,000 characters, every interaction after a paste at the page's limit (20,000 characters),
  and the bytes of its first visit and of the held-out states it loads on the first selection.
"""

from __future__ import annotations

import argparse
import contextlib
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
    BUDGET_CHARS_INTERACTION_MS,
    BUDGET_CHARS_RENDER_MS,
    BUDGET_CLS,
    BUDGET_COLD_BUILD,
    BUDGET_FIGURE,
    BUDGET_LCP_PHONE,
    BUDGET_PAGE,
    BUDGET_PROSE_REBUILD,
    BUDGET_SERVE_EDIT,
    BUDGET_TESTS,
    BUDGET_TRAINING,
    NOT_READABLE_WITHOUT_JS,
    RECORD,
    readable_without_js,
    vitals_ok,
)

try:
    from .serve_site import HOST, serve  # python -m benchmarks.bench
except ImportError:
    from serve_site import HOST, serve  # python benchmarks/bench.py

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
MKDOCS = ROOT / ".venv" / "bin" / "mkdocs"
CHROMIUM = "/usr/bin/chromium"
# headless, no sandbox (root in a container), nothing the browser would fetch by itself
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
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


@contextlib.contextmanager
def built_site():
    """The site built into a temporary folder (as ``./scripts/build`` builds it); yield the
    folder, the sub-path it is published under and the site path of every page."""
    with tempfile.TemporaryDirectory(prefix="bench-site-") as site:
        site_dir = Path(site)
        timed([str(MKDOCS), "build", "--strict", "--site-dir", str(site_dir)], site_env())
        sub_path = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path  # as published
        paths = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html"))
        yield site_dir, sub_path, [p.removeprefix("./") for p in paths]


def pages(runs: int = 1) -> dict:
    """For every page: the bytes of a first visit, read to the end in the light palette (all it
    loads), and whether its text, math and figures read without JavaScript."""
    from playwright.sync_api import sync_playwright

    with built_site() as (site_dir, sub_path, paths):
        figures = {p.name: p.stat().st_size for p in sorted((site_dir / "figures").glob("*.svg"))}
        out = {}
        with serve(site_dir, sub_path) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
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


# --- how the pages paint: layout shift and largest contentful paint -----------------------

# The phone: a small screen at device scale 3, touch, a phone's user agent, its CPU 4 times
# slower than this machine's and a slow mobile network (1.6 Mbps down, 750 kbps up, 150 ms
# latency), set through the Chrome DevTools Protocol. The desktop: a laptop's screen, nothing
# slowed down.
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/126.0.0.0 Mobile Safari/537.36")  # fmt: skip
PROFILES = {
    "desktop": {"context": {"viewport": {"width": 1280, "height": 800}}},
    "phone": {
        "context": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
                    "has_touch": True, "user_agent": PHONE_AGENT},  # fmt: skip
        "cpu_slowdown": 4,
        "network": {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8},
    },
}
SETTLE_MS = 1000  # after the network has been idle for half a second, before reading
BETWEEN_VISITS = 1.0  # seconds between visits, so the last visit's page has been torn down

# Installed before any of the page's own scripts: every layout shift not caused by input is
# summed (what the budget calls cumulative layout shift) and the last largest-contentful-paint
# entry is kept, with what was painted (buffered: entries from before the observers count).
_VITALS_OBSERVERS = """(() => {
  const describe = node => {
    if (!node || node.nodeType !== 1) return node ? node.nodeName.toLowerCase() : null;
    const src = node.currentSrc || node.src;
    return node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
      + [...node.classList].slice(0, 2).map(name => "." + name).join("")
      + (src ? " " + src.split("/").pop() : "");
  };
  const vitals = window.__vitals = {cls: 0, shifted: [], lcp: null, lcp_element: null};
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      vitals.cls += entry.value;
      for (const source of entry.sources || []) vitals.shifted.push(describe(source.node));
    }
  }).observe({type: "layout-shift", buffered: true});
  new PerformanceObserver(list => {
    const entries = list.getEntries(), last = entries[entries.length - 1];
    vitals.lcp = last.startTime;
    vitals.lcp_element = describe(last.element) || last.url || null;
  }).observe({type: "largest-contentful-paint", buffered: true});
})();"""


def first_paint(browser, url: str, profile: dict) -> dict:
    """One first visit of ``url`` (a fresh context: nothing cached) under ``profile``: the
    layout shift it added up and when (seconds) and what its largest contentful paint was."""
    context = browser.new_context(**profile["context"])
    try:
        context.add_init_script(_VITALS_OBSERVERS)
        page = context.new_page()
        if "cpu_slowdown" in profile or "network" in profile:
            cdp = context.new_cdp_session(page)
            if "cpu_slowdown" in profile:
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu_slowdown"]})
            if "network" in profile:
                cdp.send("Network.enable")
                cdp.send("Network.emulateNetworkConditions", profile["network"])
        page.goto(url, wait_until="networkidle", timeout=180_000)
        page.wait_for_timeout(SETTLE_MS)
        vitals = page.evaluate("window.__vitals")
    finally:
        context.close()
    return {
        "cls": vitals["cls"],
        "lcp_seconds": None if vitals["lcp"] is None else vitals["lcp"] / 1000,
        "lcp_element": vitals["lcp_element"],
        "shifted": sorted(set(filter(None, vitals["shifted"]))),
    }


def measure_vitals(base: str, paths: list[str], runs: int) -> dict:
    """`first_paint` of every page under every profile, ``runs`` times (a run visits every
    page once, so a busy moment of the machine does not fall on one page's runs); the median
    of each number, and each run's."""
    from playwright.sync_api import sync_playwright

    seen = {(path, name): [] for path in paths for name in PROFILES}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            for _ in range(runs):
                for path in paths:
                    for name, profile in PROFILES.items():
                        time.sleep(BETWEEN_VISITS)  # (a heavy page's teardown slowed the next visit)
                        seen[path, name].append(first_paint(browser, base + path, profile))
        finally:
            browser.close()
    out = {}
    for (path, name), each in seen.items():
        lcps = [run["lcp_seconds"] for run in each if run["lcp_seconds"] is not None]
        out.setdefault(path, {})[name] = {
            "cls": statistics.median(run["cls"] for run in each),
            "lcp_seconds": statistics.median(lcps) if lcps else None,
            "cls_each": [run["cls"] for run in each],
            "lcp_seconds_each": [run["lcp_seconds"] for run in each],
            "lcp_element": statistics.mode(run["lcp_element"] for run in each),
            "shifted": sorted({node for run in each for node in run["shifted"]}),
        }
    return out


def vitals(runs: int) -> dict:
    """For every page, a first visit on a desktop and on a throttled phone (`PROFILES`): the
    cumulative layout shift (budget on both) and the largest contentful paint (budget on the
    phone), medians of ``runs`` visits."""
    with built_site() as (site_dir, sub_path, paths), serve(site_dir, sub_path) as base:
        measured = measure_vitals(base, paths, runs)
    profiles = {name: {key: value for key, value in profile.items() if key != "context"} | profile["context"]
                for name, profile in PROFILES.items()}  # fmt: skip
    return {"pages": measured, "profiles": profiles, "settle_ms": SETTLE_MS,
            "budget_cls": BUDGET_CLS, "budget_lcp_phone_seconds": BUDGET_LCP_PHONE}  # fmt: skip


def report_vitals(result: dict) -> None:
    print(f"  {'':<36} {'CLS desktop':>11} {'CLS phone':>10} {'LCP desktop':>12} {'LCP phone':>10}"
          f"   budgets: CLS {BUDGET_CLS}, LCP phone {BUDGET_LCP_PHONE} s")  # fmt: skip
    for path, page in result["pages"].items():
        desktop, phone = page["desktop"], page["phone"]
        lcp = lambda seconds: "none" if seconds is None else f"{seconds:.2f} s"  # noqa: E731
        ok = vitals_ok(page)
        print(f"  /{path:<35} {desktop['cls']:11.3f} {phone['cls']:10.3f} {lcp(desktop['lcp_seconds']):>12} "
              f"{lcp(phone['lcp_seconds']):>10}   {verdict(ok)}   (phone LCP: {phone['lcp_element']})")  # fmt: skip


# --- the character page: reading, colouring, interactions ---------------------------------

_NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
_PASTE_MS = """async text => {
  const frame = NEXT_FRAME, box = document.getElementById("cx-input");
  await frame();
  const start = performance.now();
  box.value = text; box.dispatchEvent(new Event("input", {bubbles: true}));
  await lstmChars.idle(); await frame();
  return performance.now() - start;
}""".replace("NEXT_FRAME", _NEXT_FRAME)
# Each interaction: JS run in the page, timed from just before it to the end of the next frame
# after it (or, for one that waits for something, to when it is done).
_INTERACTIONS = {
    "choosing a unit": "const s = document.getElementById('cx-unit'); s.value = s.value === 'h3' ? 'c35' : 'h3'; s.dispatchEvent(new Event('change'));",
    "moving by a character": "const v = document.getElementById('cx-text'); v.focus(); v.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));",
    "pointing at a character": "const sp = document.querySelectorAll('#cx-text span')[12345]; sp.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));",
    "selecting a span": "lstmChars.select(10000, 10007); await new Promise(done => { const wait = () => document.querySelector('#cx-match .cx-loading') ? setTimeout(wait, 1) : done(); wait(); });",
    "opening a match": "const b = document.querySelector('#cx-match button.cx-hit'); if (b) b.click();",
    "moving the temperature": "const t = document.getElementById('cx-temperature'); t.value = '1'; t.dispatchEvent(new Event('input', {bubbles: true}));",
    "typing a character at the end": "const box = document.getElementById('cx-input'); box.value = box.value.slice(0, -1) + 'x'; box.dispatchEvent(new Event('input', {bubbles: true})); await lstmChars.idle();",
}


def _interaction_ms(page, action: str) -> float:
    return page.evaluate(f"""async () => {{
        const frame = {_NEXT_FRAME};
        await frame();
        const start = performance.now();
        {action}
        await frame();
        return performance.now() - start;
    }}""")


def measure_chars(site_dir: Path, sub_path: str, runs: int) -> dict:
    """The character page's numbers on a built site (see `chars`)."""
    from playwright.sync_api import sync_playwright

    from lstm_explainer import char_corpus

    text = char_corpus.split_text("validation")
    with serve(site_dir, sub_path) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        context = browser.new_context()  # nothing cached: a first visit
        page = context.new_page()
        loaded = []
        page.on("requestfinished", lambda request: loaded.append(request.url))
        read_whole_page(page, base + "chars/")
        page.evaluate("lstmChars.ready")

        def size() -> int:
            files = {url.split("#")[0].split("?")[0] for url in loaded if url.startswith(base)}
            return sum((site_dir / (url[len(base):] or ".")).joinpath("index.html" if url.endswith("/") else "").stat().st_size
                       for url in files)  # fmt: skip

        first_visit = size()
        render = [page.evaluate(_PASTE_MS, text[k * 2000 : (k + 1) * 2000]) for k in range(1, max(runs, 5) + 1)]
        cap = page.evaluate("lstmChars.data().limits.chars")
        paste = page.evaluate(_PASTE_MS, text[:cap])
        interactions = {name: statistics.median(_interaction_ms(page, action) for _ in range(max(runs, 3)))
                        for name, action in _INTERACTIONS.items()}  # fmt: skip
        # the held-out states load on the first selection with a unit on throughout it: select
        # single characters until one has (the timed span above may have none)
        for start in range(0, cap, 499):
            if any(url.split("?")[0].endswith("chars-corpus.json") for url in loaded):
                break
            page.evaluate(f"lstmChars.select({start}, {start})")
            page.wait_for_timeout(100)
        page.wait_for_timeout(500)
        with_corpus = size()
        context.close()
        browser.close()
    return {"render_2000_ms": statistics.median(render), "render_2000_ms_each": render,
            "paste_20000_ms": paste, "interactions_ms": interactions,
            "first_visit_bytes": first_visit, "with_corpus_bytes": with_corpus,
            "budget_render_ms": BUDGET_CHARS_RENDER_MS, "budget_interaction_ms": BUDGET_CHARS_INTERACTION_MS,
            "budget_page_bytes": BUDGET_PAGE}  # fmt: skip


def chars(runs: int) -> dict:
    """The page "Any text" in Chromium: 2,000 characters read and coloured (median of the runs,
    at least 5), each interaction after a paste at the page's limit (median of at least 3), and
    the bytes of a first visit (and with the held-out states a first selection loads)."""
    with built_site() as (site_dir, sub_path, _):
        return measure_chars(site_dir, sub_path, runs)


def report_chars(result: dict) -> None:
    ok = result["render_2000_ms"] <= BUDGET_CHARS_RENDER_MS
    print(f"  2,000 characters read and coloured: {result['render_2000_ms']:.0f} ms   budget {BUDGET_CHARS_RENDER_MS:.0f} ms   {verdict(ok)}")
    print(f"  a 20,000-character paste read in slices: {result['paste_20000_ms']:.0f} ms (the page answers between slices)")
    for name, ms in result["interactions_ms"].items():
        print(f"  after it, {name}: {ms:.0f} ms   budget {BUDGET_CHARS_INTERACTION_MS:.0f} ms   {verdict(ms <= BUDGET_CHARS_INTERACTION_MS)}")
    print(f"  first visit: {result['first_visit_bytes'] / 1000:.1f} kB   budget {BUDGET_PAGE / 1000:.0f} kB   "
          f"{verdict(result['first_visit_bytes'] <= BUDGET_PAGE)}; with the held-out states: {result['with_corpus_bytes'] / 1000:.1f} kB")


# --- the command -------------------------------------------------------------------------

UNTIMED = {"pages"}  # measured once; the others take --runs
SECTIONS = {
    "training": (training, report_training),
    "builds": (builds, report_builds),
    "serve": (serve_edit, report_serve),
    "pages": (pages, report_pages),
    "vitals": (vitals, report_vitals),
    "tests": (tests, report_tests),
    "chars": (chars, report_chars),
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
    measured = {"machine": machine(), "date": time.strftime("%Y-%m-%d", time.gmtime())}
    for name in args.sections or SECTIONS:
        measure, report = SECTIONS[name]
        runs = 1 if name in UNTIMED else args.runs  # bytes and checks are the same every run
        times = f"{max(runs, SERVE_EDITS)} edits" if name == "serve" else runs
        print(f"{name} (median of {times}):", flush=True)
        measured[name] = measure(runs) | {"runs": runs}
        report(measured[name])
        # after each section, into the record as it is now (a section can take many minutes:
        # the others' entries are kept as they are on disk, not as they were when this began)
        record = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        RECORD.parent.mkdir(exist_ok=True)
        RECORD.write_text(json.dumps(record | measured, indent=2, sort_keys=True) + "\n")
    print(f"written: {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
