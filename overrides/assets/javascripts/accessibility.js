// Accessibility fixes to what Material builds in the page (loaded by overrides/main.html, after
// Material's bundle). The first two were found by axe-core (tests/browser), the third on a phone
// (tests/browser/test_phone.py).
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

  // On a narrow screen the navigation is a drawer, opened by a <label> for the checkbox
  // #__drawer that a keyboard cannot reach; closed, it only slid off screen, so its links were
  // still Tab stops, focused out of sight. Here the label becomes a real button (named, its state
  // in aria-expanded); the class drawer-keys then lets extra.css hide the closed drawer, and the
  // closed panels inside it (a section's pages, the page's contents): out of the Tab order.
  // Opened from the keyboard, the focus moves into the drawer; Escape, or the focus leaving it,
  // closes it. Inside it an open panel covers the level it opened from: when the focus moves
  // back to that level, the panel closes, so what has the focus is always in sight; and a panel
  // opened from the keyboard (Enter on its arrow, which Material clicks) takes the focus.
  const drawer = document.getElementById("__drawer");
  const label = document.querySelector('.md-header label[for="__drawer"]');
  const sidebar = document.querySelector(".md-sidebar--primary");
  if (drawer && label && sidebar) {
    const narrow = matchMedia("(max-width: 76.234375em)");
    const nav = sidebar.querySelector("nav[aria-label]");
    const firstIn = element => [...element.querySelectorAll(focusable)].find(each => each.getClientRects().length
      && getComputedStyle(each).visibility === "visible");
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = `${label.className} md-header__button--drawer`;
    toggle.append(...label.childNodes);
    label.replaceWith(toggle);
    sidebar.id ||= "__drawer-sidebar";
    toggle.setAttribute("aria-label", nav ? nav.getAttribute("aria-label") : "Navigation");
    toggle.setAttribute("aria-controls", sidebar.id);
    // Material opens and closes the drawer by setting the checkbox, which fires no event: the
    // state is read again whenever it may have changed.
    const sync = () => toggle.setAttribute("aria-expanded", String(drawer.checked));
    const set = open => {
      drawer.checked = open;
      sync();
    };
    sync();
    drawer.addEventListener("change", sync);
    document.addEventListener("click", () => setTimeout(sync), true);
    toggle.addEventListener("click", event => {
      set(!drawer.checked);
      if (drawer.checked && event.detail === 0) firstIn(sidebar)?.focus();  // from the keyboard
    });
    document.addEventListener("keydown", event => {
      if (event.key === "Escape" && drawer.checked && narrow.matches) {
        set(false);
        toggle.focus();
      }
    });
    document.addEventListener("focusin", event => {
      sync();
      if (!narrow.matches) return;
      const target = event.target;
      if (!sidebar.contains(target)) {
        if (drawer.checked && target !== toggle) set(false);
        return;
      }
      sidebar.querySelectorAll(".md-nav__toggle:checked").forEach(panelToggle => {
        const panel = panelToggle.parentElement.querySelector(":scope > .md-nav");
        if (panel && !panel.contains(target)) panelToggle.checked = false;
      });
    });
    sidebar.addEventListener("change", event => {
      const panelToggle = event.target;
      const label = document.activeElement;
      const byKeys = label instanceof HTMLLabelElement && label.htmlFor === panelToggle.id;
      if (!narrow.matches || !panelToggle.checked || !byKeys) return;
      const panel = panelToggle.parentElement.querySelector(":scope > .md-nav");
      if (panel) firstIn(panel)?.focus();
    });
    document.documentElement.classList.add("drawer-keys");
    getComputedStyle(sidebar).visibility;  // hidden now, without a transition: then allow them
    document.documentElement.classList.add("drawer-keys-ready");
  }
})();
