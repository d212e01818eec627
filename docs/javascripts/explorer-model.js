/*
 * The Explorer's arithmetic: the hand-set France LSTM and the turnstile ReLU RNN, in
 * float64 JavaScript, from the weights that lstm_explainer/sitegen/export.py writes at
 * build time (javascripts/explorer-models.json). Nothing here touches the page.
 *
 * Each step is the equation of lstm_explainer/cells.py, with its operations in the same
 * order, so the numbers equal the package's to a few units in the last place, relative
 * (Math.tanh and Math.exp may differ from NumPy's in the last bit, and NumPy's matrix
 * products may sum in another order):
 *
 *   LSTM (PyTorch's layout, gate rows i, f, g, o):
 *     pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *     i = sigma(pre_i), f = sigma(pre_f), g = tanh(pre_g), o = sigma(pre_o)
 *         then held gates replace computed ones
 *     c_t = f * c_{t-1} + i * g
 *     h_t = o * tanh(c_t)
 *     logits_t = W_y h_t, p_t = softmax(logits_t)     (lstm_explainer/france.py)
 *
 *   sigma and softmax are exact to float64 *relative* precision over the whole range, as
 *   the package's are (cells.sigmoid, france.softmax):
 *     sigma(x) = 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with e = exp(-|x|)
 *         (never overflows; sigma(-50) is 1.9e-22, not 0 as 0.5 (1 + tanh(x / 2)) gives)
 *     softmax: d_k = z_k - max z, its rounding error r_k recovered exactly (TwoSum) and
 *         put back, e_k = exp(d_k) (1 + r_k), p_k = e_k / sum_j e_j, the sum in NumPy's
 *         pairwise order
 *   ReLU RNN:
 *     h_t = max(0, W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
 *     coins, passes, walk = READOUT . h_t               (lstm_explainer/turnstile.py)
 *
 * Words are split as FranceLSTM.tokenize splits them, and an unknown word gets the
 * closest vocabulary words as difflib.get_close_matches finds them (same ratio, same
 * cut-off 0.6, same tie order).
 *
 * Loaded as a plain script it defines window.lstmExplorerModel; under node,
 * require() returns the same functions.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.lstmExplorerModel = api;
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // --- small linear algebra -----------------------------------------------------------

  // (W v)_r = sum_j W_rj v_j, summed left to right
  function matVec(W, v) {
    var out = new Array(W.length);
    for (var r = 0; r < W.length; r++) {
      var row = W[r];
      var s = 0;
      for (var j = 0; j < row.length; j++) s += row[j] * v[j];
      out[r] = s;
    }
    return out;
  }

  function add(a, b) {
    var out = new Array(a.length);
    for (var k = 0; k < a.length; k++) out[k] = a[k] + b[k];
    return out;
  }

  function zeros(n) {
    var out = new Array(n);
    for (var k = 0; k < n; k++) out[k] = 0;
    return out;
  }

  // sigma(x) = 1 / (1 + e^{-x}), as cells.sigmoid computes it: with e = e^{-|x|} <= 1 (no
  // overflow), 1 / (1 + e) for x >= 0 and e^{x} / (1 + e^{x}) = e / (1 + e) for x < 0, so no
  // result is the difference of two numbers near 1 and both tails keep their relative precision
  function sigmoid(x) {
    var e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
  }

  // NumPy's sum of a contiguous float64 vector (pairwise_sum in its loops): below 8 values left
  // to right; up to 128, eight running sums combined as ((0+1)+(2+3))+((4+5)+(6+7)), then the
  // rest left to right; above, the two halves (a multiple of 8 first) summed alike and added
  function pairwiseSum(a, lo, n) {
    var i, res;
    if (n < 8) {
      res = 0.0;
      for (i = 0; i < n; i++) res += a[lo + i];
      return res;
    }
    if (n <= 128) {
      var r = a.slice(lo, lo + 8);
      for (i = 8; i < n - (n % 8); i += 8) {
        for (var j = 0; j < 8; j++) r[j] += a[lo + i + j];
      }
      res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) res += a[lo + i];
      return res;
    }
    var half = Math.floor(n / 2);
    half -= half % 8;
    return pairwiseSum(a, lo, half) + pairwiseSum(a, lo + half, n - half);
  }

  // p_k = e^{z_k} / sum_j e^{z_j}, as france.softmax computes it: shifted by the largest logit,
  // d_k = z_k - max z <= 0, so no exp overflows; that subtraction rounds, and exp would turn its
  // absolute error into the same relative error of p_k, so its rounding error r_k is recovered
  // exactly (Knuth's TwoSum) and put back: e^{d_k + r_k} = e^{d_k} (1 + r_k) to within r_k^2
  function softmax(logits) {
    var max = -Infinity;
    // (a NaN logit makes every p NaN, as NumPy's max propagates it)
    for (var k = 0; k < logits.length; k++) if (!(logits[k] <= max)) max = logits[k];
    var minusTop = -max;
    var z = logits.map(function (a) {
      // TwoSum of a and b = -max: d = fl(a + b), and d + r = a + b exactly
      var d = a + minusTop;
      var bPart = d - a;
      var r = (a - (d - bPart)) + (minusTop - bPart);
      return Math.exp(d) * (1.0 + r);
    });
    var sum = pairwiseSum(z, 0, z.length);
    return z.map(function (e) { return e / sum; });
  }

  // --- words ---------------------------------------------------------------------------

  function codePoints(text) {
    return Array.from(text);
  }

  // One token pattern per model, cached: runs of characters that are not separators.
  var patterns = new WeakMap();

  function tokenPattern(france) {
    if (!patterns.has(france)) {
      var chars = codePoints(france.separators).map(function (ch) {
        return "\\u{" + ch.codePointAt(0).toString(16) + "}";
      });
      patterns.set(france, new RegExp("[^" + chars.join("") + "]+", "gu"));
    }
    return patterns.get(france);
  }

  // The longest common block of a[alo:ahi] and b[blo:bhi], as difflib.SequenceMatcher
  // finds it (b2j maps each element of b to its positions; popular elements are left out).
  function longestMatch(a, b, b2j, alo, ahi, blo, bhi) {
    var besti = alo, bestj = blo, bestsize = 0;
    var j2len = new Map();
    for (var i = alo; i < ahi; i++) {
      var newj2len = new Map();
      var js = b2j.get(a[i]) || [];
      for (var n = 0; n < js.length; n++) {
        var j = js[n];
        if (j < blo) continue;
        if (j >= bhi) break;
        var k = (j2len.get(j - 1) || 0) + 1;
        newj2len.set(j, k);
        if (k > bestsize) {
          besti = i - k + 1;
          bestj = j - k + 1;
          bestsize = k;
        }
      }
      j2len = newj2len;
    }
    // no junk here, so difflib's extension loops reduce to these two
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--; bestj--; bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return [besti, bestj, bestsize];
  }

  // SequenceMatcher(None, a, b).ratio(): 2 M / (len a + len b), M the matched characters
  function ratio(a, b) {
    var b2j = new Map();
    b.forEach(function (ch, j) {
      if (!b2j.has(ch)) b2j.set(ch, []);
      b2j.get(ch).push(j);
    });
    if (b.length >= 200) { // difflib's autojunk: drop elements more common than 1 % + 1
      var ntest = Math.floor(b.length / 100) + 1;
      Array.from(b2j.keys()).forEach(function (ch) {
        if (b2j.get(ch).length > ntest) b2j.delete(ch);
      });
    }
    var matches = 0;
    var queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      var q = queue.pop();
      var m = longestMatch(a, b, b2j, q[0], q[1], q[2], q[3]);
      var i = m[0], j = m[1], k = m[2];
      if (k) {
        matches += k;
        if (q[0] < i && q[2] < j) queue.push([q[0], i, q[2], j]);
        if (i + k < q[1] && j + k < q[3]) queue.push([i + k, q[1], j + k, q[3]]);
      }
    }
    var length = a.length + b.length;
    return length ? (2.0 * matches) / length : 1.0;
  }

  // SequenceMatcher.real_quick_ratio and quick_ratio: upper bounds of ratio, cheap to compute
  // (difflib checks them first, so a long or unlike word costs almost nothing)
  function realQuickRatio(la, lb) {
    var length = la + lb;
    return length ? (2.0 * Math.min(la, lb)) / length : 1.0;
  }

  function quickRatio(a, bCount, lb) {
    var avail = new Map();
    var matches = 0;
    for (var i = 0; i < a.length; i++) {
      var numb = avail.has(a[i]) ? avail.get(a[i]) : bCount.get(a[i]) || 0;
      avail.set(a[i], numb - 1);
      if (numb > 0) matches++;
    }
    var length = a.length + lb;
    return length ? (2.0 * matches) / length : 1.0;
  }

  // difflib.get_close_matches(word, possibilities, n, cutoff): the possibilities whose
  // real_quick_ratio, quick_ratio and ratio all reach the cut-off (each bounds the next, so
  // the first two only skip work), best score first, ties broken by the larger word (it takes
  // the n largest (score, word) pairs)
  function closeMatches(word, possibilities, n, cutoff) {
    n = n === undefined ? 3 : n;
    cutoff = cutoff === undefined ? 0.6 : cutoff;
    var b = codePoints(word);
    var bCount = new Map();
    b.forEach(function (ch) { bCount.set(ch, (bCount.get(ch) || 0) + 1); });
    var scored = [];
    possibilities.forEach(function (x) {
      var a = codePoints(x);
      if (realQuickRatio(a.length, b.length) < cutoff || quickRatio(a, bCount, b.length) < cutoff) return;
      var score = ratio(a, b);
      if (score >= cutoff) scored.push([score, x]);
    });
    scored.sort(function (p, q) {
      if (p[0] !== q[0]) return q[0] - p[0];
      return p[1] < q[1] ? 1 : p[1] > q[1] ? -1 : 0;
    });
    return scored.slice(0, n).map(function (p) { return p[1]; });
  }

  // FranceLSTM.tokenize: lower-cased words, separators dropped. Returns the tokens and,
  // instead of raising, the problems: {kind: "empty"} or {kind: "unknown", word, near}, one
  // per distinct unknown word in order. Options bound the work for text of any size:
  //   maxWords: read the first maxWords words only (truncated: true if there were more);
  //   maxNear: look for the closest words (near) of the first maxNear unknown words only
  //            (the others get near: null).
  function tokenize(france, sentence, options) {
    options = options || {};
    var maxWords = options.maxWords === undefined ? Infinity : options.maxWords;
    var maxNear = options.maxNear === undefined ? Infinity : options.maxNear;
    var text = String(sentence).toLowerCase();
    var pattern = tokenPattern(france);
    var tokens = [];
    var truncated = false;
    var match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      if (tokens.length === maxWords) {
        truncated = true;
        break;
      }
      tokens.push(match[0]);
    }
    pattern.lastIndex = 0;
    var problems = [];
    if (!tokens.length) problems.push({ kind: "empty" });
    var vocab = new Set(france.vocab);
    var seen = new Set();
    var named = 0;
    tokens.forEach(function (token) {
      if (!vocab.has(token) && !seen.has(token)) {
        seen.add(token);
        var near = named < maxNear ? closeMatches(token, france.vocab, 3, 0.6) : null;
        named++;
        problems.push({ kind: "unknown", word: token, near: near });
      }
    });
    return { tokens: tokens, problems: problems, truncated: truncated };
  }

  // Where the text's first n words end (the index just after the n-th word), if it has more
  // than n words; -1 if it has n or fewer. Words are split as tokenize splits them (the
  // separators are the same in upper and lower case), and the scan stops at word n + 1.
  function wordsEnd(france, text, n) {
    var pattern = tokenPattern(france);
    var count = 0, end = n === 0 ? 0 : -1, match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      count++;
      if (count === n) end = pattern.lastIndex;
      if (count > n) break;
    }
    pattern.lastIndex = 0;
    return count > n ? end : -1;
  }

  // --- the France LSTM -----------------------------------------------------------------

  // france_weights.matrices(forgetBias): the exported arrays with the bias at its positions
  function franceWeights(france, forgetBias) {
    if (typeof forgetBias !== "number" || !isFinite(forgetBias)) {
      throw new Error("forgetBias must be a finite number; got " + forgetBias + ".");
    }
    var arrays = {};
    ["embedding", "weight_ih", "weight_hh", "bias_ih", "bias_hh", "readout"].forEach(function (name) {
      arrays[name] = JSON.parse(JSON.stringify(france[name]));
    });
    var positions = france.forget_bias.positions;
    Object.keys(positions).forEach(function (name) {
      var array = arrays[name];
      positions[name].forEach(function (flat) {
        if (Array.isArray(array[0])) {
          var columns = array[0].length;
          array[Math.floor(flat / columns)][flat % columns] = forgetBias;
        } else {
          array[flat] = forgetBias;
        }
      });
    });
    return arrays;
  }

  // france.held_gates(variant, tokens): per gate, a row per token (null: as computed)
  function heldGates(france, variant, tokens) {
    var spec = france.variants[variant];
    if (!spec) {
      throw new Error("unknown variant " + variant + "; the variants are: " + Object.keys(france.variants).join(", ") + ".");
    }
    var held = {};
    Object.keys(spec.held).forEach(function (gate) {
      held[gate] = tokens.map(function (token) { return spec.held[gate][france.vocab.indexOf(token)]; });
    });
    return held;
  }

  // FranceLSTM(forget_bias).trace(tokens, variant): every gate and state at every token
  function runFrance(france, tokens, options) {
    options = options || {};
    var variant = options.variant || "standard";
    var bias = options.forgetBias === undefined ? france.forget_bias.designed : options.forgetBias;
    var w = franceWeights(france, bias);
    var held = heldGates(france, variant, tokens);
    var H = france.units.length;
    var out = { tokens: tokens.slice(), variant: variant, forgetBias: bias };
    ["pre_i", "pre_f", "pre_g", "pre_o", "i", "f", "g", "o", "c", "h", "logits", "probs"].forEach(function (name) {
      out[name] = [];
    });
    var h = zeros(H), c = zeros(H);
    var gateNames = Object.keys(held);
    for (var t = 0; t < tokens.length; t++) {
      var x = w.embedding[france.vocab.indexOf(tokens[t])];
      // pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, stacked in the order i, f, g, o
      // (each row: ((W_ih x)_r + b_ih,r) + (W_hh h)_r) + b_hh,r, the sums as matVec makes them)
      var fromX = matVec(w.weight_ih, x), fromH = matVec(w.weight_hh, h);
      var pre = new Array(4 * H);
      for (var r = 0; r < 4 * H; r++) pre[r] = ((fromX[r] + w.bias_ih[r]) + fromH[r]) + w.bias_hh[r];
      var parts = [pre.slice(0, H), pre.slice(H, 2 * H), pre.slice(2 * H, 3 * H), pre.slice(3 * H)];
      // i = sigma(.), f = sigma(.), g = tanh(.), o = sigma(.)
      var gates = { i: new Array(H), f: new Array(H), g: new Array(H), o: new Array(H) };
      for (var u = 0; u < H; u++) {
        gates.i[u] = sigmoid(parts[0][u]);
        gates.f[u] = sigmoid(parts[1][u]);
        gates.g[u] = Math.tanh(parts[2][u]);
        gates.o[u] = sigmoid(parts[3][u]);
      }
      for (var k = 0; k < gateNames.length; k++) {
        var row = held[gateNames[k]][t];
        if (!row) continue;
        var values = gates[gateNames[k]];
        for (u = 0; u < H; u++) if (row[u] !== null) values[u] = row[u];
      }
      var cPrev = c;
      c = new Array(H);
      h = new Array(H);
      for (u = 0; u < H; u++) {
        // c_t = f_t * c_{t-1} + i_t * g_t
        c[u] = gates.f[u] * cPrev[u] + gates.i[u] * gates.g[u];
        // h_t = o_t * tanh(c_t)
        h[u] = gates.o[u] * Math.tanh(c[u]);
      }
      // logits_t = W_y h_t; p_t = softmax(logits_t)
      var logits = matVec(w.readout, h);
      out.pre_i.push(parts[0]); out.pre_f.push(parts[1]); out.pre_g.push(parts[2]); out.pre_o.push(parts[3]);
      out.i.push(gates.i); out.f.push(gates.f); out.g.push(gates.g); out.o.push(gates.o);
      out.c.push(c); out.h.push(h);
      out.logits.push(logits); out.probs.push(softmax(logits));
    }
    return out;
  }

  // SentenceTrace.top(t, k): the k likeliest words, best first, ties in vocabulary order
  function topWords(france, probs, k) {
    var order = probs.map(function (p, w) { return w; });
    order.sort(function (a, b) { return probs[b] - probs[a] || a - b; });
    return order.slice(0, k).map(function (w) { return [france.vocab[w], probs[w]]; });
  }

  // --- the turnstile -------------------------------------------------------------------

  // turnstile.run(inputs): hidden state and readouts after every input
  function runTurnstile(turnstile, inputs) {
    var H = turnstile.units.length;
    var h = zeros(H);
    var out = { inputs: inputs.slice(), pre: [], h: [], readout: {}, coins: [], passes: [], walk: [] };
    Object.keys(turnstile.readout).forEach(function (name) { out.readout[name] = []; });
    inputs.forEach(function (symbol) {
      var x = turnstile.inputs[symbol];
      if (!x) throw new Error("unknown turnstile input " + symbol + "; the inputs are: " + Object.keys(turnstile.inputs).join(", ") + ".");
      // a_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
      var a = add(add(add(matVec(turnstile.weight_ih, x), turnstile.bias_ih), matVec(turnstile.weight_hh, h)), turnstile.bias_hh);
      // h_t = max(0, a_t)
      h = a.map(function (v) { return Math.max(v, 0.0); });
      out.pre.push(a);
      out.h.push(h);
      Object.keys(turnstile.readout).forEach(function (name) {
        var weights = turnstile.readout[name], s = 0;
        // READOUT[name] . h_t
        for (var u = 0; u < H; u++) s += weights[u] * h[u];
        out.readout[name].push(s);
      });
      var t = out.h.length - 1;
      out.coins.push(Math.round(out.readout.coins[t]));
      out.passes.push(Math.round(out.readout.passes[t]));
      out.walk.push(out.readout.walk[t] > 0.5);
    });
    return out;
  }

  return {
    sigmoid: sigmoid,
    softmax: softmax,
    closeMatches: closeMatches,
    tokenize: tokenize,
    wordsEnd: wordsEnd,
    franceWeights: franceWeights,
    heldGates: heldGates,
    runFrance: runFrance,
    topWords: topWords,
    runTurnstile: runTurnstile,
  };
});
