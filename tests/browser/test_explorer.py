"""The Explorer page in a real browser: its numbers are the package's, and anyone can use it.

The page computes in the reader's browser (docs/javascripts/explorer-model.js) from the JSON
the package exports (lstm_explainer.sitegen.export). These tests drive it as a reader does,
through its controls, and read what it shows: every heatmap cell carries its exact value in
``data-value``. They check that

- for several sentences, every what-if variant and several forget-gate biases, every gate,
  state and next-word probability equals ``FranceLSTM(forget_bias=b).trace(sentence,
  variant)`` to 1e-9, and the guesses are ``trace.top(t, 3)``;
- the turnstile's hidden state and readouts equal the package's after every input;
- an unknown word gets an inline message naming the closest words of the vocabulary, and
  text that looks like HTML stays text (no element, no dialog, no request);
- the page works from the keyboard alone, has no axe-core violation in the states a reader
  can reach, in both palettes, says what to do without JavaScript, and stays light.
"""

import difflib
import random
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from lstm_explainer import turnstile
from lstm_explainer.france import SENTENCE, VARIANTS, FranceLSTM
from lstm_explainer.france_weights import FORGET_BIAS, UNITS, VOCAB

TOLERANCE = 1e-9
SENTENCES = [SENTENCE, "In France, I ate", "but", "Mary", "In Italy, Frank did not like the wine", "the the but wine"]
BIASES = [FORGET_BIAS, 0.0]
CELL = ("i", "f", "g", "o", "c", "h")

# The heatmap of a panel (its id): column headers, and each row's key and exact values.
READ_GRID = """panel => {
    const table = document.querySelector(`#${panel} table.lx-grid`);
    if (!table) return null;
    return {
        columns: [...table.querySelectorAll("thead th")].slice(1).map(th => th.textContent),
        rows: [...table.querySelectorAll("tbody tr")].map(tr => [...tr.querySelectorAll("td")]).map(tds => ({
            key: tds[0].dataset.row,
            values: tds.map(td => Number(td.dataset.value)),
        })),
    };
}"""

# Every quantity of the France panel, read (READ_GRID) by clicking each "Show" radio in turn.
READ_FRANCE = """() => {
    const read = () => (READ_GRID)("lx-panel-france");
    const panel = document.getElementById("lx-panel-france");
    const radios = [...panel.querySelectorAll("fieldset.lx-segments input[type=radio]")];
    const out = {};
    for (const radio of radios) { radio.click(); out[radio.value] = read(); }
    radios[0].click();
    out.guesses = [...panel.querySelectorAll("table.lx-guesses tbody tr")].map(tr =>
        [...tr.querySelectorAll("td")].map(td => [td.dataset.word, Number(td.dataset.value)]));
    return out;
}""".replace("READ_GRID", READ_GRID)


@pytest.fixture
def explorer(page):
    page.goto("explorer/")
    assert page.evaluate("lstmExplorer.ready.then(() => true)")
    return page


def sentence_box(page):
    return page.get_by_role("combobox", name="Sentence")  # a text box with suggestions


def read_sentence(page, sentence: str) -> None:
    """Type a sentence into the box and press Enter, as a reader does."""
    box = sentence_box(page)
    box.fill(sentence)
    box.press("Enter")


def set_bias(page, bias: float) -> None:
    """Move the forget-bias slider with the keyboard: Home, then one step right at a time."""
    control = page.evaluate("lstmExplorer.models.france.forget_bias")
    steps = (bias - control["min"]) / control["step"]
    assert steps.is_integer() and control["min"] <= bias <= control["max"], bias
    slider = page.get_by_role("slider", name="Forget-gate bias of the memory units")
    slider.focus()
    slider.press("Home")
    for _ in range(int(steps)):
        slider.press("ArrowRight")
    assert float(slider.input_value()) == bias


def set_variant(page, variant: str) -> None:
    page.get_by_role("radio", name=re.compile(rf"^{variant}:")).check()


def max_difference(shown: list[list[float]], expected: np.ndarray) -> float:
    shown = np.array(shown, dtype=float)
    assert shown.shape == expected.shape
    return float(np.abs(shown - expected).max())


def check_france(page, sentence: str, variant: str, bias: float) -> None:
    trace = FranceLSTM(forget_bias=bias).trace(sentence, variant=variant)
    shown = page.evaluate(READ_FRANCE)
    columns = [f"{t + 1} {token}" for t, token in enumerate(trace.tokens)]
    where = f"{sentence!r}, {variant}, bias {bias}"
    for name in CELL:
        grid = shown[name]
        assert grid["columns"] == columns, where
        assert [row["key"] for row in grid["rows"]] == list(UNITS), where
        expected = getattr(trace.cell, name).T  # rows are units, columns are words
        assert max_difference([row["values"] for row in grid["rows"]], expected) <= TOLERANCE, (where, name)
    grid = shown["probs"]
    assert grid["columns"] == columns and [row["key"] for row in grid["rows"]] == list(VOCAB), where
    assert max_difference([row["values"] for row in grid["rows"]], trace.probs.T) <= TOLERANCE, (where, "probs")
    for t, guesses in enumerate(shown["guesses"]):
        expected = trace.top(t, 3)
        assert [word for word, _ in guesses] == [word for word, _ in expected], (where, t)
        assert max(abs(p - q) for (_, p), (_, q) in zip(guesses, expected)) <= TOLERANCE, (where, t)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_every_number_of_the_france_lstm_is_the_package_s(explorer, sentence):
    page = explorer
    read_sentence(page, sentence)
    for bias in BIASES:
        set_bias(page, bias)
        for variant in VARIANTS:
            set_variant(page, variant)
            check_france(page, sentence, variant, bias)
    page.quiet()
    assert page.problems == []


def test_any_bias_the_slider_offers_gives_the_package_s_numbers(explorer):
    page = explorer
    read_sentence(page, "Mary ate her croissant but Frank did not like the wine")
    for bias in (-2.0, 1.5, 8.0):
        set_bias(page, bias)
        expect(page.locator("#lx-panel-france output")).to_have_text(f"{bias:g}")
        check_france(page, "Mary ate her croissant but Frank did not like the wine", "standard", bias)
    page.get_by_role("button", name=re.compile("^Designed value")).click()
    check_france(page, "Mary ate her croissant but Frank did not like the wine", "standard", FORGET_BIAS)


def test_the_results_are_announced_in_a_live_region(explorer):
    page = explorer
    read_sentence(page, "In Italy, I ate")
    best, p = FranceLSTM().trace("In Italy, I ate").top(-1, 1)[0]
    status = page.locator("#lx-panel-france [role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text(f"the likeliest next word is \u201c{best}\u201d ({100 * p:.1f}\u00a0%)")
    page.get_by_role("button", name="In France, I ate", exact=True).click()
    expect(sentence_box(page)).to_have_value("In France, I ate")
    expect(status).to_contain_text("\u201cate\u201d, the likeliest next word is \u201ccroissant\u201d")


def test_the_value_under_the_pointer_and_on_focus_is_shown_in_full(explorer):
    page = explorer
    readout = page.locator("#lx-panel-france .lx-readout")
    trace = FranceLSTM().trace(SENTENCE)
    cells = page.locator("#lx-panel-france table.lx-grid td")
    t, u = 1, UNITS.index("seen_france")  # i of seen_france at "france"
    cell = page.locator(f'#lx-panel-france table.lx-grid td[data-row="seen_france"][data-column="{t}"]')
    cell.hover()
    expect(readout).to_contain_text("i of seen_france after \u201cfrance\u201d (word 2): ")
    shown = float(re.search(r": (\S+)", readout.text_content()).group(1).replace("\u2212", "-"))
    assert abs(shown - trace.cell.i[t, u]) <= 5e-7
    cells.nth(0).focus()
    expect(readout).to_contain_text(f"i of {UNITS[0]} after \u201cin\u201d (word 1): ")
    # a screen reader hears the readout as the focused cell's description
    expect(cells.nth(0)).to_have_attribute("aria-describedby", readout.get_attribute("id"))
    assert page.locator("#lx-panel-france td[aria-describedby]").count() == 1


def test_a_pending_summary_does_not_replace_an_error(explorer):
    page = explorer
    status = page.locator("#lx-panel-france [role=status]")
    read_sentence(page, "Mary ate")  # its summary is announced a moment later...
    read_sentence(page, "Mary qqq")  # ...unless an error comes first
    expect(status).to_contain_text("Unknown word \u201cqqq\u201d")
    # a timer of the summary's delay (300 ms, explorer.js), started after it, fires after it
    page.evaluate("() => new Promise(done => setTimeout(done, 300))")
    expect(status).to_contain_text("Unknown word \u201cqqq\u201d")


def test_suggestions_complete_the_last_word_from_the_vocabulary(explorer):
    page = explorer
    box = sentence_box(page)
    box.fill("")
    box.press_sequentially("In France, I a")
    datalist = page.locator("#" + box.get_attribute("list"))
    values = datalist.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert values == ["In France, I " + word for word in VOCAB if word.startswith("a")]
    box.press_sequentially("te ")
    values = datalist.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert values == ["In France, I ate " + word for word in VOCAB]


def test_an_unknown_word_gets_the_closest_words_of_the_vocabulary(explorer):
    page = explorer
    read_sentence(page, "In Fraance, Mary ate her croisant, qqq")
    error = page.locator("#lx-panel-france .lx-error")
    expect(error).to_be_visible()
    for word in ("fraance", "croisant"):
        near = difflib.get_close_matches(word, VOCAB, n=3)  # what FranceLSTM.tokenize suggests
        assert near
        expect(error).to_contain_text(f"Unknown word \u201c{word}\u201d; closest in the vocabulary: {', '.join(near)}.")
    assert difflib.get_close_matches("qqq", VOCAB) == []
    expect(error).to_contain_text("Unknown word \u201cqqq\u201d; no word of the vocabulary is close.")
    expect(sentence_box(page)).to_have_attribute("aria-invalid", "true")
    described = sentence_box(page).get_attribute("aria-describedby").split()
    assert error.get_attribute("id") in described
    expect(page.locator("#lx-panel-france [role=status]")).to_contain_text("Unknown word \u201cfraance\u201d")
    # the heatmap still shows the last sentence that could be read
    assert page.evaluate(READ_GRID, "lx-panel-france")["columns"][-1] == f"{len(FranceLSTM().tokenize(SENTENCE))} wine"
    read_sentence(page, "  ,.  ")
    expect(error).to_contain_text("The sentence has no words")
    read_sentence(page, "Mary ate")
    expect(error).to_be_hidden()
    expect(sentence_box(page)).not_to_have_attribute("aria-invalid", "true")
    page.quiet()
    assert page.problems == []


@pytest.mark.parametrize("payload", ["<img src=x onerror=alert(1)>", "<b>bold</b>", 'mary"><svg onload=alert(2)>'])
def test_typed_markup_stays_text(explorer, payload):
    page = explorer
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    before = page.evaluate("document.querySelectorAll('img, b, svg').length")
    sentence_box(page).fill("")
    sentence_box(page).press_sequentially(payload)  # every keystroke updates the suggestions
    sentence_box(page).press("Enter")
    error = page.locator("#lx-panel-france .lx-error")
    expect(error).to_contain_text("Unknown word")
    first = re.findall(r"[^\s,.;:!?]+", payload.lower())[0]
    assert f"\u201c{first}\u201d" in error.text_content()  # shown as typed, as text
    page.quiet()  # anything the text had made would have been requested by now
    assert page.evaluate("document.querySelectorAll('img, b, svg').length") == before
    assert page.locator("#lstm-explorer img, #lstm-explorer b, #lstm-explorer svg").count() == 0
    assert dialogs == []
    assert page.problems == []  # no request for "x" either (quiet() above)


def turnstile_panel(page):
    page.get_by_role("tab", name="Turnstile RNN").click()
    expect(page.locator("#lx-panel-turnstile")).to_be_visible()


def check_turnstile(page, inputs: list[str]) -> None:
    grid = page.evaluate(READ_GRID, "lx-panel-turnstile")
    h = turnstile.turnstile_cell().run(turnstile.encode(inputs)).h
    readouts = turnstile.read_out(h)
    assert grid["columns"] == [f"{t + 1} {symbol}" for t, symbol in enumerate(inputs)]
    assert [row["key"] for row in grid["rows"]] == [*turnstile.UNITS, *turnstile.READOUT]
    assert max_difference([row["values"] for row in grid["rows"][: len(turnstile.UNITS)]], h.T) <= TOLERANCE
    for row in grid["rows"][len(turnstile.UNITS) :]:
        assert max_difference([row["values"]], readouts[row["key"]][None, :]) <= TOLERANCE, row["key"]
    last = turnstile.run(inputs)[-1]
    status = page.locator("#lx-panel-turnstile [role=status]")
    coins = f"{last['coins']} coin{'' if last['coins'] == 1 else 's'} in"
    passes = f"{last['passes']} pass{'' if last['passes'] == 1 else 'es'} so far"
    expect(status).to_contain_text(f"Input {len(inputs)}, {inputs[-1]}: ")
    expect(status).to_contain_text(f"{coins}, {passes}.")
    if inputs[-1] == "push":
        expect(status).to_contain_text("someone walked through" if last["walk"] else "blocked")


def test_the_turnstile_s_hidden_state_and_readouts_are_the_package_s(explorer):
    page = explorer
    turnstile_panel(page)
    readout = page.locator("#lx-panel-turnstile .lx-readout")
    expect(readout).to_have_text("Press coin or push to start.")
    expect(readout).to_have_attribute("aria-live", "polite")
    rng = random.Random(0)
    sequences = [["coin", "coin", "push"], ["push", "coin", "push", "coin", "coin", "coin", "push", "push"]]
    sequences += [[rng.choice(["coin", "push"]) for _ in range(14)]]
    for inputs in sequences:
        page.get_by_role("button", name="reset", exact=True).click()
        expect(page.locator("#lx-panel-turnstile [role=status]")).to_contain_text("Reset")
        for t, symbol in enumerate(inputs):
            page.get_by_role("button", name=symbol, exact=True).click()
            if t in (0, len(inputs) // 2) or t == len(inputs) - 1:
                check_turnstile(page, inputs[: t + 1])
    page.quiet()
    assert page.problems == []


def tab_until(page, predicate: str, limit: int = 80) -> None:
    """Press Tab until ``predicate`` (JS, on document.activeElement) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(element => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"{predicate} never reached with Tab")


def test_everything_works_from_the_keyboard(explorer):
    page = explorer
    page.locator("body").focus()
    tab_until(page, "element.getAttribute('aria-label') === null && element.type === 'text' && !!element.closest('#lstm-explorer')")
    page.keyboard.press("Control+A")
    page.keyboard.type("In Italy, I ate")
    page.keyboard.press("Enter")
    columns = [f"{t + 1} {token}" for t, token in enumerate(["in", "italy", "i", "ate"])]
    expect(page.locator("#lx-panel-france [role=status]")).to_contain_text("\u201cpizza\u201d")
    assert page.evaluate(READ_GRID, "lx-panel-france")["columns"] == columns
    # the "Show" radios: one Tab stop, arrows move between them
    tab_until(page, "element.type === 'radio' && element.value === 'i'")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.value") == "f"
    expect(page.get_by_role("grid", name=re.compile("^f, the forget gate"))).to_be_visible()
    # the heatmap: one Tab stop, arrows and Home/End move over the cells
    tab_until(page, "element.tagName === 'TD'")
    active = "[document.activeElement.dataset.row, document.activeElement.dataset.column]"
    assert page.evaluate(active) == [UNITS[0], "0"]
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    assert page.evaluate(active) == [UNITS[1], "2"]
    expect(page.locator("#lx-panel-france .lx-readout")).to_contain_text(f"f of {UNITS[1]} after \u201ci\u201d (word 3): ")
    page.keyboard.press("End")
    assert page.evaluate(active) == [UNITS[1], "3"]
    page.keyboard.press("Control+End")
    assert page.evaluate(active) == [UNITS[-1], "3"]
    page.keyboard.press("Control+Home")
    assert page.evaluate(active) == [UNITS[0], "0"]
    # the tabs: arrows switch the model, Tab goes on to the turnstile's buttons
    page.get_by_role("tab", name="France LSTM").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Turnstile RNN")).to_be_focused()
    expect(page.locator("#lx-panel-turnstile")).to_be_visible()
    expect(page.locator("#lx-panel-france")).to_be_hidden()
    tab_until(page, "element.dataset.input === 'coin'", limit=5)
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    check_turnstile(page, ["coin", "coin"])
    page.quiet()
    assert page.problems == []


def test_no_axe_violations_in_any_state_in_either_palette(explorer, axe):
    page = explorer

    # Material's header cross-fades the site name and the page title when the page scrolls
    # (as focusing a cell does); axe running mid-fade measures half-transparent text. Without
    # transitions every state axe can see is a final one.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")

    def no_violations(state):
        violations = axe(page)
        assert not violations, f"{state}:\n{axe.format(violations)}"

    for scheme in ("light", "dark"):  # the palettes
        page.palette(scheme)
        page.get_by_role("tab", name="France LSTM").click()
        read_sentence(page, SENTENCE)
        no_violations(f"{scheme}: the walkthrough sentence")
        page.get_by_role("radio", name="c cell state").check()
        set_variant(page, "no_forget_gate")
        page.locator("#lx-panel-france table.lx-grid td").nth(5).hover()
        no_violations(f"{scheme}: c, no forget gate, a cell pointed at")
        page.get_by_role("radio", name="p next-word probability").check()
        read_sentence(page, "In Fraance, Mary eats")
        no_violations(f"{scheme}: probabilities and an unknown word")
        set_variant(page, "standard")
        page.get_by_role("radio", name="i input gate").check()
        turnstile_panel(page)
        no_violations(f"{scheme}: the turnstile, empty")
        for symbol in ["coin", "push", "coin", "coin", "push"] * 3:
            page.get_by_role("button", name=symbol, exact=True).click()
        page.locator("#lx-panel-turnstile table.lx-grid td").first.focus()
        no_violations(f"{scheme}: the turnstile after 15 inputs")
        page.get_by_role("button", name="reset", exact=True).click()
    page.quiet()
    assert page.problems == []


def test_without_javascript_the_page_says_so_and_links_to_the_walkthrough(browser, site_url):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("explorer/")
        # (Playwright's text and role locators skip <noscript>: CSS finds what the reader sees)
        title = page.locator("article noscript .admonition-title")
        expect(title).to_be_visible()
        expect(title).to_have_text("The explorer needs JavaScript")
        links = page.locator("article noscript a").evaluate_all("links => links.map(a => [a.textContent, a.href])")
        assert ["One sentence, gate by gate", site_url + "walkthrough/"] in links
        expect(page.locator("article noscript a").first).to_be_visible()
        expect(page.locator("#lstm-explorer")).to_be_hidden()
    finally:
        context.close()


def test_the_page_stays_light(explorer, built_site):
    page = explorer
    loaded = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    mine = [url for url in loaded if re.search(r"/(explorer[^/]*\.(js|json|css))$", url)]
    names = sorted(url.rsplit("/", 1)[1] for url in mine)
    assert names == ["explorer-model.js", "explorer-models.json", "explorer.css", "explorer.js"]
    scripts = ["javascripts/explorer-model.js", "javascripts/explorer.js", "javascripts/explorer-models.json"]
    total = sum((built_site / path).stat().st_size for path in scripts)
    assert total < 100_000, total


def test_without_its_weights_the_page_says_why(page):
    page.route("**/explorer-models.json", lambda route: route.fulfill(status=404, body="missing"))
    page.goto("explorer/")
    assert page.evaluate("lstmExplorer.ready.then(() => 'ready', error => error.message)").startswith("HTTP 404")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("The explorer could not start (HTTP 404")
    page.quiet()
    assert [p for p in page.problems if "explorer-models.json" not in p] == []
