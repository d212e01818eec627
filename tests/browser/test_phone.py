"""The site on a phone: a 390 x 844 viewport, three device pixels to the CSS pixel, touch.

- Every figure is readable: its smallest label renders at 9 CSS pixels or more in the page, or
  one tap on it opens the zoom view (overrides/assets/javascripts/figure-zoom.js) where it does.
  The view zooms (its + button, a two-finger pinch), pans (a one-finger drag), closes with
  Escape, a tap beside it or its close button, and gives the focus back to the figure's button.
  From the keyboard it opens with Enter and zooms and pans with + - 0 and the arrow keys.
- The closed navigation drawer has no Tab stop; its button is one, and opens it; then every Tab
  stop in it is in sight and outlined; Escape closes it (docs/stylesheets/extra.css and
  overrides/assets/javascripts/accessibility.js). On a wide screen the sidebar's links stay Tab
  stops.
- A table wider than the screen keeps its first column in view, on an opaque background, when
  it is scrolled sideways to its end.
- Every image on every page has its width and height (the browser keeps its place before it
  arrives).
- axe-core finds nothing with the zoom view open, nor with the drawer open, in either palette.
- Without JavaScript a figure is in the page as it is, and the zoom button's room in the caption
  is there too: the figure's box is the same size with JavaScript and without.

The label sizes come from the SVG files: the smallest font-size in the file, in the units of its
viewBox, times the width the image renders at over the viewBox's width.
"""

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.browser.conftest import SETTLED, record_problems

DOCS = Path(__file__).resolve().parents[2] / "docs"
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
SMALLEST_LABEL = 9.0  # CSS pixels


def page_path(source: Path) -> str:
    """The URL path (relative to the site's root) of a page of docs/."""
    stem = source.relative_to(DOCS).with_suffix("").as_posix()
    return "" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


PAGES = ["404.html"] + [page_path(source) for source in sorted([*DOCS.rglob("*.md"), *DOCS.glob("notebooks/*.ipynb")])]
FIGURE_PAGES = [page_path(source) for source in sorted(DOCS.rglob("*.md")) if "{{ figure(" in source.read_text()]
IDS = lambda path: path.strip("/") or "index"  # noqa: E731


@pytest.fixture
def phone(browser, site_url):
    """A new page in a phone-sized context (touch, device scale 3), recording problems as ``page`` does."""
    context = browser.new_context(base_url=site_url, color_scheme="light", service_workers="block", **PHONE)
    page = context.new_page()
    record_problems(page)
    page.cdp = context.new_cdp_session(page)
    yield page
    context.close()


def settle(page) -> None:
    page.wait_for_function(SETTLED, timeout=5000)


# --- figures ---------------------------------------------------------------------------------

_SVG_WIDTH = re.compile(r'viewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)')
_FONT_SIZE = re.compile(r'font-size\s*[:=]\s*"?\s*([\d.]+)(px|pt)?')


def smallest_label(svg: str) -> float:
    """The smallest font-size of an SVG, as a fraction of its viewBox's width."""
    sizes = [float(size) * (4 / 3 if unit == "pt" else 1) for size, unit in _FONT_SIZE.findall(svg)]
    assert sizes and "<text" in svg, "an SVG with no text labels (or no font-size): nothing to measure"
    return min(sizes) / float(_SVG_WIDTH.search(svg).group(1))


def svg_of(site: Path, site_url: str, page_url: str, src: str) -> str:
    url = urljoin(page_url, src).split("#")[0]
    assert url.startswith(site_url), url
    return (site / url[len(site_url) :]).read_text()


# Make a figure shown: the tab it sits in selected, the <details> around it open.
REVEAL = """figure => {
    for (let block = figure.closest('.tabbed-block'); block; block = block.parentElement.closest('.tabbed-block')) {
        const index = [...block.parentElement.children].indexOf(block);
        block.closest('.tabbed-set').querySelectorAll(':scope > input')[index].checked = true;
    }
    for (let details = figure.closest('details'); details; details = details.parentElement.closest('details'))
        details.open = true;
}"""
# The image of a figure (or of the zoom view) that shows: its rendered width in CSS pixels.
SHOWN = """root => { const i = [...root.querySelectorAll('img')].find(i => i.getClientRects().length);
    return i ? i.getBoundingClientRect().width : 0; }"""
VIEW = """() => { const d = document.querySelector('dialog.figure-zoom'); if (!d || !d.open) return null;
    const v = d.querySelector('.figure-zoom__viewport'), r = v.getBoundingClientRect();
    const i = [...d.querySelectorAll('img')].find(i => i.getClientRects().length);
    return {width: i ? i.getBoundingClientRect().width : 0, left: v.scrollLeft, top: v.scrollTop,
            scrollable: v.scrollWidth > v.clientWidth + 1 || v.scrollHeight > v.clientHeight + 1,
            x: r.left + r.width / 2, y: r.top + r.height / 2, dialog: d.getBoundingClientRect().toJSON(),
            level: d.querySelector('.figure-zoom__level').value, inside: d.contains(document.activeElement),
            focus: document.activeElement === v ? 'viewport' : document.activeElement === d ? 'dialog'
                   : document.activeElement.className}; }"""
FOCUSED_BUTTON_OF = "figure => document.activeElement === figure.querySelector('.figure-zoom__open')"


def focus_returns(figure) -> bool:
    """Whether the focus is back on the figure's button (soon: a dialog's close event comes in a task)."""
    try:
        figure.page.wait_for_function(FOCUSED_BUTTON_OF, arg=figure.element_handle(), timeout=2000)
        return True
    except Exception:
        return False


def touch(page, kind: str, points) -> None:
    page.cdp.send("Input.dispatchTouchEvent", {
        "type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})  # fmt: skip


def pinch(page, x: float, y: float, start: float, end: float, steps: int = 6) -> None:
    """Two fingers on (x, y), ``start`` pixels apart sideways, moved to ``end`` apart."""
    touch(page, "touchStart", [(x - start / 2, y), (x + start / 2, y)])
    for step in range(1, steps + 1):
        gap = start + (end - start) * step / steps
        touch(page, "touchMove", [(x - gap / 2, y), (x + gap / 2, y)])
    touch(page, "touchEnd", [])


def drag(page, x: float, y: float, dx: float, dy: float, steps: int = 6) -> None:
    """One finger from (x, y), moved by (dx, dy)."""
    touch(page, "touchStart", [(x, y)])
    for step in range(1, steps + 1):
        touch(page, "touchMove", [(x + dx * step / steps, y + dy * step / steps)])
    touch(page, "touchEnd", [])


def check_zoom_view(page, figure, name: str, label: float, gestures: bool) -> list[str]:
    """The open view of ``figure``: readable, zooms and pans (if ``gestures``), closes with
    Escape and gives the focus back; what is wrong."""
    failures = []
    view = page.evaluate(VIEW)
    if view["width"] * label < SMALLEST_LABEL:
        failures.append(f"{name}: labels of {view['width'] * label:.1f} px in the zoom view")
    if gestures:
        failures += check_gestures(page, name, view)
    page.keyboard.press("Escape")
    if page.evaluate(VIEW) is not None:
        failures.append(f"{name}: Escape does not close the zoom view")
    elif not focus_returns(figure):
        failures.append(f"{name}: after Escape the focus is not on the figure's button")
    return failures


def check_gestures(page, name: str, view: dict) -> list[str]:
    """The open view zooms with its + button and a pinch, and pans with a drag; what is wrong."""
    failures = []
    page.locator("dialog.figure-zoom [data-zoom=in]").tap()
    zoomed = page.evaluate(VIEW)
    if not zoomed["width"] > view["width"] * 1.2:
        failures.append(f"{name}: + does not zoom in ({view['width']:.0f} -> {zoomed['width']:.0f} px)")
    pinch(page, zoomed["x"], zoomed["y"], 60, 150)
    pinched = page.evaluate(VIEW)
    if not pinched["width"] > zoomed["width"] * 1.2:
        failures.append(f"{name}: a pinch does not zoom in ({zoomed['width']:.0f} -> {pinched['width']:.0f} px)")
    drag(page, pinched["x"] + 80, pinched["y"] + 60, -150, -100)
    dragged = page.evaluate(VIEW)
    if not (dragged["left"] > pinched["left"] + 50 and dragged["top"] > pinched["top"] + 30):
        failures.append(f"{name}: a drag does not pan ({pinched['left']:.0f},{pinched['top']:.0f} -> "
                        f"{dragged['left']:.0f},{dragged['top']:.0f})")  # fmt: skip
    return failures


@pytest.mark.parametrize("path", FIGURE_PAGES, ids=IDS)
def test_every_figure_is_readable_or_opens_readable_by_one_tap(phone, built_site, site_url, path):
    page = phone
    page.goto(path, wait_until="load")
    figures = page.locator("figure.computed")
    assert figures.count() > 0, f"{path}: no figure"
    failures, opened = [], 0
    for index in range(figures.count()):
        figure = figures.nth(index)
        name = figure.get_attribute("id") or f"figure {index + 1}"
        figure.evaluate(REVEAL)
        image = figure.locator("img").filter(visible=True).first
        label = smallest_label(svg_of(built_site, site_url, page.url, image.get_attribute("src")))
        if image.evaluate("i => i.getBoundingClientRect().width") * label >= SMALLEST_LABEL:
            continue  # readable as it is
        image.tap()
        try:
            page.wait_for_function("document.querySelector('dialog.figure-zoom')?.open", timeout=2000)
        except Exception:
            failures.append(f"{name}: labels of {figure.evaluate(SHOWN) * label:.1f} px, and a tap opens no zoom view")
            continue
        opened += 1
        failures += check_zoom_view(page, figure, name, label, gestures=opened == 1)  # the same code for all
    page.quiet()
    failures = list(page.problems) + failures
    assert not failures, f"{path}:\n" + "\n".join(failures)


def test_the_zoom_view_works_from_the_keyboard_and_closes_by_a_tap_beside_it(phone):
    page = phone
    page.goto("memory/", wait_until="load")
    figure = page.locator("figure.computed").first
    opener = figure.locator(".figure-zoom__open")
    assert opener.get_attribute("aria-label") and opener.get_attribute("aria-haspopup") == "dialog"
    opener.focus()
    page.keyboard.press("Enter")
    view = page.evaluate(VIEW)
    assert view is not None and view["focus"] == "viewport", view  # arrow keys pan at once
    assert view["level"] == "100 %", view  # natural size: labels as drawn
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.figure-zoom__viewport').scrollLeft > 0", timeout=2000)
    page.keyboard.press("+")
    assert page.evaluate(VIEW)["level"] == "125 %"
    page.keyboard.press("0")  # fit: the whole figure in view
    fitted = page.evaluate(VIEW)
    assert not fitted["scrollable"], fitted
    for _ in range(8):  # the focus stays in the modal view (or goes to the browser's own controls)
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('dialog.figure-zoom').contains(document.activeElement) "
                             "|| document.activeElement === document.body")
    page.keyboard.press("Escape")
    assert page.evaluate(VIEW) is None and focus_returns(figure)

    figure.locator("img").filter(visible=True).first.tap()  # a tap beside the view closes it
    box = page.evaluate(VIEW)["dialog"]
    y = box["y"] / 2 if box["y"] > 8 else (box["y"] + box["height"] + 844) / 2
    page.touchscreen.tap(195, y)
    page.wait_for_function("!document.querySelector('dialog.figure-zoom').open", timeout=2000)
    assert focus_returns(figure)
    page.quiet()
    assert page.problems == []


def test_on_a_wide_screen_the_view_fills_the_screen_and_its_close_button_closes_it(page):
    page.goto("memory/", wait_until="load")
    figure = page.locator("figure.computed").first
    shown = figure.evaluate(SHOWN)
    figure.locator(".figure-zoom__open").click()
    view = page.evaluate(VIEW)
    assert view is not None and view["width"] > shown and not view["scrollable"], view
    page.locator("dialog.figure-zoom [data-zoom=close]").click()
    assert page.evaluate(VIEW) is None and focus_returns(figure)
    page.quiet()
    assert page.problems == []


def test_without_javascript_figures_stay_and_keep_their_size(browser, site_url):
    boxes = {}
    for javascript in (True, False):
        context = browser.new_context(base_url=site_url, java_script_enabled=javascript, **PHONE)
        page = context.new_page()
        page.goto("memory/", wait_until="load")
        boxes[javascript] = page.evaluate("""() => [...document.querySelectorAll('figure.computed')].map(f => {
            const r = f.getBoundingClientRect(); return [Math.round(r.width), Math.round(r.height)]; })""")
        if not javascript:
            assert page.locator("figure.computed img").filter(visible=True).count() == len(boxes[False])
            assert page.locator(".figure-zoom__open").count() == 0
        context.close()
    assert boxes[True] == boxes[False], "the zoom button moves the page"


# --- the navigation drawer ------------------------------------------------------------------

# Where the focus is: in the drawer, on its button, in the page's text; outlined; in sight (the
# element under its middle, or under its start for a wide one, is itself).
FOCUS = """() => { const e = document.activeElement, s = getComputedStyle(e), r = e.getBoundingClientRect();
    const x = Math.min(Math.max(r.left + Math.min(r.width / 2, 12), 0), innerWidth - 1), y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {drawer: !!e.closest('.md-sidebar--primary'), toggle: e.matches(".md-header__button--drawer"),
            content: !!e.closest('.md-content'),
            text: (e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
            seen: !!hit && (hit === e || e.contains(hit)) && r.width > 0 && r.right > 0 && r.left < innerWidth}; }"""
# The elements of the drawer that take the focus (Tab stops: no negative tabindex).
FOCUSABLE_IN_DRAWER = """() => {
    const candidates = '.md-sidebar--primary :is(a[href], button, input, select, textarea, summary, [tabindex])';
    const found = [...document.querySelectorAll(candidates)]
        .filter(e => e.tabIndex >= 0 && (e.focus(), document.activeElement === e))
        .map(e => e.textContent.trim().slice(0, 40));
    document.activeElement.blur();
    return found;
}"""
DRAWER_OPEN = "document.getElementById('__drawer').checked"


def focus(page) -> dict:
    """Where the focus is (FOCUS); if out of sight, where it is once the page has stopped moving
    (a panel sliding, the search box's dimming overlay fading)."""
    now = page.evaluate(FOCUS)
    if not now["seen"]:
        settle(page)
        now = page.evaluate(FOCUS)
    return now


def tab_to_content(page, limit: int = 60) -> list[dict]:
    """The Tab stops from the top of the page to the first one in the page's text."""
    stops = []
    while len(stops) < limit:
        page.keyboard.press("Tab")
        stops.append(focus(page))
        if stops[-1]["content"]:
            break
    return stops


@pytest.mark.parametrize("path", ["memory/", "further/gradient-flow/"], ids=IDS)
def test_the_closed_drawer_has_no_tab_stop_and_the_open_one_shows_its_focus(phone, path):
    page = phone
    page.goto(path, wait_until="load")
    stops = tab_to_content(page)
    assert stops[-1]["content"], f"no way into the page's text: {stops}"
    assert not [stop for stop in stops if stop["drawer"]], f"the closed drawer has Tab stops: {stops}"
    assert [stop for stop in stops if stop["toggle"]], "the drawer's button is not a Tab stop"
    assert page.evaluate(FOCUSABLE_IN_DRAWER) == [], "the closed drawer has elements that take the focus"

    page.locator(".md-header__button--drawer").focus()
    page.keyboard.press("Enter")
    assert page.evaluate(DRAWER_OPEN)
    assert page.locator(".md-header__button--drawer").get_attribute("aria-expanded") == "true"
    inside, failures = [], []
    now = focus(page)
    while now["drawer"] and len(inside) < 60:
        inside.append(now["text"])
        if not now["outline"]:
            failures.append(f"no visible outline on {now['text']!r}")
        if not now["seen"]:
            failures.append(f"{now['text']!r} is focused out of sight")
        page.keyboard.press("Tab")
        now = focus(page)
    assert len(inside) >= 10, f"only {inside} in the open drawer"
    assert not failures, "\n".join(failures)
    assert not page.evaluate(DRAWER_OPEN), "the focus left the drawer, which stayed open"

    page.locator(".md-header__button--drawer").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert not page.evaluate(DRAWER_OPEN) and page.evaluate(FOCUS)["toggle"]

    page.locator(".md-header__button--drawer").tap()  # a finger opens it as before
    settle(page)
    assert page.evaluate(DRAWER_OPEN)
    assert page.locator(".md-sidebar--primary a.md-nav__link").filter(visible=True).count() >= 10
    page.quiet()
    assert page.problems == []


def test_on_a_wide_screen_the_sidebar_links_are_tab_stops(page):
    page.goto("memory/", wait_until="load")
    stops = tab_to_content(page)
    assert len([stop for stop in stops if stop["drawer"] and stop["seen"]]) >= 10, "\n".join(map(str, stops))
    assert not [stop for stop in stops if stop["toggle"]], "the drawer's button shows on a wide screen"


# --- every page: images with their size, wide tables ------------------------------------------

IMAGES_WITHOUT_SIZE = """() => [...document.images].filter(i => !(Number(i.getAttribute('width')) > 0
    && Number(i.getAttribute('height')) > 0)).map(i => (i.getAttribute('src') || '').slice(0, 80))"""
# Every table wider than its box, scrolled sideways to its end: the first cell of each row in
# view (under its middle is the cell itself), on an opaque background.
WIDE_TABLES = """async () => {
    document.querySelectorAll('details').forEach(d => { d.open = true; });
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
    const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
    const out = [];
    for (const box of document.querySelectorAll('.md-typeset__scrollwrap')) {
        if (!box.checkVisibility() || box.scrollWidth <= box.clientWidth + 1) continue;
        box.scrollIntoView({block: 'center'});
        box.scrollLeft = box.scrollWidth;
        const frame = box.getBoundingClientRect();
        let checked = 0;
        const wrong = [];
        for (const row of box.querySelectorAll('tr')) {
            const cell = row.cells[0], r = cell.getBoundingClientRect();
            const y = r.top + r.height / 2;
            if (y <= header || y >= innerHeight) continue;
            checked += 1;
            const hit = document.elementFromPoint(r.left + r.width / 2, y);
            const opaque = /^rgb\\(|, 1\\)$/.test(getComputedStyle(cell).backgroundColor);
            if (r.left < frame.left - 1 || r.right > frame.right + 1 || !hit || !cell.contains(hit) || !opaque)
                wrong.push(`${cell.textContent.trim().slice(0, 30)} (${Math.round(r.left)}..${Math.round(r.right)}, `
                           + `${getComputedStyle(cell).backgroundColor})`);
        }
        out.push({table: (box.querySelector('th, td').textContent || '').trim().slice(0, 30), checked, wrong});
    }
    return out;
}"""


def test_on_every_page_images_have_their_size_and_wide_tables_keep_their_first_column(phone):
    page = phone
    failures, with_figures = [], []
    for path in PAGES:  # one page after the other in one phone (a new one for each costs more)
        page.goto(path, wait_until="load")
        if page.locator("figure.computed").count():
            with_figures.append(path)
        failures += [f"{path}: image without width and height: {src}" for src in page.evaluate(IMAGES_WITHOUT_SIZE)]
        for table in page.evaluate(WIDE_TABLES):
            if not table["checked"]:
                failures.append(f"{path}: table {table['table']!r}: no row in view to check")
            failures += [f"{path}: table {table['table']!r}: first cell out of view: {cell}" for cell in table["wrong"]]
        page.quiet()  # a request still running when the next page loads would be cut off
    if sorted(with_figures) != sorted(FIGURE_PAGES):
        failures.append(f"pages with figures: {with_figures}, the figure tests visit {FIGURE_PAGES}")
    failures = list(page.problems) + failures
    assert not failures, "\n".join(failures)


def test_a_wide_table_s_first_column_is_opaque_in_the_dark_palette_too(phone):
    page = phone
    page.goto("matrices/", wait_until="load")
    page.palette("dark")
    tables = page.evaluate(WIDE_TABLES)
    assert tables and not [table for table in tables if table["wrong"] or not table["checked"]], tables


# --- axe-core --------------------------------------------------------------------------------


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_no_axe_violations_with_the_zoom_view_or_the_drawer_open(phone, axe, palette):
    page = phone
    page.goto("walkthrough/", wait_until="load")
    page.palette(palette)
    failures = []
    violations = axe(page)
    if violations:
        failures.append(f"the page:\n{axe.format(violations)}")
    page.locator("figure.computed img").filter(visible=True).first.tap()
    page.wait_for_function("document.querySelector('dialog.figure-zoom')?.open", timeout=2000)
    settle(page)
    violations = axe(page)
    if violations:
        failures.append(f"the zoom view open:\n{axe.format(violations)}")
    page.keyboard.press("Escape")
    page.locator(".md-header__button--drawer").tap()
    settle(page)
    violations = axe(page)
    if violations:
        failures.append(f"the drawer open:\n{axe.format(violations)}")
    page.quiet()
    failures = list(page.problems) + failures
    assert not failures, f"{palette} palette:\n" + "\n".join(failures)
