"""A real browser on the built site: Chromium (Debian's /usr/bin/chromium) driven by Playwright.

Fixtures:

- ``site_url`` (session): the site built once (``built_site``) served by a thread on 127.0.0.1
  (``benchmarks/serve_site.py``, which the benchmark uses too), on a free port, under the
  published sub-path (``/lstm-explainer/`` from ``site_url`` in mkdocs.yml);
  the base URL, ending in ``/``.
- ``browser`` (session): one headless Chromium for the whole session.
- ``page`` (per test): a fresh context and page, with ``base_url`` set to ``site_url`` (so
  ``page.goto("walkthrough/")`` works). It records what a reader should never meet in
  ``page.problems`` (a list of strings): console errors, uncaught page errors, failed requests
  (network failures and HTTP statuses of 400 and above) and every request to a host other
  than 127.0.0.1. ``page.quiet()`` waits until no request is in flight (5 s at most), so a test
  can read ``page.problems`` knowing that every request so far has finished, or make a negative
  check (nothing was requested, nothing was added) without sleeping. ``page.palette("dark")``
  (or ``"light"``) clicks Material's palette toggle if the page is not in that palette yet and
  waits until it is and its transitions have finished. A failing test leaves a screenshot in
  test-artifacts/<test name>.png.
- ``axe`` (session): the helper ``axe(page)``, which runs axe-core (node_modules, pinned) on the
  page as it is now (WCAG 2.0/2.1 A and AA, best practice) and returns its violations;
  ``axe(page, rules=[...])`` runs only the rules named; ``axe.format(violations)`` makes a
  readable assertion message of them.

Without Chromium or the ``playwright`` package the browser tests are skipped with one line saying
what is missing, except when ``CI=true``: there they error, so CI cannot pass without a browser.
Any other error while collecting a test module (a SyntaxError, another missing module) stays an
error.
"""

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from benchmarks.serve_site import HOST, serve  # the repository's root is on sys.path (conftest.py)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
SITE_PATH = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path  # "/lstm-explainer/"
# Flags from TOOLCHAIN.md ("A real browser"): headless, no sandbox (root in a container), nothing
# the browser would fetch by itself.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# Material's palettes (mkdocs.yml) by what they look like, as data-md-color-scheme names them.
SCHEMES = {"light": "default", "dark": "slate"}
# No animation (Material's palette fade, the header's cross-fade) still running.
SETTLED = "document.getAnimations().every(animation => animation.playState !== 'running')"


IN_CI = os.environ.get("CI", "").lower() == "true"
try:
    import playwright.sync_api  # noqa: F401  (only to know whether it is there)

    NO_PLAYWRIGHT = None
except ImportError:
    NO_PLAYWRIGHT = "the playwright package is not installed (pip install -r requirements.txt)"


def unavailable(reason: str):
    """Skip the browser tests, or fail them under CI (CI=true), where a browser is required."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


# How pytest reports a test module whose import of playwright (or of one of its modules) failed.
PLAYWRIGHT_MISSING = re.compile(r"^(?:E\s+)?ModuleNotFoundError: No module named 'playwright(?:\.[\w.]+)?'\s*$",
                                re.MULTILINE)


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A test module here that imports playwright is skipped, not an error, when it is missing
    (outside CI), like the tests that only use the fixtures. Only that error: a module that fails
    to collect for any other reason (a SyntaxError, another import) is still an error."""
    report = yield
    if (report.failed and NO_PLAYWRIGHT and not IN_CI and isinstance(collector, pytest.Module)
            and PLAYWRIGHT_MISSING.search(str(report.longrepr))):  # fmt: skip
        report.outcome = "skipped"
        report.longrepr = (str(collector.path), 0, f"Skipped: {NO_PLAYWRIGHT}")
    return report


# --- serving the built site -----------------------------------------------------------------


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL (ending in '/') of the built site served on 127.0.0.1 under the published sub-path."""
    with serve(built_site, SITE_PATH) as base:
        yield base


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium (Debian's /usr/bin/chromium) for the whole session."""
    if NO_PLAYWRIGHT:
        unavailable(NO_PLAYWRIGHT)
    from playwright.sync_api import sync_playwright

    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium chromium-driver)")
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
    except Exception as error:  # a broken install: say why in one line
        playwright.stop()
        unavailable(f"Chromium at {CHROMIUM} does not start: {str(error).splitlines()[0]}")
    yield chromium
    chromium.close()
    playwright.stop()


def is_local(url: str) -> bool:
    """True for URLs served by the test server, or that never leave the page (data:, blob:, about:)."""
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about") or parts.hostname == HOST


def record_problems(page) -> list:
    """Attach ``page.problems``: every console error, page error, failed or outside request."""
    problems = []

    def on_console(message):
        if message.type == "error":
            problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    def on_response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_request(request):
        if not is_local(request.url):
            problems.append(f"request outside {HOST}: {request.url}")

    def on_failed(request):
        inflight.discard(request)
        problems.append(f"request failed: {request.url} ({request.failure})")

    inflight = set()
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("request", on_request)
    page.on("request", lambda request: inflight.add(request))
    page.on("response", on_response)
    page.on("requestfinished", lambda request: inflight.discard(request))
    page.on("requestfailed", on_failed)

    def quiet(timeout: float = 5.0) -> None:
        """Wait until no request is in flight (at most ``timeout`` seconds; cheaper than networkidle).

        A round trip to the page first (a task of its event loop), so that the events of requests
        the page has already started have reached ``inflight`` and ``problems``.
        """
        deadline = time.monotonic() + timeout
        page.evaluate("() => new Promise(done => setTimeout(done, 0))")
        while inflight and time.monotonic() < deadline:
            page.wait_for_timeout(25)

    page.problems = problems
    page.quiet = quiet
    page.palette = lambda palette: switch_palette(page, palette)
    return problems


def switch_palette(page, palette: str) -> None:
    """Put the page in Material's ``palette`` ("light" or "dark") with its toggle, as a reader
    does, and wait until the page shows it and has finished fading."""
    scheme = SCHEMES[palette]
    if page.evaluate("document.body.dataset.mdColorScheme") != scheme:
        page.locator("form[data-md-component=palette] label").filter(visible=True).first.click()
        page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'", timeout=5000)
    page.wait_for_function(SETTLED, timeout=5000)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so the ``page`` fixture knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, site_url, request):
    """A new context and page on the served site; a failing test leaves a screenshot."""
    context = browser.new_context(base_url=site_url, viewport={"width": 1280, "height": 900},
                                  color_scheme="light", service_workers="block")  # fmt: skip
    page = context.new_page()
    record_problems(page)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        try:
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        except Exception:  # a crashed page: the failure itself says enough
            pass
    context.close()


# --- axe-core -------------------------------------------------------------------------------


def run_axe(page, tags=AXE_TAGS, rules=None) -> list:
    """axe-core's violations on ``page`` as it is now: the rules of ``tags`` (WCAG 2.0 and 2.1 A
    and AA, best practice), or only the rules named in ``rules``."""
    if not AXE.is_file():
        unavailable(f"no {AXE.relative_to(ROOT)} (npm ci)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    only = {"type": "rule", "values": list(rules)} if rules else {"type": "tag", "values": list(tags)}
    return page.evaluate(
        "only => axe.run(document, {runOnly: only, resultTypes: ['violations']}).then(result => result.violations)",
        only,
    )


def format_violations(violations) -> str:
    """One line per violation and up to three of its elements, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:3]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' > '.join(map(str, node['target']))}: {summary[:200]}")
        if len(violation["nodes"]) > 3:
            lines.append(f"    ... and {len(violation['nodes']) - 3} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    """The helper ``axe(page)`` -> list of axe-core violations (dicts as axe gives them);
    ``axe(page, rules=[...])`` runs only the rules named.

    ``axe.format(violations)`` makes them a readable assertion message.
    """
    run_axe.format = format_violations
    return run_axe
