"""``lstm-explainer chars``: the character LSTM's units along a text, its guesses, and seeded samples.

The error tests load no model; the others read the cached character model and measurement.
"""

import json
import subprocess
import sys

import pytest

from test_cli import cli  # the command line run in this process

from lstm_explainer import char_features


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("chars", "x" * 2001), "the text may have at most 2000 characters; it has 2001."),
        (("chars", "-k", "0", "x"), "k must be a whole number from 1 to 97; got 0."),
        (("chars", "--sample", "0", "x"), "the number of characters to sample must be a whole number from 1 to 2000"),
        (("chars", "--sample", "5", "--seed", "-1", "x"), "the seed must be a whole number from 0 to 4294967295"),
        (("chars", "--sample", "5", "--temperature", "0", "x"), "argument --temperature: must be a positive number"),
        (("chars", "--sample", "5", "--temperature", "nan", "x"), "argument --temperature: must be a positive number"),
        (("chars",), "the following arguments are required: TEXT"),
    ],
)
def test_bad_input_is_one_line_with_status_2(args, message):
    result = cli(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"lstm-explainer: error: {message}") and result.stderr.count("\n") == 1


def test_a_process_with_bad_input_prints_no_traceback():
    result = subprocess.run([sys.executable, "-m", "lstm_explainer", "chars", "--sample", "9999", "def"],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_help_names_the_json_fields():
    result = cli("chars", "--help")
    assert result.returncode == 0 and "--sample N" in result.stdout and "units     one object per feature" in result.stdout


def test_units_along_the_text_as_a_table_and_as_json():
    table = cli("chars", "def f(x):")
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].startswith("char") and all(name in lines[0] for name in char_features.FEATURES)
    assert [line.split()[0] for line in lines[1:]] == ["d", "e", "f", "\u00b7", "f", "(", "x", ")", ":"]
    out = json.loads(cli("chars", "--json", "-k", "2", "def f(x):").stdout)
    assert out["text"] == "def f(x):" and out["chars"] == list("def f(x):")
    assert [u["feature"] for u in out["units"]] == list(char_features.FEATURES)
    assert all(len(guesses) == 2 for guesses in out["next"])
    # the printed numbers are the JSON's, to three decimals
    first_unit = out["units"][0]["values"]
    assert [float(line.split()[1]) for line in lines[1:]] == pytest.approx(first_unit, abs=5e-4)


def test_samples_are_seeded():
    one = cli("chars", "--sample", "60", "--temperature", "0.7", "--seed", "3", "def ")
    again = cli("chars", "--sample", "60", "--temperature", "0.7", "--seed", "3", "def ")
    other = cli("chars", "--sample", "60", "--temperature", "0.7", "--seed", "4", "def ")
    assert one.returncode == 0 and one.stdout == again.stdout != other.stdout
    assert one.stdout.startswith("def ") and len(one.stdout) == len("def ") + 60 + 1  # and print's newline
    out = json.loads(cli("chars", "--json", "--sample", "60", "--temperature", "0.7", "--seed", "3", "def ").stdout)
    assert out == {"text": "def ", "temperature": 0.7, "seed": 3, "sample": one.stdout[4:-1]}


def test_help_has_an_example_and_the_top_level_help_lists_chars():
    assert 'Example:\n  lstm-explainer chars "def f(x):"' in cli("chars", "--help").stdout
    top = cli("--help").stdout
    assert "chars" in top and 'lstm-explainer chars "def f(x):"' in top


def test_help_documents_every_json_field():
    documented = cli("chars", "--help").stdout.split("With --json", 1)[1]
    out = json.loads(cli("chars", "--json", "x").stdout)
    assert all(f"\n  {field} " in documented for field in out)
    assert all(f" {field} " in documented or f" {field}," in documented or f"{field} (" in documented
               for field in out["units"][0])  # fmt: skip
    sampled = json.loads(cli("chars", "--json", "--sample", "3", "x").stdout)
    assert all(field in documented for field in sampled)
