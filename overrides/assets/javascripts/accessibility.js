// Two accessibility fixes to what Material's own script builds in the page (loaded by
// overrides/main.html, after Material's bundle). Both found by axe-core (tests/browser).
(() => {
  // Material puts the copy button of every code block in an unnamed <nav>: a page with two
  // code blocks has two identical navigation landmarks (axe-core: landmark-unique). They are
  // button bars, not navigation, so they lose the landmark role. Material adds them as code
  // blocks come into view, so a MutationObserver catches each one.
  const unnav = root => {
    if (root.matches?.(".md-code__nav")) root.setAttribute("role", "none");
    root.querySelectorAll?.(".md-code__nav:not([role])").forEach(nav => nav.setAttribute("role", "none"));
  };
  new MutationObserver(records => records.forEach(record => record.addedNodes.forEach(unnav)))
    .observe(document.body, { childList: true, subtree: true });
  unnav(document.body);

  // A region that scrolls sideways (a wide table, a notebook's output) with nothing focusable
  // inside cannot be scrolled from the keyboard (axe-core: scrollable-region-focusable): make
  // it focusable while it scrolls, as Material does for code blocks.
  const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
  const scrollables = () => {
    document.querySelectorAll(".md-content :is(div, pre)").forEach(element => {
      const overflow = getComputedStyle(element).overflowX;
      const scrolls = (overflow === "auto" || overflow === "scroll") && element.scrollWidth > element.clientWidth;
      if (scrolls && !element.hasAttribute("tabindex") && !element.querySelector(focusable)) {
        element.setAttribute("tabindex", "0");
        element.dataset.scrollFocus = "";
      } else if (!scrolls && "scrollFocus" in element.dataset) {
        element.removeAttribute("tabindex");
        delete element.dataset.scrollFocus;
      }
    });
  };
  let pending = null;
  const later = () => { clearTimeout(pending); pending = setTimeout(scrollables, 100); };
  if (window.document$) window.document$.subscribe(scrollables);
  else scrollables();
  window.addEventListener("load", later);
  window.addEventListener("resize", later);
})();
