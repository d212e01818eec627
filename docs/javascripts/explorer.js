/*
 * The Explorer page (docs/explorer.md): two hand-set models run in the reader's browser.
 *
 * The page holds an empty <div id="lstm-explorer" hidden>; this script loads the weights
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
  const MAX_TURNSTILE_INPUTS = 60;
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

  // the colour class of a value: 5 shades, darkest at |value| >= scale
  function shade(value, kind, scale) {
    const level = Math.min(5, Math.round((Math.abs(value) / scale) * 5));
    if (level === 0) return "";
    if (kind === "gate") return "lx-u" + level;
    return (value > 0 ? "lx-p" : "lx-n") + level;
  }

  // --- a heatmap: a table with role=grid, one focusable cell at a time --------------------

  // spec: {caption, corner, columns: [text], rows: [{header, values, scale, kind, className}],
  //        describe(r, c) -> text for the readout}
  // The readout shows the value of the cell pointed at or focused; the active cell names it
  // (aria-describedby), so a screen reader says the exact value, not only the rounded text.
  function Heatmap(container, readout, hint) {
    this.container = container;
    this.readout = readout;
    if (!readout.id) readout.id = nextId("readout");
    this.hint = hint;
    this.active = [0, 0];
    this.spec = null;
    this.cells = [];
  }

  Heatmap.prototype.render = function (spec) {
    const hadFocus = this.container.contains(document.activeElement);
    this.spec = spec;
    this.cells = [];
    this.container.replaceChildren();
    if (!spec.columns.length) {
      this.readout.textContent = spec.empty || "";
      return;
    }
    const head = el("tr", {}, [el("th", { scope: "col" }, [spec.corner])]);
    spec.columns.forEach((column) => head.append(el("th", { scope: "col" }, column)));
    const body = el("tbody");
    spec.rows.forEach((row, r) => {
      const tr = el("tr", { class: row.className || null }, [el("th", { scope: "row" }, [row.header])]);
      const cells = row.values.map((value, c) => {
        const td = el(
          "td",
          {
            class: shade(value, row.kind, row.scale) || null,
            tabindex: -1,
            "data-row": row.key,
            "data-column": c,
            "data-value": String(value),
          },
          [row.format ? row.format(value) : short(value)]
        );
        td.addEventListener("focus", () => this.show(r, c, true));
        td.addEventListener("mouseenter", () => this.show(r, c, false));
        td.addEventListener("click", () => this.focus(r, c));
        tr.append(td);
        return td;
      });
      this.cells.push(cells);
      body.append(tr);
    });
    // the title stays outside the scrolling box, so it is read in full on a narrow screen
    const title = el("p", { class: "lx-caption", id: nextId("grid-title") }, [spec.caption]);
    const table = el("table", { class: "lx-grid", role: "grid", "aria-readonly": "true", "aria-labelledby": title.id }, [
      el("thead", {}, [head]),
      body,
    ]);
    table.addEventListener("keydown", (event) => this.key(event));
    table.addEventListener("mouseleave", () => this.show(this.active[0], this.active[1], false, true));
    this.container.append(title, el("div", { class: "lx-scroll" }, [table]));
    const r = Math.min(this.active[0], this.cells.length - 1);
    const c = Math.min(this.active[1], this.cells[r].length - 1);
    this.setActive(r, c);
    if (hadFocus) this.cells[r][c].focus();
    else this.readout.textContent = this.hint;
  };

  Heatmap.prototype.setActive = function (r, c) {
    const old = this.cells[this.active[0]] && this.cells[this.active[0]][this.active[1]];
    if (old) {
      old.setAttribute("tabindex", "-1");
      old.removeAttribute("aria-describedby");
    }
    this.active = [r, c];
    this.cells[r][c].setAttribute("tabindex", "0");
    this.cells[r][c].setAttribute("aria-describedby", this.readout.id);
  };

  Heatmap.prototype.focus = function (r, c) {
    this.setActive(r, c);
    this.cells[r][c].focus();
  };

  Heatmap.prototype.show = function (r, c, focused, leaving) {
    if (!this.spec || !this.cells[r]) return;
    if (leaving && !this.container.contains(document.activeElement)) {
      this.readout.textContent = this.hint;
      return;
    }
    if (focused) this.setActive(r, c);
    this.cells.flat().forEach((cell) => cell.classList.remove("lx-pointed"));
    this.cells[r][c].classList.add("lx-pointed");
    this.readout.textContent = this.spec.describe(r, c);
  };

  Heatmap.prototype.key = function (event) {
    const rows = this.cells.length;
    const columns = this.cells[0].length;
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
    return "Unknown word " + quoted(problem.word) + hint + ".";
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
    this.build();
    this.update(false);
  }

  FrancePanel.prototype.build = function () {
    const F = this.F;
    const ids = {
      input: nextId("sentence"), words: nextId("words"), help: nextId("help"), error: nextId("error"),
      bias: nextId("bias"), biasNote: nextId("bias-note"), readout: nextId("readout"),
    };
    this.input = el("input", {
      id: ids.input, type: "text", list: ids.words, autocomplete: "off", spellcheck: "false",
      autocapitalize: "none", "aria-describedby": ids.help + " " + ids.error, enterkeyhint: "go",
    });
    this.input.value = F.sentence;
    this.words = el("datalist", { id: ids.words });
    this.error = el("p", { id: ids.error, class: "lx-error" });
    this.input.addEventListener("input", () => this.suggest());
    this.suggest();
    const form = el("form", { class: "lx-sentence" }, [
      el("label", { for: ids.input }, ["Sentence"]),
      el("div", { class: "lx-row" }, [this.input, el("button", { type: "submit", class: "lx-button" }, ["Read it"])]),
      this.words,
      el("p", { id: ids.help, class: "lx-help" }, [
        "Words of the vocabulary only (suggestions appear as you type); case and the marks " +
          ", . ; : ! ? are ignored. Press Enter to read the sentence.",
      ]),
      this.error,
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
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
          this.suggest();
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
        this.draw();
        this.status.textContent = "Showing " + this.quantityInfo().name + ".";
      },
      "lx-segments"
    );

    this.status = liveStatus();
    const readout = el("p", { id: ids.readout, class: "lx-readout" });
    this.heatmap = new Heatmap(
      el("div", { class: "lx-heatmap" }),
      readout,
      "Point at a cell, or click one and move with the arrow keys, to read its exact value here."
    );
    this.legend = el("p", { class: "lx-legend" });
    this.guesses = el("div", { class: "lx-guesses-box" });

    this.panel.append(
      form, vocabulary, exampleGroup,
      el("div", { class: "lx-settings" }, [variants, bias]),
      show, this.status, readout, this.heatmap.container, this.legend, this.guesses
    );
  };

  // The datalist offers the sentence so far completed by each word that fits the last one.
  FrancePanel.prototype.suggest = function () {
    const text = this.input.value;
    const separators = new Set(Array.from(this.F.separators));
    const characters = Array.from(text);
    let start = characters.length;
    while (start > 0 && !separators.has(characters[start - 1])) start -= 1;
    const partial = characters.slice(start).join("").toLowerCase();
    const before = characters.slice(0, start).join("");
    const options = this.F.vocab
      .filter((word) => word.startsWith(partial))
      .map((word) => el("option", { value: before + word }));
    this.words.replaceChildren(...options);
  };

  FrancePanel.prototype.read = function (sentence) {
    const result = Model.tokenize(this.F, sentence);
    if (result.problems.length) {
      const message = result.problems.map(problemText);
      const shown = this.tokens.length ? " The heatmap still shows the previous sentence." : "";
      this.error.textContent = message.join(" ") + shown;
      this.input.setAttribute("aria-invalid", "true");
      clearTimeout(this.announceTimer); // a pending summary must not replace the error
      this.status.textContent = message.join(" ");
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
      columns: columns,
      rows: rows,
      describe: describe,
    });
    this.legend.textContent = q.kind === "gate"
      ? "Colour: from the page colour at 0 to the darkest green at 1."
      : "Colour: red for positive, blue for negative values, darkest at \u00b1" + (scale === 1 ? "1" : short(scale)) +
        (q.key === "c" ? " (the largest |c| here, or 1)" : "") + ". Memory units first, then the expect units.";
    this.drawGuesses();
  };

  // The guesses: a row per word read, the three likeliest next words across.
  FrancePanel.prototype.drawGuesses = function () {
    const t = this.trace;
    const ranks = ["1st", "2nd", "3rd"].slice(0, TOP_K);
    const head = el("tr", {}, [el("th", { scope: "col" }, ["after"]), ...ranks.map((rank) => el("th", { scope: "col" }, [rank]))]);
    const body = el("tbody");
    t.probs.forEach((p, k) => {
      const tr = el("tr", {}, [el("th", { scope: "row" }, [el("span", { class: "lx-position" }, [String(k + 1)]), " " + t.tokens[k]])]);
      Model.topWords(this.F, p, TOP_K).forEach(([word, probability]) => {
        tr.append(el("td", { "data-word": word, "data-value": String(probability) }, [
          word, el("span", { class: "lx-percent" }, [" " + percent(probability)]),
        ]));
      });
      body.append(tr);
    });
    this.guesses.replaceChildren(el("table", { class: "lx-guesses" }, [
      el("caption", {}, ["The three likeliest next words after each word read"]),
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
        "Each button feeds one input to the hand-set ReLU RNN (one-hot: coin = [1, 0], push = [0, 1]). " +
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
    if (this.inputs.length >= MAX_TURNSTILE_INPUTS) {
      this.status.textContent = "The explorer keeps " + MAX_TURNSTILE_INPUTS + " inputs at most; press reset to start again.";
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
      if (result.problems.length) throw new Error(result.problems.map(problemText).join(" "));
      const trace = Model.runFrance(models.france, result.tokens, options);
      trace.top = trace.probs.map((p) => Model.topWords(models.france, p, TOP_K));
      return trace;
    };
  }

  function start(root, models) {
    const [francePanel, turnstilePanel] = tabs(root, [
      { key: "france", title: "France LSTM" },
      { key: "turnstile", title: "Turnstile RNN" },
    ]);
    new FrancePanel(models.france, francePanel);
    new TurnstilePanel(models.turnstile, turnstilePanel);
    root.hidden = false;
  }

  const root = document.getElementById("lstm-explorer");
  const api = { models: null, france: null, turnstile: null };
  function fail(error) {
    root.replaceChildren(el("p", { class: "lx-error", role: "alert" }, [
      "The explorer could not start (" + error.message + "). " +
        "Served from a web server it works offline; opened as a file, the browser may refuse to read its weights.",
    ]));
    root.hidden = false;
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
    // the page's own stylesheet, added here so its address follows this script's
    const style = el("link", { rel: "stylesheet", href: STYLE_URL });
    const styled = new Promise((done) => {
      style.addEventListener("load", done);
      style.addEventListener("error", done); // unstyled is still usable
    });
    document.head.append(style);
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
