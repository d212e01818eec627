"""The glossary every page reads (``snippets/glossary.md``) and the one notation of the site.

The notation page's examples themselves (``snippets/torch_lstm.pycon``,
``snippets/forget_bias.pycon``, ``snippets/keras_lstm.pycon``) run as doctests through Sybil
(the repository's ``conftest.py``); these tests check that the page still includes them, that
the glossary is well formed and reaches the pages (Material's abbreviations, appended to
every page by pymdownx.snippets), and that no page writes a gate's weights as a bare
``W_i``/``W_f``/``W_o``, which clashes with PyTorch's ``W_ii`` (input weights of the input gate).
"""

import re
from pathlib import Path

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "snippets" / "glossary.md"
DEFINITION = re.compile(r"^\*\[(?P<term>[^\]]+)\]: (?P<text>\S.*)$")

# the terms issue 12 asks for by name, and the words of the main path
REQUIRED = [
    "logit", "softmax", "one-hot", "pre-activation", "backpropagation through time", "BPTT",
    "Jacobian", "gradient clipping", "Adam", "padding", "perplexity", "saturation",
    "hidden state", "cell state", "sigmoid", "tanh", "ReLU", "seed", "updates",
    "AUC", "bits per character", "parity", "LSTM", "RNN", "GRU",
]  # fmt: skip


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its ``!!python/name:`` tags read as plain strings."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def glossary() -> dict[str, str]:
    terms = {}
    for number, line in enumerate(GLOSSARY.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        match = DEFINITION.match(line)
        assert match, f"glossary.md, line {number}: not '*[term]: definition': {line!r}"
        assert match["term"] not in terms, f"glossary.md, line {number}: {match['term']!r} twice"
        terms[match["term"]] = match["text"]
    return terms


def config() -> dict:
    return yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Loader)


def extensions() -> tuple[list[str], dict]:
    names, configs = [], {}
    for entry in config()["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    return names, configs


def test_the_glossary_is_well_formed_and_has_every_required_term():
    terms = glossary()
    missing = [term for term in REQUIRED if term not in terms]
    assert not missing, f"glossary.md lacks {missing}"
    for term, text in terms.items():
        # the hook fills {{ }} in pages; a tooltip is one short plain-text sentence or two
        assert "{{" not in text and "$" not in text and "`" not in text, term
        assert len(text) <= 200, f"{term!r}: {len(text)} characters, keep a tooltip under 200"
        assert text.endswith("."), term


def test_the_hook_appends_the_glossary_to_every_page_not_to_docstrings_and_shows_it_as_tooltips():
    from lstm_explainer.sitegen import glossary, tables

    names, configs = extensions()
    assert "abbr" in names
    # not snippets' auto_append: that would append it to every docstring of the API reference too
    assert "auto_append" not in configs["pymdownx.snippets"]
    assert tables.GLOSSARY == GLOSSARY
    assert glossary.with_definitions("Text.").endswith(GLOSSARY.read_text())
    assert "content.tooltips" in config()["theme"]["features"]


def glossary_page(text: str) -> str:
    from lstm_explainer.sitegen.glossary import with_definitions

    return with_definitions(text)


def test_a_page_shows_the_definitions_and_leaves_math_and_code_alone():
    names, configs = extensions()
    configs["pymdownx.snippets"] = {**configs["pymdownx.snippets"], "base_path": [str(GLOSSARY.parent)]}
    keep = ["abbr", "pymdownx.snippets", "pymdownx.arithmatex", "pymdownx.superfences"]
    md = markdown.Markdown(extensions=keep, extension_configs={k: configs[k] for k in keep if k in configs})
    html = md.convert(glossary_page("The softmax of the logits, $\\mathrm{softmax}(z)$ and `softmax(z)`."))
    terms = glossary()
    assert f'<abbr title="{terms["softmax"]}">softmax</abbr>' in html
    assert f'<abbr title="{terms["logits"]}">logits</abbr>' in html
    assert "\\mathrm{softmax}(z)" in html and "<code>softmax(z)</code>" in html
    assert html.count("<abbr") == 2


@pytest.mark.parametrize("snippet", ["torch_lstm.pycon", "forget_bias.pycon", "keras_lstm.pycon"])
def test_the_notation_page_includes_its_tested_examples(snippet):
    assert (ROOT / "snippets" / snippet).is_file()
    assert f'--8<-- "{snippet}"' in (ROOT / "docs" / "notation.md").read_text()


# a gate's weights written with one index (W_i, W_{f}, \mathbf{W}_o, ...), outside the
# notation page, where other texts' names are shown on purpose
# (W_i\u00b7, "the input weights of any gate", is fine)
BARE_GATE_WEIGHT = re.compile(r"W\}?_(?:\{\s*)?[ifgoC](?:\s*\})?(?![A-Za-z0-9_{\u00b7]|\\u00b7|\\cdot)")


def test_no_page_or_figure_writes_a_gate_weight_with_one_index():
    sources = [p for p in (ROOT / "docs").rglob("*.md") if p.name != "notation.md"]
    sources += sorted((ROOT / "lstm_explainer" / "figures").glob("*.py"))
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if BARE_GATE_WEIGHT.search(line)
    ]
    assert not found, "write [W_ii W_hi] (see docs/notation.md), not W_i:\n" + "\n".join(found)
