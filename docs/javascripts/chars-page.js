/*
 * The page "Any text" (docs/chars.md): the trained character LSTM on what the reader types.
 *
 * The page's Markdown holds the controls (labelled, disabled until the model is there) and
 * the boxes this script fills, each with its size fixed by chars.css, so nothing moves when
 * the model arrives; the status line above them says what is loading. This script loads
 * chars-model.json (the float16 weights, the units found per feature with their held-out
 * scores; lstm_explainer/sitegen/export_chars.py), then:
 *
 *   - reads the text box with the model (chars-model.js, window.lstmCharsModel), from the
 *     first character that changed, in slices of SLICE characters between which the page
 *     answers; a text longer than the model's limit is cut, with a message;
 *   - colours each character by the chosen unit (h, or tanh(c) for a cell-state unit);
 *   - for the character under the pointer or the keyboard's focus (arrow keys in the coloured
 *     text) shows the unit's i, f, g, o, c and h and the five likeliest next characters, and
 *     announces them;
 *   - "Continue" draws characters (mulberry32, seed and temperature as set) and adds them as
 *     they come;
 *   - a span selected in the coloured text (pointer, or Shift with the arrow keys) lists the
 *     hidden units on (h > threshold) at every character of it and off just before and after,
 *     then loads chars-corpus.json (held-out code with each character's on/off units) once,
 *     and lists the places where the same units are on; a match opens in context.
 *
 * Text typed by the reader only ever reaches the page as text. window.lstmChars gives the
 * page's numbers to the browser's console and to the tests.
 */
(function () {
  "use strict";

  const SCRIPT_URL = document.currentScript ? document.currentScript.src : null;
  const MODEL_URL = SCRIPT_URL && new URL("chars-model.json", SCRIPT_URL).href;
  const CORPUS_URL = SCRIPT_URL && new URL("chars-corpus.json", SCRIPT_URL).href;
  const Lib = window.lstmCharsModel;
  // Characters read between two chances for the page to answer (about 50 ms of work on
  // this site's 2-core machine: a 20,000-character paste is read in slices, the page answering between).
  const SLICE = 2000;
  // Matches listed, and characters of context shown around a match.
  const MATCHES = 10;
  const CONTEXT = 160;
  const SNIPPET = 24;

  const $ = (id) => document.getElementById(id);
  const app = $("chars-app");
  if (!app) return;
  const box = $("cx-input");
  const status = $("cx-status");
  const note = $("cx-note");
  const unitSelect = $("cx-unit");
  const textView = $("cx-text");
  const detail = $("cx-detail");
  const announce = $("cx-announce");
  const temperature = $("cx-temperature");
  const temperatureValue = $("cx-temperature-value");
  const seedBox = $("cx-seed");
  const countBox = $("cx-count");
  const continueButton = $("cx-continue");
  const sampleStatus = $("cx-sample-status");
  const matchPanel = $("cx-match");
  const contextView = $("cx-context");

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }
  const fixed = (x, digits) => (Object.is(x, -0) ? 0 : x).toFixed(digits === undefined ? 3 : digits);
  const shown = (ch) => (ch === "\n" ? "↵" : ch === " " ? "␣" : ch);

  // --- state --------------------------------------------------------------------------
  let model = null;
  let data = null;
  let H = 0;
  let cap = 0;
  const doc = { chars: [], indices: new Int32Array(0), C: null, Hs: null, done: 0, spans: [] };
  let unit = { kind: "c", index: 0 };
  let current = -1; // the character shown in detail
  let selection = null; // [first, last] inclusive
  let anchor = -1;
  let job = 0; // generation of the reading in progress
  let idleWaiters = [];
  let sampling = null;
  let corpus = null;
  let corpusLoading = null;
  let pending = false; // an edit of the box waits for the next frame

  function whenIdle() {
    return doc.done === doc.chars.length && !sampling && !pending ? Promise.resolve() : new Promise((done) => idleWaiters.push(done));
  }
  function settle() {
    if (doc.done === doc.chars.length && !sampling && !pending) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((done) => done());
    }
  }

  // --- colours ---------------------------------------------------------------------------
  function valueAt(t) {
    const v = unit.kind === "c" ? doc.C[t * H + unit.index] : doc.Hs[t * H + unit.index];
    return v;
  }
  function shade(t) {
    const v = unit.kind === "c" ? Math.tanh(valueAt(t)) : valueAt(t);
    const level = Math.min(5, Math.round(Math.abs(v) * 5));
    return level === 0 ? "" : (v > 0 ? "cx-p" : "cx-n") + level;
  }
  function classOf(t) {
    let name = shade(t);
    if (selection && t >= selection[0] && t <= selection[1]) name += " cx-sel";
    if (t === current) name += " cx-cur";
    return name;
  }
  function recolour() {
    const spans = doc.spans;
    for (let t = 0; t < doc.done; t++) spans[t].className = classOf(t);
  }

  // --- reading the text ------------------------------------------------------------------
  function setText(text) {
    let { chars, indices } = model.encode(text);
    if (chars.length > cap) {
      chars = chars.slice(0, cap);
      indices = indices.slice(0, cap);
      box.value = chars.join("");
      note.textContent = `The page reads at most ${cap.toLocaleString("en")} characters: the text was cut there.`;
    } else {
      note.textContent = "";
    }
    let unknown = 0;
    for (let t = 0; t < indices.length; t++) if (indices[t] === model.other && chars[t] !== data.other) unknown += 1;
    if (unknown) {
      note.textContent += (note.textContent ? " " : "") +
        `${unknown.toLocaleString("en")} character${unknown === 1 ? " is" : "s are"} outside the model's ${model.V} symbols ` +
        `(newline and printable ASCII) and read as ${data.other}, its "other" symbol.`;
    }
    // the first character that changed: everything before it is kept
    let same = 0;
    const n = Math.min(doc.done, indices.length);
    while (same < n && doc.indices[same] === indices[same]) same += 1;
    doc.chars = chars;
    doc.indices.set(indices);
    doc.done = same;
    const removed = doc.spans.splice(same);
    if (removed.length) {
      // one range, not one removal per span: a long paste replaces thousands of them
      const range = document.createRange();
      range.setStartBefore(removed[0]);
      range.setEndAfter(removed[removed.length - 1]);
      range.deleteContents();
    }
    if (selection && selection[1] >= same) clearSelection(false);
    if (current >= indices.length) current = -1;
    job += 1;
    readSlices(job);
  }

  function readSlices(generation) {
    if (generation !== job) return;
    const end = Math.min(doc.done + SLICE, doc.chars.length);
    model.run(doc.indices, doc.done, end, doc.C, doc.Hs);
    const fragment = document.createDocumentFragment();
    for (let t = doc.done; t < end; t++) {
      const span = document.createElement("span");
      span.textContent = doc.chars[t];
      span._cx = t;
      doc.spans.push(span);
      fragment.append(span);
    }
    const from = doc.done;
    doc.done = end;
    for (let t = from; t < end; t++) doc.spans[t].className = classOf(t);  // before the spans join the page
    textView.append(fragment);
    if (doc.done < doc.chars.length) setTimeout(() => readSlices(generation), 0);
    else {
      if (current < 0 && doc.done) showDetail(0, false);
      else if (current >= 0) showDetail(current, false);
      settle();
    }
  }

  // --- one character in detail -----------------------------------------------------------
  function top(t) {
    const p = Lib.softmax(model.logits(doc.Hs, t * H), 1);
    const order = Array.from(p.keys()).sort((a, b) => p[b] - p[a] || a - b).slice(0, data.limits.top);
    return order.map((k) => [model.vocab[k], p[k]]);
  }
  function unitName() {
    return unit.kind + unit.index;
  }
  function describe(t) {
    const gates = model.gatesAt(doc.indices, t, doc.C, doc.Hs);
    const j = unit.index;
    return {
      t,
      char: doc.chars[t],
      read: model.vocab[doc.indices[t]],
      unit: unitName(),
      i: gates.i[j], f: gates.f[j], g: gates.g[j], o: gates.o[j],
      c: doc.C[t * H + j], h: doc.Hs[t * H + j],
      next: top(t),
    };
  }
  function showDetail(t, speak) {
    if (t < 0 || t >= doc.done) return;
    const previous = current;
    current = t;
    if (previous >= 0 && previous < doc.done) doc.spans[previous].className = classOf(previous);
    doc.spans[t].className = classOf(t);
    const d = describe(t);
    const cells = ["i", "f", "g", "o", "c", "h"].map((name) =>
      el("td", { "data-name": name, "data-value": String(d[name]) }, [fixed(d[name])]));
    const heads = ["i", "f", "g", "o", "c", "h"].map((name) => el("th", { scope: "col" }, [name]));
    const read = d.read !== d.char ? ` (read as ${d.read})` : "";
    detail.replaceChildren(
      el("p", { class: "cx-where" }, [
        el("span", {}, [`Character ${(t + 1).toLocaleString("en")} of ${doc.chars.length.toLocaleString("en")}: `]),
        el("code", {}, [shown(d.char)]),
        read + `, unit ${d.unit}`,
      ]),
      el("table", { class: "cx-gates" }, [
        el("caption", {}, [`Unit ${d.unit} after this character`]),
        el("thead", {}, [el("tr", {}, heads)]),
        el("tbody", {}, [el("tr", {}, cells)]),
      ]),
      el("p", { class: "cx-next" }, [
        "Likeliest next: ",
        ...d.next.flatMap(([ch, p], k) => [
          k ? ", " : "",
          el("code", { "data-char": ch, "data-value": String(p) }, [shown(ch)]),
          " " + fixed(p),
        ]),
      ]),
    );
    if (speak) {
      announce.textContent = `${shown(d.char)}${read}, ${t + 1} of ${doc.chars.length}. ${d.unit}: ` +
        `i ${fixed(d.i, 2)}, f ${fixed(d.f, 2)}, g ${fixed(d.g, 2)}, o ${fixed(d.o, 2)}, c ${fixed(d.c, 2)}, h ${fixed(d.h, 2)}. ` +
        `Next: ${d.next.map(([ch, p]) => `${shown(ch)} ${fixed(p, 2)}`).join(", ")}.`;
    }
  }

  function spanIndex(node) {
    while (node && node !== textView) {
      if (node._cx !== undefined) return node._cx;
      node = node.parentNode;
    }
    return -1;
  }

  textView.addEventListener("mouseover", (event) => {
    const t = spanIndex(event.target);
    if (t >= 0 && t !== current) showDetail(t, false);
  });
  textView.addEventListener("keydown", (event) => {
    if (!doc.done) return;
    let t = current < 0 ? 0 : current;
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 };
    if (event.key in moves) {
      if (event.key === "ArrowUp" || event.key === "ArrowDown") t = lineMove(t, moves[event.key]);
      else t = Math.max(0, Math.min(doc.done - 1, t + moves[event.key]));
    } else if (event.key === "Home") t = 0;
    else if (event.key === "End") t = doc.done - 1;
    else if (event.key === "Escape") {
      clearSelection(true);
      return;
    } else return;
    event.preventDefault();
    if (event.shiftKey) {
      if (anchor < 0) anchor = current < 0 ? t : current;
      showDetail(t, true);
      select(Math.min(anchor, t), Math.max(anchor, t));
    } else {
      anchor = -1;
      showDetail(t, true);
    }
    doc.spans[t].scrollIntoView({ block: "nearest" });
  });
  textView.addEventListener("focus", () => {
    if (doc.done && current >= 0) showDetail(current, true);
  });
  // the same column on the previous or next line
  function lineMove(t, direction) {
    const chars = doc.chars;
    let start = t;
    while (start > 0 && chars[start - 1] !== "\n") start -= 1;
    const column = t - start;
    if (direction < 0) {
      if (start === 0) return t;
      let previous = start - 1;
      while (previous > 0 && chars[previous - 1] !== "\n") previous -= 1;
      return Math.min(previous + column, start - 1);
    }
    let end = t;
    while (end < doc.done - 1 && chars[end] !== "\n") end += 1;
    if (end >= doc.done - 1) return t;
    let stop = end + 1;
    while (stop < doc.done - 1 && chars[stop] !== "\n") stop += 1;
    return Math.min(end + 1 + column, stop);
  }
  textView.addEventListener("mouseup", () => {
    const range = window.getSelection();
    if (!range || range.isCollapsed || !range.rangeCount) return;
    const r = range.getRangeAt(0);
    if (!textView.contains(r.startContainer) || !textView.contains(r.endContainer)) return;
    const boundary = (container, offset, isEnd) => {
      if (container === textView) return isEnd ? offset - 1 : offset;
      const t = spanIndex(container);
      if (t < 0) return -1;
      if (isEnd) return offset === 0 ? t - 1 : t;
      return offset >= (container.textContent || "").length && container.nodeType === 3 ? t + 1 : t;
    };
    const first = boundary(r.startContainer, r.startOffset, false);
    const last = boundary(r.endContainer, r.endOffset, true);
    if (first >= 0 && last >= first && last < doc.done) select(first, last);
  });

  // --- units --------------------------------------------------------------------------
  function fillUnits() {
    const found = el("optgroup", { label: "Units found per feature (held-out score)" });
    data.units.forEach((u) => {
      const score = u.measure === "AUC" ? `AUC ${fixed(u.held_out, 2)}` : `|r| ${fixed(Math.abs(u.held_out), 2)}`;
      found.append(el("option", { value: `${u.kind}${u.index}` }, [`${u.unit}: ${u.label} (${u.direction} inside; ${score})`]));
    });
    const cells = el("optgroup", { label: "Any cell-state unit" });
    const hidden = el("optgroup", { label: "Any hidden unit" });
    for (let j = 0; j < H; j++) {
      cells.append(el("option", { value: `c${j}` }, [`c${j}`]));
      hidden.append(el("option", { value: `h${j}` }, [`h${j}`]));
    }
    unitSelect.replaceChildren(found, cells, hidden);
    unitSelect.selectedIndex = 0;
    chooseUnit(unitSelect.value);
  }
  function chooseUnit(value) {
    unit = { kind: value[0], index: Number(value.slice(1)) };
    recolour();
    if (current >= 0) showDetail(current, false);
  }
  unitSelect.addEventListener("change", () => chooseUnit(unitSelect.value));

  // --- continue -----------------------------------------------------------------------
  function readControls() {
    const T = Number(temperature.value);
    const seed = Number(seedBox.value);
    const count = Number(countBox.value);
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= 4294967295)) return "The seed must be a whole number from 0 to 4,294,967,295.";
    if (!(Number.isInteger(count) && count >= 1 && count <= data.sample.max)) return `Characters to draw: a whole number from 1 to ${data.sample.max.toLocaleString("en")}.`;
    return { T, seed, count };
  }
  continueButton.addEventListener("click", () => {
    if (sampling) {
      sampling.stop = true;
      return;
    }
    const controls = readControls();
    if (typeof controls === "string") {
      sampleStatus.textContent = controls;
      return;
    }
    if (!doc.chars.length) {
      sampleStatus.textContent = "Type some text first: the model continues it.";
      return;
    }
    whenIdle().then(() => startSampling(controls));
  });
  function startSampling({ T, seed, count }) {
    const random = Lib.mulberry32(seed);
    sampling = { stop: false, drawn: 0, text: "" };
    continueButton.textContent = "Stop";
    sampleStatus.textContent = "Drawing…";
    const room = cap - doc.chars.length;
    const wanted = Math.min(count, room);
    const tick = () => {
      const end = Math.min(sampling.drawn + 8, wanted);
      while (!sampling.stop && sampling.drawn < end) {
        const t = doc.chars.length - 1;
        const k = Lib.choose(Lib.softmax(model.logits(doc.Hs, t * H), T), random());
        const ch = model.vocab[k];
        doc.indices[t + 1] = k; // the buffer holds the page's limit
        doc.chars.push(ch);
        model.run(doc.indices, t + 1, t + 2, doc.C, doc.Hs);
        const span = document.createElement("span");
        span.textContent = ch;
        span._cx = t + 1;
        doc.spans.push(span);
        doc.done = t + 2;
        span.className = classOf(t + 1);
        textView.append(span);
        sampling.text += ch;
        sampling.drawn += 1;
      }
      box.value += sampling.text.slice(sampling.text.length - (sampling.drawn - (sampling.shown || 0)));
      sampling.shown = sampling.drawn;
      if (!sampling.stop && sampling.drawn < wanted) {
        requestAnimationFrame(tick);
        return;
      }
      const done = sampling;
      sampling = null;
      lastSample = done.text;
      continueButton.textContent = "Continue";
      sampleStatus.textContent = `Drew ${done.drawn.toLocaleString("en")} character${done.drawn === 1 ? "" : "s"}` +
        (wanted < count ? ` (the text reached the page's limit of ${cap.toLocaleString("en")}).` : ".");
      textView.lastChild && textView.lastChild.scrollIntoView({ block: "nearest" });
      settle();
    };
    requestAnimationFrame(tick);
  }
  let lastSample = "";
  temperature.addEventListener("input", () => {
    temperatureValue.textContent = fixed(Number(temperature.value), 2);
  });

  // --- select and match ---------------------------------------------------------------
  function clearSelection(redraw) {
    const old = selection;
    selection = null;
    anchor = -1;
    if (redraw && old) for (let t = old[0]; t <= old[1] && t < doc.done; t++) doc.spans[t].className = classOf(t);
  }
  function unitsOn(first, last) {
    const theta = data.corpus.threshold;
    const on = [];
    for (let j = 0; j < H; j++) {
      let inside = true;
      for (let t = first; t <= last && inside; t++) inside = doc.Hs[t * H + j] > theta;
      if (!inside) continue;
      const before = first === 0 || doc.Hs[(first - 1) * H + j] <= theta;
      const after = last === doc.done - 1 || doc.Hs[(last + 1) * H + j] <= theta;
      on.push({ j, around: before && after });
    }
    return on;
  }
  function select(first, last) {
    const old = selection;
    selection = [first, last];
    const lo = Math.min(first, old ? old[0] : first);
    const hi = Math.max(last, old ? old[1] : last);
    for (let t = lo; t <= hi; t++) doc.spans[t].className = classOf(t);
    const on = unitsOn(first, last);
    const strict = on.filter((u) => u.around).map((u) => u.j);
    const inside = on.map((u) => u.j);
    const units = strict.length ? strict : inside;
    const span = doc.chars.slice(first, last + 1).join("");
    const quoted = span.length > 40 ? span.slice(0, 40) + "…" : span;
    const lines = [el("p", {}, [`Selected ${(last - first + 1).toLocaleString("en")} character${last > first ? "s" : ""}: `, el("code", {}, [quoted.replace(/\n/g, "↵")])])];
    if (!units.length) {
      lines.push(el("p", {}, [`No hidden unit is on (h > ${data.corpus.threshold}) at every character of the span.`]));
      matchPanel.replaceChildren(...lines);
      return;
    }
    lines.push(el("p", { class: "cx-on" }, [
      strict.length ? "Hidden units on inside the span and off just before and after it: "
        : "No unit is on inside and off around it; the units on at every character of it: ",
      units.map((j) => "h" + j).join(", "),
    ]));
    const results = el("div", { class: "cx-results", "aria-live": "polite" }, [el("p", { class: "cx-loading" }, ["Loading the held-out code to search…"])]);
    lines.push(results);
    matchPanel.replaceChildren(...lines);
    loadCorpus().then(() => {
      if (selection !== null && selection[0] === first && selection[1] === last) showMatches(results, units, last - first + 1);
    }, (error) => {
      results.replaceChildren(el("p", { class: "cx-error" }, [`The held-out code did not load: ${error.message}`]));
    });
  }
  function loadCorpus() {
    if (!corpusLoading) {
      corpusLoading = fetch(CORPUS_URL).then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      }).then((json) => {
        const chars = Array.from(json.text);
        corpus = { chars, bits: Lib.base64Bytes(json.bits), files: json.files, stride: json.hidden / 8 };
        return corpus;
      });
    }
    return corpusLoading;
  }
  function findMatches(units, length) {
    const stride = corpus.stride;
    const mask = new Uint8Array(stride);
    units.forEach((j) => { mask[j >> 3] |= 1 << (j & 7); });
    const n = corpus.chars.length;
    const runs = [];
    let start = -1;
    for (let t = 0; t <= n; t++) {
      let on = t < n;
      for (let b = 0; b < stride && on; b++) on = (corpus.bits[t * stride + b] & mask[b]) === mask[b];
      if (on && start < 0) start = t;
      else if (!on && start >= 0) {
        runs.push([start, t - 1]);
        start = -1;
      }
    }
    runs.sort((a, b) => Math.abs(a[1] - a[0] + 1 - length) - Math.abs(b[1] - b[0] + 1 - length) || a[0] - b[0]);
    return { count: runs.length, best: runs.slice(0, MATCHES) };
  }
  function fileOf(t) {
    let file = corpus.files[0];
    for (const f of corpus.files) if (f.start <= t) file = f;
    return file;
  }
  function showMatches(results, units, length) {
    const { count, best } = findMatches(units, length);
    if (!count) {
      results.replaceChildren(el("p", {}, [`These units are never all on together in the ${corpus.chars.length.toLocaleString("en")} held-out characters.`]));
      return;
    }
    const items = best.map(([a, b], k) => {
      const file = fileOf(a);
      const lo = Math.max(file.start, a - SNIPPET);
      const text = (x, y) => corpus.chars.slice(x, y).join("").replace(/\n/g, "↵");
      const button = el("button", { type: "button", class: "cx-hit", "data-start": String(a), "data-end": String(b),
        onclick: () => showContext(a, b, units) }, [
        text(lo, a), el("mark", {}, [text(a, b + 1)]), text(b + 1, Math.min(corpus.chars.length, b + 1 + SNIPPET)),
      ]);
      button.setAttribute("aria-label", `Match ${k + 1}, ${b - a + 1} characters in ${file.path}: ${text(a, b + 1)}`);
      return el("li", {}, [button]);
    });
    results.replaceChildren(
      el("p", {}, [`${count.toLocaleString("en")} place${count === 1 ? "" : "s"} in ${corpus.chars.length.toLocaleString("en")} held-out characters where these units are all on; the ${best.length} closest in length:`]),
      el("ol", { class: "cx-hits" }, items),
    );
  }
  function showContext(a, b, units) {
    const file = fileOf(a);
    const next = corpus.files.find((f) => f.start > a);
    const end = next ? next.start : corpus.chars.length;
    const lo = Math.max(file.start, a - CONTEXT);
    const hi = Math.min(end, b + 1 + CONTEXT);
    const stride = corpus.stride;
    const fragment = document.createDocumentFragment();
    for (let t = lo; t < hi; t++) {
      let on = 0;
      units.forEach((j) => { if (corpus.bits[t * stride + (j >> 3)] & (1 << (j & 7))) on += 1; });
      const level = Math.round((5 * on) / units.length);
      const span = el("span", { class: (level ? "cx-u" + level : "") + (t >= a && t <= b ? " cx-hit-on" : "") }, [corpus.chars[t]]);
      fragment.append(span);
    }
    const view = el("pre", { class: "cx-context-text", tabindex: "0", "aria-label": `Match in context, ${file.path}` });
    view.append(fragment);
    contextView.replaceChildren(
      el("p", {}, [`In ${file.path}: each character shaded by how many of the ${units.length} selected units are on (darker: more); the match is outlined.`]),
      view,
    );
    announce.textContent = `Showing the match in ${file.path}.`;
  }

  // --- start --------------------------------------------------------------------------
  box.addEventListener("input", () => {
    if (sampling) sampling.stop = true;
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      setText(box.value);
    });
  });

  const api = {};
  window.lstmChars = api;
  api.ready = fetch(MODEL_URL)
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((json) => {
      data = json;
      model = new Lib.Model(json);
      H = model.H;
      cap = json.limits.chars;
      doc.C = new Float64Array(cap * H);
      doc.Hs = new Float64Array(cap * H);
      doc.indices = new Int32Array(cap);
      temperature.min = String(json.sample.min_temperature);
      temperature.max = String(json.sample.max_temperature);
      temperature.step = String(json.sample.step);
      temperature.value = String(json.sample.temperature);
      temperatureValue.textContent = fixed(json.sample.temperature, 2);
      seedBox.value = String(json.sample.seed);
      countBox.max = String(json.sample.max);
      countBox.value = String(json.sample.count);
      fillUnits();
      [box, unitSelect, temperature, seedBox, countBox, continueButton].forEach((control) => { control.disabled = false; });
      const bits = json.bits_per_character;
      status.textContent = `Model ready: ${H} units, weights in half precision (on ${json.corpus.chars.toLocaleString("en")} held-out characters, ` +
        `${fixed(bits.float16, 4)} bits per character against ${fixed(bits.float32, 4)} with the full weights). It runs in this page; nothing is sent anywhere.`;
      app.dataset.state = "ready";
      setText(box.value);
      return whenIdle();
    })
    .catch((error) => {
      status.textContent = `The model did not load (${error.message}). Reload the page to try again.`;
      app.dataset.state = "error";
      throw error;
    });
  api.ready.catch(() => {});

  // The page's numbers, for the console and the tests.
  api.idle = () => whenIdle();
  api.model = () => model;
  api.data = () => data;
  api.current = () => ({
    chars: doc.chars.slice(0, doc.done),
    c: Array.from(doc.C.subarray(0, doc.done * H)),
    h: Array.from(doc.Hs.subarray(0, doc.done * H)),
  });
  api.probs = (t) => Array.from(Lib.softmax(model.logits(doc.Hs, t * H), 1));
  api.detail = (t) => describe(t);
  api.lastSample = () => lastSample;
  api.select = (first, last) => select(first, last);
  api.corpus = () => loadCorpus().then(() => corpus.chars.length);
})();
