"""The ``lstm-explainer`` command line: run the worked examples and print what the cells do.

``turnstile`` steps the two-coin turnstile RNN (or the explainer's counter), ``trace`` walks
a sentence through the France LSTM gate by gate, ``predict`` lists the likeliest next words,
``chars`` reads Python code with the character LSTM trained on the standard library: the units
found to track brackets, strings, comments, indentation and column, and the next-character
guesses (or samples from it, seeded, with ``--sample``).
Bad input exits with status 2 and one line on standard error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__
from .checks import InputError

PROG = "lstm-explainer"

TRACE_JSON = """

With --json, one object:
  sentence  the sentence as given
  tokens    its words, lower-cased, punctuation dropped (T of them)
  units     the names of the cell's 16 units, in the order of every per-unit list below
  inputs    the names of the input features (the columns of x)
  steps     one object per token: token; x (the word's input features, in the order of
            inputs); i, f, g, o (gates and candidate), c (cell state), h (hidden state),
            each a list over units; next ([word, probability] pairs, likeliest first, k of them)"""

CHARS_JSON = """

With --json, one object:
  text      the text as given
  chars     its characters, one by one (T of them)
  units     one object per feature: feature, label, unit (cN: cell-state unit N, hN: hidden
            unit N, from 0), direction ("high": the unit is high where the feature holds or
            rises with it; "low": the reverse) and values (the unit along the text, one number
            per character)
  next      per character, [character, probability] pairs for the next one, likeliest first
With --sample N, instead: text, temperature, seed and sample (the N characters drawn)."""

PREDICT_JSON = """

With --json, one object:
  prefix    the prefix as given (words joined by spaces)
  next      [word, probability] pairs, likeliest first"""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line and exit with status 2."""

    def error(self, message):
        message = message.replace("\n", "\\n")  # an argument with a newline stays on one line
        raise InputError(f"{message} (see '{self.prog} --help').")


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"


def turnstile_command(args) -> str:
    """``lstm-explainer turnstile``: the turnstile RNN (or the counter), step by step."""
    from . import turnstile

    steps = turnstile.run(args.inputs, counter=args.counter)
    if args.json:
        return json.dumps({"model": "counter" if args.counter else "turnstile", "steps": steps})
    units = "coins, walked" if args.counter else ", ".join(turnstile.UNITS)
    hs = ["[" + ", ".join(_fmt(v) for v in step["h"]) + "]" for step in steps]
    width = max(len(h) for h in hs)
    header = f"{'step':>4}  {'input':<5}  {'h':<{width}}"
    lines = [f"h = [{units}]", header if args.counter else f"{header}  coins  passes  walk"]
    for t, (step, h) in enumerate(zip(steps, hs), 1):
        line = f"{t:>4}  {step['input']:<5}  {h:<{width}}"
        if not args.counter:
            line += f"  {step['coins']:>5}  {step['passes']:>6}  {'WALK' if step['walk'] else '-':>4}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def trace_command(args) -> str:
    """``lstm-explainer trace``: a sentence through the France LSTM, every gate of every unit."""
    from .france import FranceLSTM

    model = FranceLSTM()
    sentence = " ".join(args.sentence)
    result = model.trace(sentence)
    cell = result.cell
    if args.json:
        steps = [
            {
                "token": token,
                "x": cell.x[t].tolist(),
                **{name: getattr(cell, name)[t].tolist() for name in ("i", "f", "g", "o", "c", "h")},
                "next": [[w, p] for w, p in result.top(t, args.k)],
            }
            for t, token in enumerate(result.tokens)
        ]
        return json.dumps(
            {
                "sentence": sentence,
                "tokens": result.tokens,
                "units": list(model.units),
                "inputs": list(model.inputs),
                "steps": steps,
            }
        )
    width = max(map(len, model.units))
    lines = []
    for t, token in enumerate(result.tokens):
        active = [name for name, v in zip(model.inputs, cell.x[t]) if v]
        lines.append(f"[{t + 1}] {token!r}   x = {' + '.join(active)}")
        lines.append(f"  {'unit':<{width}}" + "".join(f"{name:>8}" for name in "ifgoch"))
        for u, unit in enumerate(model.units):
            values = (getattr(cell, name)[t, u] for name in "ifgoch")
            lines.append(f"  {unit:<{width}}" + "".join(f"{v:8.3f}" for v in values))
        lines.append("  next: " + ", ".join(f"{w} {p:.3f}" for w, p in result.top(t, args.k)))
        lines.append("")
    return "\n".join(lines).rstrip()


def predict_command(args) -> str:
    """``lstm-explainer predict``: the likeliest next words after a prefix."""
    from .france import FranceLSTM

    prefix = " ".join(args.prefix)
    guesses = FranceLSTM().predict(prefix, args.k)
    if args.json:
        return json.dumps({"prefix": prefix, "next": [[w, p] for w, p in guesses]})
    width = max(len(w) for w, _ in guesses)
    return "\n".join(f"{w:<{width}}  {p:.3f}" for w, p in guesses)


def _shown(ch: str) -> str:
    """A character as a table cell: a newline as \\n, a space as a middle dot."""
    return {"\n": "\\n", " ": "\u00b7"}.get(ch, ch)


def chars_command(args) -> str:
    """``lstm-explainer chars``: the character LSTM along a text, or samples after it."""
    from .experiments import char_units

    text = " ".join(args.text)
    if args.sample is not None:
        char_units.check_sample(text, args.sample, args.temperature, args.seed)  # before loading the model
        drawn = char_units.sample(char_units.exported_state(), text, args.sample, args.temperature, args.seed)
        if args.json:
            return json.dumps({"text": text, "temperature": args.temperature, "seed": args.seed, "sample": drawn})
        return text + drawn
    char_units.check_text(text, args.k)
    result = char_units.trace(text, k=args.k)
    if args.json:
        return json.dumps({"text": text, **result})
    units = result["units"]
    heads = [f"{u['feature']} ({u['unit']} {u['direction']})" for u in units]
    widths = [max(len(h), 6) for h in heads]
    lines = ["  ".join(["char"] + [h.rjust(w) for h, w in zip(heads, widths)] + ["next"])]
    for t, ch in enumerate(result["chars"]):
        values = [f"{u['values'][t]:.3f}".rjust(w) for u, w in zip(units, widths)]
        guesses = ", ".join(f"{_shown(c)} {p:.3f}" for c, p in result["next"][t])
        lines.append("  ".join([_shown(ch).ljust(4)] + values + [guesses]))
    return "\n".join(lines)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text!r}") from None
    if not (value > 0 and value < float("inf")):
        raise argparse.ArgumentTypeError(f"must be a positive number; got {text!r}")
    return value


def parser() -> argparse.ArgumentParser:
    top = _Parser(
        prog=PROG,
        description="Run the worked examples of the LSTM explainer: real cells, every number computed.",
        epilog=f"Examples:\n  {PROG} turnstile coin coin push\n  {PROG} trace \"In France, Mary ate her croissant\"\n"
        f"  {PROG} predict -k 3 \"In Italy, I ate\"\n  {PROG} chars \"def f(x):\"",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    top.add_argument("--version", action="version", version=f"{PROG} {__version__}")

    def command(name, func, help, example, json_fields=""):
        sub = commands.add_parser(
            name, help=help, description=help, epilog=f"Example:\n  {PROG} {name} {example}{json_fields}",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )  # fmt: skip
        sub.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
        sub.set_defaults(func=func)
        return sub

    sub = command(
        "turnstile", turnstile_command,
        "Step the two-coin turnstile RNN through inputs: hidden state, coins, passes, walk.",
        "coin coin coin push push",
    )  # fmt: skip
    sub.add_argument("--counter", action="store_true", help="use the explainer's counter RNN (W = I, no bias)")
    sub.add_argument("inputs", nargs="+", metavar="INPUT", help="coin or push")

    sub = command(
        "trace", trace_command,
        "Walk a sentence through the France LSTM: input features, gates i f g o, cell c, "
        "hidden h per named unit, and the likeliest next words.",
        "In France, Mary ate her croissant but Frank did not like the wine.", TRACE_JSON,
    )  # fmt: skip
    sub.add_argument("-k", type=int, default=3, help="how many next words to show per token (default 3)")
    sub.add_argument("sentence", nargs="+", metavar="WORD",
                     help="the sentence, quoted or as separate words, in the model's vocabulary; case is ignored, "
                          "and , . ; : ! ? separate words like spaces")  # fmt: skip

    sub = command(
        "chars", chars_command,
        "Read Python code with the character LSTM trained on the standard library: the units found to "
        "track brackets, strings, comments, indentation and column along the text, and the likeliest next "
        "characters; with --sample N, N characters drawn after the text instead.",
        '"def f(x):"', CHARS_JSON,
    )  # fmt: skip
    sub.add_argument("-k", type=int, default=3, help="how many next characters to show per character (default 3)")
    sub.add_argument("--sample", type=int, metavar="N", help="draw N characters after the text (1 to 2000)")
    sub.add_argument("--temperature", type=_positive_float, default=1.0, metavar="T",
                     help="divide the scores by T before sampling (default 1; lower is more cautious)")  # fmt: skip
    sub.add_argument("--seed", type=int, default=0, metavar="S", help="seed of the sampler (0 to 4294967295, default 0)")
    sub.add_argument("text", nargs="+", metavar="TEXT", help="the code, quoted (at most 2000 characters)")

    sub = command("predict", predict_command, "The likeliest next words after a prefix.", "-k 3 In France, I ate",
                  PREDICT_JSON)  # fmt: skip
    sub.add_argument("-k", type=int, default=5, help="how many words (default 5)")
    sub.add_argument("prefix", nargs="+", metavar="WORD", help="the prefix, quoted or as separate words of the model's vocabulary")
    return top


def main(argv=None) -> int:
    try:
        args = parser().parse_args(argv)
        print(args.func(args))
        return 0
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # piped into a reader that stopped early, such as head
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 1
    except OSError as error:  # e.g. the disk is full
        print(f"{PROG}: error: cannot write the output: {error.strerror}.", file=sys.stderr)
        return 1
