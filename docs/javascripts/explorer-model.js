/*
 * The Explorer's arithmetic: the hand-set France LSTM and the turnstile ReLU RNN, in
 * float64 JavaScript, from the weights that lstm_explainer/sitegen/export.py writes at
 * build time (javascripts/explorer-models.json). Nothing here touches the page.
 *
 * Each step is the equation of lstm_explainer/cells.py, with its operations in the same
 * order, so the numbers equal the package's to about 1e-15 (Math.tanh and Math.exp may
 * differ from NumPy's in the last bit):
 *
 *   LSTM (PyTorch's layout, gate rows i, f, g, o):
 *     pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
 *     i = sigma(pre_i), f = sigma(pre_f), g = tanh(pre_g), o = sigma(pre_o)
 *         with sigma(x) = 0.5 (1 + tanh(x / 2)), then held gates replace computed ones
 *     c_t = f * c_{t-1} + i * g
 *     h_t = o * tanh(c_t)
 *     logits_t = W_y h_t, p_t = softmax(logits_t)     (lstm_explainer/france.py)
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

  // sigma(x) = 1 / (1 + e^{-x}), written as in cells.sigmoid so it cannot overflow
  function sigmoid(x) {
    return 0.5 * (1.0 + Math.tanh(0.5 * x));
  }

  // p_k = e^{z_k - max z} / sum_j e^{z_j - max z}
  function softmax(logits) {
    var max = -Infinity;
    for (var k = 0; k < logits.length; k++) if (logits[k] > max) max = logits[k];
    var z = logits.map(function (l) { return Math.exp(l - max); });
    var sum = 0;
    for (k = 0; k < z.length; k++) sum += z[k];
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

  // difflib.get_close_matches(word, possibilities, n, cutoff): best score first, ties
  // broken by the larger word (it takes the n largest (score, word) pairs)
  function closeMatches(word, possibilities, n, cutoff) {
    n = n === undefined ? 3 : n;
    cutoff = cutoff === undefined ? 0.6 : cutoff;
    var b = codePoints(word);
    var scored = [];
    possibilities.forEach(function (x) {
      var score = ratio(codePoints(x), b);
      if (score >= cutoff) scored.push([score, x]);
    });
    scored.sort(function (p, q) {
      if (p[0] !== q[0]) return q[0] - p[0];
      return p[1] < q[1] ? 1 : p[1] > q[1] ? -1 : 0;
    });
    return scored.slice(0, n).map(function (p) { return p[1]; });
  }

  // FranceLSTM.tokenize: lower-cased words, separators dropped. Returns the tokens and,
  // instead of raising, the problems: {kind: "empty"} or {kind: "unknown", word, near}.
  function tokenize(france, sentence) {
    var tokens = String(sentence).toLowerCase().match(tokenPattern(france)) || [];
    var problems = [];
    if (!tokens.length) problems.push({ kind: "empty" });
    var seen = new Set();
    tokens.forEach(function (token) {
      if (france.vocab.indexOf(token) < 0 && !seen.has(token)) {
        seen.add(token);
        problems.push({ kind: "unknown", word: token, near: closeMatches(token, france.vocab, 3, 0.6) });
      }
    });
    return { tokens: tokens, problems: problems };
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
    tokens.forEach(function (token, t) {
      var x = w.embedding[france.vocab.indexOf(token)];
      // pre = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh, stacked in the order i, f, g, o
      var pre = add(add(add(matVec(w.weight_ih, x), w.bias_ih), matVec(w.weight_hh, h)), w.bias_hh);
      var parts = [0, 1, 2, 3].map(function (k) { return pre.slice(k * H, (k + 1) * H); });
      // i = sigma(.), f = sigma(.), g = tanh(.), o = sigma(.)
      var gates = {
        i: parts[0].map(sigmoid),
        f: parts[1].map(sigmoid),
        g: parts[2].map(Math.tanh),
        o: parts[3].map(sigmoid),
      };
      Object.keys(held).forEach(function (gate) {
        var row = held[gate][t];
        if (row) gates[gate] = gates[gate].map(function (v, u) { return row[u] === null ? v : row[u]; });
      });
      var cPrev = c;
      // c_t = f_t * c_{t-1} + i_t * g_t
      c = cPrev.map(function (cp, u) { return gates.f[u] * cp + gates.i[u] * gates.g[u]; });
      // h_t = o_t * tanh(c_t)
      h = c.map(function (cu, u) { return gates.o[u] * Math.tanh(cu); });
      // logits_t = W_y h_t; p_t = softmax(logits_t)
      var logits = matVec(w.readout, h);
      out.pre_i.push(parts[0]); out.pre_f.push(parts[1]); out.pre_g.push(parts[2]); out.pre_o.push(parts[3]);
      out.i.push(gates.i); out.f.push(gates.f); out.g.push(gates.g); out.o.push(gates.o);
      out.c.push(c); out.h.push(h);
      out.logits.push(logits); out.probs.push(softmax(logits));
    });
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
    franceWeights: franceWeights,
    heldGates: heldGates,
    runFrance: runFrance,
    topWords: topWords,
    runTurnstile: runTurnstile,
  };
});
