r"""A character n-gram model with interpolated Kneser-Ney smoothing, in NumPy, for any order.

The baseline a character-level recurrent network is measured against (Karpathy, Johnson &
Fei-Fei, "Visualizing and Understanding Recurrent Networks", 2015, compare their LSTMs with
n-gram models). Interpolated Kneser-Ney as in Chen & Goodman, "An Empirical Study of Smoothing
Techniques for Language Modeling" (1998), section 3 ("interpolated Kneser-Ney", one discount
per order): for the highest order $n$, with raw counts $c$,

$$p_n(w \mid h) = \frac{\max(c(hw) - D_n, 0)}{c(h\cdot)} + \frac{D_n\,N_{1+}(h\,\cdot)}{c(h\cdot)}\; p_{n-1}(w \mid h'),$$

where $h'$ is $h$ without its oldest character, $c(h\cdot) = \sum_w c(hw)$ and
$N_{1+}(h\,\cdot)$ is the number of distinct characters seen after $h$; every lower order
$k < n$ has the same form with the *continuation count* $c'(g) = N_{1+}(\cdot\,g)$ (the number of
distinct characters seen before the k-gram $g$) in place of $c$; the order-1 model
interpolates with the uniform distribution over the ``vocab`` symbols. A history never seen
($c(h\cdot) = 0$) hands over to the lower order entirely. The discount of each order is
$D_k = n_1 / (n_1 + 2 n_2)$, with $n_1$, $n_2$ the numbers of k-grams counted exactly once and
twice (Ney, Essen & Kneser 1994; 0.5 if there are none).

Each file is read from its own start: its text is preceded by start symbols (``vocab``), so
a k-gram never spans two files, and every character of a file but the first is scored (the
same characters the recurrent models score). The lower orders do not depend on n, so
`kneser_ney` gives every order up to the largest asked for in one pass over the counts.

K-grams get dense ids order by order: the id of the k-gram ending at position t is the rank of
the pair (its oldest symbol, the id of the (k-1)-gram ending at t) among the training text's
pairs, so every order fits an int64 and the counts are exact.

>>> import numpy as np
>>> model = KneserNey([np.array([1, 2, 1, 2, 1, 2])], order=3, vocab=3)
>>> probs = model.distribution(np.array([1, 2]))
>>> round(float(probs.sum()), 12), int(probs.argmax())
(1.0, 1)
"""

from __future__ import annotations

import numpy as np

from .checks import InputError


def kneser_ney(train: list[np.ndarray], query: list[np.ndarray], orders, vocab: int = 97,
               first: bool = False) -> dict[int, list[np.ndarray]]:  # fmt: skip
    """For each order n in ``orders``: per file of ``query``, $p_n(x_t \\mid x_{<t})$ of every character.

    The model is counted on the files ``train``; every file is a 1-D int array of symbols
    ``0 .. vocab - 1``. Position 0 of each returned array is NaN (not scored), unless ``first``
    (then it is the probability of a file's first character, after start symbols). ``InputError``
    for an order below 1 or a symbol outside the vocabulary.
    """
    orders = sorted(set(int(n) for n in orders))
    if not orders or orders[0] < 1:
        raise InputError(f"orders must be whole numbers from 1 on; got {orders}.")
    top = orders[-1]
    t_text, t_real = _padded(train, top - 1, vocab)
    q_text, q_real = _padded(query, top - 1, vocab)
    t_where, q_where = np.flatnonzero(t_real), np.flatnonzero(q_real)
    out = {}
    uniform = np.full(len(q_where), 1.0 / vocab)
    lower = uniform  # p_{k-1} with continuation counts, at the query's scored characters
    # order 0: one empty history (id 0) everywhere
    t_prev, q_prev, m_prev = np.zeros(len(t_text), np.int64), np.zeros(len(q_text), np.int64), 1
    pending = None  # order k-1 waiting for its continuation counts from order k
    for k in range(1, top + 1):
        t_ids, uniq = _ids(t_text, t_prev, m_prev, k)
        q_ids = _lookup_ids(q_text, q_prev, m_prev, k, uniq)
        counts = np.bincount(t_ids[t_where], minlength=len(uniq)).astype(np.float64)
        history = np.full(len(uniq), -1, np.int64)  # the id of each k-gram's first k - 1 symbols
        history[t_ids[t_where]] = t_prev[t_where - 1] if k > 1 else 0
        q_history = q_prev[q_where - 1] if k > 1 else np.zeros(len(q_where), np.int64)
        if pending is not None:
            # c'(g) for the (k-1)-grams g: distinct k-gram types whose last k - 1 symbols are g
            p_counts, p_history, p_ids, p_q_history, p_m = pending
            continuation = np.bincount(uniq[counts > 0] % m_prev, minlength=p_m).astype(np.float64)
            lower = _interpolate(continuation, p_history, p_ids, p_q_history, lower)
        if k in orders:
            out[k] = _interpolate(counts, history, q_ids[q_where], q_history, lower)
        pending = (counts, history, q_ids[q_where], q_history, len(uniq))
        t_prev, q_prev, m_prev = t_ids, q_ids, len(uniq)
    bounds = np.cumsum([len(f) for f in query])[:-1]
    result = {}
    for n in orders:
        pieces = np.split(out[n], bounds)
        for piece in pieces:
            if not first:
                piece[:1] = np.nan
        result[n] = pieces
    return result


class KneserNey:
    """The interpolated Kneser-Ney model of ``order`` n counted on ``files`` (int arrays of symbols ``0 .. vocab - 1``)."""

    def __init__(self, files: list[np.ndarray], order: int, vocab: int = 97):
        if order < 1:
            raise InputError(f"order must be 1 or more; got {order}.")
        self.files, self.order, self.vocab = [np.asarray(f, dtype=np.int64) for f in files], order, vocab

    def probabilities(self, files: list[np.ndarray]) -> list[np.ndarray]:
        """For each file, $p(x_t \\mid x_{<t})$ of every character (float64); position 0 is NaN (not scored)."""
        return kneser_ney(self.files, files, [self.order], self.vocab)[self.order]

    def distribution(self, context: np.ndarray) -> np.ndarray:
        """The next-character distribution (``vocab`` probabilities) after ``context``, the file so far (may be empty)."""
        context = np.asarray(context, dtype=np.int64)
        rows = [np.concatenate([context, [w]]) for w in range(self.vocab)]
        probs = kneser_ney(self.files, rows, [self.order], self.vocab, first=True)[self.order]
        return np.array([piece[-1] for piece in probs])


def _padded(files: list[np.ndarray], pad: int, vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """The files joined, each preceded by ``pad`` start symbols (``vocab``); and a mask of the real characters."""
    pieces, real = [], []
    for f in files:
        f = np.asarray(f, dtype=np.int64)
        if f.size and (f.min() < 0 or f.max() >= vocab):
            raise InputError(f"symbols must be from 0 to {vocab - 1}; got {int(f.min())} .. {int(f.max())}.")
        pieces += [np.full(pad, vocab, np.int64), f]
        real += [np.zeros(pad, bool), np.ones(len(f), bool)]
    if not pieces:
        return np.zeros(0, np.int64), np.zeros(0, bool)
    return np.concatenate(pieces), np.concatenate(real)


def _ids(text: np.ndarray, prev: np.ndarray, m_prev: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Dense ids of the k-grams ending at each position (-1 where none fits) and the sorted pair codes."""
    codes = _pair_codes(text, prev, m_prev, k)
    valid = codes >= 0
    uniq, inverse = np.unique(codes[valid], return_inverse=True)
    ids = np.full(len(text), -1, np.int64)
    ids[valid] = inverse
    return ids, uniq


def _lookup_ids(text: np.ndarray, prev: np.ndarray, m_prev: int, k: int, uniq: np.ndarray) -> np.ndarray:
    """The training ids of the query's k-grams; -1 for a k-gram the training text does not have."""
    codes = _pair_codes(text, prev, m_prev, k)
    at = np.minimum(np.searchsorted(uniq, codes), max(len(uniq) - 1, 0))
    found = (codes >= 0) & (uniq[at] == codes) if len(uniq) else np.zeros(len(codes), bool)
    return np.where(found, at, -1)


def _pair_codes(text: np.ndarray, prev: np.ndarray, m_prev: int, k: int) -> np.ndarray:
    """``oldest symbol x m_prev + id of the (k-1)-gram`` for the k-gram ending at each position; -1 where none."""
    codes = np.full(len(text), -1, np.int64)
    if len(text) >= k:
        oldest = text[: len(text) - k + 1]
        rest = prev[k - 1 :]
        codes[k - 1 :] = np.where(rest >= 0, oldest * m_prev + rest, -1)
    return codes


def _interpolate(counts, history, q_ids, q_history, lower) -> np.ndarray:
    """One order of the recursion at the query's characters (counts raw or continuation, per k-gram id)."""
    present = counts > 0
    m_hist = int(history.max()) + 1 if present.any() else 1
    c_h = np.bincount(history[present], weights=counts[present], minlength=m_hist)
    n_h = np.bincount(history[present], minlength=m_hist).astype(np.float64)
    n1, n2 = (counts == 1).sum(), (counts == 2).sum()
    # D = n1 / (n1 + 2 n2); 0.5 if no k-gram is counted once or twice
    discount = n1 / (n1 + 2 * n2) if n1 + n2 else 0.5
    c_hw = np.where(q_ids >= 0, counts[np.maximum(q_ids, 0)], 0.0)
    known = (q_history >= 0) & (q_history < m_hist)
    at = np.where(known, q_history, 0)
    ch = np.where(known, c_h[at], 0.0)
    nh = np.where(known, n_h[at], 0.0)
    seen = ch > 0
    safe = np.where(seen, ch, 1.0)
    # p_k = max(c(hw) - D, 0) / c(h.) + D N1+(h.) / c(h.) p_{k-1}; an unseen history hands over
    p = np.maximum(c_hw - discount, 0.0) / safe + discount * nh / safe * lower
    return np.where(seen, p, lower)
