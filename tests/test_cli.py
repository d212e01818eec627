"""The command line, run as a real process: tables, JSON, and one-line errors with status 2."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lstm_explainer import france_weights as weights
from lstm_explainer.cli import main

SCRIPT = Path(sys.executable).with_name("lstm-explainer")


def cli(*args):
    """Run the command line in this process; most tests need no new interpreter."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit:  # --help
            code = exit.code
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def process(*command):
    return subprocess.run([*command], capture_output=True, text=True, timeout=60)


def test_console_script_and_module_run_as_processes():
    by_script = process(str(SCRIPT), "predict", "In France, I ate")
    by_module = process(sys.executable, "-m", "lstm_explainer", "predict", "In France, I ate")
    assert by_script.returncode == by_module.returncode == 0
    assert by_script.stdout == by_module.stdout == cli("predict", "In France, I ate").stdout
    assert by_script.stdout.split()[::2][:3] == ["croissant", "baguette", "cheese"]


def test_a_process_with_bad_input_prints_one_line_and_no_traceback():
    result = process(str(SCRIPT), "trace", "In Paris")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == result.stderr.splitlines()[0] + "\n"
    assert result.stderr.startswith("lstm-explainer: error: unknown word 'paris'")


def test_turnstile_json():
    out = json.loads(cli("turnstile", "--json", "coin", "coin", "push", "push").stdout)
    assert out["model"] == "turnstile"
    assert [(s["input"], s["coins"], s["passes"], s["walk"]) for s in out["steps"]] == [
        ("coin", 1, 0, False), ("coin", 2, 0, False), ("push", 0, 1, True), ("push", 0, 1, False),
    ]  # fmt: skip
    assert all(len(s["h"]) == 5 for s in out["steps"])


def test_counter_json_and_table():
    out = json.loads(cli("turnstile", "--counter", "--json", "coin", "coin").stdout)
    assert out == {"model": "counter", "steps": [{"input": "coin", "h": [1.0, 0.0]}, {"input": "coin", "h": [2.0, 0.0]}]}
    table = cli("turnstile", "coin", "coin", "push").stdout.splitlines()
    assert table[0].startswith("h = [one_coin_new") and table[-1].split()[-1] == "WALK"


def test_trace_json_follows_the_features():
    sentence = "In France, Mary ate her croissant"
    out = json.loads(cli("trace", "--json", sentence).stdout)
    assert out["sentence"] == sentence
    assert out["tokens"] == ["in", "france", "mary", "ate", "her", "croissant"]
    assert out["units"] == list(weights.UNITS) and out["inputs"] == list(weights.INPUTS)
    assert "features" not in out
    step = out["steps"][out["tokens"].index("france")]
    assert {"token", "i", "f", "g", "o", "c", "h", "next"} <= set(step)
    assert all(len(step[name]) == len(weights.UNITS) for name in "ifgoch")
    assert step["i"][out["units"].index("seen_france")] >= 0.9
    assert len(step["x"]) == len(out["inputs"])
    assert out["steps"][3]["next"][0][0] == "her"
    assert all(isinstance(word, str) and 0 < prob < 1 for word, prob in out["steps"][3]["next"])


def test_trace_ledger_is_readable():
    out = cli("trace", "In France").stdout
    assert "[2] 'france'   x = france" in out
    assert "seen_france" in out and "next: i " in out


@pytest.mark.parametrize("command", ["trace", "predict"])
def test_a_sentence_is_one_argument_or_several_words(command):
    quoted = cli(command, "--json", "In France, I ate")
    words = cli(command, "--json", "In", "France,", "I", "ate")
    assert quoted.returncode == words.returncode == 0
    assert quoted.stdout == words.stdout


def test_version():
    from lstm_explainer import __version__

    result = cli("--version")
    assert result.returncode == 0 and result.stdout == f"lstm-explainer {__version__}\n"


@pytest.mark.parametrize("command", ["trace", "predict"])
def test_help_documents_the_json_fields(command):
    out = cli(command, "--help").stdout
    fields = ["sentence", "tokens", "units", "inputs", "steps"] if command == "trace" else ["prefix", "next"]
    assert "With --json" in out and all(f"\n  {field} " in out for field in fields)


def test_predict_json():
    out = json.loads(cli("predict", "--json", "-k", "3", "In Italy, I ate").stdout)
    assert out["prefix"] == "In Italy, I ate"
    assert [word for word, _ in out["next"]] == ["pizza", "pasta", "bruschetta"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["predict", "In Paris, I ate"], "unknown word 'paris'; closest in the vocabulary: pasta"),
        (["trace", ""], "the sentence has no words"),
        (["trace", "--json", "In Rome"], "unknown word 'rome'"),
        (["predict", "-k", "3\n4", "In"], "invalid int value: '3\\n4'"),
        (["predict", "--nope", "In"], "unrecognized arguments: --nope"),
        (["trace", "In", "Paris", "and", "Rome,", "paris"],
         "3 unknown words: 'paris' (closest: pasta), 'and' (closest: "),
        (["predict", "-k", "0", "In"], "k must be between 1 and 29"),
        (["turnstile", "coin", "kick"], "unknown turnstile input 'kick'; the inputs are: coin, push"),
        (["turnstile"], "the following arguments are required: INPUT"),
        (["predict", "-k", "two", "In"], "invalid int value: 'two'"),
        (["dance"], "invalid choice: 'dance'"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message):
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["turnstile", "trace", "predict"])
def test_help_explains_each_command_with_an_example(command):
    result = cli(command, "--help")
    assert result.returncode == 0
    assert f"Example:\n  lstm-explainer {command} " in result.stdout


def test_top_level_help_lists_the_commands():
    out = cli("--help").stdout
    assert all(command in out for command in ("turnstile", "trace", "predict"))


def test_output_piped_into_head_ends_quietly():
    result = subprocess.run(
        f"'{SCRIPT}' trace \"In France, Mary ate her croissant but Frank did not like the wine\" | head -1",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.stdout == "[1] 'in'   x = in\n"
    assert result.stderr == ""


def test_the_run_it_yourself_page_documents_every_json_field_of_trace():
    import re

    page = (Path(__file__).resolve().parents[1] / "docs" / "run-it-yourself.md").read_text()
    documented = re.findall(r"^\| `(\w+)` \|", page, flags=re.M)
    out = json.loads(cli("trace", "--json", "In France").stdout)
    assert documented == list(out)
    step_fields = re.search(r"^\| `steps` \|(.*)$", page, flags=re.M).group(1)
    assert all(f"`{field}`" in step_fields for field in out["steps"][0])
