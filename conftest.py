"""Run every example the reader sees: code in the pages (snippets included) and in docstrings.

Sybil collects ``docs/*.md`` after expanding ``--8<--`` includes with pymdownx.snippets'
own preprocessor (so a missing snippet fails here as in the build), and treats fences
marked ``python``, ``py`` or ``pycon`` alike: ``>>>`` blocks are doctests, other blocks
are executed, in page order, in one namespace per page. A second Sybil runs the
``>>>`` examples of the package's and the snippets' docstrings.
"""

import re
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

import markdown
from sybil import Document, Sybil
from sybil.parsers.markdown import PythonCodeBlockParser
from sybil.parsers.rest import DocTestParser

ROOT = Path(__file__).parent
FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE
PYTHON_FENCE = re.compile(r"^([ \t]*(?:`{3,}|~{3,}))(?:python|py|pycon)\b[^\n]*$", re.MULTILINE)


class PageDocument(Document):
    """A Markdown page as the reader sees it: includes expanded, every Python fence kept."""

    @classmethod
    def parse(cls, path, *parsers, encoding="utf-8"):
        md = markdown.Markdown(
            extensions=["pymdownx.snippets"],
            extension_configs={"pymdownx.snippets": {"base_path": [str(ROOT / "snippets")], "check_paths": True}},
        )
        lines = md.preprocessors["snippet"].run(Path(path).read_text(encoding).split("\n"))
        document = cls(PYTHON_FENCE.sub(r"\1python", "\n".join(lines)), path)
        for parser in parsers:
            for region in parser(document):
                document.add(region)
        return document


pages = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=FLAGS)],
    path="docs",
    patterns=["*.md"],
    document_types={".md": PageDocument},
    name="pages",
)
docstrings = Sybil(
    parsers=[DocTestParser(optionflags=FLAGS)],
    patterns=["lstm_explainer/*.py", "lstm_explainer/**/*.py", "snippets/*.py"],
    excludes=["__main__.py"],
    name="docstrings",
)
pytest_collect_file = (pages + docstrings).pytest()


def pytest_sessionstart(session):
    """Train what the experiments' cache lacks, on every core, before any test reads a result
    (on a fresh machine the tests would otherwise train them one after the other)."""
    from lstm_explainer.experiments.prepare import prepare

    prepare()
