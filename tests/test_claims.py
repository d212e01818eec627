"""Claims (`lstm_explainer.claims`): every summary sentence holds for this build's numbers, and a
build in which one no longer holds stops, naming it."""

import dataclasses
import math
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lstm_explainer.claims import Claim, ClaimError, fisher_p
from lstm_explainer.sitegen import pages

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_every_claim_holds_now():
    for name, claim in pages.claims().items():
        values, holds = claim.evaluate()
        assert holds, f"{name}: {claim.condition}; {dict(values)}"


def test_every_claim_is_placed_on_a_page_and_named_where_it_is_defined():
    placed = set()
    for page in DOCS.rglob("*.md"):
        placed |= set(re.findall(r"\{\{\s*([a-z0-9_]+)\s*\}\}", page.read_text()))
    sources = "\n".join(p.read_text() for p in (ROOT / "lstm_explainer").rglob("*.py"))
    for name in pages.claims():
        assert name in placed, f"claim {name} is on no page"
        assert f'"{name}"' in sources, f"claim {name} is not written out where it is defined"


def test_a_claim_that_no_longer_holds_names_itself_its_condition_and_its_values():
    claim = Claim("demo", "{a} beats {b}", "a > b", values=lambda: {"a": 1, "b": 2}, holds=lambda v: v["a"] > v["b"])
    with pytest.raises(ClaimError, match=r"claim 'demo' no longer holds: it asserts a > b, but a = 1, b = 2"):
        claim.sentence()


def test_a_failing_claim_placed_on_a_page_is_a_placeholder_error_with_the_line():
    name = next(iter(pages.claims()))
    broken = dataclasses.replace(pages.claims()[name], holds=lambda values: False)
    saved = pages.number_sources()[name]
    try:
        pages.number_sources()[name] = broken.sentence
        pages.number.cache_clear()
        with pytest.raises(pages.PlaceholderError, match=rf"line 3: claim '{name}' no longer holds"):
            pages.expand(f"Intro.\n\nSo {{{{ {name} }}}}.", "", "docs/x.md")
    finally:
        pages.number_sources()[name] = saved
        pages.number.cache_clear()


def test_the_claims_table_lists_every_claim_with_its_values():
    table = pages.tables()["claims"]()
    assert [row[0] for row in table.rows] == [f"`{n}`" for n in sorted(pages.claims())]
    assert all(row[3] for row in table.rows)


def test_fisher_p_is_the_hypergeometric_two_sided_p_value():
    # 2 x 2 table [[9, 1], [4, 6]]: sum the probabilities of every table with the same margins
    # that is no more likely than the one observed (the two-sided definition)
    def p_table(a):
        return math.comb(13, a) * math.comb(7, 10 - a) / math.comb(20, 10)

    observed = p_table(9)
    expected = sum(p_table(a) for a in range(3, 11) if p_table(a) <= observed * (1 + 1e-7))
    assert fisher_p(9, 10, 4, 10) == pytest.approx(expected, rel=1e-9)
    assert fisher_p(5, 10, 5, 10) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="between 0 and its runs"):
        fisher_p(11, 10, 0, 10)


FLIP = textwrap.dedent(
    """
    import sys
    import lstm_explainer.figures.what_if as what_if

    real = what_if.foods_after

    def flipped(variant, token):
        values = dict(real(variant, token))
        values["spread"] = 0.5  # the foods no longer nearly tie
        return values

    what_if.foods_after = flipped
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", "build", "--strict", "--site-dir", sys.argv[1]]
    cli()
    """
)


def test_a_build_whose_numbers_contradict_a_claim_stops_with_the_claim(tmp_path):
    """A real build of the site with one number flipped (the spread of the foods' probabilities
    after "her" without recurrent weights) stops and names the claim, its condition and its values."""
    command = f'. scripts/site-env && "{sys.executable}" -c "$FLIP" "{tmp_path / "site"}"'
    result = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=600, env={**_env(), "FLIP": FLIP}
    )
    assert result.returncode != 0
    assert "claim 'whatif_norec_her_near_tie' no longer holds" in result.stderr
    assert "spread = 0.50" in result.stderr
    assert "Traceback" not in result.stderr


def _env():
    import os

    return dict(os.environ)
