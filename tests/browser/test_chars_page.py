"""The page "Any text" (docs/chars.md) in a real browser: its numbers are the package's.

The page runs the character LSTM in float64 JavaScript from the float16 weights of
``lstm_explainer.sitegen.export_chars``; the package computes the same from
``char_units.exported_state()`` (``export_chars.reference``). These tests type texts into the
page as a reader does and check that

- c and h after every character, and the next-character probabilities, equal the package's
  to TOLERANCE, along code, prose, Unicode and a 2,000-character paste;
- "Continue" draws the characters ``char_units.sample`` draws (what ``lstm-explainer chars
  --sample`` prints), for two seeds and temperatures;
- the coloured text is navigable with the arrow keys, the values are announced, a span
  selected with Shift finds matches in the held-out code, and a match opens in context;
- axe-core finds nothing after that, in both palettes; no request leaves the site.
"""

import numpy as np
import pytest

from lstm_explainer import char_corpus
from lstm_explainer.experiments import char_units
from lstm_explainer.sitegen import export_chars

# Absolute: page and package compute in float64 from the same float16 weights; they differ only
# in the order of the sums of a step (and Math.tanh/exp against NumPy's in the last bit), which
# the recurrence carries along. Seen: about 1e-14 after 2,000 characters.
TOLERANCE = 1e-9

TEXTS = {
    "code": 'def mean(values):\n    """The average."""\n    return sum(values) / len(values)  # (a, b)\n',
    "prose": "It was the best of times, it was the worst of times; it was the age of wisdom.",
    "unicode": "naïve café → 東京 🙂 tab\tend ¤ done\n",  # a textarea turns \r\n into \n
    "paste": "".join(char_corpus.split_text("validation")[10_000:12_000]),
}


@pytest.fixture
def chars(page):
    page.goto("chars/")
    page.evaluate("lstmChars.ready")
    return page


def type_text(page, text: str) -> None:
    """Put ``text`` in the box as a paste does (one input event), and wait until the page has read it."""
    page.locator("#cx-input").fill(text)
    page.evaluate("lstmChars.idle()")


@pytest.mark.parametrize("name", list(TEXTS))
def test_c_h_and_next_character_probabilities_equal_the_package(chars, name):
    text = TEXTS[name]
    type_text(chars, text)
    shown = chars.evaluate("lstmChars.current()")
    expected = export_chars.reference(text)
    T, H = len(text), expected["h"].shape[1]
    assert shown["chars"] == list(text)
    np.testing.assert_allclose(np.array(shown["c"]).reshape(T, H), expected["c"], rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(np.array(shown["h"]).reshape(T, H), expected["h"], rtol=0, atol=TOLERANCE)
    for t in sorted({0, 1, T // 2, T - 1}):
        probs = chars.evaluate("t => lstmChars.probs(t)", t)
        np.testing.assert_allclose(probs, expected["probs"][t], rtol=0, atol=TOLERANCE)
        detail = chars.evaluate("t => lstmChars.detail(t)", t)
        for gate in ("i", "f", "g", "o"):
            assert abs(detail[gate] - expected[gate][t, detail_unit(detail)]) <= TOLERANCE
    if name == "unicode":
        unknown = sum(1 for ch in text if ch != char_corpus.OTHER and char_corpus.encode(ch)[0] == len(char_corpus.VOCAB) - 1)
        note = chars.locator("#cx-note").text_content()
        assert f"{unknown} characters are outside" in note and "read as ¤" in note


def detail_unit(detail: dict) -> int:
    return int(detail["unit"][1:])


@pytest.mark.parametrize(("seed", "temperature", "count"), [(1, 0.5, 120), (987654321, 1.2, 80)])
def test_continue_draws_what_the_package_draws(chars, seed, temperature, count):
    prompt = "def parse(line):\n    "
    type_text(chars, prompt)
    chars.locator("#cx-seed").fill(str(seed))
    chars.locator("#cx-count").fill(str(count))
    slider = chars.locator("#cx-temperature")
    slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", str(temperature))
    assert float(slider.input_value()) == temperature
    chars.get_by_role("button", name="Continue").click()
    chars.wait_for_function("lstmChars.lastSample().length > 0", timeout=20_000)
    drawn = chars.evaluate("lstmChars.lastSample()")
    assert drawn == char_units.sample(char_units.exported_state(), prompt, count, temperature, seed)
    assert chars.locator("#cx-input").input_value() == prompt + drawn
    assert "".join(chars.evaluate("lstmChars.current()")["chars"]) == prompt + drawn


def test_keyboard_navigation_announces_values_and_select_and_match_works(chars, axe):
    type_text(chars, "x = foo(a, b)\nprint('hello')\n")
    label = chars.get_by_label("Colour by unit")
    assert label.is_enabled()
    view = chars.get_by_role("group", name="Your text, coloured by the chosen unit")
    view.focus()
    view.press("Home")
    for _ in range(4):
        view.press("ArrowRight")
    announced = chars.locator("#cx-announce").text_content()
    assert announced.startswith("f, 5 of") and " i " in announced and "Next:" in announced
    assert chars.locator("#cx-text span.cx-cur").text_content() == "f"
    for _ in range(5):
        view.press("Shift+ArrowRight")  # "foo(a,"
    assert "".join(chars.locator("#cx-text span.cx-sel").all_text_contents()) == "foo(a,"
    panel = chars.locator("#cx-match")
    expect_text(chars, "#cx-match", "Selected 6 characters")
    chars.wait_for_function("!document.querySelector('#cx-match .cx-loading')", timeout=10_000)
    hits = panel.locator("button.cx-hit")
    if hits.count():
        hits.first.click()
        assert chars.locator("#cx-context pre span.cx-hit-on").count() >= 1
    else:
        assert "never all on together" in panel.text_content() or "No hidden unit" in panel.text_content()
    label.select_option("h3")
    assert chars.evaluate("lstmChars.detail(5).unit") == "h3"
    for palette in ("light", "dark"):
        chars.palette(palette)
        violations = axe(chars)
        assert not violations, axe.format(violations)
    chars.quiet()
    assert chars.problems == []


def expect_text(page, selector: str, text: str) -> None:
    page.wait_for_function("([s, t]) => document.querySelector(s).textContent.includes(t)", arg=[selector, text], timeout=5000)


def test_a_long_paste_is_cut_with_a_message_and_nothing_leaves_the_site(chars):
    cap = chars.evaluate("lstmChars.data().limits.chars")
    text = ("for k in range(10):\n    print(k)\n" * (cap // 30 + 50))
    type_text(chars, text)
    assert len(chars.evaluate("lstmChars.current()")["chars"]) == cap
    assert "at most" in chars.locator("#cx-note").text_content()
    chars.quiet()
    assert chars.problems == []
