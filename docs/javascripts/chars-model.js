/*
 * The character LSTM of the page "Any text" (docs/chars.md): the arithmetic, in float64.
 *
 * The weights come from chars-model.json (lstm_explainer/sitegen/export_chars.py): the trained
 * 64-unit LSTM's arrays in PyTorch's layout (gate order i, f, g, o), rounded to float16 at
 * build time. Every step computes what lstm_explainer.cells.LSTMCell computes, in the same
 * order of operations, on float64 numbers decoded from those float16 ones, so the package's
 * char_units.CharLSTM(char_units.exported_state()) gives the same numbers up to the order of
 * float64 sums:
 *
 *   a_t = (W_ih x_t + b_ih) + W_hh h_{t-1} + b_hh      (x_t one-hot: a column of W_ih)
 *   i, f, o = sigma(a), g = tanh(a);  c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
 *   p = softmax((W_hy h_t + b_y) / T)                   (sampling.softmax)
 *
 * Sampling uses mulberry32 and the inverse-CDF draw of lstm_explainer/sampling.py, so the
 * same text, seed and temperature draw the characters `lstm-explainer chars --sample` draws.
 * Exposed as window.lstmCharsModel.
 */
(function () {
  "use strict";

  // float16 bit pattern -> its value (every pattern, once)
  let HALF = null;
  function halfTable() {
    if (HALF) return HALF;
    HALF = new Float64Array(65536);
    for (let bits = 0; bits < 65536; bits++) {
      const sign = bits & 0x8000 ? -1 : 1;
      const exponent = (bits >> 10) & 0x1f;
      const mantissa = bits & 0x3ff;
      let value;
      if (exponent === 0) value = mantissa * Math.pow(2, -24); // subnormal
      else if (exponent === 31) value = mantissa ? NaN : Infinity;
      else value = (1 + mantissa / 1024) * Math.pow(2, exponent - 15);
      HALF[bits] = sign * value;
    }
    return HALF;
  }

  function base64Bytes(text) {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let k = 0; k < binary.length; k++) out[k] = binary.charCodeAt(k);
    return out;
  }

  // cells.sigmoid: 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0, with e = exp(-|x|)
  function sigmoid(x) {
    const e = Math.exp(-Math.abs(x));
    return x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }

  // NumPy's pairwise sum of a contiguous float64 array of fewer than 128 numbers (eight
  // partial sums, combined as a tree, then the rest one by one), so the softmax's total is
  // NumPy's to the bit whenever the terms are.
  function numpySum(a, n) {
    if (n < 8) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[k];
      return s;
    }
    if (n > 128) {
      const half = (n >> 1) - ((n >> 1) % 8);
      return numpySum(a, half) + numpySum(a.subarray(half), n - half);
    }
    const r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
    let k;
    for (k = 8; k < n - (n % 8); k += 8) {
      for (let j = 0; j < 8; j++) r[j] += a[k + j];
    }
    let s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; k < n; k++) s += a[k];
    return s;
  }

  function Model(json) {
    const H = json.hidden;
    const vocab = Array.from(json.vocab);
    const V = vocab.length;
    const table = halfTable();
    const bytes = base64Bytes(json.weights);
    const view = new DataView(bytes.buffer);
    const arrays = {};
    let offset = 0;
    json.arrays.forEach((array) => {
      const n = array.shape.reduce((a, b) => a * b, 1);
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = table[view.getUint16(offset + 2 * k, true)];
      offset += 2 * n;
      arrays[array.name] = values;
    });
    if (offset !== bytes.length) throw new Error("chars-model.json: the weights do not match their shapes");
    this.H = H;
    this.V = V;
    this.vocab = vocab;
    this.other = vocab.indexOf(json.other);
    this.arrays = arrays;
    // W_ih's column of each symbol, contiguous (a one-hot input selects one column)
    const G = 4 * H;
    this.columns = new Float64Array(V * G);
    for (let r = 0; r < G; r++) for (let k = 0; k < V; k++) this.columns[k * G + r] = arrays.weight_ih[r * V + k];
    // the symbol of each code point below 128 (char_corpus._INDEX); every other is OTHER
    this.ascii = new Int32Array(128).fill(this.other);
    vocab.forEach((symbol, k) => {
      const code = symbol.codePointAt(0);
      if (code < 128 && k !== this.other) this.ascii[code] = k;
    });
    this.pre = new Float64Array(G);
    this.hLocal = new Float64Array(this.H);
  }

  // The characters of text (code points, as Python counts them) and their symbols.
  Model.prototype.encode = function (text) {
    const chars = Array.from(text);
    const indices = new Int32Array(chars.length);
    for (let t = 0; t < chars.length; t++) {
      const code = chars[t].codePointAt(0);
      indices[t] = code < 128 ? this.ascii[code] : this.other;
    }
    return { chars, indices };
  };

  // One step from (hPrev, cPrev) on symbol k: writes c and h into cOut, hOut at offset out,
  // and the gates into gates (an object of Float64Arrays i, f, g, o) if given.
  Model.prototype.step = function (k, hPrev, hAt, cPrev, cAt, hOut, cOut, out, gates) {
    const H = this.H;
    const G = 4 * H;
    const a = this.arrays;
    const W = a.weight_hh;
    const pre = this.pre;
    const columns = this.columns;
    const biasIh = a.bias_ih;
    const biasHh = a.bias_hh;
    const column = k * G;
    const h = this.hLocal;  // the previous output, copied once: the inner loop reads it G times
    for (let j = 0; j < H; j++) h[j] = hPrev[hAt + j];
    for (let r = 0; r < G; r++) {
      // (W_ih x + b_ih) + W_hh h + b_hh, in that order (cells.LSTMCell)
      let dot = 0;
      const row = r * H;
      let j = 0;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (; j + 3 < H; j += 4) {
        s0 += W[row + j] * h[j];
        s1 += W[row + j + 1] * h[j + 1];
        s2 += W[row + j + 2] * h[j + 2];
        s3 += W[row + j + 3] * h[j + 3];
      }
      dot = (s0 + s1) + (s2 + s3);
      for (; j < H; j++) dot += W[row + j] * h[j];
      pre[r] = columns[column + r] + biasIh[r] + dot + biasHh[r];
    }
    for (let u = 0; u < H; u++) {
      const i = sigmoid(pre[u]);
      const f = sigmoid(pre[H + u]);
      const g = Math.tanh(pre[2 * H + u]);
      const o = sigmoid(pre[3 * H + u]);
      const c = f * cPrev[cAt + u] + i * g;
      cOut[out + u] = c;
      hOut[out + u] = o * Math.tanh(c);
      if (gates) {
        gates.i[u] = i;
        gates.f[u] = f;
        gates.g[u] = g;
        gates.o[u] = o;
      }
    }
  };

  // Read indices[from ... to - 1], each step's c and h into C and Hs (T x H, row-major), the
  // state before `from` being row from - 1 (zeros for from = 0).
  Model.prototype.run = function (indices, from, to, C, Hs) {
    const H = this.H;
    const zeros = new Float64Array(H);
    for (let t = from; t < to; t++) {
      if (t === 0) this.step(indices[0], zeros, 0, zeros, 0, Hs, C, 0, null);
      else this.step(indices[t], Hs, (t - 1) * H, C, (t - 1) * H, Hs, C, t * H, null);
    }
  };

  // The gates at step t (recomputed from the state before it: the same numbers as the run).
  Model.prototype.gatesAt = function (indices, t, C, Hs) {
    const H = this.H;
    const gates = { i: new Float64Array(H), f: new Float64Array(H), g: new Float64Array(H), o: new Float64Array(H) };
    const c = new Float64Array(H);
    const h = new Float64Array(H);
    const zeros = new Float64Array(H);
    if (t === 0) this.step(indices[0], zeros, 0, zeros, 0, h, c, 0, gates);
    else this.step(indices[t], Hs, (t - 1) * H, C, (t - 1) * H, h, c, 0, gates);
    return gates;
  };

  // W_hy h + b_y for the hidden state at Hs[at ... at + H - 1]
  Model.prototype.logits = function (Hs, at) {
    const H = this.H;
    const W = this.arrays.readout_weight;
    const b = this.arrays.readout_bias;
    const z = new Float64Array(this.V);
    for (let v = 0; v < this.V; v++) {
      let dot = 0;
      const row = v * H;
      for (let j = 0; j < H; j++) dot += W[row + j] * Hs[at + j];
      z[v] = dot + b[v];
    }
    return z;
  };

  // sampling.softmax: exp((z - max z) / T) / sum, in float64
  function softmax(z, temperature) {
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) if (z[k] > max) max = z[k];
    const e = new Float64Array(z.length);
    for (let k = 0; k < z.length; k++) e[k] = Math.exp((z[k] - max) / temperature);
    const total = numpySum(e, e.length);
    for (let k = 0; k < z.length; k++) e[k] = e[k] / total;
    return e;
  }

  // sampling.choose: the first index whose running total exceeds u
  function choose(p, u) {
    let total = 0;
    let last = 0;
    for (let k = 0; k < p.length; k++) {
      total += p[k];
      if (p[k] > 0) last = k;
      if (total > u) return k;
    }
    return last;
  }

  // sampling.Mulberry32
  function mulberry32(seed) {
    let a = seed >>> 0;
    return function () {
      let t = (a = (a + 0x6d2b79f5) >>> 0);
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  window.lstmCharsModel = { Model, sigmoid, softmax, choose, mulberry32, numpySum, base64Bytes };
})();
