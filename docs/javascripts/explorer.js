/*
 * The Explorer page (docs/explorer.md): two hand-set models run in the reader's browser.
 *
 * The page holds <div id="lstm-explorer">, which explorer.css already sizes to what this
 * script will put in it (so nothing below it moves when it appears), with the message for
 * a browser without JavaScript in a <noscript>. This script loads the weights
 * (explorer-models.json, written at build time by lstm_explainer/sitegen/export.py, next
 * to this file), builds the controls and shows:
 *
 *   - France LSTM tab: a sentence (typed, with vocabulary suggestions, or an example),
 *     a what-if variant, a forget-gate bias, and one heatmap at a time of i, f, g, o, c,
 *     h (unit x word) or of the next-word probabilities (word x position), plus the three
 *     likeliest next words at every position;
 *   - Turnstile tab: buttons coin, push and reset, and the ReLU RNN's hidden state and
 *     readouts (coins, passes, walk) after every input.
 *
 * The arithmetic is in explorer-model.js (window.lstmExplorerModel). Every heatmap cell
 * carries its exact value in data-value; window.lstmExplorer (documented on the page)
 * gives the same numbers to the browser's console. Text typed by the reader only ever
 * reaches the page as text (textContent, Text nodes, attribute values), never as HTML.
 *
 * Input of any size: the work of every control is bounded, whatever is typed, pasted or
 * pressed. A sentence is at most MAX_STEPS words and MAX_CHARS characters (a longer text is
 * cut as it arrives, with a message saying so), the turnstile takes at most MAX_STEPS
 * inputs, a heatmap draws WINDOW columns at a time, suggestions look at the word at the
 * caret only, and only the first MAX_NAMED unknown words are matched against the vocabulary.
 */
(function () {
  "use strict";

  // The weights and the stylesheet are found next to this script, wherever the page is. Only
  // a classic <script> run as the page loads knows its own address; anything else (a module,
  // an injected copy) would look in the page's folder instead, so it fails with a clear error.
  const SCRIPT_URL = document.currentScript ? document.currentScript.src : null;
  const DATA_URL = SCRIPT_URL && new URL("explorer-models.json", SCRIPT_URL).href;
  const STYLE_URL = SCRIPT_URL && new URL("../stylesheets/explorer.css", SCRIPT_URL).href;
  const Model = window.lstmExplorerModel;
  // The one bound of every sequence the page runs: the words of a sentence, the inputs of the
  // turnstile. The model runs over the whole sequence at every change (a few milliseconds for
  // 200 steps); what costs is drawing cells, and the heatmaps draw WINDOW columns at most.
  const MAX_STEPS = 200;
  // ... and of the characters of a sentence (200 words of the vocabulary with their
  // separators take fewer than 2,600), so that one endless word is bounded too.
  const MAX_CHARS = 4000;
  // The columns a heatmap shows at once (the walkthrough's sentence has 14 words): with the CPU
  // slowed down 4 times (a phone), drawing 16 columns of p (29 rows) takes about 70 ms to the
  // next frame; all 200 at once took about 600 ms (tests/browser/test_explorer.py keeps every
  // interaction under 200 ms).
  const WINDOW = 16;
  // Unknown words named in an error, each with its closest words of the vocabulary.
  const MAX_NAMED = 5;
  // An unknown word is quoted in full up to this many characters, then cut with an ellipsis.
  const MAX_QUOTED = 40;
  const TOP_K = 3;

  const FRANCE_QUANTITIES = [
    { key: "i", label: "i", name: "input gate", kind: "gate", pre: "pre_i", fn: "σ" },
    { key: "f", label: "f", name: "forget gate", kind: "gate", pre: "pre_f", fn: "σ" },
    { key: "g", label: "g", name: "candidate", kind: "signed", pre: "pre_g", fn: "tanh" },
    { key: "o", label: "o", name: "output gate", kind: "gate", pre: "pre_o", fn: "σ" },
    { key: "c", label: "c", name: "cell state", kind: "signed" },
    { key: "h", label: "h", name: "hidden state", kind: "signed" },
    { key: "probs", label: "p", name: "next-word probability", kind: "gate" },
  ];

  // --- building the page: elements from text only, never from HTML ----------------------

  let uid = 0;
  function nextId(stem) {
    uid += 1;
    return "lx-" + stem + "-" + uid;
  }

  // el("p", {class: "x", id: "y", onclick: fn}, ["text", child]): strings become Text nodes,
  // functions event listeners (onclick -> "click"), anything else an attribute
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([name, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (name === "class") node.className = value;
      else if (typeof value === "function") node.addEventListener(name.replace(/^on/, ""), value);
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach((child) => {
      if (child !== null && child !== undefined) node.append(child);
    });
    return node;
  }

  function code(text) {
    return el("code", {}, [text]);
  }

  // a number for a heatmap cell: two decimals, a true minus sign, never "-0.00"
  function short(value) {
    const text = Math.abs(value) < 0.005 ? "0.00" : value.toFixed(2);
    return text.replace("-", "\u2212");
  }

  function long(value) {
    const text = Math.abs(value) < 5e-7 ? "0.000000" : value.toFixed(6);
    return text.replace("-", "\u2212");
  }

  function percent(p, digits) {
    return (100 * p).toFixed(digits === undefined ? 1 : digits) + "\u00a0%";
  }

  function integerOr(value) {
    return Number.isInteger(value) ? String(value) : short(value);
  }

  function quoted(word) {
    return "\u201c" + word + "\u201d";
  }

  // a word the reader typed, quoted; a very long one cut (at a whole character) with "..."
  function quotedTyped(word) {
    const characters = Array.from(word.slice(0, 2 * MAX_QUOTED));
    return quoted(characters.length > MAX_QUOTED ? characters.slice(0, MAX_QUOTED - 1).join("") + "\u2026" : word);
  }

  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  }

  // the colour class of a value: 5 shades, darkest at |value| >= scale
  function shade(value, kind, scale) {
    const level = Math.min(5, Math.round((Math.abs(value) / scale) * 5));
    if (level === 0) return "";
    if (kind === "gate") return "lx-u" + level;
    return (value > 0 ? "lx-p" : "lx-n") + level;
  }

  // --- a heatmap: a table with role=grid, one focusable cell at a time --------------------

  // spec: {caption, corner, step ("word" or "input"), columns: [text], rows: [{key, header,
  //        values, scale, kind, className, format}], describe(r, c) -> text for the readout,
  //        empty: text when there is no column, follow: true to show the last columns}
  // The readout shows the value of the cell pointed at or focused; the active cell names it
  // (aria-describedby), so a screen reader says the exact value, not only the rounded text.
  //
  // The table shows WINDOW columns at most (a sentence of 200 words would be 200 columns, too
  // many cells for a phone to draw at once): buttons above it, the arrow keys and Home/End
  // move that window, and the table says which columns it shows (aria-colcount and
  // aria-colindex, and the text beside the buttons). Columns are numbered in the whole
  // sequence everywhere (data-column, describe). The table listens for its cells (one
  // listener per event, not per cell); pointing at a cell touches that cell and the one
  // pointed at before. So no interaction draws more than WINDOW columns, whatever the length.
  function Heatmap(container, readout, hint, onWindow) {
    this.container = container;
    this.readout = readout;
    if (!readout.id) readout.id = nextId("readout");
    this.hint = hint;
    this.onWindow = onWindow || null;
    this.active = [0, 0];
    this.offset = 0; // the first column shown
    this.pointed = null;
    this.spec = null;
    this.cells = []; // the cells shown: this.cells[r][c - this.offset]
    this.shape = null;
  }

  // the columns shown, [first, end)
  Heatmap.prototype.shown = function () {
    const n = this.spec ? this.spec.columns.length : 0;
    return [this.offset, Math.min(n, this.offset + WINDOW)];
  };

  Heatmap.prototype.cell = function (r, c) {
    const row = this.cells[r];
    return row ? row[c - this.offset] || null : null;
  };

  // the [row, column] of a cell of this heatmap's table, or null
  Heatmap.prototype.where = function (target) {
    const td = target && target.closest ? target.closest("td") : null;
    if (!td || !td.hasAttribute("data-column")) return null;
    return [td.parentNode.sectionRowIndex, Number(td.getAttribute("data-column"))];
  };

  // What a table is made of, apart from its values: a new table is drawn only when this
  // changes; otherwise the cells already there take the new values (less work for the browser).
  const textOf = (item) => (typeof item === "string" ? item : item.textContent);

  function columnsOf(spec) {
    return JSON.stringify(spec.columns.map((column) => column.map(textOf)));
  }

  function shapeOf(spec, offset) {
    return JSON.stringify([
      spec.corner, offset, columnsOf(spec),
      spec.rows.map((row) => [row.key, textOf(row.header), row.className || null]),
    ]);
  }

  Heatmap.prototype.render = function (spec) {
    const n = spec.columns.length;
    const old = this.spec ? this.spec.columns.length : 0;
    // a sequence that grew (the turnstile) shows its newest columns; another one, its first
    let offset = this.offset;
    if (spec.follow && n > old) offset = n - WINDOW;
    else if (!this.spec || columnsOf(spec) !== columnsOf(this.spec)) offset = 0;
    offset = Math.max(0, Math.min(offset, n - WINDOW));
    const shape = shapeOf(spec, offset);
    if (this.spec && this.cells.length && shape === this.shape) {
      this.refill(spec);
      return;
    }
    this.draw(spec, offset);
  };

  Heatmap.prototype.draw = function (spec, offset) {
    const hadFocus = this.container.contains(document.activeElement);
    this.spec = spec;
    this.offset = offset;
    this.shape = shapeOf(spec, offset);
    this.cells = [];
    this.pointed = null;
    this.container.replaceChildren();
    const n = spec.columns.length;
    if (!n) {
      this.readout.textContent = spec.empty || "";
      this.active = [0, 0];
      return;
    }
    const [first, end] = this.shown();
    const head = el("tr", {}, [el("th", { scope: "col", "aria-colindex": 1 }, [spec.corner])]);
    for (let c = first; c < end; c++) head.append(el("th", { scope: "col", "aria-colindex": c + 2 }, spec.columns[c]));
    const body = document.createElement("tbody");
    spec.rows.forEach((row) => {
      const tr = el("tr", { class: row.className || null }, [el("th", { scope: "row", "aria-colindex": 1 }, [row.header])]);
      const cells = [];
      for (let c = first; c < end; c++) {
        const value = row.values[c];
        const td = document.createElement("td");
        const shaded = shade(value, row.kind, row.scale);
        if (shaded) td.className = shaded;
        td.tabIndex = -1;
        td.setAttribute("aria-colindex", String(c + 2));
        td.setAttribute("data-row", row.key);
        td.setAttribute("data-column", String(c));
        td.setAttribute("data-value", String(value));
        td.textContent = row.format ? row.format(value) : short(value);
        cells.push(td);
      }
      tr.append(...cells);
      this.cells.push(cells);
      body.append(tr);
    });
    // the title stays outside the scrolling box, so it is read in full on a narrow screen
    const title = el("p", { class: "lx-caption", id: nextId("grid-title") }, [spec.caption]);
    this.title = title;
    const table = el("table", {
      class: "lx-grid", role: "grid", id: nextId("grid"), "aria-readonly": "true", "aria-labelledby": title.id,
      "aria-colcount": n + 1,
    }, [el("thead", {}, [head]), body]);
    table.addEventListener("keydown", (event) => this.key(event));
    table.addEventListener("focusin", (event) => {
      const at = this.where(event.target);
      if (at) this.show(at[0], at[1], true);
    });
    table.addEventListener("mouseover", (event) => {
      const at = this.where(event.target);
      if (at) this.show(at[0], at[1], false);
    });
    table.addEventListener("click", (event) => {
      const at = this.where(event.target);
      if (at) this.focus(at[0], at[1]);
    });
    table.addEventListener("mouseleave", () => this.show(this.active[0], this.active[1], false, true));
    this.container.append(title);
    if (n > WINDOW) this.container.append(this.windowBar(table.id, first, end, n));
    this.container.append(el("div", { class: "lx-scroll" }, [table]));
    const r = Math.min(this.active[0], this.cells.length - 1);
    const c = Math.min(Math.max(this.active[1], first), end - 1);
    this.setActive(r, c);
    if (hadFocus) this.cell(r, c).focus();
    else this.readout.textContent = this.hint;
    if (this.onWindow) this.onWindow(first, end);
  };

  // "Words 11-26 of 200", with buttons to the earlier and the later ones (half a window each)
  Heatmap.prototype.windowBar = function (tableId, first, end, n) {
    const step = this.spec.step || "column";
    const move = (delta) => () => this.moveWindow(this.offset + delta);
    const half = Math.floor(WINDOW / 2);
    const earlier = el("button", {
      type: "button", class: "lx-button", "aria-controls": tableId, disabled: first === 0, onclick: move(-half),
    }, ["\u2190 Earlier " + step + "s"]);
    const later = el("button", {
      type: "button", class: "lx-button", "aria-controls": tableId, disabled: end === n, onclick: move(half),
    }, ["Later " + step + "s \u2192"]);
    const label = step.charAt(0).toUpperCase() + step.slice(1) + "s " + (first + 1) + "\u2013" + end + " of " + n;
    return el("div", { class: "lx-row lx-window" }, [el("span", { class: "lx-window-label" }, [label]), earlier, later]);
  };

  // show the window from column `offset` on (kept within the sequence), keeping the focus on
  // the button pressed, and the active cell within the window
  Heatmap.prototype.moveWindow = function (offset) {
    const n = this.spec.columns.length;
    offset = Math.max(0, Math.min(offset, n - WINDOW));
    if (offset === this.offset) return;
    const button = this.container.contains(document.activeElement) ? document.activeElement : null;
    const which = button && button.tagName === "BUTTON" ? Array.from(this.container.querySelectorAll(".lx-window button")).indexOf(button) : -1;
    this.active = [this.active[0], Math.max(offset, Math.min(this.active[1], offset + WINDOW - 1))];
    this.draw(this.spec, offset);
    const buttons = this.container.querySelectorAll(".lx-window button");
    if (which >= 0) {
      // the pressed button, or the other one once this one is at the end of the sequence
      const again = buttons[which].disabled ? buttons[1 - which] : buttons[which];
      again.focus();
    }
  };

  // the same table with new values: each cell's text, shade and exact value; the readout as
  // after drawing a new table (the focused cell described, else the hint)
  Heatmap.prototype.refill = function (spec) {
    this.spec = spec;
    if (this.title.textContent !== spec.caption) this.title.textContent = spec.caption;
    if (this.pointed) this.pointed.classList.remove("lx-pointed");
    this.pointed = null;
    const [first, end] = this.shown();
    spec.rows.forEach((row, r) => {
      const cells = this.cells[r];
      for (let c = first; c < end; c++) {
        const value = row.values[c];
        const td = cells[c - first];
        const text = row.format ? row.format(value) : short(value);
        const shaded = shade(value, row.kind, row.scale);
        if (td.textContent !== text) td.textContent = text;
        if (td.className !== shaded) td.className = shaded;
        td.setAttribute("data-value", String(value));
      }
    });
    const [r, c] = this.active;
    if (this.container.contains(document.activeElement) && document.activeElement.tagName === "TD") this.show(r, c, true);
    else this.readout.textContent = this.hint;
  };

  Heatmap.prototype.setActive = function (r, c) {
    const old = this.cell(this.active[0], this.active[1]);
    if (old) {
      old.setAttribute("tabindex", "-1");
      old.removeAttribute("aria-describedby");
    }
    this.active = [r, c];
    const cell = this.cell(r, c);
    cell.setAttribute("tabindex", "0");
    cell.setAttribute("aria-describedby", this.readout.id);
  };

  // focus the cell at (r, c), moving the window first if the column is not shown
  Heatmap.prototype.focus = function (r, c) {
    const [first, end] = this.shown();
    if (c < first || c >= end) {
      this.active = [r, c];
      this.draw(this.spec, c < first ? c : c - WINDOW + 1);
    }
    this.setActive(r, c);
    this.cell(r, c).focus();
  };

  Heatmap.prototype.show = function (r, c, focused, leaving) {
    const cell = this.spec ? this.cell(r, c) : null;
    if (!cell) return;
    if (leaving && !this.container.contains(document.activeElement)) {
      this.readout.textContent = this.hint;
      return;
    }
    if (focused) this.setActive(r, c);
    if (this.pointed) this.pointed.classList.remove("lx-pointed");
    this.pointed = cell;
    this.pointed.classList.add("lx-pointed");
    this.readout.textContent = this.spec.describe(r, c);
  };

  Heatmap.prototype.key = function (event) {
    const rows = this.cells.length;
    const columns = this.spec.columns.length;
    let [r, c] = this.active;
    switch (event.key) {
      case "ArrowUp": r = Math.max(0, r - 1); break;
      case "ArrowDown": r = Math.min(rows - 1, r + 1); break;
      case "ArrowLeft": c = Math.max(0, c - 1); break;
      case "ArrowRight": c = Math.min(columns - 1, c + 1); break;
      case "Home": c = 0; if (event.ctrlKey) r = 0; break;
      case "End": c = columns - 1; if (event.ctrlKey) r = rows - 1; break;
      case "PageUp": r = 0; break;
      case "PageDown": r = rows - 1; break;
      default: return;
    }
    event.preventDefault();
    this.focus(r, c);
  };

  // --- shared controls ------------------------------------------------------------------

  function radioGroup(legend, name, options, checked, onChange, className) {
    const fieldset = el("fieldset", { class: "lx-radios " + (className || "") }, [el("legend", {}, [legend])]);
    options.forEach((option) => {
      const id = nextId(name);
      const input = el("input", { type: "radio", name: name, id: id, value: option.value });
      input.checked = option.value === checked;
      input.addEventListener("change", () => {
        if (input.checked) onChange(option.value);
      });
      fieldset.append(el("div", { class: "lx-radio" }, [input, el("label", { for: id }, option.label)]));
    });
    return fieldset;
  }

  function liveStatus() {
    return el("p", { class: "lx-status", role: "status", "aria-live": "polite" });
  }

  // --- the France LSTM tab --------------------------------------------------------------

  // One sentence for a problem of Model.tokenize, like FranceLSTM.tokenize's InputError.
  function problemText(problem) {
    if (problem.kind === "empty") {
      return "The sentence has no words; give one or more words of the vocabulary, such as: In France, I ate.";
    }
    const hint = problem.near.length
      ? "; closest in the vocabulary: " + problem.near.join(", ")
      : "; no word of the vocabulary is close";
    return "Unknown word " + quotedTyped(problem.word) + hint + ".";
  }

  // The sentences for the problems of Model.tokenize(..., {maxNear: MAX_NAMED}): the first
  // MAX_NAMED unknown words with their closest words, then how many more there are.
  function problemsText(problems) {
    const named = problems.filter((problem) => problem.kind === "empty" || problem.near !== null);
    const more = problems.length - named.length;
    const text = named.map(problemText);
    if (more > 0) text.push("And " + more + " more unknown " + (more === 1 ? "word" : "words") + ".");
    return text.join(" ");
  }

  function FrancePanel(data, panel) {
    this.F = data;
    this.panel = panel;
    this.tokens = Model.tokenize(data, data.sentence).tokens;
    this.variant = "standard";
    this.bias = data.forget_bias.designed;
    this.quantity = "i";
    this.trace = null;
    this.announceTimer = null;
    this.separators = new Set(Array.from(data.separators));
    this.longest = Math.max(...data.vocab.map((word) => word.length));
    this.suggested = null;
    this.suggestion = null;
    this.build();
    this.update(false);
  }

  FrancePanel.prototype.build = function () {
    const F = this.F;
    const ids = {
      input: nextId("sentence"), words: nextId("words"), help: nextId("help"), error: nextId("error"),
      cap: nextId("cap"), bias: nextId("bias"), biasNote: nextId("bias-note"), readout: nextId("readout"),
    };
    // a combobox (WAI-ARIA 1.2, list autocomplete): the words of the vocabulary that complete the
    // word at the caret, in a listbox under the box; the focus stays in the box
    this.input = el("input", {
      id: ids.input, type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": ids.words, autocomplete: "off", spellcheck: "false", autocapitalize: "none",
      "aria-describedby": ids.help + " " + ids.cap + " " + ids.error, enterkeyhint: "go",
    });
    this.input.value = F.sentence;
    this.words = el("ul", { id: ids.words, role: "listbox", class: "lx-suggestions", "aria-label": "Words for the word at the cursor" });
    this.words.hidden = true;
    this.words.addEventListener("mousedown", (event) => event.preventDefault()); // the box keeps the focus
    this.words.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) this.accept(Number(option.getAttribute("data-index")));
    });
    this.error = el("p", { id: ids.error, class: "lx-error" });
    // says when a text was cut to the bounds; live, so a paste that was cut is announced
    this.capNote = el("p", { id: ids.cap, class: "lx-cap", "aria-live": "polite" });
    this.input.addEventListener("beforeinput", (event) => this.beforeInput(event));
    this.input.addEventListener("input", (event) => {
      if (!event.isComposing) this.limit(); // a composition is bounded when it ends
      this.suggest();
    });
    this.input.addEventListener("compositionend", () => {
      this.limit();
      this.suggest();
    });
    // the suggestions follow the caret, wherever it is moved
    this.input.addEventListener("selectionchange", () => this.suggest());
    this.input.addEventListener("focus", () => this.suggest());
    this.input.addEventListener("blur", () => this.closeWords());
    this.input.addEventListener("keydown", (event) => this.suggestionKey(event));
    const form = el("form", { class: "lx-sentence" }, [
      el("label", { for: ids.input }, ["Sentence"]),
      el("div", { class: "lx-row" }, [
        el("div", { class: "lx-combo" }, [this.input, this.words]),
        el("button", { type: "submit", class: "lx-button" }, ["Read it"]),
      ]),
      el("p", { id: ids.help, class: "lx-help" }, [
        "Words of the vocabulary only: as you type, the words that complete the word at the cursor are " +
          "listed under the box (arrow keys to choose, Enter to take one). Case and the marks , . ; : ! ? " +
          "are ignored; up to " + MAX_STEPS + " words (" + thousands(MAX_CHARS) + " characters). " +
          "Press Enter to read the sentence.",
      ]),
      this.capNote,
      this.error,
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.closeWords();
      this.limit();
      this.read(this.input.value);
    });

    const vocabulary = el("details", { class: "lx-vocab" }, [
      el("summary", {}, ["The " + F.vocab.length + " words the model knows"]),
      el("p", {}, [F.vocab.join(" ")]),
    ]);

    const examples = el("ul", { class: "lx-examples" });
    F.examples.forEach((sentence) => {
      examples.append(el("li", {}, [el("button", {
        type: "button", class: "lx-button lx-example",
        onclick: () => {
          this.input.value = sentence;
          this.read(sentence);
        },
      }, [sentence])]));
    });
    const exampleGroup = el("div", { class: "lx-control", role: "group", "aria-labelledby": ids.input + "-examples" }, [
      el("p", { id: ids.input + "-examples", class: "lx-label" }, ["Or read an example"]),
      examples,
    ]);

    const variants = radioGroup(
      "What if",
      nextId("variant"),
      Object.entries(F.variants).map(([name, spec]) => ({ value: name, label: [code(name), ": " + spec.description] })),
      this.variant,
      (value) => { this.variant = value; this.update(true); }
    );

    const fb = F.forget_bias;
    this.biasInput = el("input", {
      id: ids.bias, type: "range", min: fb.min, max: fb.max, step: fb.step, "aria-describedby": ids.biasNote,
    });
    this.biasInput.value = String(this.bias);
    this.biasValue = el("output", { for: ids.bias, class: "lx-bias-value" });
    this.biasNote = el("p", { id: ids.biasNote, class: "lx-help" });
    this.biasInput.addEventListener("input", () => {
      this.bias = Number(this.biasInput.value);
      this.update(true);
    });
    const designed = el("button", {
      type: "button", class: "lx-button",
      onclick: () => {
        this.biasInput.value = String(fb.designed);
        this.bias = fb.designed;
        this.update(true);
      },
    }, ["Designed value (" + fb.designed + ")"]);
    const bias = el("div", { class: "lx-control lx-bias" }, [
      el("label", { for: ids.bias }, ["Forget-gate bias of the memory units"]),
      el("div", { class: "lx-row" }, [this.biasInput, this.biasValue, designed]),
      this.biasNote,
    ]);

    const show = radioGroup(
      "Show",
      nextId("quantity"),
      FRANCE_QUANTITIES.map((q) => ({ value: q.key, label: [el("strong", {}, [q.label]), " " + q.name] })),
      this.quantity,
      (value) => {
        this.quantity = value;
        clearTimeout(this.announceTimer); // a pending summary would replace this message
        this.draw(); // the guesses do not depend on what the heatmap shows
        this.status.textContent = "Showing " + this.quantityInfo().name + ".";
      },
      "lx-segments"
    );

    this.status = liveStatus();
    const readout = el("p", { id: ids.readout, class: "lx-readout" });
    this.heatmap = new Heatmap(
      el("div", { class: "lx-heatmap" }),
      readout,
      "Point at a cell, or click one and move with the arrow keys, to read its exact value here.",
      () => this.drawGuesses() // the guesses follow the words the heatmap shows
    );
    this.legend = el("p", { class: "lx-legend" });
    this.guesses = el("div", { class: "lx-guesses-box" });

    this.panel.append(
      form, vocabulary, exampleGroup,
      el("div", { class: "lx-settings" }, [variants, bias]),
      show, this.status, readout, this.heatmap.container, this.legend, this.guesses
    );
  };

  // Where a text must be cut to stay within the bounds, and the note that says so: more than
  // MAX_STEPS words or more than MAX_CHARS characters. The work is a scan of at most
  // MAX_CHARS characters, whatever the size of the text. Returns null for a text within them.
  FrancePanel.prototype.bound = function (text) {
    let cut = -1;
    let why = "";
    if (text.length > MAX_CHARS) {
      cut = MAX_CHARS;
      // never between the two halves of a character outside the BMP
      const unit = text.charCodeAt(cut - 1);
      if (unit >= 0xd800 && unit <= 0xdbff) cut -= 1;
      why = "Only the first " + thousands(MAX_CHARS) + " characters are read; the rest of the text was left out.";
    }
    const words = Model.wordsEnd(this.F, cut < 0 ? text : text.slice(0, cut), MAX_STEPS);
    if (words >= 0) {
      cut = words;
      why = "Only the first " + MAX_STEPS + " words are read; the text after word " + MAX_STEPS + " was left out.";
    }
    return cut < 0 ? null : { cut: cut, why: why };
  };

  // Text about to be inserted (typed, pasted, dropped) that would take the box past its bounds
  // is cut before the browser puts it in: a paste of any size costs no more than a short one.
  FrancePanel.prototype.beforeInput = function (event) {
    if (typeof event.data !== "string" || !event.cancelable || event.isComposing) return;
    const box = this.input;
    const from = box.selectionStart, to = box.selectionEnd;
    if (from === null || to === null) return;
    const text = box.value.slice(0, from) + event.data + box.value.slice(to);
    const limit = this.bound(text);
    if (!limit) return;
    event.preventDefault();
    this.capNote.textContent = limit.why;
    // nothing of the new text fits (a word typed past the last one): the box stays as it was
    if (limit.cut <= from) return;
    box.value = text.slice(0, limit.cut);
    const caret = Math.min(from + event.data.length, limit.cut);
    box.setSelectionRange(caret, caret);
    this.suggest();
  };

  // The same bounds for text that reached the box without a cancellable beforeinput (an
  // autofill, a script): cut as soon as it is there, and the note says so.
  FrancePanel.prototype.limit = function () {
    const text = this.input.value;
    const limit = this.bound(text);
    if (!limit) {
      // a note about a cut stays until the text is clearly within the bounds again
      if (this.capNote.textContent && text.length < MAX_CHARS && Model.wordsEnd(this.F, text, MAX_STEPS - 1) < 0) {
        this.capNote.textContent = "";
      }
      return false;
    }
    this.input.value = text.slice(0, limit.cut);
    this.input.setSelectionRange(limit.cut, limit.cut);
    this.capNote.textContent = limit.why;
    return true;
  };

  // The word at the caret: where it starts and ends, and the part typed so far (before the
  // caret). The scan goes no further than the longest word of the vocabulary each way, so the
  // work does not grow with the text; a longer word is null (no word of the vocabulary fits).
  FrancePanel.prototype.wordAtCaret = function () {
    const text = this.input.value;
    const caret = this.input.selectionEnd === null ? text.length : this.input.selectionEnd;
    let start = caret;
    while (start > 0 && !this.separators.has(text[start - 1]) && caret - start <= this.longest) start -= 1;
    let end = caret;
    while (end < text.length && !this.separators.has(text[end]) && end - start <= this.longest) end += 1;
    if (end - start > this.longest) return null;
    return { start: start, end: end, partial: text.slice(start, caret).toLowerCase() };
  };

  // The listbox offers the words of the vocabulary that start like the word at the caret (none
  // before a word is begun). Drawn again only when that word or its place changes.
  FrancePanel.prototype.suggest = function () {
    const at = document.activeElement === this.input ? this.wordAtCaret() : null;
    const words = at && at.partial ? this.F.vocab.filter((word) => word.startsWith(at.partial)) : [];
    const key = at ? at.start + "," + at.end + "," + at.partial : "";
    if (key === this.suggested) return;
    this.suggested = key;
    this.suggestion = words.length ? { start: at.start, end: at.end, words: words, active: -1 } : null;
    this.words.replaceChildren(...words.map((word, k) => el("li", {
      role: "option", id: this.words.id + "-" + k, "aria-selected": "false", "data-index": k,
    }, [word])));
    this.showWords(words.length > 0);
  };

  FrancePanel.prototype.showWords = function (open) {
    this.words.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open || !this.suggestion || this.suggestion.active < 0) this.input.removeAttribute("aria-activedescendant");
  };

  // closed until the word at the caret changes
  FrancePanel.prototype.closeWords = function () {
    if (this.suggestion) this.suggestion.active = -1;
    this.showWords(false);
  };

  // the keys of the combobox: arrows choose a word, Enter takes it, Escape closes the list
  FrancePanel.prototype.suggestionKey = function (event) {
    const shown = this.suggestion && !this.words.hidden ? this.suggestion : null;
    if (!shown || event.altKey || event.ctrlKey || event.metaKey) return;
    const n = shown.words.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const options = this.words.children;
      if (shown.active >= 0) options[shown.active].setAttribute("aria-selected", "false");
      shown.active = event.key === "ArrowDown" ? (shown.active + 1) % n : (shown.active + n - 1) % n;
      const option = options[shown.active];
      option.setAttribute("aria-selected", "true");
      option.scrollIntoView({ block: "nearest" });
      this.input.setAttribute("aria-activedescendant", option.id);
    } else if (event.key === "Enter" && shown.active >= 0) {
      event.preventDefault(); // takes the word; the next Enter reads the sentence
      this.accept(shown.active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.closeWords();
    }
  };

  // the word at the caret becomes the k-th word offered, the caret after it
  FrancePanel.prototype.accept = function (k) {
    const shown = this.suggestion;
    if (!shown || !shown.words[k]) return;
    const text = this.input.value;
    const word = shown.words[k];
    this.input.value = text.slice(0, shown.start) + word + text.slice(shown.end);
    const caret = shown.start + word.length;
    this.input.setSelectionRange(caret, caret);
    this.limit();
    this.suggested = null;
    this.suggest();
    this.closeWords(); // the word is complete: no list until the next key
  };

  FrancePanel.prototype.read = function (sentence) {
    const text = String(sentence);
    const bounded = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
    const result = Model.tokenize(this.F, bounded, { maxWords: MAX_STEPS, maxNear: MAX_NAMED });
    if (result.problems.length) {
      const message = problemsText(result.problems);
      const shown = this.tokens.length ? " The heatmap still shows the previous sentence." : "";
      this.error.textContent = message + shown;
      this.input.setAttribute("aria-invalid", "true");
      clearTimeout(this.announceTimer); // a pending summary must not replace the error
      this.status.textContent = message;
      return false;
    }
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
    this.tokens = result.tokens;
    this.update(true);
    return true;
  };

  FrancePanel.prototype.quantityInfo = function () {
    return FRANCE_QUANTITIES.find((q) => q.key === this.quantity);
  };

  FrancePanel.prototype.update = function (announce) {
    const fb = this.F.forget_bias;
    this.trace = Model.runFrance(this.F, this.tokens, { variant: this.variant, forgetBias: this.bias });
    this.biasValue.textContent = String(this.bias);
    const designed = this.bias === fb.designed ? ", the designed value" : "";
    this.biasInput.setAttribute("aria-valuetext", this.bias + designed);
    this.biasNote.textContent =
      "With bias " + this.bias + designed + ", a memory unit whose forget gate sees no other input keeps " +
      "\u03c3(" + this.bias + ") = " + percent(Model.sigmoid(this.bias), 2) + " of its value at each word.";
    this.draw();
    this.drawGuesses();
    if (announce) {
      clearTimeout(this.announceTimer);
      this.announceTimer = setTimeout(() => { this.status.textContent = this.summary(); }, 300);
    } else {
      this.status.textContent = "";
    }
  };

  FrancePanel.prototype.summary = function () {
    const t = this.trace;
    const last = t.tokens.length - 1;
    const top = Model.topWords(this.F, t.probs[last], 1)[0];
    return "Read " + t.tokens.length + (t.tokens.length === 1 ? " word" : " words") + " (" + t.variant +
      ", forget-gate bias " + t.forgetBias + "). After " + quoted(t.tokens[last]) +
      ", the likeliest next word is " + quoted(top[0]) + " (" + percent(top[1]) + ").";
  };

  FrancePanel.prototype.draw = function () {
    const F = this.F, t = this.trace, q = this.quantityInfo();
    const columns = t.tokens.map((token, k) => [el("span", { class: "lx-position" }, [String(k + 1)]), " " + token]);
    const values = t[q.key];
    const rowNames = q.key === "probs" ? F.vocab : F.units;
    const firstExpect = F.memory_units.length; // a line between memory and expect units
    let scale = 1;
    if (q.key === "c") values.forEach((row) => row.forEach((v) => { scale = Math.max(scale, Math.abs(v)); }));
    const rows = rowNames.map((name, r) => ({
      key: name,
      header: code(name),
      kind: q.kind,
      scale: scale,
      values: values.map((row) => row[r]),
      className: q.key !== "probs" && r === firstExpect ? "lx-split" : null,
    }));
    const where = (r, c) => " after " + quoted(t.tokens[c]) + " (word " + (c + 1) + ")";
    const describe = (r, c) => {
      const v = values[c][r];
      if (q.key === "probs") {
        return "p(next word = " + F.vocab[r] + ")" + where(r, c) + ": " + long(v) + " (" + percent(v) + ")";
      }
      const unit = F.units[r];
      let text = q.label + " of " + unit + where(r, c) + ": " + long(v);
      if (q.pre) {
        const pre = t[q.pre][c][r];
        const computed = q.fn === "σ" ? Model.sigmoid(pre) : Math.tanh(pre);
        text += computed === v ? " = " + q.fn + "(" + long(pre) + ")" : ", held (computed: " + q.fn + "(" + long(pre) + "))";
      } else if (q.key === "c") {
        const prev = c > 0 ? t.c[c - 1][r] : 0;
        text += " = f " + long(t.f[c][r]) + " \u00d7 previous c " + long(prev) +
          " + i " + long(t.i[c][r]) + " \u00d7 g " + long(t.g[c][r]);
      } else if (q.key === "h") {
        text += " = o " + long(t.o[c][r]) + " \u00d7 tanh(c " + long(t.c[c][r]) + ")";
      }
      return text;
    };
    const caption = q.key === "probs"
      ? "Probability of each word (rows) being the next word, after each word read (columns)"
      : q.label + ", the " + q.name + ", of each unit (rows) after each word (columns)";
    this.heatmap.render({
      caption: caption + "; " + this.variant + ", forget-gate bias " + this.bias + ".",
      corner: q.key === "probs" ? "next word" : "unit",
      step: "word",
      columns: columns,
      rows: rows,
      describe: describe,
    });
    this.legend.textContent = q.kind === "gate"
      ? "Colour: from the page colour at 0 to the darkest green at 1."
      : "Colour: red for positive, blue for negative values, darkest at \u00b1" + (scale === 1 ? "1" : short(scale)) +
        (q.key === "c" ? " (the largest |c| here, or 1)" : "") + ". Memory units first, then the expect units.";
  };

  // The guesses: a row per word the heatmap shows, the three likeliest next words across
  // (drawn again only when the words shown or the numbers change).
  FrancePanel.prototype.drawGuesses = function () {
    const t = this.trace;
    if (!t) return;
    const [first, end] = this.heatmap.shown();
    if (this.guessed && this.guessed[0] === t && this.guessed[1] === first && this.guessed[2] === end) return;
    this.guessed = [t, first, end];
    const ranks = ["1st", "2nd", "3rd"].slice(0, TOP_K);
    const head = el("tr", {}, [el("th", { scope: "col" }, ["after"]), ...ranks.map((rank) => el("th", { scope: "col" }, [rank]))]);
    const body = el("tbody");
    for (let k = first; k < end; k++) {
      const tr = el("tr", {}, [el("th", { scope: "row" }, [el("span", { class: "lx-position" }, [String(k + 1)]), " " + t.tokens[k]])]);
      Model.topWords(this.F, t.probs[k], TOP_K).forEach(([word, probability]) => {
        tr.append(el("td", { "data-word": word, "data-value": String(probability) }, [
          word, el("span", { class: "lx-percent" }, [" " + percent(probability)]),
        ]));
      });
      body.append(tr);
    }
    const which = end - first < t.tokens.length ? " (words " + (first + 1) + "\u2013" + end + ", as in the heatmap)" : "";
    this.guesses.replaceChildren(el("table", { class: "lx-guesses" }, [
      el("caption", {}, ["The three likeliest next words after each word read" + which]),
      el("thead", {}, [head]),
      body,
    ]));
  };

  // --- the turnstile tab ----------------------------------------------------------------

  function TurnstilePanel(data, panel) {
    this.T = data;
    this.panel = panel;
    this.inputs = [];
    this.build();
    this.update(false);
  }

  TurnstilePanel.prototype.build = function () {
    const buttons = Object.keys(this.T.inputs).map((symbol) => el("button", {
      type: "button", class: "lx-button lx-input", "data-input": symbol,
      onclick: () => this.add(symbol),
    }, [symbol]));
    const reset = el("button", {
      type: "button", class: "lx-button",
      onclick: () => {
        this.inputs = [];
        this.update(true);
      },
    }, ["reset"]);
    this.status = liveStatus();
    this.sequence = el("p", { class: "lx-sequence" });
    // live, so the value of a cell is read out as the arrow keys move over the grid
    const readout = el("p", { id: nextId("readout"), class: "lx-readout", "aria-live": "polite" });
    this.heatmap = new Heatmap(
      el("div", { class: "lx-heatmap" }),
      readout,
      "Point at a cell, or click one and move with the arrow keys, to read it here."
    );
    this.panel.append(
      el("p", {}, [
        "Each button feeds one input to the hand-set ReLU RNN (one-hot: coin = [1, 0], push = [0, 1]), " +
          "up to " + MAX_STEPS + " inputs. " +
          "Its five hidden units hold the machine's state; three linear readouts of them say how many " +
          "coins are in, how many people have passed, and whether someone walked through at this input.",
      ]),
      el("div", { class: "lx-row lx-inputs", role: "group", "aria-label": "Turnstile inputs" }, [...buttons, reset]),
      this.status, this.sequence, readout, this.heatmap.container,
      el("p", { class: "lx-legend" }, [
        "Colour: from the page colour at 0 to the darkest green at 1 (or at the row's largest value, for counts).",
      ])
    );
  };

  TurnstilePanel.prototype.add = function (symbol) {
    if (this.inputs.length >= MAX_STEPS) {
      this.status.textContent = "Only the first " + MAX_STEPS + " inputs are read; press reset to start again.";
      return;
    }
    this.inputs.push(symbol);
    this.update(true);
  };

  TurnstilePanel.prototype.update = function (announce) {
    const T = this.T;
    const run = Model.runTurnstile(T, this.inputs);
    const n = this.inputs.length;
    this.sequence.textContent = n
      ? "Inputs so far: " + this.inputs.join(", ") + "."
      : "No input yet: the turnstile is locked, with no coin in.";
    const rows = T.units.map((unit, u) => ({
      key: unit, header: code(unit), kind: "gate", values: run.h.map((h) => h[u]), format: integerOr,
    }));
    Object.keys(T.readout).forEach((name, k) => rows.push({
      key: name, header: name + " (readout)", kind: "gate", values: run.readout[name], format: integerOr,
      className: k === 0 ? "lx-split" : null,
    }));
    rows.forEach((row) => { row.scale = Math.max(1, ...row.values); });
    this.heatmap.render({
      caption: "Hidden state (first five rows) and readouts after each input (columns)",
      corner: "unit",
      step: "input",
      follow: true,
      columns: this.inputs.map((symbol, k) => [el("span", { class: "lx-position" }, [String(k + 1)]), " " + symbol]),
      rows: rows,
      empty: "Press coin or push to start.",
      describe: (r, c) => {
        const row = rows[r];
        const what = r < T.units.length ? "h of " + row.key : "readout " + row.key;
        return what + " after input " + (c + 1) + " (" + this.inputs[c] + "): " + integerOr(row.values[c]);
      },
    });
    if (!announce) return;
    if (!n) {
      this.status.textContent = "Reset: no input yet, no coin in.";
      return;
    }
    const t = n - 1;
    const coins = run.coins[t], passes = run.passes[t];
    const state = coins + (coins === 1 ? " coin" : " coins") + " in, " + passes + (passes === 1 ? " pass" : " passes") + " so far.";
    let what = "";
    if (this.inputs[t] === "push") what = run.walk[t] ? "someone walked through. " : "blocked. ";
    this.status.textContent = "Input " + n + ", " + this.inputs[t] + ": " + what + state;
  };

  // --- tabs -----------------------------------------------------------------------------

  function tabs(root, entries) {
    const list = el("div", { class: "lx-tabs", role: "tablist", "aria-label": "Model to explore" });
    const tabButtons = [], panels = [];
    entries.forEach((entry, k) => {
      const tabId = "lx-tab-" + entry.key, panelId = "lx-panel-" + entry.key;
      const tab = el("button", {
        type: "button", role: "tab", id: tabId, "aria-controls": panelId,
        "aria-selected": k === 0 ? "true" : "false", tabindex: k === 0 ? 0 : -1, class: "lx-tab",
      }, [entry.title]);
      const panel = el("section", { role: "tabpanel", id: panelId, "aria-labelledby": tabId, class: "lx-panel" });
      panel.hidden = k !== 0;
      tabButtons.push(tab);
      panels.push(panel);
      list.append(tab);
    });
    function select(k, focus) {
      tabButtons.forEach((tab, j) => {
        tab.setAttribute("aria-selected", j === k ? "true" : "false");
        tab.setAttribute("tabindex", j === k ? "0" : "-1");
        panels[j].hidden = j !== k;
      });
      if (focus) tabButtons[k].focus();
    }
    tabButtons.forEach((tab, k) => {
      tab.addEventListener("click", () => select(k, false));
      tab.addEventListener("keydown", (event) => {
        const moves = { ArrowRight: k + 1, ArrowLeft: k - 1, Home: 0, End: tabButtons.length - 1 };
        if (!(event.key in moves)) return;
        event.preventDefault();
        select((moves[event.key] + tabButtons.length) % tabButtons.length, true);
      });
    });
    root.append(list, ...panels);
    return panels;
  }

  // --- start ----------------------------------------------------------------------------

  function franceApi(models) {
    return (sentence, options) => {
      const result = Model.tokenize(models.france, sentence);
      if (result.problems.length) throw new Error(problemsText(result.problems));
      const trace = Model.runFrance(models.france, result.tokens, options);
      trace.top = trace.probs.map((p) => Model.topWords(models.france, p, TOP_K));
      return trace;
    };
  }

  function start(root, models) {
    root.replaceChildren(); // the <noscript> message, which a browser running this never shows
    const [francePanel, turnstilePanel] = tabs(root, [
      { key: "france", title: "France LSTM" },
      { key: "turnstile", title: "Turnstile RNN" },
    ]);
    new FrancePanel(models.france, francePanel);
    new TurnstilePanel(models.turnstile, turnstilePanel);
  }

  const root = document.getElementById("lstm-explorer");
  // limits: the bounds of every input (read by tests/browser/test_explorer.py, stated on the page)
  const api = {
    models: null, france: null, turnstile: null,
    limits: { steps: MAX_STEPS, chars: MAX_CHARS, named: MAX_NAMED, window: WINDOW },
  };
  function fail(error) {
    root.replaceChildren(el("p", { class: "lx-error", role: "alert" }, [
      "The explorer could not start (" + error.message + "). " +
        "Served from a web server it works offline; opened as a file, the browser may refuse to read its weights.",
    ]));
  }
  api.ready = new Promise((resolve, reject) => {
    if (!root) return reject(new Error("no #lstm-explorer element on this page"));
    if (!SCRIPT_URL) {
      const error = new Error("explorer.js must be loaded by a classic <script src> to find explorer-models.json next to it");
      fail(error);
      return reject(error);
    }
    if (!Model) {
      const error = new Error("explorer-model.js did not load");
      fail(error);
      return reject(error);
    }
    // the page's own stylesheet: explorer.md links it before the explorer's box, so that the box
    // has its size from the first paint (and a classic script after it runs once it has loaded);
    // a page without that link gets it here, its address following this script's
    const linked = Array.from(document.querySelectorAll('link[rel~="stylesheet"]')).some((link) => link.href === STYLE_URL);
    let styled = Promise.resolve();
    if (!linked) {
      const style = el("link", { rel: "stylesheet", href: STYLE_URL });
      styled = new Promise((done) => {
        style.addEventListener("load", done);
        style.addEventListener("error", done); // unstyled is still usable
      });
      document.head.append(style);
    }
    const loaded = fetch(DATA_URL).then((response) => {
      if (!response.ok) throw new Error("HTTP " + response.status + " for " + DATA_URL);
      return response.json();
    });
    Promise.all([loaded, styled])
      .then(([models]) => {
        api.models = models;
        api.france = franceApi(models);
        api.turnstile = (inputs) => Model.runTurnstile(models.turnstile, inputs);
        start(root, models);
        resolve(api);
      })
      .catch((error) => {
        fail(error);
        reject(error);
      });
  });
  api.ready.catch(() => {}); // the page shows the error; nobody has to handle it
  window.lstmExplorer = api;
})();
