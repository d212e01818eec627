"""Names you can grep: every figure, table and number a page can name is written out, in full,
where it is defined; a placeholder that names nothing stops the build with a message."""

import inspect
import os
import subprocess
import sys

import pytest
from mkdocs.exceptions import PluginError

from lstm_explainer.sitegen import build_numbers, facts, mkdocs_hook, pages
from lstm_explainer.sitegen import tables as site_tables


def defining_modules():
    return [facts, build_numbers, site_tables, *pages.figure_modules()]


@pytest.mark.parametrize("module", defining_modules(), ids=lambda m: m.__name__)
def test_every_name_is_written_out_where_it_is_defined(module):
    source = inspect.getsource(module)
    names = [spec.name for spec in getattr(module, "FIGURES", [])]
    names += list(getattr(module, "NUMBERS", {})) + list(getattr(module, "TABLES", {}))
    if module is site_tables:  # its benchmark tables are build_numbers' own
        names = [name for name in names if name not in build_numbers.TABLES]
    hidden = [name for name in names if f'"{name}"' not in source]
    assert not hidden, f"{module.__name__} builds these names instead of writing them out: {hidden[:10]}"


def test_listing_every_figure_table_and_number_computes_nothing(tmp_path):
    """In a fresh process with an empty cache: the lists are there, and no result was made."""
    script = (
        "from lstm_explainer.sitegen import pages\n"
        "names = [*pages.figures(), *pages.tables(), *pages.number_sources()]\n"
        "assert len(names) > 100 and not any(spec._kept for spec in pages.figures().values())\n"
    )
    env = {**os.environ, "LSTM_EXPLAINER_CACHE": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-c", script], check=True, env=env)
    assert not (tmp_path / "cache").exists(), "listing the names trained or drew something"


class Page:
    class file:
        src_uri = "further/example.md"


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("Intro.\n\nThe gate opens to {{ walk_france_i_seen_franc }}.", r"docs/further/example.md, line 3: unknown number 'walk_france_i_seen_franc'; did you mean walk_france_i_seen_france"),
        ('{{ figure("sentence-x") }}', r"line 1: unknown figure 'sentence-x'; did you mean sentence-"),
        ('{{ table("france-weight") }}', r"unknown table 'france-weight'; did you mean france-weights"),
        ("one\n{{ figure(sentence-i) }}", r"line 2: malformed placeholder '\{\{ figure\(sentence-i\) \}\}'"),
        ("{{ Walk_Sentence }}", r"malformed placeholder"),
        ('{{ figure("sentence-i", "dark") }}', r"malformed placeholder"),
        ("Text.\n\nThe {{ walk_sentence } ends.", r"line 3: unmatched '\{\{' in 'The \{\{ walk_sentence \} ends.'"),
        ("{{ figure(\nsentence-i) }}", r"line 1: malformed placeholder"),
        ("{{ qqqqqqqqqqqqqqqqqqqq }}", r"unknown number 'qqqqqqqqqqqqqqqqqqqq'; there are \d+ numbers, none close to it\."),
    ],
)
def test_a_bad_placeholder_stops_the_build_with_the_page_the_line_and_the_nearest_names(markdown, message):
    with pytest.raises(PluginError, match=message) as stop:
        mkdocs_hook.on_page_markdown(markdown, Page, None, None)
    assert "\n" not in str(stop.value) and stop.value.__cause__ is None
