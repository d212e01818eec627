"""Every page of the site in a real browser, in both palettes.

Each page is loaded once, in the light palette: nothing goes wrong while it loads (no console
or page error, no failed request, no request leaving 127.0.0.1), the math is rendered (no raw
TeX left in the text, no KaTeX error), every image loads and has alt text, only the light
figures show, and axe-core finds nothing. Then Material's palette toggle is clicked: the page
turns dark (``data-md-color-scheme``), only the dark figures show, and axe-core runs again.

The pages are those of docs/ (Markdown and notebooks) plus the 404 page; one test checks that
they are exactly the pages the build wrote, so a new page cannot go untested.
"""

from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
SCHEMES = {"light": "default", "dark": "slate"}  # data-md-color-scheme of each palette (conftest.SCHEMES)


def source_pages() -> list[str]:
    """URL paths (relative to the site's root, '' for the start page) of every page in docs/."""
    paths = ["404.html"]
    for source in sorted([*DOCS.rglob("*.md"), *DOCS.glob("notebooks/*.ipynb")]):
        stem = source.relative_to(DOCS).with_suffix("").as_posix()
        paths.append("" if stem == "index" else stem.removesuffix("index") if stem.endswith("/index")
                     else stem + "/")  # fmt: skip
    return paths


PAGES = source_pages()


def built_pages(site: Path) -> list[str]:
    """URL paths of the HTML pages the build wrote."""
    paths = []
    for html in site.rglob("*.html"):
        relative = html.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html") if html.name == "index.html" else relative)
    return sorted(paths)


def test_every_built_page_is_checked(built_site):
    built = set(built_pages(built_site))
    assert not built - set(PAGES), f"built pages these tests do not visit: {sorted(built - set(PAGES))}"
    assert not set(PAGES) - built, f"pages in docs/ the build did not write: {sorted(set(PAGES) - built)}"


# Text outside code that is still TeX: display delimiters, environments, commands with an argument,
# \( \[ delimiters. Code blocks and code spans are taken out first (they may show TeX on purpose).
RAW_TEX = r"\$\$|\\(?:begin|end)\{|\\[A-Za-z]+\{|\\[(\[]"
MATH = f"""() => {{
    const text = document.querySelector("article") || document.body;
    const copy = text.cloneNode(true);
    copy.querySelectorAll("pre, code, .katex, script, style, textarea").forEach(e => e.remove());
    const raw = copy.textContent.match(new RegExp({RAW_TEX!r}, "g")) || [];
    const unrendered = [...document.querySelectorAll(".arithmatex")].filter(e => !e.querySelector(".katex"));
    return {{
        raw: raw.slice(0, 5),
        errors: [...document.querySelectorAll(".katex-error")].map(e => e.textContent.slice(0, 80)),
        unrendered: unrendered.map(e => e.textContent.slice(0, 80)),
    }};
}}"""

# Every image, loaded (lazy ones too, so hidden ones count) or given up on after 10 s. Not
# image.complete: read in the tick that turns a lazy image eager, Blink may call it complete
# before its load has started. decode() settles once the image has loaded (or failed to).
IMAGES = """async () => {
    const images = [...document.images];
    images.forEach(image => { image.loading = "eager"; });
    const timeout = new Promise(done => setTimeout(done, 10000));
    await Promise.race([Promise.all(images.map(image => image.decode().catch(() => {}))), timeout]);
    return images.map(image => ({
        src: image.getAttribute("src"),
        alt: (image.getAttribute("alt") || "").trim(),
        width: image.naturalWidth,
        shown: getComputedStyle(image).display !== "none",
    }));
}"""

# The Explorer builds itself after a fetch() that the load event does not wait for.
EXPLORER_READY = "async () => { if (window.lstmExplorer) await window.lstmExplorer.ready.catch(() => {}); }"


def figures_that_disobey(images, palette):
    """Themed figures shown in the other palette, or hidden in their own."""
    other = "dark" if palette == "light" else "light"
    wrong = [i["src"] for i in images if i["src"].endswith(f"#only-{other}") and i["shown"]]
    missing = [i["src"] for i in images if i["src"].endswith(f"#only-{palette}") and not i["shown"]]
    return [f"{src} shows in {palette}" for src in wrong] + [f"{src} is hidden in {palette}" for src in missing]


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.strip("/") or "index")
def test_page_in_both_palettes(page, axe, path):
    response = page.goto(path, wait_until="load")
    assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
    page.evaluate(EXPLORER_READY)
    failures = []

    math = page.evaluate(MATH)
    if math["raw"] or math["errors"] or math["unrendered"]:
        failures.append(f"math not rendered: {math}")

    images = page.evaluate(IMAGES)
    failures += [f"image does not load: {i['src']}" for i in images if i["width"] == 0]
    failures += [f"image without alt text: {i['src']}" for i in images if not i["alt"]]

    for palette in ("light", "dark"):
        if palette == "dark":
            page.palette("dark")
            images = page.evaluate(IMAGES)
        scheme = page.locator("body").get_attribute("data-md-color-scheme")
        if scheme != SCHEMES[palette]:
            failures.append(f"{palette}: data-md-color-scheme is {scheme!r}")
        failures += figures_that_disobey(images, palette)
        violations = axe(page)
        if violations:
            failures.append(f"axe, {palette} palette:\n{axe.format(violations)}")

    page.quiet()
    failures = list(page.problems) + failures
    assert not failures, f"{path}:\n" + "\n".join(failures)
