"""What each character of Python source is inside of: the ground truth the character model's units are measured against.

For a text of T characters, `features` returns one array of length T per feature, each the
state *after reading* that character (what a left-to-right reader such as an LSTM could know
at that step):

* ``in_brackets`` (0/1): at least one ``(``, ``[`` or ``{`` is open; the opening bracket
  itself counts as inside, the closing one that empties the stack as outside;
* ``bracket_depth`` (0, 1, 2, ...): how many brackets are open;
* ``in_string`` (0/1): inside a string literal, from its first quote character up to (not
  including) its last character, so prefixes such as ``f`` or ``rb`` are outside and so is
  the closing quote;
* ``in_comment`` (0/1): from ``#`` up to (not including) the end of the line;
* ``indent`` (0, 1, ...): the leading spaces of the current line read so far (a tab counts as
  one character; the corpus has none);
* ``column`` (1, 2, ...): characters read on the current line, the newline included (the
  paper's "line length"), so a newline has the column of the line it ends and the next
  character starts again at 1.

Strings, comments and brackets come from Python's `tokenize` module (STRING, COMMENT and OP
tokens; brackets inside strings and comments do not count; Python 3.11's `tokenize`, which the
project pins, gives an f-string as one STRING token, so brackets in its replacement fields do
not count either). For a text `tokenize` rejects
(unterminated brackets or strings, bad indentation, a cut-off file) they come from
`scan`, a plain left-to-right scanner of quotes, ``#`` and brackets, which agrees with
`tokenize` on ordinary code (``tests/test_char_features.py`` checks). Indentation and column
come from plain counting either way. The features follow Karpathy, Johnson & Fei-Fei,
"Visualizing and Understanding Recurrent Networks" (2015), whose cells track "line lengths,
quotes and brackets".

>>> f = features('x = f(a, "b)")  # c\\n')
>>> ''.join(map(str, f["in_brackets"]))
'00000111111110000000'
>>> ''.join(map(str, f["in_string"])), ''.join(map(str, f["in_comment"]))
('00000000011100000000', '00000000000000001110')
"""

from __future__ import annotations

import io
import tokenize

import numpy as np

from .checks import InputError

BINARY = ("in_brackets", "in_string", "in_comment")
"""Features that are 0 or 1 (measured with AUC)."""

GRADED = ("bracket_depth", "indent", "column")
"""Features that count (measured with a correlation)."""

FEATURES = ("in_brackets", "bracket_depth", "in_string", "in_comment", "indent", "column")
"""Every feature, in the order the site lists them."""

LABELS = {
    "in_brackets": "inside brackets",
    "bracket_depth": "bracket depth",
    "in_string": "inside a string",
    "in_comment": "inside a comment",
    "indent": "indentation",
    "column": "column (line length so far)",
}
"""Each feature in words."""

OPENING, CLOSING = "([{", ")]}"

_PREFIX = set("rRbBuUfF")


def _line_starts(text: str) -> list[int]:
    """Offset of the first character of each line (lines end with ``\\n`` only, like `io.StringIO`)."""
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _spans_from_tokenize(text: str) -> tuple[list, list, list] | None:
    """(string spans, comment spans, bracket characters) from `tokenize`, or ``None`` if it rejects the text.

    A span is ``(start, end)`` in character offsets; a bracket is ``(offset, character)``.
    """
    starts = _line_starts(text)
    strings, comments, brackets = [], [], []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in (tokenize.STRING, tokenize.COMMENT, tokenize.OP):
                continue
            (row, col), (end_row, end_col) = token.start, token.end
            start, end = starts[row - 1] + col, starts[end_row - 1] + end_col
            if token.type == tokenize.STRING:
                strings.append((start, end))
            elif token.type == tokenize.COMMENT:
                comments.append((start, end))
            elif token.string in OPENING or token.string in CLOSING:
                brackets.append((start, token.string))
    except (tokenize.TokenError, SyntaxError):  # IndentationError is a SyntaxError
        return None
    return strings, comments, brackets


def scan(text: str) -> tuple[list, list, list]:
    """(string spans, comment spans, bracket characters) by plain scanning, for any text.

    Quotes ``'``, ``"``, ``'''`` and ``\"\"\"`` with an optional prefix of ``rRbBuUfF`` letters,
    backslash escapes (kept in raw strings too, as Python does for the quote), a one-quote
    string ending at the end of its line when unterminated, a triple-quoted one at the end of
    the text; ``#`` outside strings starts a comment to the end of the line. Spans are
    ``(start, end)`` offsets with the prefix included, like `tokenize`'s.
    """
    strings, comments, brackets = [], [], []
    k, n = 0, len(text)
    while k < n:
        ch = text[k]
        if ch == "#":
            end = text.find("\n", k)
            end = n if end == -1 else end
            comments.append((k, end))
            k = end
        elif ch in "'\"":
            start = k
            # a prefix is the run of prefix letters just before the quote, if that run is a whole word
            p = k
            while p > 0 and text[p - 1] in _PREFIX and k - p < 3:
                p -= 1
            if p < k and (p == 0 or not (text[p - 1].isalnum() or text[p - 1] == "_")):
                start = p
            quote = text[k : k + 3] if text[k : k + 3] in ("'''", '"""') else ch
            k += len(quote)
            while k < n:
                if text[k] == "\\":
                    k += 2
                    continue
                if text.startswith(quote, k):
                    k += len(quote)
                    break
                if len(quote) == 1 and text[k] == "\n":
                    break  # unterminated: the line ends it
                k += 1
            k = min(k, n)
            strings.append((start, k))
        else:
            if ch in OPENING or ch in CLOSING:
                brackets.append((k, ch))
            k += 1
    return strings, comments, brackets


def _spans(text: str) -> tuple[list, list, list]:
    if not isinstance(text, str):
        raise InputError(f"the text must be a string; got {type(text).__name__}.")
    spans = _spans_from_tokenize(text)
    return spans if spans is not None else scan(text)


def bracket_pairs(text: str) -> list[tuple[int, int]]:
    """``(opening, closing)`` offsets of every matched bracket pair, in the order of the closings.

    The same brackets as the features count (outside strings and comments); a closing bracket
    matches the innermost open one, whatever its kind (as the depth counts), and an unmatched
    closing bracket is left out.
    """
    pairs, stack = [], []
    for offset, ch in sorted(_spans(text)[2]):
        if ch in OPENING:
            stack.append(offset)
        elif stack:
            pairs.append((stack.pop(), offset))
    return pairs


def features(text: str) -> dict[str, np.ndarray]:
    """Every feature of `FEATURES` for each character of ``text``: name -> int64 array of length ``len(text)``.

    `InputError` if ``text`` is not a string.
    """
    strings, comments, brackets = _spans(text)
    n = len(text)

    in_string = np.zeros(n, np.int64)
    for start, end in strings:
        quote = start
        while quote < end and text[quote] not in "'\"":
            quote += 1  # skip the prefix letters
        in_string[quote : end - 1] = 1
    in_comment = np.zeros(n, np.int64)
    for start, end in comments:
        in_comment[start:end] = 1

    # depth after each character: +1 at an opening bracket, -1 at a closing one, never below 0
    depth = np.zeros(n, np.int64)
    level, previous = 0, 0
    for offset, ch in sorted(brackets):
        depth[previous:offset] = level
        level = level + 1 if ch in OPENING else max(level - 1, 0)
        previous = offset
    depth[previous:] = level

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    # column: characters read on this line, the newline included
    line_start = np.zeros(n, np.int64)
    after_newline = np.flatnonzero(codes == ord("\n")) + 1
    after_newline = after_newline[after_newline < n]
    line_start[after_newline] = after_newline
    if n:
        line_start = np.maximum.accumulate(line_start)
    column = np.arange(n) - line_start + 1
    blank = (codes == ord(" ")) | (codes == ord("\t"))
    indent = _indent(line_start, blank)

    return {
        "in_brackets": (depth > 0).astype(np.int64),
        "bracket_depth": depth,
        "in_string": in_string,
        "in_comment": in_comment,
        "indent": indent,
        "column": column,
    }


def _indent(line_start: np.ndarray, blank: np.ndarray) -> np.ndarray:
    """Leading blanks read so far on each character's line: while only blanks were read, the
    column; from the first other character on, the count of blanks before it."""
    n = len(blank)
    indent = np.zeros(n, np.int64)
    count = 0
    in_lead = True
    for k in range(n):
        if line_start[k] == k:
            count, in_lead = 0, True
        if in_lead and blank[k]:
            count += 1
        elif in_lead:
            in_lead = False
        indent[k] = count
    return indent
