"""The site, built for real: strict build, every page and figure there, numbers filled in,
math rendered, nothing loaded from outside, links checked, and two builds byte-identical.

The strict build itself is the session fixture ``built_site`` (tests/conftest.py), shared with
the browser tests in tests/browser."""

import filecmp
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from lstm_explainer.sitegen.pages import figures

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["index", "memory", "matrices", "why-rnns-forget", "lstm-cell", "walkthrough", "whole-sentence", "readout", "gru", "closing",
         "notation", "glossary",
         "run-it-yourself", "reference", "notebooks/change-the-weights"]  # fmt: skip


SITE_PATH = urlsplit(yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_url"]).path


@pytest.fixture(scope="session")
def site(built_site):
    """The site built once for the session (tests/conftest.py), shared with tests/browser."""
    return built_site


def html_pages(site):
    return sorted(site.rglob("*.html"))


def test_every_page_is_built(site):
    for page in PAGES:
        assert (site / page.removeprefix("index") / "index.html").is_file(), page


def test_every_figure_is_there_in_both_palettes_with_alt_text_and_its_numbers(site):
    pages = "\n".join(p.read_text() for p in html_pages(site))
    for name, spec in figures().items():
        for theme in ("light", "dark"):
            svg = site / "figures" / f"{name}-{theme}.svg"
            assert svg.is_file() and b"<text" in svg.read_bytes()
            assert re.search(rf'<img alt="[^"]+"[^>]* src="[./]*figures/{name}-{theme}.svg#only-{theme}"', pages), name
        assert f'id="fig-{name}"' in pages, f"figure {name} is on no page"
    assert pages.count("The numbers in this figure") >= len(figures())


def test_numbers_are_filled_in_and_math_is_rendered(site):
    for page in html_pages(site):
        text = page.read_text()
        assert "{{" not in text, page
        assert not re.search(r'class="arithmatex">\\[(\[]', text), f"raw TeX left in {page}"
    assert 'class="katex' in (site / "lstm-cell" / "index.html").read_text()
    assert "<math" in (site / "lstm-cell" / "index.html").read_text()  # MathML for screen readers


def test_the_notebook_ran_and_can_be_downloaded(site):
    page = (site / "notebooks" / "change-the-weights" / "index.html").read_text()
    assert "croissant" in page and "seen_france at the last word" in page
    assert (site / "notebooks" / "change-the-weights" / "change-the-weights.ipynb").is_file()


class Links(HTMLParser):
    """The ids, the links (``href``) and the loaded resources (``src``, stylesheets) of a page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.loads = set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if attrs.get("src") is not None:
            self.loads.append(attrs["src"])
        if tag == "link" and attrs.get("rel") not in ("canonical", "alternate"):
            self.loads.append(attrs.get("href", ""))
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


@pytest.fixture(scope="session")
def parsed(site):
    pages = {}
    for page in html_pages(site):
        parser = Links()
        parser.feed(page.read_text())
        pages[page] = parser
    return pages


def test_no_page_loads_anything_from_outside_the_site(site, parsed):
    for page, links in parsed.items():
        outside = [url for url in links.loads if urlsplit(url).scheme or url.startswith("//")]
        assert not outside, f"{page} loads {outside}"
    for css in site.rglob("*.css"):
        assert not re.search(r"url\((?:['\"])?(?:https?:)?//", css.read_text()), css


def test_every_internal_link_and_anchor_resolves(site, parsed):
    broken = []
    for page, links in parsed.items():
        for url in links.links + links.loads:
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//") or not (parts.path or parts.fragment):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):  # 404.html links from the root of the deployed sub-path
                path = str(site) + "/" + path.removeprefix(SITE_PATH)
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append((page.relative_to(site), url))
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append((page.relative_to(site), url))
    assert not broken, broken[:10]


def test_two_builds_are_byte_identical(site, build_site, tmp_path):
    again = tmp_path / "again"
    assert build_site(again).returncode == 0
    comparison = filecmp.dircmp(site, again)

    def differences(c):
        yield from (Path(c.left) / name for name in c.diff_files + c.left_only + c.right_only)
        for sub in c.subdirs.values():
            yield from differences(sub)

    different = list(differences(comparison))
    # dircmp compares size and mtime first: compare every file's bytes to be sure
    for left in site.rglob("*"):
        if left.is_file() and left.read_bytes() != (again / left.relative_to(site)).read_bytes():
            different.append(left)
    assert not different, different[:5]
