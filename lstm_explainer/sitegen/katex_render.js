#!/usr/bin/env node
// Render TeX with KaTeX at build time.
//
// stdin:  a JSON array of {"tex": string, "display": boolean}
// stdout: a JSON array of HTML strings, in the same order
//
// Output is HTML plus MathML (for screen readers). On the first TeX error the script
// prints one line on stderr naming the formula and KaTeX's message and exits with 1;
// if KaTeX cannot be found it exits with 2. KaTeX is taken from the repository's
// node_modules (two directories up from this file), else from NODE_PATH.
"use strict";

const path = require("path");

const root = path.resolve(__dirname, "..", "..");

function loadKatex() {
  for (const from of [[root], undefined]) {
    try {
      return require(from ? require.resolve("katex", { paths: from }) : "katex");
    } catch (err) {
      if (err.code !== "MODULE_NOT_FOUND") throw err;
    }
  }
  return null;
}

function oneLine(text) {
  return text.replace(/\s+/g, " ").trim();
}

function main(input) {
  const katex = loadKatex();
  if (katex === null) {
    process.stderr.write(`KaTeX is not installed: run npm ci in ${root}\n`);
    return 2;
  }
  const out = [];
  for (const { tex, display } of JSON.parse(input)) {
    try {
      out.push(katex.renderToString(tex, {
        displayMode: Boolean(display),
        output: "htmlAndMathml",
        throwOnError: true,
      }));
    } catch (err) {
      if (!(err instanceof katex.ParseError)) throw err;
      process.stderr.write(`KaTeX cannot render "${oneLine(tex)}": ${oneLine(err.message)}\n`);
      return 1;
    }
  }
  process.stdout.write(JSON.stringify(out));
  return 0;
}

const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  process.exitCode = main(Buffer.concat(chunks).toString("utf8"));
});
