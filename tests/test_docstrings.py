"""Every ``>>>`` example in the package's docstrings runs and prints what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import lstm_explainer

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(lstm_explainer.__path__, "lstm_explainer.") if name != "lstm_explainer.__main__"
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0

